// HTML pages of the local provider; see local_provider_pages.hpp. Small, self-contained pages
// (inline CSS, no scripts, no external resources) that read well on a phone.
#include "link/local_provider_pages.hpp"

namespace pinlink::link::detail {
namespace {

constexpr std::string_view kStyle = R"css(
:root { color-scheme: light dark; --accent: #1d9bf0; }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
  font: 17px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  background: Canvas; color: CanvasText; }
main { width: min(28rem, 100% - 2rem); padding: 2rem; border-radius: 1rem;
  border: 1px solid color-mix(in srgb, CanvasText 15%, transparent); }
.brand { margin: 0 0 1rem; font-size: 0.85rem; opacity: 0.7; letter-spacing: 0.03em; }
h1 { margin: 0 0 1rem; font-size: 1.5rem; line-height: 1.25; }
ul { padding-left: 1.2rem; }
fieldset { border: 0; padding: 0; margin: 0 0 1rem; }
label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
input[type=text] { width: 100%; padding: 0.6rem; font: inherit; border-radius: 0.5rem;
  border: 1px solid color-mix(in srgb, CanvasText 30%, transparent); }
button { width: 100%; padding: 0.8rem; font: inherit; font-weight: 700; color: #fff;
  background: var(--accent); border: 0; border-radius: 999px; cursor: pointer; }
.pin { margin: 1.5rem 0; text-align: center; }
#pin { font: 700 2.6rem/1 ui-monospace, "SFMono-Regular", Menlo, monospace;
  letter-spacing: 0.2em; }
.note { font-size: 0.85rem; opacity: 0.7; }
)css";

std::string page(std::string_view title, std::string_view body) {
    std::string out;
    out.reserve(kStyle.size() + body.size() + 512);
    out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n";
    out += "<meta name=\"robots\" content=\"noindex\" />\n<title>";
    out += html_escape(title);
    out += "</title>\n<style>";
    out += kStyle;
    out += "</style>\n</head>\n<body>\n<main>\n";
    out += "<p class=\"brand\">pinlink local provider</p>\n";
    out += body;
    out +=
        "<p class=\"note\">A local stand-in for X, for demos and tests. "
        "No real account is involved.</p>\n</main>\n</body>\n</html>\n";
    return out;
}

}  // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                if ((static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') ||
                    c == '\x7f') {
                    break;
                }
                out.push_back(c);
        }
    }
    return out;
}

std::string authorize_page(const AuthorizePageInput& in) {
    const std::string app = html_escape(in.app_name);
    std::string body = "<h1>Authorize " + app + " to access your account?</h1>\n";
    body += "<form method=\"post\" action=\"/oauth/authorize\">\n";
    body += "<input type=\"hidden\" name=\"oauth_token\" value=\"" + html_escape(in.oauth_token) +
            "\" />\n";
    if (in.force_login) {
        // force_login asks X to show its sign-in form even to a signed-in person.
        body += "<fieldset>\n<label for=\"screen_name\">Sign in as</label>\n";
        body += "<input type=\"text\" id=\"screen_name\" name=\"screen_name\" value=\"" +
                html_escape(in.requested_screen_name) +
                "\" autocomplete=\"username\" placeholder=\"Username\" />\n</fieldset>\n";
    } else {
        body += "<p>Signed in as <strong>" + html_escape(in.display_name) + "</strong> @" +
                html_escape(in.screen_name) + "</p>\n";
        if (!in.requested_screen_name.empty()) {
            body += "<p>Requested account: @" + html_escape(in.requested_screen_name) + "</p>\n";
        }
    }
    body += "<p>" + app + " will be able to:</p>\n<ul>\n";
    body += "<li>See your profile and your posts.</li>\n";
    if (in.access_type != "read") body += "<li>Post and make changes for you.</li>\n";
    body += "</ul>\n<button type=\"submit\">Authorize app</button>\n</form>\n";
    return page("Authorize " + std::string(in.app_name), body);
}

std::string pin_page(std::string_view app_name, std::string_view pin,
                     std::string_view screen_name) {
    std::string body = "<h1>You authorized " + html_escape(app_name) + "</h1>\n";
    body += "<p>Enter this PIN on your device to finish linking @" + html_escape(screen_name) +
            ".</p>\n";
    body += "<p class=\"pin\"><code id=\"pin\">" + html_escape(pin) + "</code></p>\n";
    body += "<p>The PIN works once. You can close this page after entering it.</p>\n";
    return page("Your PIN", body);
}

std::string invalid_token_page(std::string_view app_name, bool missing) {
    std::string body;
    if (missing) {
        body += "<h1>This link is incomplete</h1>\n";
        body += "<p>The address has no request token. Scan the code on your device again.</p>\n";
    } else {
        body += "<h1>This code isn't valid any more</h1>\n";
        body += "<p>It may have expired or already been used. Ask " + html_escape(app_name) +
                " on your device for a new code and scan it again.</p>\n";
    }
    return page("Code not valid", body);
}

}  // namespace pinlink::link::detail
