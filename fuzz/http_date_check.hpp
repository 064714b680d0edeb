// Properties of the Date header parser (the clock-skew correction trusts it): a parsed date
// formats back to the same instant, an IMF-fixdate formats back to itself, and every instant
// in the supported years formats to a date that parses back to that instant.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz/check.hpp"
#include "net/http.hpp"

namespace pinlink::fuzz {

inline Failure check_http_date(std::string_view input) {
    // 1900-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the years the contract supports; a leap
    // second on the last day reads as the first second of year 10000.
    constexpr std::int64_t kFirst = -2'208'988'800;
    constexpr std::int64_t kLast = 253'402'300'799;

    if (const auto parsed = net::parse_http_date(input)) {
        if (*parsed < kFirst || *parsed > kLast + 1) return fail("parsed date out of range", input);
        const std::string formatted = net::format_http_date(*parsed);
        if (formatted.empty() != (*parsed > kLast))
            return fail("format refused a parsed date", input);
        if (!formatted.empty()) {
            if (formatted.size() != 29) return fail("IMF-fixdate is not 29 characters", input);
            if (net::parse_http_date(formatted) != parsed) {
                return fail("parse(format(parse(x))) != parse(x): " + formatted, input);
            }
            // An IMF-fixdate is canonical: it formats back to itself, except a leap second.
            const bool imf = input.size() == 29 && input[3] == ',';
            if (imf && input.substr(23, 2) != "60" && formatted != input) {
                return fail("IMF-fixdate does not format back to itself: " + formatted, input);
            }
        }
    }

    // The first 8 bytes as an instant: anything in range formats and parses back.
    std::uint64_t raw = 0;
    if (!input.empty()) {
        std::memcpy(&raw, input.data(), std::min<std::size_t>(input.size(), sizeof raw));
    }
    constexpr auto kSpan = static_cast<std::uint64_t>(kLast - kFirst + 1);
    for (const std::int64_t t :
         {static_cast<std::int64_t>(raw), kFirst + static_cast<std::int64_t>(raw % kSpan)}) {
        const std::string formatted = net::format_http_date(t);
        const bool in_range = t >= kFirst && t <= kLast;
        if (formatted.empty() == in_range) return fail("format range wrong", input);
        if (in_range && net::parse_http_date(formatted) != t) {
            return fail("parse(format(t)) != t for t=" + std::to_string(t), input);
        }
    }
    return std::nullopt;
}

}  // namespace pinlink::fuzz
