// RFC 5849 HMAC-SHA1 signing against every vector in shared/vectors.md, plus the Authorization
// header parser and the local provider's verification.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "oauth/form.hpp"
#include "oauth/percent.hpp"
#include "oauth/signature.hpp"
#include "support/x_vectors.hpp"

namespace {

using pinlink::oauth::authorization_header;
using pinlink::oauth::base_string;
using pinlink::oauth::ClientCredentials;
using pinlink::oauth::hmac_sha1_base64;
using pinlink::oauth::normalize_params;
using pinlink::oauth::Params;
using pinlink::oauth::parse_authorization_header;
using pinlink::oauth::parse_form;
using pinlink::oauth::percent_encode;
using pinlink::oauth::sign;
using pinlink::oauth::signing_key;
using pinlink::oauth::SignInput;
using pinlink::oauth::verify_signature;

using namespace pinlink::test;  // X's "Creating a signature" example (x_vectors.hpp)
constexpr const char* kXStatus = "Hello Ladies + Gentlemen, a signed OAuth request!";

ClientCredentials x_creds() {
    return {kXConsumerKey, kXConsumerSecret, kXToken, kXTokenSecret};
}

SignInput x_update(const std::string& base_url) {
    SignInput in;
    in.method = "POST";
    in.url = base_url + "?include_entities=true";
    in.form = {{"status", kXStatus}};
    in.nonce = kXNonce;
    in.timestamp = kXTimestamp;
    in.include_version = true;
    return in;
}

std::string signature_of(const ClientCredentials& creds, const SignInput& in) {
    const auto s = sign(creds, in);
    EXPECT_TRUE(s.has_value()) << "could not sign " << in.url;
    return s ? s->signature : std::string{};
}

// RFC 5849 section 1.2 client.
ClientCredentials rfc_creds(std::string token = {}, std::string token_secret = {}) {
    return {"dpf43f3p2l4k3l03", "kd94hf93k423kf44", std::move(token), std::move(token_secret)};
}

SignInput rfc_input(std::string method, std::string url, std::string nonce, std::int64_t ts,
                    Params extra = {}) {
    SignInput in;
    in.method = std::move(method);
    in.url = std::move(url);
    in.nonce = std::move(nonce);
    in.timestamp = ts;
    in.include_version = false;
    in.extra_oauth = std::move(extra);
    return in;
}

}  // namespace

TEST(XExample, SignatureForEachUrl) {
    EXPECT_EQ(signature_of(x_creds(), x_update("https://api.x.com/1.1/statuses/update.json")),
              "Ls93hJiZbQ3akF3HF3x1Bz8/zU4=");
    EXPECT_EQ(signature_of(x_creds(), x_update("https://api.twitter.com/1.1/statuses/update.json")),
              "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
    EXPECT_EQ(signature_of(x_creds(), x_update("https://api.twitter.com/1/statuses/update.json")),
              "tnnArxj06cWHq44gCs1OSKk/jLY=");
}

TEST(XExample, BaseStringAndSigningKey) {
    const auto s = sign(x_creds(), x_update("https://api.x.com/1.1/statuses/update.json"));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->base_string,
              "POST&https%3A%2F%2Fapi.x.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%"
              "26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%"
              "3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%"
              "26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-"
              "GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%"
              "2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%"
              "2521");
    EXPECT_EQ(
        signing_key(kXConsumerSecret, kXTokenSecret),
        "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw&LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE");
    // The signature is exactly HMAC-SHA1 of that base string under that key.
    EXPECT_EQ(hmac_sha1_base64(signing_key(kXConsumerSecret, kXTokenSecret), s->base_string),
              s->signature);
}

TEST(XExample, HeaderCarriesEveryProtocolParamEncoded) {
    const auto s = sign(x_creds(), x_update("https://api.twitter.com/1/statuses/update.json"));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->authorization,
              "OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", "
              "oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", "
              "oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1318622958\", "
              "oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", "
              "oauth_version=\"1.0\", oauth_signature=\"tnnArxj06cWHq44gCs1OSKk%2FjLY%3D\"");
    // Neither secret appears anywhere in what goes on the wire.
    EXPECT_EQ(s->authorization.find(kXConsumerSecret), std::string::npos);
    EXPECT_EQ(s->authorization.find(kXTokenSecret), std::string::npos);
    EXPECT_EQ(s->base_string.find(kXConsumerSecret), std::string::npos);
}

TEST(XExample, OauthVersionIsSigned) {
    auto in = x_update("https://api.x.com/1.1/statuses/update.json");
    in.include_version = false;
    const auto s = sign(x_creds(), in);
    ASSERT_TRUE(s);
    EXPECT_NE(s->signature, "Ls93hJiZbQ3akF3HF3x1Bz8/zU4=");
    EXPECT_EQ(s->base_string.find("oauth_version"), std::string::npos);
    EXPECT_EQ(s->authorization.find("oauth_version"), std::string::npos);
}

TEST(PinFlow, RequestToken) {
    ClientCredentials creds{kXConsumerKey, kXConsumerSecret, "", ""};
    SignInput in;
    in.method = "POST";
    in.url = "https://api.x.com/oauth/request_token";
    in.extra_oauth = {{"oauth_callback", "oob"}};
    in.nonce = kXNonce;
    in.timestamp = kXTimestamp;
    const auto s = sign(creds, in);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->signature, "jc/VgbxSHtvlecdtQHT0gEuVfe0=");
    EXPECT_EQ(signing_key(kXConsumerSecret, ""), std::string(kXConsumerSecret) + "&");
    EXPECT_EQ(s->authorization.find("oauth_token"), std::string::npos);
    EXPECT_NE(s->authorization.find("oauth_callback=\"oob\""), std::string::npos);
}

TEST(PinFlow, AccessToken) {
    ClientCredentials creds{kXConsumerKey, kXConsumerSecret,
                            "Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik",
                            "Kd75W4OQfb2oJTV0vzGzeXftVAwgMnEK9MumzYcM"};
    SignInput in;
    in.method = "POST";
    in.url = "https://api.x.com/oauth/access_token";
    in.extra_oauth = {{"oauth_verifier", "4868795"}};
    in.nonce = kXNonce;
    in.timestamp = kXTimestamp;
    EXPECT_EQ(signature_of(creds, in), "DVZ6RIctfVR+loWUtVl7ta0/4co=");
}

TEST(SortOrder, EncodedNamesSortByByte) {
    SignInput in;
    in.method = "GET";
    // az=1, a{=2, a~=3, aé=4, b=!*'() +~ written as a query string.
    in.url = "https://api.x.com/1.1/test.json?az=1&a%7B=2&a~=3&a%C3%A9=4&b=%21%2A%27%28%29%20%2B~";
    in.nonce = kXNonce;
    in.timestamp = kXTimestamp;
    EXPECT_EQ(signature_of(x_creds(), in), "Nhnz82QK5vIkkM097rx0zHKeJ2Y=");

    // Same request with the query given raw (unencoded where the URL allows it).
    in.url = "https://api.x.com/1.1/test.json?b=!*'()+%2B~&a~=3&aé=4&az=1&a{=2";
    EXPECT_EQ(signature_of(x_creds(), in), "Nhnz82QK5vIkkM097rx0zHKeJ2Y=");
}

TEST(SortOrder, NormalizedOrder) {
    const Params params{
        {"az", "1"}, {"a{", "2"}, {"a~", "3"}, {"a\xC3\xA9", "4"}, {"b", "!*'() +~"}};
    EXPECT_EQ(normalize_params(params), "a%7B=2&a%C3%A9=4&az=1&a~=3&b=%21%2A%27%28%29%20%2B~");
}

TEST(SortOrder, DuplicateNamesSortByEncodedValue) {
    // '~' (0x7E) sorts after 'z' only when compared as encoded bytes; %xx sorts before letters.
    const Params params{{"a", "z"}, {"a", "~"}, {"a", " "}, {"a", "Z"}, {"a", ""}};
    EXPECT_EQ(normalize_params(params), "a=&a=%20&a=Z&a=z&a=~");
}

TEST(Rfc5849Section12, Initiate) {
    const auto in = rfc_input("POST", "https://photos.example.net/initiate", "wIjqoS", 137131200,
                              {{"oauth_callback", "http://printer.example.com/ready"}});
    EXPECT_EQ(signature_of(rfc_creds(), in), "74KNZJeDHnMBp0EMJ9ZHt/XKycU=");
}

TEST(Rfc5849Section12, Token) {
    const auto in = rfc_input("POST", "https://photos.example.net/token", "walatlh", 137131201,
                              {{"oauth_verifier", "hfdp7dh39dks9884"}});
    EXPECT_EQ(signature_of(rfc_creds("hh5s93j4hdidpola", "hdhd0244k9j7ao03"), in),
              "gKgrFCywp7rO0OXSjdot/IHF7IU=");
}

TEST(Rfc5849Section12, Photos) {
    const auto in =
        rfc_input("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original",
                  "chapoH", 137131202);
    EXPECT_EQ(signature_of(rfc_creds("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00"), in),
              "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
}

TEST(Rfc5849Section12, OAuthCore10AppendixA) {
    auto in = rfc_input("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original",
                        "kllo9940pd9333jh", 1191242096);
    in.include_version = true;
    EXPECT_EQ(signature_of(rfc_creds("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00"), in),
              "tR3+Ty81lMeYAr/Fid0kMTYa/WM=");
}

TEST(Rfc5849Section341, NormalizedParameters) {
    const std::string expected =
        "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_"
        "nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token="
        "kkk9d7dh3k39sjv7";
    const auto form = parse_form("c2&a3=2+q");
    ASSERT_TRUE(form);
    const Params oauth{{"oauth_consumer_key", "9djdj82h48djs9d2"},
                       {"oauth_token", "kkk9d7dh3k39sjv7"},
                       {"oauth_signature_method", "HMAC-SHA1"},
                       {"oauth_timestamp", "137131201"},
                       {"oauth_nonce", "7d8f3e4a"}};
    const auto base = base_string(
        "POST", "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b", *form, oauth);
    ASSERT_TRUE(base);
    EXPECT_EQ(*base, "POST&http%3A%2F%2Fexample.com%2Frequest&" + percent_encode(expected));

    // The same through sign(): protocol parameters are generated, no oauth_version.
    SignInput in;
    in.method = "POST";
    in.url = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b";
    in.form = *form;
    in.nonce = "7d8f3e4a";
    in.timestamp = 137131201;
    in.include_version = false;
    const auto s = sign({"9djdj82h48djs9d2", "", "kkk9d7dh3k39sjv7", ""}, in);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->base_string, *base);
}

TEST(Rfc5849Section341, RealmAndSignatureAreNotSigned) {
    const Params oauth{
        {"oauth_consumer_key", "k"}, {"realm", "Example"}, {"oauth_signature", "abc="}};
    const auto base = base_string("GET", "http://example.com/", {}, oauth);
    ASSERT_TRUE(base);
    EXPECT_EQ(*base, "GET&http%3A%2F%2Fexample.com%2F&oauth_consumer_key%3Dk");
}

TEST(BaseString, MethodIsUppercasedAndEncoded) {
    const auto get = base_string("get", "http://example.com/", {}, {});
    ASSERT_TRUE(get);
    EXPECT_EQ(*get, "GET&http%3A%2F%2Fexample.com%2F&");
    // RFC 5849 3.4.1.1: a custom method MUST be encoded (3.6).
    const auto custom = base_string("m-search!", "http://example.com/", {}, {});
    ASSERT_TRUE(custom);
    EXPECT_EQ(*custom, "M-SEARCH%21&http%3A%2F%2Fexample.com%2F&");
}

TEST(BaseString, UnparseableInputs) {
    EXPECT_FALSE(base_string("GET", "ftp://example.com/", {}, {}));
    EXPECT_FALSE(base_string("GET", "example.com/x", {}, {}));
    EXPECT_FALSE(base_string("GET", "http://example.com/?a=%zz", {}, {}));
    SignInput in;
    in.method = "GET";
    in.url = "not a url";
    EXPECT_FALSE(sign(x_creds(), in));
}

TEST(SigningKey, SecretsArePercentEncoded) {
    EXPECT_EQ(signing_key("erks823*43=asd&123ls%23", ""), "erks823%2A43%3Dasd%26123ls%2523&");
    EXPECT_EQ(signing_key("", "t s"), "&t%20s");
}

TEST(AuthorizationHeader, RealmComesFirst) {
    EXPECT_EQ(authorization_header({{"oauth_a", "1 2"}}, "Photos"),
              "OAuth realm=\"Photos\", oauth_a=\"1%202\"");
    EXPECT_EQ(authorization_header({}), "OAuth ");
}

TEST(ParseAuthorizationHeader, RoundTripsHeaderOutput) {
    const Params params{{"oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"},
                        {"oauth_callback", "http://printer.example.com/ready?a=1&b=%20"},
                        {"oauth_signature", "tnnArxj06cWHq44gCs1OSKk/jLY="},
                        {"oauth_x", "\"quoted\", comma = \xE2\x98\x83"},
                        {"oauth_empty", ""}};
    const auto parsed = parse_authorization_header(authorization_header(params));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, params);

    const auto with_realm = parse_authorization_header(authorization_header(params, "Photos"));
    ASSERT_TRUE(with_realm);
    ASSERT_EQ(with_realm->size(), params.size() + 1);
    EXPECT_EQ(with_realm->front(), (pinlink::oauth::Param{"realm", "Photos"}));
}

TEST(ParseAuthorizationHeader, RoundTripsSignedRequest) {
    const auto s = sign(x_creds(), x_update("https://api.x.com/1.1/statuses/update.json"));
    ASSERT_TRUE(s);
    const auto parsed = parse_authorization_header(s->authorization);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, s->oauth_params);
}

TEST(ParseAuthorizationHeader, AcceptsLenientSpacingAndSchemeCase) {
    const auto parsed = parse_authorization_header("  oauth   a=\"1\" ,b = \"%20\"\t");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, (Params{{"a", "1"}, {"b", " "}}));
}

TEST(ParseAuthorizationHeader, RejectsMalformed) {
    EXPECT_FALSE(parse_authorization_header(""));
    EXPECT_FALSE(parse_authorization_header("Basic dXNlcjpwYXNz"));
    EXPECT_FALSE(parse_authorization_header("OAuthx a=\"1\""));
    EXPECT_FALSE(parse_authorization_header("OAuth a"));                // no '='
    EXPECT_FALSE(parse_authorization_header("OAuth a=1"));              // unquoted value
    EXPECT_FALSE(parse_authorization_header("OAuth a=\"1"));            // unterminated quote
    EXPECT_FALSE(parse_authorization_header("OAuth a=\"1\" b=\"2\""));  // missing comma
    EXPECT_FALSE(parse_authorization_header("OAuth =\"1\""));           // empty name
    EXPECT_FALSE(parse_authorization_header("OAuth a=\"%zz\""));        // bad escape in value
    EXPECT_FALSE(parse_authorization_header("OAuth a%=\"1\""));         // bad escape in name
}

namespace {

// A request as the local provider receives it: every parameter, oauth_signature included.
Params received_x_request() {
    const auto s = sign(x_creds(), x_update("https://api.x.com/1.1/statuses/update.json"));
    EXPECT_TRUE(s);
    Params all{{"include_entities", "true"}, {"status", kXStatus}};
    if (s) all.insert(all.end(), s->oauth_params.begin(), s->oauth_params.end());
    return all;
}

}  // namespace

TEST(VerifySignature, AcceptsCorrectSignature) {
    const Params params = received_x_request();
    EXPECT_TRUE(verify_signature("POST", "https://api.x.com/1.1/statuses/update.json", params,
                                 kXConsumerSecret, kXTokenSecret));
    // realm is not signed, so adding one changes nothing; the base URI's case and default port
    // are normalised away.
    Params with_realm = params;
    with_realm.emplace_back("realm", "https://api.x.com/");
    EXPECT_TRUE(verify_signature("post", "HTTPS://API.X.COM:443/1.1/statuses/update.json",
                                 with_realm, kXConsumerSecret, kXTokenSecret));
}

TEST(VerifySignature, RejectsChangedParameter) {
    Params params = received_x_request();
    for (auto& [name, value] : params) {
        if (name == "status") value += ".";
    }
    EXPECT_FALSE(verify_signature("POST", "https://api.x.com/1.1/statuses/update.json", params,
                                  kXConsumerSecret, kXTokenSecret));
}

TEST(VerifySignature, RejectsChangedRequestLine) {
    const Params params = received_x_request();
    EXPECT_FALSE(verify_signature("GET", "https://api.x.com/1.1/statuses/update.json", params,
                                  kXConsumerSecret, kXTokenSecret));
    EXPECT_FALSE(verify_signature("POST", "https://api.twitter.com/1.1/statuses/update.json",
                                  params, kXConsumerSecret, kXTokenSecret));
}

TEST(VerifySignature, RejectsWrongSecret) {
    const Params params = received_x_request();
    EXPECT_FALSE(verify_signature("POST", "https://api.x.com/1.1/statuses/update.json", params,
                                  "wrong", kXTokenSecret));
    EXPECT_FALSE(verify_signature("POST", "https://api.x.com/1.1/statuses/update.json", params,
                                  kXConsumerSecret, ""));
}

TEST(VerifySignature, RejectsMissingOrTruncatedSignature) {
    Params params = received_x_request();
    Params without;
    for (const auto& p : params) {
        if (p.first != "oauth_signature") without.push_back(p);
    }
    EXPECT_FALSE(verify_signature("POST", "https://api.x.com/1.1/statuses/update.json", without,
                                  kXConsumerSecret, kXTokenSecret));
    for (auto& [name, value] : params) {
        if (name == "oauth_signature") value.pop_back();
    }
    EXPECT_FALSE(verify_signature("POST", "https://api.x.com/1.1/statuses/update.json", params,
                                  kXConsumerSecret, kXTokenSecret));
}

TEST(VerifySignature, RejectsBadUrl) {
    EXPECT_FALSE(verify_signature("POST", "ftp://api.x.com/1.1/statuses/update.json",
                                  received_x_request(), kXConsumerSecret, kXTokenSecret));
}
