// Properties of error-body reading and classification. Input layout: 2 bytes HTTP status (big
// endian), 1 byte length N of an x-rate-limit-reset header value (0: no header), N bytes of that
// value, then the body. The provider's message is shown on screen and in logs, so it must be
// short (200 bytes plus an ellipsis), free of control characters, trimmed, whitespace collapsed,
// and valid UTF-8 whenever the body was. from_response must classify every status at every step.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz/check.hpp"
#include "link/error.hpp"

namespace pinlink::fuzz {

struct ErrorBodyInput {
    long status = 0;
    std::optional<std::string> rate_limit_reset;
    std::string_view body;
};

inline ErrorBodyInput split_error_body_input(std::string_view input) {
    ErrorBodyInput out;
    if (input.size() < 3) {
        out.body = input;
        return out;
    }
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(input[i]); };
    out.status = static_cast<long>(byte(0)) * 256 + static_cast<long>(byte(1));
    const std::size_t header_len = std::min<std::size_t>(byte(2), input.size() - 3);
    if (header_len > 0) out.rate_limit_reset = std::string(input.substr(3, header_len));
    out.body = input.substr(3 + header_len);
    return out;
}

inline Failure check_provider_message(const std::string& m, std::string_view body,
                                      std::string_view input) {
    constexpr std::string_view kEllipsis = "…";
    constexpr std::size_t kMax = 200;
    const bool cut = m.size() >= kEllipsis.size() && m.ends_with(kEllipsis);
    if (m.size() > kMax + (cut ? kEllipsis.size() : 0)) return fail("message too long", input);
    for (std::size_t i = 0; i < m.size(); ++i) {
        const auto c = static_cast<unsigned char>(m[i]);
        if (c < 0x20 || c == 0x7F) return fail("control character in message", input);
        // U+0080..U+009F (C1 controls, e.g. U+009B CSI) are encoded as C2 80..C2 9F.
        if (c == 0xC2 && i + 1 < m.size()) {
            const auto next = static_cast<unsigned char>(m[i + 1]);
            if (next >= 0x80 && next <= 0x9F) return fail("C1 control in message", input);
        }
    }
    if (!m.empty() && (m.front() == ' ' || m.back() == ' '))
        return fail("message untrimmed", input);
    if (m.find("  ") != std::string::npos) return fail("whitespace not collapsed", input);
    if (is_valid_utf8(body) && !is_valid_utf8(m)) return fail("message broke UTF-8", input);
    return std::nullopt;
}

inline Failure check_error_body(std::string_view input) {
    using link::ErrorKind;
    const ErrorBodyInput in = split_error_body_input(input);

    const auto parsed = link::parse_error_body(in.body);
    const bool blank = in.body.find_first_not_of(" \t\n\v\f\r") == std::string_view::npos;
    if (parsed.has_value() == blank) return fail("nullopt iff the body is blank", input);
    if (parsed) {
        if (parsed->code < 0) return fail("negative provider code", input);
        if (auto f = check_provider_message(parsed->message, in.body, input)) return f;
    }

    net::Response response;
    response.status = in.status;
    response.body = std::string(in.body);
    if (in.rate_limit_reset)
        response.headers.emplace_back("x-rate-limit-reset", *in.rate_limit_reset);

    // The codes DESIGN.md names, each with its own kind whatever the status.
    constexpr std::array<std::pair<int, ErrorKind>, 9> kCodes = {{
        {32, ErrorKind::bad_consumer},
        {88, ErrorKind::rate_limited},
        {89, ErrorKind::code_expired},
        {135, ErrorKind::clock_skew},
        {215, ErrorKind::bad_auth_data},
        {326, ErrorKind::account_locked},
        {415, ErrorKind::callback_not_approved},
        {416, ErrorKind::app_suspended},
        {417, ErrorKind::oob_required},
    }};
    for (const auto step :
         {link::Step::request_token, link::Step::access_token, link::Step::users_me}) {
        const link::LinkError e = link::from_response(step, response);
        if (e.http_status != in.status) return fail("http_status differs from the status", input);
        const link::ProviderError expected = parsed.value_or(link::ProviderError{});
        if (e.provider.code != expected.code || e.provider.message != expected.message) {
            return fail("from_response read the body differently", input);
        }
        switch (e.kind) {
            case ErrorKind::network:
            case ErrorKind::timeout:
            case ErrorKind::tls:
            case ErrorKind::insecure_url:
            case ErrorKind::bad_url:
            case ErrorKind::cancelled:
            case ErrorKind::save_failed:
                return fail("a response classified as transport", input);
            default:
                break;
        }
        for (const auto& [code, kind] : kCodes) {
            if (e.provider.code == code && e.kind != kind) return fail("code not honoured", input);
        }
        if (e.provider.code == 0 && in.status == 429 && e.kind != ErrorKind::rate_limited) {
            return fail("429 without a code is not a rate limit", input);
        }
        if (e.retry_at && (e.kind != ErrorKind::rate_limited || *e.retry_at <= 0)) {
            return fail("retry_at outside a rate limit, or not positive", input);
        }
        if (e.needs_new_code() !=
            (e.kind == ErrorKind::code_expired || e.kind == ErrorKind::pin_rejected)) {
            return fail("needs_new_code disagrees with the kind", input);
        }
        if (link::to_string(e.kind) == "unknown" || e.title().empty()) {
            return fail("kind without a name or title", input);
        }
        const std::int64_t now = 1'764'000'000;  // late 2025
        for (const std::int64_t t :
             {std::int64_t{0}, now, e.retry_at.value_or(now) - 1, e.retry_at.value_or(now) + 1}) {
            if (e.next_step(t).empty()) return fail("no next step", input);
        }
        const std::string detail = e.detail();
        if (in.status != 0 &&
            detail.find("HTTP " + std::to_string(in.status)) == std::string::npos) {
            return fail("detail does not name the status", input);
        }
        if (e.provider.code != 0 &&
            detail.find("X error " + std::to_string(e.provider.code)) == std::string::npos) {
            return fail("detail does not name the provider code", input);
        }
    }
    return std::nullopt;
}

}  // namespace pinlink::fuzz
