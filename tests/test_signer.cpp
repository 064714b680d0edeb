// oauth::Signer and oauth::NonceSource: the kept signer gives exactly what the free oauth::sign()
// gives (every vector in shared/vectors.md, and a long run of varied requests through one
// signer, so nothing leaks from one request into the next); token and key changes; fresh
// nonces of the documented shape; and a fork child never draws its parent's buffered nonces.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "oauth/form.hpp"
#include "oauth/nonce.hpp"
#include "oauth/signature.hpp"
#include "oauth/signer.hpp"
#include "support/x_vectors.hpp"

namespace {

using pinlink::oauth::ClientCredentials;
using pinlink::oauth::NonceSource;
using pinlink::oauth::Params;
using pinlink::oauth::SignedView;
using pinlink::oauth::Signer;
using pinlink::oauth::SignError;
using pinlink::oauth::SignInput;

using namespace pinlink::test;  // X's "Creating a signature" example (x_vectors.hpp)
constexpr const char* kRequestToken = "Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik";
constexpr const char* kRequestSecret = "Kd75W4OQfb2oJTV0vzGzeXftVAwgMnEK9MumzYcM";

constexpr std::string_view kUrlSafe =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

SignInput request(std::string method, std::string url, Params extra = {}, Params form = {},
                  std::string nonce = kXNonce, std::int64_t timestamp = kXTimestamp,
                  bool version = true) {
    SignInput in;
    in.method = std::move(method);
    in.url = std::move(url);
    in.form = std::move(form);
    in.extra_oauth = std::move(extra);
    in.nonce = std::move(nonce);
    in.timestamp = timestamp;
    in.include_version = version;
    return in;
}

// A vector: the request, who signs it, the signature vectors.md gives.
struct Vector {
    ClientCredentials creds;
    SignInput in;
    std::string signature;
};

std::vector<Vector> vectors() {
    const ClientCredentials x{kXConsumerKey, kXConsumerSecret, kXToken, kXTokenSecret};
    const ClientCredentials rfc{"dpf43f3p2l4k3l03", "kd94hf93k423kf44", "", ""};
    const Params status{{"status", "Hello Ladies + Gentlemen, a signed OAuth request!"}};
    auto rfc_with = [&rfc](std::string token, std::string secret) {
        ClientCredentials c = rfc;
        c.token = std::move(token);
        c.token_secret = std::move(secret);
        return c;
    };
    const std::string photos = "http://photos.example.net/photos?file=vacation.jpg&size=original";
    return {
        {x,
         request("POST", "https://api.x.com/1.1/statuses/update.json?include_entities=true", {},
                 status),
         "Ls93hJiZbQ3akF3HF3x1Bz8/zU4="},
        {x,
         request("POST", "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
                 {}, status),
         "hCtSmYh+iHYCEqBWrE7C7hYmtUk="},
        {x,
         request("POST", "https://api.twitter.com/1/statuses/update.json?include_entities=true", {},
                 status),
         "tnnArxj06cWHq44gCs1OSKk/jLY="},
        {{kXConsumerKey, kXConsumerSecret, "", ""},
         request("POST", "https://api.x.com/oauth/request_token", {{"oauth_callback", "oob"}}),
         "jc/VgbxSHtvlecdtQHT0gEuVfe0="},
        {{kXConsumerKey, kXConsumerSecret, kRequestToken, kRequestSecret},
         request("POST", "https://api.x.com/oauth/access_token", {{"oauth_verifier", "4868795"}}),
         "DVZ6RIctfVR+loWUtVl7ta0/4co="},
        {x,
         request("GET",
                 "https://api.x.com/1.1/test.json?az=1&a%7B=2&a~=3&a%C3%A9=4&b=%21%2A%27%28%29%20"
                 "%2B~"),
         "Nhnz82QK5vIkkM097rx0zHKeJ2Y="},
        {rfc,
         request("POST", "https://photos.example.net/initiate",
                 {{"oauth_callback", "http://printer.example.com/ready"}}, {}, "wIjqoS", 137131200,
                 false),
         "74KNZJeDHnMBp0EMJ9ZHt/XKycU="},
        {rfc_with("hh5s93j4hdidpola", "hdhd0244k9j7ao03"),
         request("POST", "https://photos.example.net/token",
                 {{"oauth_verifier", "hfdp7dh39dks9884"}}, {}, "walatlh", 137131201, false),
         "gKgrFCywp7rO0OXSjdot/IHF7IU="},
        {rfc_with("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00"),
         request("GET", photos, {}, {}, "chapoH", 137131202, false),
         "MdpQcU8iPSUjWoN/UDMsK2sui9I="},
        {rfc_with("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00"),
         request("GET", photos, {}, {}, "kllo9940pd9333jh", 1191242096, true),
         "tR3+Ty81lMeYAr/Fid0kMTYa/WM="},
    };
}

// The signer's output must be the free function's, byte for byte, in all three parts.
void expect_same_as_free(Signer& signer, const ClientCredentials& creds, const SignInput& in,
                         const std::string& what) {
    const auto expected = pinlink::oauth::sign(creds, in);
    ASSERT_TRUE(expected) << what;
    const auto result = signer.sign(in);
    ASSERT_TRUE(std::holds_alternative<SignedView>(result)) << what;
    const auto& got = std::get<SignedView>(result);
    EXPECT_EQ(got.signature, expected->signature) << what;
    EXPECT_EQ(got.base_string, expected->base_string) << what;
    EXPECT_EQ(got.authorization, expected->authorization) << what;
}

std::string signature_of(Signer& signer, const SignInput& in) {
    const auto result = signer.sign(in);
    if (!std::holds_alternative<SignedView>(result)) return "(failed)";
    return std::string(std::get<SignedView>(result).signature);
}

void expect_nonce_shape(const std::string& nonce) {
    ASSERT_EQ(nonce.size(), 43u) << nonce;
    for (char c : nonce)
        EXPECT_NE(kUrlSafe.find(c), std::string_view::npos) << "in " << nonce;
    // 256 bits leave 4 bits for the last character, whose 2 low bits are therefore zero.
    EXPECT_EQ(kUrlSafe.find(nonce.back()) % 4, 0u) << nonce;
}

}  // namespace

TEST(Signer, EveryVectorWithAFreshSignerEach) {
    for (const auto& v : vectors()) {
        Signer signer(v.creds);
        EXPECT_EQ(signature_of(signer, v.in), v.signature) << v.in.url;
        expect_same_as_free(signer, v.creds, v.in, v.in.url);
    }
}

TEST(Signer, EveryVectorThroughOneSigner) {
    // One consumer at a time is what a Signer is for; the RFC's vectors use another consumer,
    // so there is one signer per consumer, each taking its vectors in turn, twice over.
    Signer x(kXConsumerKey, kXConsumerSecret);
    Signer rfc("dpf43f3p2l4k3l03", "kd94hf93k423kf44");
    for (int round = 0; round < 2; ++round) {
        for (const auto& v : vectors()) {
            Signer& signer = v.creds.consumer_key == kXConsumerKey ? x : rfc;
            signer.set_token(v.creds.token, v.creds.token_secret);
            EXPECT_EQ(signature_of(signer, v.in), v.signature) << v.in.url;
            expect_same_as_free(signer, v.creds, v.in, v.in.url);
        }
    }
}

TEST(Signer, XExampleHeaderAndBaseString) {
    Signer signer(ClientCredentials{kXConsumerKey, kXConsumerSecret, kXToken, kXTokenSecret});
    const auto result = signer.sign(
        request("POST", "https://api.x.com/1.1/statuses/update.json?include_entities=true", {},
                {{"status", "Hello Ladies + Gentlemen, a signed OAuth request!"}}));
    ASSERT_TRUE(std::holds_alternative<SignedView>(result));
    const auto& s = std::get<SignedView>(result);
    EXPECT_EQ(s.base_string,
              "POST&https%3A%2F%2Fapi.x.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%"
              "26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%"
              "3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%"
              "26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-"
              "GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%"
              "2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%"
              "2521");
    EXPECT_EQ(s.authorization,
              "OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", "
              "oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", "
              "oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1318622958\", "
              "oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", "
              "oauth_version=\"1.0\", oauth_signature=\"Ls93hJiZbQ3akF3HF3x1Bz8%2FzU4%3D\"");
    EXPECT_EQ(s.authorization.find(kXConsumerSecret), std::string::npos);
    EXPECT_EQ(s.authorization.find(kXTokenSecret), std::string::npos);
    EXPECT_EQ(s.base_string.find(kXConsumerSecret), std::string::npos);
    // A second request through the same signer replaces the first in its buffers.
    EXPECT_EQ(signature_of(signer, request("POST",
                                           "https://api.twitter.com/1/statuses/update.json?"
                                           "include_entities=true",
                                           {},
                                           {{"status",
                                             "Hello Ladies + Gentlemen, a signed "
                                             "OAuth request!"}})),
              "tnnArxj06cWHq44gCs1OSKk/jLY=");
}

TEST(Signer, VariedRequestsThroughOneSignerMatchTheFreeFunction) {
    // Long and short, with and without query, form, token, version, odd extras (realm and
    // oauth_signature are never signed but do go in the header), custom methods, ports: each
    // through one kept signer must equal a one-off signature, whatever came before it.
    const std::string long_value(3000, '\xE2');
    const std::vector<SignInput> inputs = {
        request("POST", "https://api.x.com/oauth/request_token", {{"oauth_callback", "oob"}},
                {{"x_auth_access_type", "write"}}),
        request("GET", "HTTP://EXAMPLE.COM:80/r%20v/X?id=123#frag", {}, {}, "n", 0, false),
        request("post", "https://www.example.net:8080/?q=1&q=&q=%2B+x", {}, {{"a", long_value}}),
        request("GET", "http://[::1]:8443/a?b=c", {{"realm", "Example"}, {"oauth_extra", "v"}}, {},
                "abc", -5),
        request("M!X", "https://api.x.com/2/users/me", {{"oauth_signature", "ignored"}}),
        request("POST", "https://api.x.com/oauth/access_token", {{"oauth_verifier", "1234567"}},
                {{"dup", "2"}, {"dup", "1"}, {"dup", ""}, {"", "empty name"}}),
        request("GET", "https://api.x.com/2/users/me"),
    };
    const std::vector<std::pair<std::string, std::string>> tokens = {
        {"", ""}, {kRequestToken, kRequestSecret}, {kXToken, kXTokenSecret}, {"t", ""}};
    Signer signer(kXConsumerKey, kXConsumerSecret);
    int n = 0;
    for (int round = 0; round < 3; ++round) {
        for (const auto& [token, secret] : tokens) {
            signer.set_token(token, secret);
            const ClientCredentials creds{kXConsumerKey, kXConsumerSecret, token, secret};
            for (const auto& in : inputs) {
                expect_same_as_free(signer, creds, in, "request " + std::to_string(n++));
            }
        }
    }
}

TEST(Signer, TokenAndKeyChanges) {
    const auto access =
        request("POST", "https://api.x.com/oauth/access_token", {{"oauth_verifier", "4868795"}});
    const auto initiate =
        request("POST", "https://api.x.com/oauth/request_token", {{"oauth_callback", "oob"}});
    Signer signer(kXConsumerKey, kXConsumerSecret);
    // No token: the key is consumer_secret&.
    EXPECT_EQ(signature_of(signer, initiate), "jc/VgbxSHtvlecdtQHT0gEuVfe0=");
    // The request token and its secret.
    signer.set_token(kRequestToken, kRequestSecret);
    EXPECT_EQ(signature_of(signer, access), "DVZ6RIctfVR+loWUtVl7ta0/4co=");
    // Another secret: another key, so another signature (same token, same request).
    signer.set_token(kRequestToken, "another secret");
    const std::string other = signature_of(signer, access);
    EXPECT_NE(other, "DVZ6RIctfVR+loWUtVl7ta0/4co=");
    expect_same_as_free(signer, {kXConsumerKey, kXConsumerSecret, kRequestToken, "another secret"},
                        access, "other secret");
    // Another token with the same secret: the key stays, the signed oauth_token changes.
    signer.set_token("another-token", "another secret");
    expect_same_as_free(signer,
                        {kXConsumerKey, kXConsumerSecret, "another-token", "another secret"},
                        access, "other token");
    // Back to the first: the first key again; and back to no token at all.
    signer.set_token(kRequestToken, kRequestSecret);
    EXPECT_EQ(signature_of(signer, access), "DVZ6RIctfVR+loWUtVl7ta0/4co=");
    signer.set_token("", "");
    EXPECT_EQ(signature_of(signer, initiate), "jc/VgbxSHtvlecdtQHT0gEuVfe0=");
    // Setting the same token again changes nothing.
    signer.set_token("", "");
    EXPECT_EQ(signature_of(signer, initiate), "jc/VgbxSHtvlecdtQHT0gEuVfe0=");
}

TEST(Signer, EmptySecretsGiveTheKeyAmpersand) {
    Signer signer("key", "");
    const auto in = request("GET", "https://example.com/");
    expect_same_as_free(signer, {"key", "", "", ""}, in, "empty secrets");
    EXPECT_EQ(pinlink::oauth::hmac_sha1_base64("", ""), "+9sdGxiqbAgyS31ktx+3Y3BpDh0=");
}

TEST(Signer, MovedSignerKeepsItsKeyAndToken) {
    Signer first(ClientCredentials{kXConsumerKey, kXConsumerSecret, kRequestToken, kRequestSecret});
    const auto access =
        request("POST", "https://api.x.com/oauth/access_token", {{"oauth_verifier", "4868795"}});
    EXPECT_EQ(signature_of(first, access), "DVZ6RIctfVR+loWUtVl7ta0/4co=");
    Signer second = std::move(first);
    EXPECT_EQ(signature_of(second, access), "DVZ6RIctfVR+loWUtVl7ta0/4co=");
    ASSERT_TRUE(second.next_nonce());
    Signer third("other", "other");
    third = std::move(second);
    EXPECT_EQ(signature_of(third, access), "DVZ6RIctfVR+loWUtVl7ta0/4co=");
}

TEST(Signer, BadUrlsAreErrors) {
    Signer signer(kXConsumerKey, kXConsumerSecret);
    for (const char* url : {"ftp://api.x.com/", "https://", "https://api.x.com:0/",
                            "https://api.x.com/?a=%zz", "not a url"}) {
        const auto result = signer.sign(request("GET", url));
        ASSERT_TRUE(std::holds_alternative<SignError>(result)) << url;
        EXPECT_EQ(std::get<SignError>(result), SignError::bad_url) << url;
        EXPECT_FALSE(
            pinlink::oauth::sign({kXConsumerKey, kXConsumerSecret, "", ""}, request("GET", url)))
            << url;
    }
    // And it still signs afterwards.
    EXPECT_EQ(signature_of(signer, request("POST", "https://api.x.com/oauth/request_token",
                                           {{"oauth_callback", "oob"}})),
              "jc/VgbxSHtvlecdtQHT0gEuVfe0=");
}

TEST(Signer, FreshNoncesHaveTheShapeAndDiffer) {
    // 1,000 nonces cross several refills of the buffer (127 nonces each).
    Signer signer(kXConsumerKey, kXConsumerSecret);
    std::set<std::string> seen;
    std::set<char> used;
    for (int i = 0; i < 1000; ++i) {
        const auto nonce = signer.next_nonce();
        ASSERT_TRUE(nonce);
        expect_nonce_shape(*nonce);
        EXPECT_TRUE(seen.insert(*nonce).second) << "repeated nonce " << *nonce;
        used.insert(nonce->begin(), nonce->end() - 1);
    }
    // 42,000 full 6-bit characters: a letter never drawn would mean lost entropy.
    EXPECT_EQ(used.size(), kUrlSafe.size());
    // Two signers draw different nonces.
    Signer other(kXConsumerKey, kXConsumerSecret);
    const auto a = signer.next_nonce();
    const auto b = other.next_nonce();
    ASSERT_TRUE(a && b);
    EXPECT_NE(*a, *b);
    EXPECT_EQ(seen.count(*b), 0u);
}

TEST(Signer, FreshNonceSignsAndVerifies) {
    // What the flow does for each attempt: a nonce from the signer, the clock, sign; the local
    // provider's check accepts the result, and each attempt's header differs.
    Signer signer(
        ClientCredentials{kXConsumerKey, kXConsumerSecret, kRequestToken, kRequestSecret});
    std::set<std::string> headers;
    for (int attempt = 0; attempt < 3; ++attempt) {
        auto nonce = signer.next_nonce();
        ASSERT_TRUE(nonce);
        auto in = request("POST", "https://api.x.com/oauth/access_token",
                          {{"oauth_verifier", "4868795"}}, {}, *nonce, 1700000000 + attempt);
        const auto result = signer.sign(in);
        ASSERT_TRUE(std::holds_alternative<SignedView>(result));
        const auto& s = std::get<SignedView>(result);
        EXPECT_NE(s.authorization.find("oauth_nonce=\"" + *nonce + "\""), std::string::npos);
        const auto params = pinlink::oauth::parse_authorization_header(s.authorization);
        ASSERT_TRUE(params);
        EXPECT_TRUE(pinlink::oauth::verify_signature("POST", "https://api.x.com/oauth/access_token",
                                                     *params, kXConsumerSecret, kRequestSecret));
        EXPECT_FALSE(pinlink::oauth::verify_signature(
            "POST", "https://api.x.com/oauth/access_token", *params, kXConsumerSecret, "wrong"));
        EXPECT_TRUE(headers.insert(std::string(s.authorization)).second);
    }
}

namespace {

// Draws `count` nonces in a fork child (after the parent has filled its buffer) and returns
// them, the parent drawing `count` of its own meanwhile. Bounded: the child only draws, writes
// less than a pipe holds and exits; the parent waits at most 20 s for it.
template <class Draw>
void fork_and_compare(Draw draw, const std::string& what) {
    const auto before = draw();  // fills the buffer: the rest of it is what a child might reuse
    ASSERT_TRUE(before) << what;
    constexpr int kCount = 16;
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0) << "fork failed";
    if (child == 0) {
        close(fds[0]);
        std::string out;
        for (int i = 0; i < kCount; ++i) {
            const auto nonce = draw();
            out += nonce ? *nonce : std::string("(none)");
            out.push_back('\n');
        }
        const char* p = out.data();
        std::size_t left = out.size();
        while (left > 0) {
            const ssize_t n = write(fds[1], p, left);
            if (n <= 0) _exit(2);
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        _exit(0);
    }
    close(fds[1]);
    std::set<std::string> parent;
    for (int i = 0; i < kCount; ++i) {
        const auto nonce = draw();
        ASSERT_TRUE(nonce);
        parent.insert(*nonce);
    }
    std::string text;
    pollfd pfd{fds[0], POLLIN, 0};
    char buf[4096];
    while (poll(&pfd, 1, 20000) > 0) {
        const ssize_t n = read(fds[0], buf, sizeof buf);
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    close(fds[0]);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << what;

    std::vector<std::string> from_child;
    for (std::size_t start = 0; start < text.size();) {
        const auto end = text.find('\n', start);
        if (end == std::string::npos) break;
        from_child.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    ASSERT_EQ(from_child.size(), static_cast<std::size_t>(kCount)) << what;
    for (const auto& nonce : from_child) {
        expect_nonce_shape(nonce);
        EXPECT_EQ(parent.count(nonce), 0u) << what << ": the child drew the parent's " << nonce;
        EXPECT_NE(nonce, *before) << what;
    }
}

}  // namespace

TEST(SignerFork, ChildDrawsOtherNoncesThanTheParent) {
    Signer signer(kXConsumerKey, kXConsumerSecret);
    fork_and_compare([&signer] { return signer.next_nonce(); }, "Signer");
}

TEST(NonceSourceFork, AutomaticCheck) {
    NonceSource source;
    fork_and_compare([&source] { return source.next(); }, "automatic");
    // Which mechanism this kernel gave, for the log: MADV_WIPEONFORK or the getpid() fallback.
    RecordProperty("wipes_on_fork", source.wipes_on_fork() ? "yes" : "no (getpid fallback)");
}

TEST(NonceSourceFork, PidCheck) {
    NonceSource source(NonceSource::ForkCheck::pid);
    fork_and_compare([&source] { return source.next(); }, "pid");
    EXPECT_FALSE(source.wipes_on_fork());
}

TEST(NonceSource, ShapeAndFreshnessInBothModes) {
    for (auto check : {NonceSource::ForkCheck::automatic, NonceSource::ForkCheck::pid}) {
        NonceSource source(check);
        std::set<std::string> seen;
        for (int i = 0; i < 300; ++i) {
            const auto nonce = source.next();
            ASSERT_TRUE(nonce);
            expect_nonce_shape(*nonce);
            EXPECT_TRUE(seen.insert(*nonce).second) << *nonce;
        }
        NonceSource moved = std::move(source);
        const auto after = moved.next();
        ASSERT_TRUE(after);
        EXPECT_EQ(seen.count(*after), 0u);
    }
}
