// URL parsing for signing and the RFC 5849 3.4.1.2 base string URI (shared/vectors.md).
#include <gtest/gtest.h>

#include "oauth/url.hpp"

using pinlink::oauth::base_string_uri;
using pinlink::oauth::parse_url;

namespace {

// The base string URI of `url`, or "<unparseable>".
std::string base_uri(std::string_view url) {
    const auto parsed = parse_url(url);
    return parsed ? base_string_uri(*parsed) : std::string("<unparseable>");
}

}  // namespace

TEST(BaseStringUri, Rfc5849Vectors) {
    EXPECT_EQ(base_uri("HTTP://EXAMPLE.COM:80/r%20v/X?id=123"), "http://example.com/r%20v/X");
    EXPECT_EQ(base_uri("https://www.example.net:8080/?q=1"), "https://www.example.net:8080/");
}

TEST(ParseUrl, Components) {
    const auto u = parse_url("https://api.x.com/1.1/statuses/update.json?include_entities=true");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->scheme, "https");
    EXPECT_EQ(u->host, "api.x.com");
    EXPECT_EQ(u->port, 443);
    EXPECT_FALSE(u->explicit_port);
    EXPECT_EQ(u->path, "/1.1/statuses/update.json");
    EXPECT_EQ(u->query, "include_entities=true");
}

TEST(ParseUrl, SchemeAndHostAreLowercasedPathIsNot) {
    const auto u = parse_url("HtTpS://API.X.Com/Path/%7e%2F?Q=A");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->scheme, "https");
    EXPECT_EQ(u->host, "api.x.com");
    EXPECT_EQ(u->path, "/Path/%7e%2F");  // kept exactly as written
    EXPECT_EQ(u->query, "Q=A");
    EXPECT_EQ(base_string_uri(*u), "https://api.x.com/Path/%7e%2F");
}

TEST(ParseUrl, DefaultPortsAreDropped) {
    EXPECT_EQ(base_uri("http://example.com:80/a"), "http://example.com/a");
    EXPECT_EQ(base_uri("https://example.com:443/a"), "https://example.com/a");
    EXPECT_EQ(base_uri("https://example.com:0443/a"), "https://example.com/a");
    const auto u = parse_url("http://example.com:80/a");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->port, 80);
    EXPECT_FALSE(u->explicit_port);
    // An empty port (RFC 3986 allows "host:") means the default.
    EXPECT_EQ(base_uri("http://example.com:/a"), "http://example.com/a");
}

TEST(ParseUrl, NonDefaultPortsAreKept) {
    EXPECT_EQ(base_uri("http://example.com:443/a"), "http://example.com:443/a");
    EXPECT_EQ(base_uri("https://example.com:80/a"), "https://example.com:80/a");
    EXPECT_EQ(base_uri("http://example.com:8080"), "http://example.com:8080/");
    EXPECT_EQ(base_uri("https://example.com:65535/"), "https://example.com:65535/");
    const auto u = parse_url("http://example.com:1/");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->port, 1);
    EXPECT_TRUE(u->explicit_port);
}

TEST(ParseUrl, Ipv6Literals) {
    const auto u = parse_url("http://[2001:DB8::1]:8080/x?y=1");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->host, "[2001:db8::1]");
    EXPECT_EQ(u->port, 8080);
    EXPECT_EQ(u->query, "y=1");
    EXPECT_EQ(base_string_uri(*u), "http://[2001:db8::1]:8080/x");
    EXPECT_EQ(base_uri("https://[::1]/"), "https://[::1]/");
    EXPECT_EQ(base_uri("https://[::1]:443"), "https://[::1]/");
    EXPECT_FALSE(parse_url("http://[::1/"));    // unterminated literal
    EXPECT_FALSE(parse_url("http://[::1]x/"));  // junk after the literal
    EXPECT_FALSE(parse_url("http://[::1]:http/"));
}

TEST(ParseUrl, UserinfoIsNotPartOfTheBaseUri) {
    EXPECT_EQ(base_uri("https://user:pa%40ss@Example.COM:8443/p"), "https://example.com:8443/p");
    EXPECT_EQ(base_uri("http://user@example.com/p"), "http://example.com/p");
    // '@' after the authority is part of the path or query, not userinfo.
    const auto u = parse_url("http://example.com/a@b?mail=c@d");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->host, "example.com");
    EXPECT_EQ(u->path, "/a@b");
    EXPECT_EQ(u->query, "mail=c@d");
}

TEST(ParseUrl, FragmentIsDropped) {
    const auto u = parse_url("http://example.com/p?q=1#frag?x=2");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->path, "/p");
    EXPECT_EQ(u->query, "q=1");
    const auto v = parse_url("http://example.com/p#frag?x=2");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->path, "/p");
    EXPECT_EQ(v->query, "");
    EXPECT_EQ(base_uri("http://example.com#top"), "http://example.com/");
}

TEST(ParseUrl, EmptyPathBecomesSlash) {
    EXPECT_EQ(base_uri("http://example.com"), "http://example.com/");
    const auto u = parse_url("http://example.com?a=1");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->path, "/");
    EXPECT_EQ(u->query, "a=1");
}

TEST(ParseUrl, BadPortsAreRejected) {
    EXPECT_FALSE(parse_url("http://example.com:0/"));
    EXPECT_FALSE(parse_url("http://example.com:65536/"));
    EXPECT_FALSE(parse_url("http://example.com:99999/"));
    EXPECT_FALSE(parse_url("http://example.com:100000/"));
    EXPECT_FALSE(parse_url("http://example.com:8a/"));
    EXPECT_FALSE(parse_url("http://example.com:-1/"));
    EXPECT_FALSE(parse_url("http://example.com:+80/"));
    EXPECT_FALSE(parse_url("http://example.com: 80/"));
}

TEST(ParseUrl, OnlyAbsoluteHttpUrlsWithAHost) {
    EXPECT_FALSE(parse_url("ftp://example.com/"));
    EXPECT_FALSE(parse_url("file:///etc/passwd"));
    EXPECT_FALSE(parse_url("ws://example.com/"));
    EXPECT_FALSE(parse_url("httpx://example.com/"));
    EXPECT_FALSE(parse_url("mailto:someone@example.com"));
    EXPECT_FALSE(parse_url("//example.com/p"));
    EXPECT_FALSE(parse_url("example.com/p"));
    EXPECT_FALSE(parse_url("/p?q=1"));
    EXPECT_FALSE(parse_url(""));
    EXPECT_FALSE(parse_url("http://"));
    EXPECT_FALSE(parse_url("http:///p"));
    EXPECT_FALSE(parse_url("http://user@/p"));
    EXPECT_FALSE(parse_url("http://:8080/p"));
}
