// What can go wrong in a link, as values: every failure of the PIN flow becomes one LinkError
// with a plain-language title and next step. The provider's own code rides along, small.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "net/http.hpp"

namespace pinlink::link {

enum class ErrorKind {
    network,                // DNS, connect, connection reset or cut off
    timeout,                // the provider did not answer in time
    tls,                    // certificate not trusted or TLS failed
    insecure_url,           // http:// to a host that is not this machine
    bad_url,                // --api-base is not a usable URL
    cancelled,              // the person backed out
    bad_consumer,           // 32 (and 401 on request_token): wrong consumer key or secret
    bad_auth_data,          // 215
    code_expired,           // 89 or a reused/unknown request token: a new code is needed
    pin_rejected,           // wrong PIN: a new code is needed
    rate_limited,           // 88 / HTTP 429
    clock_skew,             // 135 even after correcting the clock once
    account_locked,         // 326
    callback_not_approved,  // 415
    app_suspended,          // 416
    oob_required,           // 417
    server_error,           // 5xx
    malformed_reply,        // a 200 that is not what X sends, or a reply too large
    unexpected_status,      // any other status
    save_failed,            // --save could not write the credentials file
};

// The error as the provider stated it, from a JSON, XML or plain-text body.
struct ProviderError {
    int code = 0;         // X's numeric code, 0 when the body carries none
    std::string message;  // the provider's message, trimmed and capped at 200 bytes
};

// Reads X's error shapes: {"errors":[{"code":135,"message":"..."}]}, {"title":..,"detail":..},
// <errors><error code="415">...</error></errors>, and plain text. nullopt for an empty body.
std::optional<ProviderError> parse_error_body(std::string_view body);

struct LinkError {
    ErrorKind kind = ErrorKind::unexpected_status;
    int http_status = 0;                // 0 when no response arrived
    ProviderError provider;             // what the provider said, if anything
    std::optional<std::int64_t> retry_at;  // rate limit: epoch seconds when it resets

    // "That PIN didn't work", "Can't reach X", ... One short sentence.
    std::string title() const;
    // What the person should do now, one or two sentences. Mentions the reset time for
    // rate limits (as minutes from `now`).
    std::string next_step(std::int64_t now) const;
    // "X error 135 · HTTP 401" or "" — the small line under the message.
    std::string detail() const;
    // True when the request token is gone and a fresh code must be fetched.
    bool needs_new_code() const;
};

std::string_view to_string(ErrorKind kind);

// Which step failed: the same status means different things at different steps.
enum class Step { request_token, access_token, users_me };

// A transport failure (no usable response) as a LinkError.
LinkError from_transport(net::Error error);

// A response that is not the success the step expects, as a LinkError: reads the body's error
// shape, the status, and for rate limits the x-rate-limit-reset header.
LinkError from_response(Step step, const net::Response& response);

}  // namespace pinlink::link
