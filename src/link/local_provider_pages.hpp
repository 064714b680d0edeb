// The HTML pages a person sees on a phone when the local provider stands in for X: the
// authorize page, the page with the PIN, and the page for a code that is no longer valid.
// Every value from a request is escaped. Private to the local provider.
#pragma once

#include <string>
#include <string_view>

namespace pinlink::link::detail {

// &, <, >, " and ' as entities; control characters other than tab and newline are dropped.
std::string html_escape(std::string_view text);

struct AuthorizePageInput {
    std::string_view app_name;
    std::string_view oauth_token;
    std::string_view access_type;            // "", "read" or "write"
    std::string_view requested_screen_name;  // screen_name query parameter, may be empty
    bool force_login = false;
    std::string_view screen_name;  // the account this provider signs in as
    std::string_view display_name;
};

// A form that POSTs oauth_token to /oauth/authorize with an "Authorize app" button.
std::string authorize_page(const AuthorizePageInput& in);

// The PIN in <code id="pin">, with "Enter this PIN on your device".
std::string pin_page(std::string_view app_name, std::string_view pin, std::string_view screen_name);

// For a missing, unknown, expired or spent request token.
std::string invalid_token_page(std::string_view app_name, bool missing);

}  // namespace pinlink::link::detail
