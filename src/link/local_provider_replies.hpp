// The shapes of the local provider's replies, as X sends them: v1.1 JSON errors, the XML error
// of the oob check, plain text for a bad verifier, v2 "problem" JSON, form-encoded token
// replies, and the IMF-fixdate of the Date header. Private to the local provider.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "oauth/form.hpp"

namespace pinlink::link::detail {

struct Reply {
    int status = 200;
    std::string content_type;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // besides Date and Content-Type
};

// X's v1.1 error codes the provider answers with.
struct XError {
    int status;
    int code;
    std::string_view message;
};
inline constexpr XError kCouldNotAuthenticate{401, 32, "Could not authenticate you."};
inline constexpr XError kPageDoesNotExist{404, 34, "Sorry, that page does not exist."};
inline constexpr XError kInvalidToken{401, 89, "Invalid or expired token."};
inline constexpr XError kInternalError{500, 131, "Internal error."};
inline constexpr XError kOverCapacity{503, 130, "Over capacity"};
inline constexpr XError kRateLimitExceeded{429, 88, "Rate limit exceeded"};
inline constexpr XError kTimestampOutOfBounds{401, 135, "Timestamp out of bounds."};
inline constexpr XError kBadAuthenticationData{400, 215, "Bad Authentication data."};
inline constexpr XError kDesktopOnlyOob{401, 417,
                                        "Desktop applications only support the oauth_callback "
                                        "value 'oob'"};

// {"errors":[{"code":N,"message":"..."}]}
Reply json_error(const XError& error);

// <?xml ...?><errors><error code="N">...</error></errors>
Reply xml_error(const XError& error);

// 401 text/plain "Error processing your OAuth request: Invalid oauth_verifier parameter".
Reply invalid_verifier();

// The v2 API's problem shape: {"title":..,"type":"about:blank","status":N,"detail":..}.
Reply problem(int status, std::string_view title, std::string_view detail);

// 200 application/x-www-form-urlencoded.
Reply form_reply(const oauth::Params& params);

// 200 application/json.
Reply json_reply(std::string body);

// 200 (or `status`) text/html; charset=utf-8, never cached (pages may carry a PIN).
Reply html_reply(int status, std::string body);

// Seconds since the epoch as an IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string imf_fixdate(std::int64_t epoch_seconds);

}  // namespace pinlink::link::detail
