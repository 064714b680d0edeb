// Fault modes of the local provider: what an endpoint does instead of answering properly, so
// tests and launchers can watch pinlink meet a hostile network (issue 5). The names here are
// the ones `pinlink demo-server --fault ENDPOINT=MODE` and POST /_pinlink/fault accept.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace pinlink::link {

enum class Fault {
    none,
    // Holds the request and never replies. The hold ends with the connection reset (still no
    // reply) when the client goes away, the fault is switched, the provider stops, or after
    // kMaxFaultHold; so stop() stays prompt and held requests never pile up.
    never_answer,
    // The real reply, but its body one byte per FaultOptions::slow_interval (the status line
    // and headers go at once: only an overall timeout protects a client from this).
    slow,
    // The connection is reset (TCP RST) after the request is read; no reply at all.
    reset,
    // 500 {"errors":[{"code":131,"message":"Internal error."}]}
    status_500,
    // 503 {"errors":[{"code":130,"message":"Over capacity"}]}
    status_503,
    // 429 {"errors":[{"code":88,...}]} with x-rate-limit-reset = provider clock + reset_in.
    rate_limited,
    // 200 text/html: a captive-portal style page where a token should be.
    not_a_token,
    // 200 with an FaultOptions::oversized_bytes body sent chunked, its size announced nowhere.
    oversized,
    // HTTPS only, and only for Endpoint::all: every new TLS connection is served a certificate
    // for another host name (the handshake comes before the request names its endpoint).
    // Connections already open keep the right certificate.
    wrong_certificate,
    // The real reply, but its Date header is the provider's clock + date_offset: a Date that
    // lies while the timestamp check keeps using the true clock.
    date_far_off,
};

enum class Endpoint { request_token, authorize, access_token, users_me, all };

struct FaultOptions {
    std::chrono::milliseconds slow_interval{50};    // slow: one body byte per interval
    std::int64_t rate_limit_reset_in = 15 * 60;     // rate_limited: seconds until the reset
    std::int64_t date_offset = 3 * 60 * 60;         // date_far_off: seconds added to Date
    std::size_t oversized_bytes = 2 * 1024 * 1024;  // oversized: body size
};

// The longest a never_answer request is held when nothing else releases it.
inline constexpr std::chrono::seconds kMaxFaultHold{120};

// snake_case names, as in the enums: "never_answer", "status_503", "users_me", "all", ...
std::string_view to_string(Fault fault);
std::string_view to_string(Endpoint endpoint);
// Exact names only; nullopt for anything else.
std::optional<Fault> parse_fault(std::string_view name);
std::optional<Endpoint> parse_endpoint(std::string_view name);

}  // namespace pinlink::link
