// `pinlink sign`: argument vectors through CLI11 and run_sign, checked against shared/vectors.md,
// and every usage error (exit code 2, a message, never a secret).
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "app/sign_command.hpp"
#include "oauth/percent.hpp"
#include "oauth/signature.hpp"

namespace {

using pinlink::app::add_sign_command;
using pinlink::app::run_sign;
using pinlink::app::SignArgs;

constexpr const char* kConsumerKey = "xvz1evFS4wEEPTGEFPHBog";
constexpr const char* kConsumerSecret = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
constexpr const char* kToken = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb";
constexpr const char* kTokenSecret = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";
constexpr const char* kNonce = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg";
constexpr const char* kTimestamp = "1318622958";
constexpr const char* kStatus = "status=Hello Ladies + Gentlemen, a signed OAuth request!";

struct Outcome {
    int code = -1;
    std::string out;
    std::string err;
};

// Parses `pinlink sign <words...>` with a fresh CLI::App, then runs it. CLI::ParseError
// propagates, as it does to main.
Outcome run(const std::vector<std::string>& words) {
    CLI::App app{"pinlink"};
    SignArgs args;
    add_sign_command(app, args);
    std::vector<const char*> argv{"pinlink", "sign"};
    for (const auto& w : words)
        argv.push_back(w.c_str());
    app.parse(static_cast<int>(argv.size()), argv.data());
    std::ostringstream out;
    std::ostringstream err;
    Outcome o;
    o.code = run_sign(args, out, err);
    o.out = out.str();
    o.err = err.str();
    return o;
}

// The X example's consumer, fixed nonce and timestamp, followed by `rest`.
std::vector<std::string> x_words(std::vector<std::string> rest) {
    std::vector<std::string> words = {"--consumer-key", kConsumerKey, "--consumer-secret",
                                      kConsumerSecret,  "--nonce",    kNonce,
                                      "--timestamp",    kTimestamp};
    words.insert(words.begin(), rest.begin(), rest.end());
    return words;
}

void expect_usage_error(const std::vector<std::string>& words, std::string_view mentions) {
    SCOPED_TRACE(::testing::PrintToString(words));
    const Outcome o = run(words);
    EXPECT_EQ(o.code, 2);
    EXPECT_EQ(o.out, "");
    EXPECT_NE(o.err.find(mentions), std::string::npos) << o.err;
    EXPECT_EQ(o.err.back(), '\n');
    EXPECT_EQ(o.err.find(kConsumerSecret), std::string::npos) << o.err;
    EXPECT_EQ(o.err.find(kTokenSecret), std::string::npos) << o.err;
}

}  // namespace

TEST(SignCommand, RequestTokenSignature) {
    const Outcome o = run(x_words({"POST", "https://api.x.com/oauth/request_token", "--oauth",
                                   "oauth_callback=oob", "--show", "signature"}));
    EXPECT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(o.out, "jc/VgbxSHtvlecdtQHT0gEuVfe0=\n");
    EXPECT_EQ(o.err, "");
}

TEST(SignCommand, AccessTokenSignature) {
    const Outcome o = run(x_words({"POST", "https://api.x.com/oauth/access_token", "--token",
                                   "Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik", "--token-secret",
                                   "Kd75W4OQfb2oJTV0vzGzeXftVAwgMnEK9MumzYcM", "--oauth",
                                   "oauth_verifier=4868795", "--show", "signature"}));
    EXPECT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(o.out, "DVZ6RIctfVR+loWUtVl7ta0/4co=\n");
}

TEST(SignCommand, HeaderIsTheDefault) {
    const Outcome o =
        run(x_words({"POST", "https://api.twitter.com/1/statuses/update.json?include_entities=true",
                     "--data", kStatus, "--token", kToken, "--token-secret", kTokenSecret}));
    EXPECT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(o.out,
              "OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", "
              "oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", "
              "oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1318622958\", "
              "oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", "
              "oauth_version=\"1.0\", oauth_signature=\"tnnArxj06cWHq44gCs1OSKk%2FjLY%3D\"\n");
    EXPECT_EQ(o.out.find(kConsumerSecret), std::string::npos);
    EXPECT_EQ(o.out.find(kTokenSecret), std::string::npos);
}

TEST(SignCommand, XExampleBaseStringAndSignature) {
    const auto words =
        x_words({"POST", "https://api.x.com/1.1/statuses/update.json?include_entities=true",
                 "--data", kStatus, "--token", kToken, "--token-secret", kTokenSecret});
    auto base_words = words;
    base_words.insert(base_words.end(), {"--show", "base"});
    const Outcome base = run(base_words);
    EXPECT_EQ(base.code, 0) << base.err;
    EXPECT_EQ(base.out,
              "POST&https%3A%2F%2Fapi.x.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%"
              "26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%"
              "3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%"
              "26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-"
              "GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%"
              "2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%"
              "2521\n");
    auto sig_words = words;
    sig_words.insert(sig_words.end(), {"--show", "signature"});
    EXPECT_EQ(run(sig_words).out, "Ls93hJiZbQ3akF3HF3x1Bz8/zU4=\n");
}

TEST(SignCommand, RfcPhotosWithoutVersionAndLowercaseMethod) {
    const Outcome o =
        run({"get", "http://photos.example.net/photos?file=vacation.jpg&size=original",
             "--consumer-key", "dpf43f3p2l4k3l03", "--consumer-secret", "kd94hf93k423kf44",
             "--token", "nnch734d00sl2jdk", "--token-secret", "pfkkdhi9sl3r4s00", "--nonce",
             "chapoH", "--timestamp", "137131202", "--no-version", "--show", "signature"});
    EXPECT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(o.out, "MdpQcU8iPSUjWoN/UDMsK2sui9I=\n");
}

TEST(SignCommand, RfcInitiateWithCallbackUrl) {
    const Outcome o =
        run({"--consumer-key", "dpf43f3p2l4k3l03", "--consumer-secret", "kd94hf93k423kf44",
             "--oauth", "oauth_callback=http://printer.example.com/ready", "--nonce", "wIjqoS",
             "--timestamp", "137131200", "--no-version", "--show", "signature", "POST",
             "https://photos.example.net/initiate"});
    EXPECT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(o.out, "74KNZJeDHnMBp0EMJ9ZHt/XKycU=\n");
}

TEST(SignCommand, DataIsTakenLiterallyAndRepeatable) {
    // RFC 5849 3.4.1: form body "c2&a3=2+q" is c2="" and a3="2 q" once decoded.
    const Outcome o =
        run({"POST", "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b", "--data",
             "c2=", "--data", "a3=2 q", "--consumer-key", "9djdj82h48djs9d2", "--consumer-secret",
             "unused", "--token", "kkk9d7dh3k39sjv7", "--nonce", "7d8f3e4a", "--timestamp",
             "137131201", "--no-version", "--show", "base"});
    EXPECT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(o.out, "POST&http%3A%2F%2Fexample.com%2Frequest&" +
                         pinlink::oauth::percent_encode(
                             "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key="
                             "9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-"
                             "SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7") +
                         "\n");
}

TEST(SignCommand, FreshNonceAndCurrentTimestampWhenNotGiven) {
    const std::vector<std::string> words = {"GET",
                                            "https://api.x.com/2/users/me",
                                            "--consumer-key",
                                            kConsumerKey,
                                            "--consumer-secret",
                                            kConsumerSecret};
    const auto now = [] {
        return std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
    const auto before = now();
    const Outcome first = run(words);
    const Outcome second = run(words);
    const auto after = now();
    ASSERT_EQ(first.code, 0) << first.err;
    ASSERT_EQ(second.code, 0) << second.err;
    ASSERT_FALSE(first.out.empty());
    const auto a =
        pinlink::oauth::parse_authorization_header(first.out.substr(0, first.out.size() - 1));
    const auto b =
        pinlink::oauth::parse_authorization_header(second.out.substr(0, second.out.size() - 1));
    ASSERT_TRUE(a && b);
    const auto nonce_a = pinlink::oauth::find_param(*a, "oauth_nonce");
    const auto nonce_b = pinlink::oauth::find_param(*b, "oauth_nonce");
    ASSERT_TRUE(nonce_a && nonce_b);
    EXPECT_EQ(nonce_a->size(), 43u);
    EXPECT_NE(*nonce_a, *nonce_b);
    const auto ts = pinlink::oauth::find_param(*a, "oauth_timestamp");
    ASSERT_TRUE(ts);
    const auto seconds = std::stoll(*ts);
    EXPECT_GE(seconds, before);
    EXPECT_LE(seconds, after);
    EXPECT_TRUE(pinlink::oauth::find_param(*a, "oauth_version"));
}

TEST(SignCommand, BadUrlIsAUsageError) {
    for (const char* url : {"ftp://api.x.com/x", "api.x.com/x", "https://api.x.com:99999/x",
                            "https://api.x.com:0/x", "https:///x", "https://api.x.com/?a=%zz"}) {
        expect_usage_error(x_words({"GET", url}), "URL");
    }
}

TEST(SignCommand, BadMethodIsAUsageError) {
    expect_usage_error(x_words({"GE T", "https://api.x.com/"}), "METHOD");
    expect_usage_error(x_words({"", "https://api.x.com/"}), "METHOD");
}

TEST(SignCommand, MalformedDataIsAUsageError) {
    expect_usage_error(
        x_words({"POST", "https://api.x.com/", "--data", "a=1", "--data", "novalue"}), "--data #2");
    expect_usage_error(x_words({"POST", "https://api.x.com/", "--data", "=value"}), "--data #1");
}

TEST(SignCommand, OauthParamsAreChecked) {
    const std::string url = "https://api.x.com/oauth/access_token";
    // The value (a PIN here) is never echoed.
    expect_usage_error(x_words({"POST", url, "--oauth", "verifier=4868795"}), "oauth_");
    EXPECT_EQ(run(x_words({"POST", url, "--oauth", "verifier=4868795"})).err.find("4868795"),
              std::string::npos);
    expect_usage_error(x_words({"POST", url, "--oauth", "oauth_verifier"}), "--oauth #1");
    expect_usage_error(x_words({"POST", url, "--oauth", "=4868795"}), "--oauth #1");
    expect_usage_error(
        x_words({"POST", url, "--oauth", "oauth_verifier=1", "--oauth", "oauth_verifier=2"}),
        "twice");
    for (const char* managed :
         {"oauth_token=t", "oauth_nonce=n", "oauth_timestamp=1", "oauth_version=1.0",
          "oauth_signature=s", "oauth_signature_method=PLAINTEXT", "oauth_consumer_key=k"}) {
        expect_usage_error(x_words({"POST", url, "--oauth", managed}), "set by the command");
    }
}

TEST(SignCommand, BadTimestampIsAUsageError) {
    for (const char* ts : {"abc", "-5", "+5", "12x", " 12", "1.5", "", "99999999999999999999"}) {
        expect_usage_error({"GET", "https://api.x.com/", "--consumer-key", kConsumerKey,
                            "--consumer-secret", kConsumerSecret, "--timestamp", ts},
                           "--timestamp");
    }
}

TEST(SignCommand, OtherUsageErrors) {
    expect_usage_error({"GET", "https://api.x.com/", "--consumer-key", kConsumerKey,
                        "--consumer-secret", kConsumerSecret, "--nonce", ""},
                       "--nonce");
    expect_usage_error(
        {"GET", "https://api.x.com/", "--consumer-key", "", "--consumer-secret", kConsumerSecret},
        "--consumer-key");
    expect_usage_error(x_words({"GET", "https://api.x.com/", "--token-secret", kTokenSecret}),
                       "--token-secret needs --token");
}

TEST(SignCommand, ParseErrorsComeFromCli11) {
    EXPECT_THROW(run({"GET", "https://api.x.com/", "--consumer-key", kConsumerKey}),
                 CLI::RequiredError);
    EXPECT_THROW(run({"GET", "https://api.x.com/", "--consumer-secret", kConsumerSecret}),
                 CLI::RequiredError);
    EXPECT_THROW(run(x_words({"GET"})), CLI::RequiredError);
    EXPECT_THROW(run(x_words({"GET", "https://api.x.com/", "--show", "secret"})),
                 CLI::ValidationError);
    // One value per --data: a second word is not silently signed.
    EXPECT_THROW(run(x_words({"GET", "https://api.x.com/", "--data", "a=1", "b=2"})),
                 CLI::ExtrasError);
}
