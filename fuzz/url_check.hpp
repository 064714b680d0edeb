// Properties of the signing URL parser: what it returns is normalised (lowercase scheme and
// host, a real port, a path starting with '/'), and the base string URI it yields parses back
// to the same scheme, host, port and path.
#pragma once

#include <string>
#include <string_view>

#include "fuzz/check.hpp"
#include "oauth/url.hpp"

namespace pinlink::fuzz {

inline Failure check_url(std::string_view input) {
    const auto url = oauth::parse_url(input);
    if (!url) return std::nullopt;
    if (url->scheme != "http" && url->scheme != "https") return fail("scheme not http(s)", input);
    if (url->host.empty()) return fail("empty host", input);
    for (char c : url->host) {
        if (c >= 'A' && c <= 'Z') return fail("host not lowercase", input);
    }
    const int default_port = url->scheme == "https" ? 443 : 80;
    if (url->port < 1 || url->port > 65535) return fail("port out of range", input);
    if (url->explicit_port != (url->port != default_port)) {
        return fail("explicit_port disagrees with the port", input);
    }
    if (url->path.empty() || url->path.front() != '/') return fail("path not starting /", input);
    if (url->path.find_first_of("?#") != std::string::npos) return fail("path has ? or #", input);
    if (url->query.find('#') != std::string::npos) return fail("query has a fragment", input);

    const std::string base = oauth::base_string_uri(*url);
    const auto again = oauth::parse_url(base);
    if (!again) return fail("base_string_uri does not parse: " + escaped(base), input);
    if (again->scheme != url->scheme || again->host != url->host || again->port != url->port ||
        again->explicit_port != url->explicit_port || again->path != url->path) {
        return fail("base_string_uri parses to another URL: " + escaped(base), input);
    }
    if (!again->query.empty()) return fail("base_string_uri carries a query", input);
    if (oauth::base_string_uri(*again) != base) return fail("base_string_uri not stable", input);
    return std::nullopt;
}

}  // namespace pinlink::fuzz
