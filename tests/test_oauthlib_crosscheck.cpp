// Cross-check of pinlink's signer against python3-oauthlib: a fixed-seed batch of random requests
// (plus the vectors.md requests) is signed here, handed to tests/oauthlib_sign.py in one
// /usr/bin/python3 process, and every base string, signature and header must agree.
//
// Inputs stay inside what RFC 5849 defines unambiguously. Left out on purpose, because oauthlib
// departs from the RFC there: query/body parameters named oauth_* (oauthlib decodes them twice),
// escapes that are not UTF-8 (oauthlib substitutes U+FFFD), non-canonical IPv6 literals (oauthlib
// canonicalises them), paths ending in ';' (urlunparse drops it), and characters that are not
// legal in a URI (oauthlib rejects or rewrites them).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "oauth/percent.hpp"
#include "oauth/signature.hpp"

namespace {

using nlohmann::json;
using pinlink::oauth::ClientCredentials;
using pinlink::oauth::Params;
using pinlink::oauth::SignInput;

constexpr int kRandomRequests = 600;
constexpr std::uint32_t kSeed = 0x5849'0a1bu;
constexpr const char* kPython = "/usr/bin/python3";

// mt19937's output sequence is fixed by the standard (distributions are not), so the batch is the
// same on every standard library.
class Rng {
  public:
    explicit Rng(std::uint32_t seed) : engine_(seed) {}
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(engine_() % n); }
    bool percent(unsigned p) { return engine_() % 100 < p; }
    template <typename T>
    const T& pick(const std::vector<T>& items) {
        return items[below(items.size())];
    }

  private:
    std::mt19937 engine_;
};

struct Request {
    ClientCredentials creds;
    SignInput in;
};

// Decoded text: ASCII of every kind (controls and NUL included), reserved characters, and
// multi-byte UTF-8. Always valid UTF-8.
std::string random_text(Rng& rng, std::size_t max_len) {
    static const std::vector<std::string> kPieces = {"a",
                                                     "Z",
                                                     "0",
                                                     "9",
                                                     "-",
                                                     ".",
                                                     "_",
                                                     "~",
                                                     " ",
                                                     "!",
                                                     "\"",
                                                     "#",
                                                     "$",
                                                     "%",
                                                     "&",
                                                     "'",
                                                     "(",
                                                     ")",
                                                     "*",
                                                     "+",
                                                     ",",
                                                     "/",
                                                     ":",
                                                     ";",
                                                     "<",
                                                     "=",
                                                     ">",
                                                     "?",
                                                     "@",
                                                     "[",
                                                     "\\",
                                                     "]",
                                                     "^",
                                                     "`",
                                                     "{",
                                                     "|",
                                                     "}",
                                                     "\t",
                                                     "\n",
                                                     "\x01",
                                                     "\x7f",
                                                     std::string(1, '\0'),
                                                     "%41",
                                                     "%zz",
                                                     "+%2B",
                                                     "\xC3\xA9",
                                                     "\xC3\x9F",
                                                     "\xE2\x98\x83",
                                                     "\xF0\x9F\x98\x80",
                                                     "\xE6\x97\xA5\xE6\x9C\xAC",
                                                     "\xC2\xA0",
                                                     "\xE2\x80\xA8"};
    static const std::string kAlnum =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string out;
    const std::size_t len = rng.below(max_len + 1);
    for (std::size_t i = 0; i < len; ++i) {
        if (rng.percent(55)) {
            out.push_back(kAlnum[rng.below(kAlnum.size())]);
        } else {
            out += rng.pick(kPieces);
        }
    }
    return out;
}

std::string hex_escape(Rng& rng, unsigned char byte) {
    static constexpr char kUpper[] = "0123456789ABCDEF";
    static constexpr char kLower[] = "0123456789abcdef";
    const char* hex = rng.percent(70) ? kUpper : kLower;
    return {'%', hex[byte >> 4], hex[byte & 0x0F]};
}

bool is_unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

// Writes decoded text into a query string the way different clients do: literal where the query
// allows it, escapes in either hex case, '+' or %20 for a space.
std::string query_encode(Rng& rng, std::string_view text, bool is_name) {
    static constexpr std::string_view kLiteralOk = "!$'()*,/:;?@";
    std::string out;
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_unreserved(c)) {
            out += rng.percent(90) ? std::string(1, ch) : hex_escape(rng, c);
        } else if (kLiteralOk.find(ch) != std::string_view::npos || (ch == '=' && !is_name)) {
            out += rng.percent(50) ? std::string(1, ch) : hex_escape(rng, c);
        } else if (ch == ' ') {
            out += rng.percent(50) ? std::string("+") : hex_escape(rng, c);
        } else {
            out += hex_escape(rng, c);
        }
    }
    return out;
}

// A parameter name that is never oauth_* (see the banner), though it may come close.
std::string random_name(Rng& rng) {
    static const std::vector<std::string> kNames = {"a",
                                                    "b",
                                                    "status",
                                                    "include_entities",
                                                    "q",
                                                    "screen_name",
                                                    "oauth",
                                                    "oauthx",
                                                    "OAUTH_token",
                                                    "Oauth_nonce",
                                                    "x_auth_access_type",
                                                    "a{",
                                                    "a~",
                                                    "az",
                                                    "c@",
                                                    "",
                                                    "=",
                                                    "é"};
    if (rng.percent(50)) return rng.pick(kNames);
    std::string name = random_text(rng, 8);
    if (name.rfind("oauth_", 0) == 0) name.insert(0, "x");
    return name;
}

std::string random_path(Rng& rng) {
    static const std::vector<std::string> kPieces = {
        "1.1",  "statuses",   "update.json", "oauth", "request_token", "r%20v",     "X",   "a:b",
        "me@x", "!$&'()*+,=", "~user",       "_-.",   "a;b",           "%E2%98%83", "%2F", "%2f",
        "%7e",  "%FF",        "%00",         "",      "users",         "me",        "v"};
    const std::size_t segments = rng.below(5);
    if (segments == 0) return rng.percent(50) ? "" : "/";
    std::string path;
    for (std::size_t i = 0; i < segments; ++i) {
        path += "/";
        path += rng.pick(kPieces);
        if (rng.percent(20)) path += hex_escape(rng, static_cast<unsigned char>(rng.below(256)));
    }
    if (rng.percent(15)) path += "/";
    return path;
}

std::string random_case(Rng& rng, std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z' && rng.percent(40)) c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

std::string random_url(Rng& rng, Params& query_pairs) {
    static const std::vector<std::string> kHosts = {
        "api.x.com",       "photos.example.net", "example.com",
        "localhost",       "127.0.0.1",          "[::1]",
        "[2001:db8::1]",   "[fe80::1:2]",        "sub-domain.example-host.org",
        "xn--bcher-kva.de"};
    const bool https = rng.percent(50);
    std::string url = random_case(rng, https ? "https" : "http") + "://";
    if (rng.percent(10)) url += rng.percent(50) ? "user:p%40ss@" : "me@";
    url += random_case(rng, rng.pick(kHosts));
    switch (rng.below(7)) {
        case 0:
            url += https ? ":443" : ":80";
            break;  // explicit default: dropped
        case 1:
            url += https ? ":80" : ":443";
            break;  // the other default: kept
        case 2:
            url += ":" + std::to_string(1 + rng.below(65535));
            break;
        case 3:
            url += https ? ":0443" : ":080";
            break;  // leading zeros
        default:
            break;
    }
    url += random_path(rng);
    if (rng.percent(70)) {
        std::string query;
        const std::size_t count = rng.below(6);
        for (std::size_t i = 0; i < count; ++i) {
            std::string name = !query_pairs.empty() && rng.percent(20) ? query_pairs.back().first
                                                                       : random_name(rng);
            std::string value = random_text(rng, 12);
            if (!query.empty() || rng.percent(5)) query += "&";
            if (rng.percent(5)) query += "&";  // empty segment: skipped by both
            query += query_encode(rng, name, true);
            if (value.empty() && rng.percent(50)) {
                // "name" without '=': an empty value
            } else {
                query += "=" + query_encode(rng, value, false);
            }
            query_pairs.emplace_back(std::move(name), std::move(value));
        }
        url += "?" + query;
    }
    if (rng.percent(10)) url += "#frag?x=1&y";
    return url;
}

Request random_request(Rng& rng) {
    static const std::vector<std::string> kMethods = {
        "GET",        "POST", "PUT",   "DELETE", "PATCH",  "HEAD",     "OPTIONS",
        "get",        "post", "Post",  "pAtCh",  "delete", "M-SEARCH", "purge",
        "X_CUSTOM.1", "FOO!", "b~a|r", "A%B",    "q'*#^`+"};
    static const std::vector<std::string> kExtraNames = {"oauth_callback", "oauth_verifier",
                                                         "oauth_body_hash", "oauth_session_handle",
                                                         "oauth_x_custom"};
    Request r;
    Params query_pairs;
    r.in.method = rng.pick(kMethods);
    r.in.url = random_url(rng, query_pairs);
    const std::size_t form_count = rng.percent(40) ? rng.below(6) : 0;
    for (std::size_t i = 0; i < form_count; ++i) {
        std::string name;
        if (!r.in.form.empty() && rng.percent(20)) {
            name = r.in.form.back().first;  // duplicate within the body
        } else if (!query_pairs.empty() && rng.percent(15)) {
            name = query_pairs.front().first;  // same name in query and body
        } else {
            name = random_name(rng);
        }
        r.in.form.emplace_back(std::move(name), random_text(rng, 16));
    }
    r.creds.consumer_key = rng.percent(70) ? "xvz1evFS4wEEPTGEFPHBog" : random_text(rng, 20);
    r.creds.consumer_secret = random_text(rng, 24);
    if (rng.percent(50)) {
        r.creds.token = random_text(rng, 20);
        if (r.creds.token.empty()) r.creds.token = "t";
        r.creds.token_secret = random_text(rng, 24);
    }
    r.in.nonce =
        rng.percent(60) ? "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg" : random_text(rng, 16);
    r.in.timestamp = rng.percent(5) ? 0 : static_cast<std::int64_t>(rng.below(4'000'000'000u));
    r.in.include_version = rng.percent(50);
    std::vector<std::string> names = kExtraNames;
    const std::size_t extras = rng.below(4);
    for (std::size_t i = 0; i < extras && !names.empty(); ++i) {
        const std::size_t at = rng.below(names.size());
        std::string value;
        if (names[at] == "oauth_callback") {
            value = rng.percent(50)
                        ? std::string("oob")
                        : "http://printer.example.com/ready?x=1&y=%20" + random_text(rng, 6);
        } else if (names[at] == "oauth_verifier") {
            value = std::to_string(rng.below(10'000'000));
        } else {
            value = random_text(rng, 12);
        }
        r.in.extra_oauth.emplace_back(names[at], std::move(value));
        names.erase(names.begin() + static_cast<std::ptrdiff_t>(at));
    }
    return r;
}

// The requests of shared/vectors.md, so oauthlib also confirms the vectors themselves.
std::vector<Request> vector_requests() {
    const ClientCredentials x{"xvz1evFS4wEEPTGEFPHBog",
                              "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
                              "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
                              "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"};
    const std::string nonce = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg";
    std::vector<Request> out;
    for (const char* url :
         {"https://api.x.com/1.1/statuses/update.json?include_entities=true",
          "https://api.twitter.com/1/statuses/update.json?include_entities=true"}) {
        out.push_back({x,
                       {"POST",
                        url,
                        {{"status", "Hello Ladies + Gentlemen, a signed OAuth request!"}},
                        {},
                        nonce,
                        1318622958,
                        true}});
    }
    out.push_back({{x.consumer_key, x.consumer_secret, "", ""},
                   {"POST",
                    "https://api.x.com/oauth/request_token",
                    {},
                    {{"oauth_callback", "oob"}},
                    nonce,
                    1318622958,
                    true}});
    out.push_back(
        {x,
         {"GET",
          "https://api.x.com/1.1/test.json?az=1&a%7B=2&a~=3&a%C3%A9=4&b=%21%2A%27%28%29%20%2B~",
          {},
          {},
          nonce,
          1318622958,
          true}});
    out.push_back({{"dpf43f3p2l4k3l03", "kd94hf93k423kf44", "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00"},
                   {"GET",
                    "http://photos.example.net/photos?file=vacation.jpg&size=original",
                    {},
                    {},
                    "chapoH",
                    137131202,
                    false}});
    out.push_back({{"dpf43f3p2l4k3l03", "kd94hf93k423kf44", "", ""},
                   {"POST",
                    "https://photos.example.net/initiate",
                    {},
                    {{"oauth_callback", "http://printer.example.com/ready"}},
                    "wIjqoS",
                    137131200,
                    false}});
    return out;
}

json pairs_json(const Params& params) {
    json out = json::array();
    for (const auto& [name, value] : params)
        out.push_back(json::array({name, value}));
    return out;
}

// Removes the files it names when the test ends, however it ends.
struct TempFiles {
    std::vector<std::filesystem::path> paths;
    ~TempFiles() {
        for (const auto& p : paths) {
            std::error_code ec;
            std::filesystem::remove(p, ec);
        }
    }
};

}  // namespace

TEST(OauthlibCrosscheck, RandomRequestsSignIdentically) {
    std::vector<Request> requests = vector_requests();
    const std::size_t vector_count = requests.size();
    Rng rng(kSeed);
    for (int i = 0; i < kRandomRequests; ++i)
        requests.push_back(random_request(rng));

    json batch = json::array();
    std::vector<pinlink::oauth::Signed> ours;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const auto& [creds, in] = requests[i];
        const auto s = pinlink::oauth::sign(creds, in);
        ASSERT_TRUE(s) << "pinlink could not sign generated request " << i << ": " << in.url;
        batch.push_back({{"id", i},
                         {"method", in.method},
                         {"url", in.url},
                         {"form", pairs_json(in.form)},
                         {"consumer_key", creds.consumer_key},
                         {"consumer_secret", creds.consumer_secret},
                         {"token", creds.token},
                         {"token_secret", creds.token_secret},
                         {"nonce", in.nonce},
                         {"timestamp", in.timestamp},
                         {"include_version", in.include_version},
                         {"extra_oauth", pairs_json(in.extra_oauth)},
                         {"authorization", s->authorization}});
        ours.push_back(*s);
    }

    const auto dir = std::filesystem::temp_directory_path();
    const std::string stem = "pinlink-oauthlib-" + std::to_string(::getpid());
    TempFiles files{{dir / (stem + "-in.json"), dir / (stem + "-out.json")}};
    {
        std::ofstream f(files.paths[0]);
        f << batch.dump();
        ASSERT_TRUE(f.good()) << "cannot write " << files.paths[0];
    }

    ASSERT_EQ(::access(kPython, X_OK), 0)
        << kPython << " is missing: run scripts/bootstrap (python3, python3-oauthlib)";
    const std::string script = std::string(PINLINK_SOURCE_DIR) + "/tests/oauthlib_sign.py";
    // -I: ignore PYTHON* variables and user site-packages; only Debian's oauthlib counts.
    const std::string command = std::string(kPython) + " -I '" + script + "' '" +
                                files.paths[0].string() + "' '" + files.paths[1].string() + "'";
    const int status = std::system(command.c_str());
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << command << " failed (status " << status
        << "); is python3-oauthlib installed? run scripts/bootstrap";

    std::ifstream in(files.paths[1]);
    const json results = json::parse(in, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(results.is_array()) << "unreadable oauthlib results";
    ASSERT_EQ(results.size(), requests.size());

    std::size_t differences = 0;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const json& theirs = results[i];
        const bool same = theirs.at("id") == i && theirs.at("base_string") == ours[i].base_string &&
                          theirs.at("signature") == ours[i].signature &&
                          theirs.at("header_error") == "" &&
                          theirs.at("header_params") == theirs.at("expected_header_params");
        if (same) continue;
        if (++differences == 1) {
            ADD_FAILURE() << "first difference, request " << i << ":\n"
                          << batch[i].dump(2, ' ', true)
                          << "\npinlink base string: " << ours[i].base_string
                          << "\noauthlib base string: "
                          << theirs.at("base_string").get<std::string>()
                          << "\npinlink signature:  " << ours[i].signature
                          << "\noauthlib signature: " << theirs.at("signature").get<std::string>()
                          << "\noauthlib result: " << theirs.dump(2, ' ', true);
        }
    }
    EXPECT_EQ(differences, 0u) << "of " << requests.size() << " requests";

    // The vectors, as oauthlib computed them.
    const std::vector<std::string> expected = {
        "Ls93hJiZbQ3akF3HF3x1Bz8/zU4=", "tnnArxj06cWHq44gCs1OSKk/jLY=",
        "jc/VgbxSHtvlecdtQHT0gEuVfe0=", "Nhnz82QK5vIkkM097rx0zHKeJ2Y=",
        "MdpQcU8iPSUjWoN/UDMsK2sui9I=", "74KNZJeDHnMBp0EMJ9ZHt/XKycU="};
    ASSERT_EQ(expected.size(), vector_count);
    for (std::size_t i = 0; i < vector_count; ++i) {
        EXPECT_EQ(results[i].at("signature"), expected[i]) << "vector " << i;
    }
}
