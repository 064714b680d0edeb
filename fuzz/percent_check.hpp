// Properties of RFC 3986 percent-encoding and of both decodings ('+' literal, '+' as space).
#pragma once

#include <string>
#include <string_view>

#include "fuzz/check.hpp"
#include "oauth/percent.hpp"

namespace pinlink::fuzz {

inline Failure check_percent(std::string_view input) {
    using oauth::PlusMeans;
    const auto plain = oauth::percent_decode(input, PlusMeans::plus);
    const auto form = oauth::percent_decode(input, PlusMeans::space);
    const bool well_formed = escapes_well_formed(input);
    if (plain.has_value() != well_formed || form.has_value() != well_formed) {
        return fail("percent_decode accepts iff every '%' starts a %XX escape", input);
    }
    if (plain) {
        if (plain->size() > input.size()) return fail("decoding grew the text", input);
        // '+' as space is the same as first turning every literal '+' into a space.
        std::string spaced(input);
        for (char& c : spaced) {
            if (c == '+') c = ' ';
        }
        if (oauth::percent_decode(spaced, PlusMeans::plus) != form) {
            return fail("PlusMeans::space differs from '+' -> ' ' then decode", input);
        }
    }

    const std::string encoded = oauth::percent_encode(input);
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        const char c = encoded[i];
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved) continue;
        const auto upper_hex = [&](std::size_t k) {
            return k < encoded.size() && ((encoded[k] >= '0' && encoded[k] <= '9') ||
                                          (encoded[k] >= 'A' && encoded[k] <= 'F'));
        };
        if (c != '%' || !upper_hex(i + 1) || !upper_hex(i + 2)) {
            return fail("percent_encode output has a character outside unreserved / %XX", input);
        }
        i += 2;
    }
    if (oauth::percent_decode(encoded, PlusMeans::plus) != input ||
        oauth::percent_decode(encoded, PlusMeans::space) != input) {
        return fail("percent_decode(percent_encode(x)) != x", input);
    }
    return std::nullopt;
}

}  // namespace pinlink::fuzz
