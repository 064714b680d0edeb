// URL parsing for signing; see url.hpp for the contract.
#include "oauth/url.hpp"

#include <algorithm>

namespace pinlink::oauth {
namespace {

// ASCII only: scheme and host are compared as RFC 3986 says, whatever the process locale
// (std::tolower would follow it, e.g. a Turkish locale's dotless i).
std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return out;
}

}  // namespace

std::optional<Url> parse_url(std::string_view url) {
    const std::size_t colon = url.find("://");
    if (colon == std::string_view::npos) return std::nullopt;
    Url out;
    out.scheme = lower(url.substr(0, colon));
    if (out.scheme != "http" && out.scheme != "https") return std::nullopt;
    std::string_view rest = url.substr(colon + 3);

    // The fragment is never sent and never signed.
    if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);

    const std::size_t path_start = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, path_start);
    std::string_view path_query =
        path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start);

    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        authority = authority.substr(at + 1);
    }
    std::string_view host = authority;
    std::string_view port_text;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        host = authority.substr(0, close + 1);
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return std::nullopt;
            port_text = after.substr(1);
        }
    } else if (const auto pc = authority.rfind(':'); pc != std::string_view::npos) {
        host = authority.substr(0, pc);
        port_text = authority.substr(pc + 1);
    }
    if (host.empty()) return std::nullopt;
    // Outside an IPv6 literal a ':' can only start the port ("a:b:80" has no valid host), and
    // base_string_uri would write the host back as host:port, another URL.
    if (host.front() != '[' && host.find(':') != std::string_view::npos) return std::nullopt;
    out.host = lower(host);

    const int default_port = out.scheme == "https" ? 443 : 80;
    out.port = default_port;
    if (!port_text.empty()) {
        if (port_text.size() > 5) return std::nullopt;
        int port = 0;
        for (char c : port_text) {
            if (c < '0' || c > '9') return std::nullopt;
            port = port * 10 + (c - '0');
        }
        if (port <= 0 || port > 65535) return std::nullopt;
        out.port = port;
        out.explicit_port = port != default_port;
    }

    const auto q = path_query.find('?');
    out.path = std::string(path_query.substr(0, q));
    if (q != std::string_view::npos) out.query = std::string(path_query.substr(q + 1));
    // push_back into the empty path: GCC 12 reports a false -Wrestrict for `= "/"` here.
    if (out.path.empty()) out.path.push_back('/');
    return out;
}

std::string base_string_uri(const Url& url) {
    std::string out;
    append_base_string_uri(out, url);
    return out;
}

void append_base_string_uri(std::string& out, const Url& url) {
    out += url.scheme;
    out += "://";
    out += url.host;
    if (url.explicit_port) {
        // Two appends: GCC 12 at -O3 reports a false -Wrestrict for ":" + std::to_string(...).
        out += ':';
        out += std::to_string(url.port);
    }
    out += url.path;
}

}  // namespace pinlink::oauth
