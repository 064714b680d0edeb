// The few URL facts OAuth signing needs: scheme, host, port, path and query of an absolute
// http(s) URL, and the base string URI of RFC 5849 section 3.4.1.2.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pinlink::oauth {

struct Url {
    std::string scheme;  // lowercase
    std::string host;    // lowercase; IPv6 literals keep their brackets
    int port = 0;        // explicit or the scheme's default
    bool explicit_port = false;  // true when the port is not the scheme default
    std::string path;    // as written (still percent-encoded); "/" when empty
    std::string query;   // without '?', as written
};

// Parses "scheme://[userinfo@]host[:port][/path][?query][#fragment]" for http and https.
// Returns nullopt for anything else: another scheme, no host, a bad port (0 or > 65535), a
// ':' in a host that is not a bracketed IPv6 literal.
std::optional<Url> parse_url(std::string_view url);

// "scheme://host[:port]/path" with the default port (80 for http, 443 for https) left out.
std::string base_string_uri(const Url& url);

// The same, appended to `out` (the signer reuses one buffer for it).
void append_base_string_uri(std::string& out, const Url& url);

}  // namespace pinlink::oauth
