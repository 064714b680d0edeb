// The local provider over real loopback HTTP(S): requests signed with pinlink::oauth::sign and
// sent with httplib::Client (independent of the net layer), checked against what X answers.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iomanip>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "link/local_provider.hpp"
#include "oauth/form.hpp"
#include "oauth/nonce.hpp"
#include "oauth/signature.hpp"
#include "support/tls_fixture.hpp"

namespace {

using pinlink::link::LocalProvider;
using pinlink::link::LocalProviderOptions;
using pinlink::oauth::ClientCredentials;
using pinlink::oauth::Params;

constexpr std::string_view kWrongVerifierBody =
    "Error processing your OAuth request: Invalid oauth_verifier parameter";
constexpr std::string_view kOobXml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><errors><error code=\"417\">Desktop applications "
    "only support the oauth_callback value 'oob'</error></errors>";

std::int64_t system_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string fresh_nonce() {
    auto nonce = pinlink::oauth::make_nonce();
    EXPECT_TRUE(nonce.has_value());
    return nonce.value_or("");
}

// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") to epoch seconds; -1 when malformed.
std::int64_t parse_imf_fixdate(const std::string& text) {
    std::tm tm{};
    std::istringstream in(text);
    in.imbue(std::locale::classic());
    in >> std::get_time(&tm, "%a, %d %b %Y %H:%M:%S GMT");
    if (in.fail()) return -1;
    return static_cast<std::int64_t>(timegm(&tm));
}

ClientCredentials consumer() {
    return ClientCredentials{std::string(pinlink::link::kDemoConsumerKey),
                             std::string(pinlink::link::kDemoConsumerSecret), "", ""};
}

// The first error code of a {"errors":[{"code":N,...}]} body, or -1.
int x_error_code(const httplib::Result& res) {
    if (!res) return -1;
    const auto body = nlohmann::json::parse(res->body, nullptr, false);
    if (body.is_discarded() || !body.contains("errors")) return -1;
    return body["errors"].at(0).value("code", -1);
}

Params form_of(const httplib::Result& res) {
    if (!res) return {};
    return pinlink::oauth::parse_form(res->body).value_or(Params{});
}

std::string param(const Params& params, std::string_view name) {
    return pinlink::oauth::find_param(params, name).value_or("");
}

struct SignedCall {
    std::string method = "POST";
    std::string path;
    ClientCredentials creds = consumer();
    Params extra_oauth;  // oauth_callback, oauth_verifier, ...
    Params form;         // other form-body parameters, signed too
    std::string query;   // without '?', signed too
    std::int64_t timestamp = 0;
    std::string nonce;
    bool oauth_in_body = false;   // protocol parameters in the form body, not the header
    std::string scheme_override;  // sign for another scheme than the one used
};

class LocalProviderTest : public ::testing::Test {
  protected:
    void start(LocalProviderOptions options = {}) {
        client_.reset();  // closes its connection first, so replacing a provider is quick
        options_ = options;
        provider_ = std::make_unique<LocalProvider>(std::move(options));
        std::string error;
        ASSERT_TRUE(provider_->start(&error)) << error;
        ASSERT_GT(provider_->port(), 0);
        client_ = std::make_unique<httplib::Client>(provider_->base_url());
        client_->set_connection_timeout(5);
        client_->set_read_timeout(10);
    }

    std::int64_t provider_now(std::int64_t offset = 0) const { return system_now() + offset; }

    httplib::Result call(SignedCall c) {
        if (c.timestamp == 0) c.timestamp = system_now();
        if (c.nonce.empty()) c.nonce = fresh_nonce();
        std::string base = provider_->base_url();
        if (!c.scheme_override.empty()) base = c.scheme_override + base.substr(base.find("://"));
        pinlink::oauth::SignInput in;
        in.method = c.method;
        in.url = base + c.path + (c.query.empty() ? "" : "?" + c.query);
        in.form = c.form;
        in.extra_oauth = c.extra_oauth;
        in.nonce = c.nonce;
        in.timestamp = c.timestamp;
        const auto s = pinlink::oauth::sign(c.creds, in);
        EXPECT_TRUE(s.has_value());
        if (!s) return httplib::Result{nullptr, httplib::Error::Unknown};
        httplib::Headers headers;
        Params body = c.form;
        if (c.oauth_in_body) {
            body.insert(body.end(), s->oauth_params.begin(), s->oauth_params.end());
        } else {
            headers.emplace("Authorization", s->authorization);
        }
        const std::string target = c.path + (c.query.empty() ? "" : "?" + c.query);
        if (c.method == "GET") return client_->Get(target, headers);
        return client_->Post(target, headers, pinlink::oauth::encode_form(body),
                             "application/x-www-form-urlencoded");
    }

    httplib::Result request_token(Params extra = {}, std::int64_t timestamp = 0) {
        SignedCall c;
        c.path = "/oauth/request_token";
        c.extra_oauth = {{"oauth_callback", "oob"}};
        c.extra_oauth.insert(c.extra_oauth.end(), extra.begin(), extra.end());
        c.timestamp = timestamp;
        return call(c);
    }

    // A fresh request token (token, secret); fails the test when the provider refuses.
    std::pair<std::string, std::string> new_request_token() {
        const auto res = request_token();
        EXPECT_TRUE(res);
        if (!res) return {};
        EXPECT_EQ(res->status, 200) << res->body;
        const auto form = form_of(res);
        return {param(form, "oauth_token"), param(form, "oauth_token_secret")};
    }

    httplib::Result access_token(const std::pair<std::string, std::string>& rt,
                                 const std::string& pin, std::int64_t timestamp = 0) {
        SignedCall c;
        c.path = "/oauth/access_token";
        c.creds.token = rt.first;
        c.creds.token_secret = rt.second;
        c.extra_oauth = {{"oauth_verifier", pin}};
        c.timestamp = timestamp;
        return call(c);
    }

    // Presses "Authorize app" on the page and reads the PIN it shows.
    std::string approve_via_page(const std::string& token) {
        const auto res = client_->Post("/oauth/authorize", "oauth_token=" + token,
                                       "application/x-www-form-urlencoded");
        EXPECT_TRUE(res);
        if (!res) return "";
        EXPECT_EQ(res->status, 200);
        EXPECT_NE(res->body.find("Enter this PIN on your device"), std::string::npos);
        std::smatch m;
        static const std::regex kPin(R"re(<code id="pin">([0-9]+)</code>)re");
        if (!std::regex_search(res->body, m, kPin)) {
            ADD_FAILURE() << "no PIN on the page";
            return "";
        }
        return m[1].str();
    }

    LocalProviderOptions options_;
    std::unique_ptr<LocalProvider> provider_;
    std::unique_ptr<httplib::Client> client_;
};

TEST_F(LocalProviderTest, HappyPathFromRequestTokenToUsersMe) {
    start();
    const auto rt_res = request_token();
    ASSERT_TRUE(rt_res);
    ASSERT_EQ(rt_res->status, 200) << rt_res->body;
    EXPECT_EQ(rt_res->get_header_value("Content-Type"), "application/x-www-form-urlencoded");
    EXPECT_FALSE(rt_res->get_header_value("Date").empty());
    const auto rt_form = form_of(rt_res);
    EXPECT_EQ(param(rt_form, "oauth_callback_confirmed"), "true");
    const std::pair<std::string, std::string> rt{param(rt_form, "oauth_token"),
                                                 param(rt_form, "oauth_token_secret")};
    ASSERT_FALSE(rt.first.empty());
    ASSERT_FALSE(rt.second.empty());
    EXPECT_NE(rt.first, rt.second);

    const auto page = client_->Get("/oauth/authorize?oauth_token=" + rt.first);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(page->body.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_NE(page->body.find("</html>"), std::string::npos);
    EXPECT_NE(page->body.find(R"(<form method="post" action="/oauth/authorize">)"),
              std::string::npos);
    EXPECT_NE(page->body.find(R"(name="oauth_token" value=")" + rt.first + "\""),
              std::string::npos);
    EXPECT_NE(page->body.find(R"(<button type="submit">Authorize app</button>)"),
              std::string::npos);
    EXPECT_NE(page->body.find(options_.app_name), std::string::npos);

    const std::string pin = approve_via_page(rt.first);
    ASSERT_EQ(pin.size(), 7u);

    const auto at_res = access_token(rt, pin);
    ASSERT_TRUE(at_res);
    ASSERT_EQ(at_res->status, 200) << at_res->body;
    const auto at = form_of(at_res);
    EXPECT_EQ(param(at, "user_id"), "1000001");
    EXPECT_EQ(param(at, "screen_name"), "pinlink_demo");
    ASSERT_FALSE(param(at, "oauth_token").empty());
    ASSERT_FALSE(param(at, "oauth_token_secret").empty());
    EXPECT_NE(param(at, "oauth_token"), rt.first);

    SignedCall me;
    me.method = "GET";
    me.path = "/2/users/me";
    me.query = "user.fields=name";
    me.creds.token = param(at, "oauth_token");
    me.creds.token_secret = param(at, "oauth_token_secret");
    const auto me_res = call(me);
    ASSERT_TRUE(me_res);
    ASSERT_EQ(me_res->status, 200) << me_res->body;
    const auto body = nlohmann::json::parse(me_res->body);
    EXPECT_EQ(body["data"]["id"], "1000001");
    EXPECT_EQ(body["data"]["name"], "Demo Person");
    EXPECT_EQ(body["data"]["username"], "pinlink_demo");

    const auto stats = provider_->stats();
    EXPECT_EQ(stats.request_token, 1);
    EXPECT_EQ(stats.authorize, 2);
    EXPECT_EQ(stats.access_token, 1);
    EXPECT_EQ(stats.users_me, 1);
    EXPECT_EQ(stats.rejected, 0);
}

TEST_F(LocalProviderTest, ProtocolParametersInTheFormBodyAreAccepted) {
    start();
    SignedCall c;
    c.path = "/oauth/request_token";
    c.extra_oauth = {{"oauth_callback", "oob"}};
    c.form = {{"x_auth_access_type", "read"}};
    c.oauth_in_body = true;
    const auto res = call(c);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    const std::string token = param(form_of(res), "oauth_token");
    ASSERT_FALSE(token.empty());
    // The access type chosen is what the person is shown.
    const auto page = client_->Get("/oauth/authorize?oauth_token=" + token);
    ASSERT_TRUE(page);
    EXPECT_NE(page->body.find("See your profile"), std::string::npos);
    EXPECT_EQ(page->body.find("Post and make changes"), std::string::npos);
}

TEST_F(LocalProviderTest, UnknownAccessTypeIsRefused) {
    start();
    const auto res = request_token({{"x_auth_access_type", "reed"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    EXPECT_EQ(x_error_code(res), 215);
}

TEST_F(LocalProviderTest, WrongPinIsPlainText401AndBurnsTheToken) {
    start();
    const auto rt = new_request_token();
    const std::string pin = approve_via_page(rt.first);
    ASSERT_FALSE(pin.empty());
    std::string wrong = pin;
    wrong.back() = wrong.back() == '9' ? '0' : static_cast<char>(wrong.back() + 1);

    const auto bad = access_token(rt, wrong);
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 401);
    EXPECT_EQ(bad->get_header_value("Content-Type"), "text/plain; charset=utf-8");
    EXPECT_EQ(bad->body, kWrongVerifierBody);

    const auto retry = access_token(rt, pin);
    ASSERT_TRUE(retry);
    EXPECT_EQ(retry->status, 401);
    EXPECT_EQ(x_error_code(retry), 89);
    EXPECT_FALSE(provider_->approve(rt.first).has_value());
}

TEST_F(LocalProviderTest, PinBeforeApprovalIsRejectedAndBurnsTheToken) {
    start();
    const auto rt = new_request_token();
    const auto res = access_token(rt, "1234567");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    EXPECT_EQ(res->body, kWrongVerifierBody);
    EXPECT_FALSE(provider_->approve(rt.first).has_value());
    const auto page = client_->Get("/oauth/authorize?oauth_token=" + rt.first);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 404);
}

TEST_F(LocalProviderTest, ReusedRequestTokenIs89) {
    start();
    const auto rt = new_request_token();
    const auto pin = provider_->approve(rt.first);
    ASSERT_TRUE(pin.has_value());
    EXPECT_EQ(approve_via_page(rt.first), *pin) << "approving again shows the same PIN";
    const auto first = access_token(rt, *pin);
    ASSERT_TRUE(first);
    ASSERT_EQ(first->status, 200) << first->body;
    const auto again = access_token(rt, *pin);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 401);
    EXPECT_EQ(x_error_code(again), 89);
    EXPECT_EQ(nlohmann::json::parse(again->body)["errors"][0]["message"],
              "Invalid or expired token.");
}

TEST_F(LocalProviderTest, UnknownRequestTokenIs89) {
    start();
    const auto res = access_token({"no-such-token", "whatever"}, "1234567");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    EXPECT_EQ(x_error_code(res), 89);
}

TEST_F(LocalProviderTest, ReplayedNonceIs32) {
    start();
    SignedCall c;
    c.path = "/oauth/request_token";
    c.extra_oauth = {{"oauth_callback", "oob"}};
    c.nonce = fresh_nonce();
    c.timestamp = system_now();
    const auto first = call(c);
    ASSERT_TRUE(first);
    ASSERT_EQ(first->status, 200) << first->body;
    const auto replay = call(c);
    ASSERT_TRUE(replay);
    EXPECT_EQ(replay->status, 401);
    EXPECT_EQ(x_error_code(replay), 32);
    // Nonces are unique per timestamp: the same nonce a second later is a new request.
    c.timestamp += 1;
    const auto later = call(c);
    ASSERT_TRUE(later);
    EXPECT_EQ(later->status, 200) << later->body;
}

// The provider's clock is pinned, so the skew between it and the client is exact.
class ClockSkewTest : public LocalProviderTest, public ::testing::WithParamInterface<int> {
  protected:
    static constexpr std::int64_t kPinned = 1'700'000'000;  // 2023-11-14T22:13:20Z
    void start_pinned() {
        LocalProviderOptions options;
        options.clock = [] { return kPinned; };
        start(options);
    }
};

TEST_P(ClockSkewTest, TimestampOff301SecondsIs135WithTheProviderDate) {
    const int offset = GetParam();
    start_pinned();
    provider_->set_clock_offset(offset);
    const auto res = request_token({}, kPinned);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    EXPECT_EQ(x_error_code(res), 135);
    EXPECT_EQ(nlohmann::json::parse(res->body)["errors"][0]["message"], "Timestamp out of bounds.");
    // IMF-fixdate of the provider's clock (values from Python's email.utils.formatdate).
    EXPECT_EQ(res->get_header_value("Date"),
              offset > 0 ? "Tue, 14 Nov 2023 22:18:21 GMT" : "Tue, 14 Nov 2023 22:08:19 GMT");
    const std::int64_t date = parse_imf_fixdate(res->get_header_value("Date"));
    EXPECT_EQ(date, kPinned + offset);

    // What a client does next: sign again with the provider's time and a fresh nonce.
    const auto retry = request_token({}, date);
    ASSERT_TRUE(retry);
    EXPECT_EQ(retry->status, 200) << retry->body;
}

TEST_P(ClockSkewTest, TimestampAtTheEdgeOfTheWindowIsAccepted) {
    start_pinned();
    provider_->set_clock_offset(GetParam() > 0 ? 300 : -300);
    const auto res = request_token({}, kPinned);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
}

INSTANTIATE_TEST_SUITE_P(BothDirections, ClockSkewTest, ::testing::Values(301, -301));

TEST_F(LocalProviderTest, BadConsumerSecretOrKeyIs32) {
    start();
    SignedCall c;
    c.path = "/oauth/request_token";
    c.extra_oauth = {{"oauth_callback", "oob"}};
    c.creds.consumer_secret = "not-the-secret";
    const auto bad_secret = call(c);
    ASSERT_TRUE(bad_secret);
    EXPECT_EQ(bad_secret->status, 401);
    EXPECT_EQ(x_error_code(bad_secret), 32);
    EXPECT_EQ(nlohmann::json::parse(bad_secret->body)["errors"][0]["message"],
              "Could not authenticate you.");

    c.creds = consumer();
    c.creds.consumer_key = "someone-else";
    const auto bad_key = call(c);
    ASSERT_TRUE(bad_key);
    EXPECT_EQ(bad_key->status, 401);
    EXPECT_EQ(x_error_code(bad_key), 32);
}

TEST_F(LocalProviderTest, SignatureCoversTheSchemeAndPath) {
    start();
    SignedCall c;
    c.path = "/oauth/request_token";
    c.extra_oauth = {{"oauth_callback", "oob"}};
    c.scheme_override = "https";
    const auto res = call(c);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    EXPECT_EQ(x_error_code(res), 32);
}

TEST_F(LocalProviderTest, MissingOrOtherCallbackIsXml417) {
    start();
    SignedCall c;
    c.path = "/oauth/request_token";
    const auto missing = call(c);
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 401);
    EXPECT_EQ(missing->body, kOobXml);
    EXPECT_EQ(missing->get_header_value("Content-Type"), "application/xml; charset=utf-8");

    c.extra_oauth = {{"oauth_callback", "https://example.com/cb"}};
    const auto other = call(c);
    ASSERT_TRUE(other);
    EXPECT_EQ(other->status, 401);
    EXPECT_EQ(other->body, kOobXml);
}

TEST_F(LocalProviderTest, UnsignedOrTamperedRequestIsRefused) {
    start();
    const auto unsigned_res = client_->Post("/oauth/request_token", "oauth_callback=oob",
                                            "application/x-www-form-urlencoded");
    ASSERT_TRUE(unsigned_res);
    EXPECT_EQ(unsigned_res->status, 400);
    EXPECT_EQ(x_error_code(unsigned_res), 215);

    const auto garbage =
        client_->Post("/oauth/request_token", {{"Authorization", "OAuth oauth_consumer_key=\"x"}},
                      "", "application/x-www-form-urlencoded");
    ASSERT_TRUE(garbage);
    EXPECT_EQ(garbage->status, 400);
    EXPECT_EQ(x_error_code(garbage), 215);

    // A signed request whose body was changed after signing.
    pinlink::oauth::SignInput in;
    in.method = "POST";
    in.url = provider_->base_url() + "/oauth/request_token";
    in.form = {{"x_auth_access_type", "read"}};
    in.extra_oauth = {{"oauth_callback", "oob"}};
    in.nonce = fresh_nonce();
    in.timestamp = system_now();
    const auto s = pinlink::oauth::sign(consumer(), in);
    ASSERT_TRUE(s);
    Params body = {{"x_auth_access_type", "write"}};
    body.insert(body.end(), s->oauth_params.begin(), s->oauth_params.end());
    const auto tampered = client_->Post("/oauth/request_token", pinlink::oauth::encode_form(body),
                                        "application/x-www-form-urlencoded");
    ASSERT_TRUE(tampered);
    EXPECT_EQ(tampered->status, 401);
    EXPECT_EQ(x_error_code(tampered), 32);
}

TEST_F(LocalProviderTest, ProtocolParameterSentTwiceIsBadData) {
    start();
    pinlink::oauth::SignInput in;
    in.method = "POST";
    in.url = provider_->base_url() + "/oauth/request_token";
    in.extra_oauth = {{"oauth_callback", "oob"}};
    in.nonce = fresh_nonce();
    in.timestamp = system_now();
    const auto s = pinlink::oauth::sign(consumer(), in);
    ASSERT_TRUE(s);
    const auto res = client_->Post("/oauth/request_token", {{"Authorization", s->authorization}},
                                   "oauth_callback=oob", "application/x-www-form-urlencoded");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    EXPECT_EQ(x_error_code(res), 215);
}

TEST_F(LocalProviderTest, ExpiredRequestTokenIsGone) {
    LocalProviderOptions options;
    options.token_lifetime_seconds = 60;
    options.auto_approve = true;
    start(options);
    const auto rt = new_request_token();
    const auto pin = provider_->pin_hint(rt.first);
    ASSERT_TRUE(pin.has_value());

    // Move the provider's clock past the lifetime; sign with its time so only expiry differs.
    provider_->set_clock_offset(61);
    EXPECT_FALSE(provider_->pin_hint(rt.first).has_value());
    EXPECT_FALSE(provider_->approve(rt.first).has_value());
    const auto page = client_->Get("/oauth/authorize?oauth_token=" + rt.first);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 404);
    EXPECT_NE(page->body.find("isn't valid any more"), std::string::npos);
    const auto res = access_token(rt, *pin, provider_now(61));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    EXPECT_EQ(x_error_code(res), 89);
}

TEST_F(LocalProviderTest, OversizedBodyIsRefused) {
    start();
    const std::string prefix = "x=";
    const auto too_big = client_->Post("/oauth/request_token",
                                       prefix + std::string(64 * 1024 + 1 - prefix.size(), 'a'),
                                       "application/x-www-form-urlencoded");
    ASSERT_TRUE(too_big);
    EXPECT_EQ(too_big->status, 413);
    EXPECT_FALSE(too_big->get_header_value("Date").empty());
    // Without a Content-Length (chunked), the cap holds as the body arrives.
    const std::string chunk(1024, 'a');
    const auto chunked = client_->Post(
        "/oauth/request_token",
        [&chunk](std::size_t offset, httplib::DataSink& sink) {
            if (offset >= 70 * 1024) {
                sink.done();
            } else {
                sink.write(chunk.data(), chunk.size());
            }
            return true;
        },
        "application/x-www-form-urlencoded");
    ASSERT_TRUE(chunked) << httplib::to_string(chunked.error());
    EXPECT_EQ(chunked->status, 413);
    // Exactly 64 KiB is read and judged on its content (here: no signature at all).
    const auto at_limit =
        client_->Post("/oauth/request_token", prefix + std::string(64 * 1024 - prefix.size(), 'a'),
                      "application/x-www-form-urlencoded");
    ASSERT_TRUE(at_limit);
    EXPECT_EQ(at_limit->status, 400);
    EXPECT_EQ(x_error_code(at_limit), 215);
}

TEST_F(LocalProviderTest, PinHintOnlyWithAutoApprove) {
    start();
    const auto manual = new_request_token();
    EXPECT_FALSE(provider_->pin_hint(manual.first).has_value());
    EXPECT_FALSE(provider_->pin_hint("no-such-token").has_value());

    LocalProviderOptions options;
    options.auto_approve = true;
    options.pin_digits = 8;
    start(options);
    const auto rt = new_request_token();
    const auto hint = provider_->pin_hint(rt.first);
    ASSERT_TRUE(hint.has_value());
    EXPECT_EQ(hint->size(), 8u);
    EXPECT_EQ(hint->find_first_not_of("0123456789"), std::string::npos);
    const auto res = access_token(rt, *hint);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    EXPECT_FALSE(provider_->pin_hint(rt.first).has_value()) << "spent tokens have no PIN";
}

TEST_F(LocalProviderTest, UsersMeRefusalsUseTheV2Shape) {
    LocalProviderOptions options;
    options.auto_approve = true;
    start(options);
    const auto rt = new_request_token();
    const auto at = form_of(access_token(rt, provider_->pin_hint(rt.first).value_or("")));
    ASSERT_FALSE(param(at, "oauth_token").empty());

    SignedCall me;
    me.method = "GET";
    me.path = "/2/users/me";
    me.creds.token = param(at, "oauth_token");
    me.creds.token_secret = "wrong";
    for (const auto& token : {param(at, "oauth_token"), std::string("unknown")}) {
        me.creds.token = token;
        const auto res = call(me);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 401);
        const auto body = nlohmann::json::parse(res->body);
        EXPECT_EQ(body, nlohmann::json::parse(R"({"title":"Unauthorized","type":"about:blank",
                                                   "status":401,"detail":"Unauthorized"})"));
    }
}

TEST_F(LocalProviderTest, UnknownPathsAre404Code34WithDate) {
    start();
    for (const auto& res :
         {client_->Get("/1.1/statuses/home_timeline.json"), client_->Get("/oauth/request_token"),
          client_->Post("/oauth/authenticate", "", "text/plain")}) {
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 404);
        EXPECT_EQ(x_error_code(res), 34);
        EXPECT_GT(parse_imf_fixdate(res->get_header_value("Date")), 0);
    }
    EXPECT_EQ(provider_->stats().rejected, 3);
}

TEST_F(LocalProviderTest, AuthorizePagesForBadTokensAndLoginHints) {
    start();
    const auto missing = client_->Get("/oauth/authorize");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 400);
    EXPECT_EQ(missing->get_header_value("Content-Type"), "text/html; charset=utf-8");
    const auto unknown = client_->Get("/oauth/authorize?oauth_token=nope");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 404);
    const auto unknown_post =
        client_->Post("/oauth/authorize", "oauth_token=nope", "application/x-www-form-urlencoded");
    ASSERT_TRUE(unknown_post);
    EXPECT_EQ(unknown_post->status, 404);
    EXPECT_EQ(unknown_post->body.find("id=\"pin\""), std::string::npos);

    const auto rt = new_request_token();
    const auto page = client_->Get("/oauth/authorize?oauth_token=" + rt.first +
                                   "&force_login=true&screen_name=%3Cb%3Eeve%22");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    EXPECT_NE(page->body.find("Sign in as"), std::string::npos);
    EXPECT_NE(page->body.find("value=\"&lt;b&gt;eve&quot;\""), std::string::npos);
    EXPECT_EQ(page->body.find("<b>eve"), std::string::npos);

    const auto prefilled =
        client_->Get("/oauth/authorize?oauth_token=" + rt.first + "&screen_name=someone");
    ASSERT_TRUE(prefilled);
    EXPECT_NE(prefilled->body.find("@someone"), std::string::npos);
    EXPECT_EQ(prefilled->body.find("Sign in as"), std::string::npos);
}

TEST_F(LocalProviderTest, LogLinesCarryNoSecrets) {
    auto lines = std::make_shared<std::vector<std::string>>();
    auto mutex = std::make_shared<std::mutex>();
    LocalProviderOptions options;
    options.auto_approve = true;
    options.log = [lines, mutex](std::string_view line) {
        const std::lock_guard lock(*mutex);
        lines->emplace_back(line);
    };
    start(options);
    const auto rt = new_request_token();
    const auto pin = provider_->pin_hint(rt.first).value_or("");
    const auto at = form_of(access_token(rt, pin));
    ASSERT_FALSE(param(at, "oauth_token_secret").empty());
    provider_->stop();  // joins the server threads, so every line is in

    const std::lock_guard lock(*mutex);
    ASSERT_EQ(lines->size(), 2u);
    EXPECT_EQ((*lines)[0], "POST /oauth/request_token 200");
    EXPECT_EQ((*lines)[1], "POST /oauth/access_token 200");
    for (const auto& line : *lines) {
        for (const auto& secret : {std::string(pinlink::link::kDemoConsumerSecret), rt.second, pin,
                                   param(at, "oauth_token_secret")}) {
            EXPECT_EQ(line.find(secret), std::string::npos);
        }
    }
}

TEST_F(LocalProviderTest, HttpsServesTheFlowWithAVerifiedCertificate) {
    pinlink::test::TlsFixture tls;
    ASSERT_TRUE(tls.ok()) << tls.error();
    LocalProviderOptions options;
    options.tls_cert_file = tls.server().cert;
    options.tls_key_file = tls.server().key;
    options.auto_approve = true;
    start(options);
    ASSERT_EQ(provider_->base_url().rfind("https://127.0.0.1:", 0), 0u) << provider_->base_url();

    // start() made client_ for the https:// base URL; trust only the fixture's CA.
    client_->set_ca_cert_path(tls.ca_file().c_str());
    client_->enable_server_certificate_verification(true);

    SignedCall c;
    c.path = "/oauth/request_token";
    c.extra_oauth = {{"oauth_callback", "oob"}};
    const auto res = call(c);
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    ASSERT_EQ(res->status, 200) << res->body;
    const auto form = form_of(res);
    const std::pair<std::string, std::string> rt{param(form, "oauth_token"),
                                                 param(form, "oauth_token_secret")};
    SignedCall at;
    at.path = "/oauth/access_token";
    at.creds.token = rt.first;
    at.creds.token_secret = rt.second;
    at.extra_oauth = {{"oauth_verifier", provider_->pin_hint(rt.first).value_or("")}};
    const auto at_res = call(at);
    ASSERT_TRUE(at_res);
    EXPECT_EQ(at_res->status, 200) << at_res->body;

    // Signed for http:// but sent over https: the base URI differs, so the signature fails.
    c.scheme_override = "http";
    const auto wrong_scheme = call(c);
    ASSERT_TRUE(wrong_scheme);
    EXPECT_EQ(wrong_scheme->status, 401);
    EXPECT_EQ(x_error_code(wrong_scheme), 32);
}

TEST_F(LocalProviderTest, StartReportsWhatWentWrong) {
    start();
    LocalProviderOptions same_port;
    same_port.port = provider_->port();
    LocalProvider second(same_port);
    std::string error;
    EXPECT_FALSE(second.start(&error));
    EXPECT_NE(error.find(std::to_string(provider_->port())), std::string::npos) << error;
    EXPECT_EQ(second.port(), 0);

    error.clear();
    EXPECT_FALSE(provider_->start(&error)) << "already running";
    EXPECT_FALSE(error.empty());

    LocalProviderOptions bad_cert;
    bad_cert.tls_cert_file = "/nonexistent/cert.pem";
    bad_cert.tls_key_file = "/nonexistent/key.pem";
    LocalProvider third(bad_cert);
    error.clear();
    EXPECT_FALSE(third.start(&error));
    EXPECT_NE(error.find("/nonexistent/cert.pem"), std::string::npos) << error;

    LocalProviderOptions half_tls;
    half_tls.tls_cert_file = "/nonexistent/cert.pem";
    LocalProvider fourth(half_tls);
    EXPECT_FALSE(fourth.start(nullptr));
}

TEST_F(LocalProviderTest, StopIsPromptWithAnIdleKeepAliveConnection) {
    start();
    client_->set_keep_alive(true);
    const auto res = client_->Get("/nope");  // leaves the connection open and idle
    ASSERT_TRUE(res);
    const auto before = std::chrono::steady_clock::now();
    provider_->stop();
    const auto took = std::chrono::steady_clock::now() - before;
    // The header promises about a second (the keep-alive timeout); leave room for slow CI.
    EXPECT_LT(took, std::chrono::seconds(3));
    EXPECT_EQ(provider_->port(), 0);
    EXPECT_EQ(provider_->base_url(), "");
    provider_->stop();  // idempotent

    // And it can serve again afterwards.
    std::string error;
    ASSERT_TRUE(provider_->start(&error)) << error;
    httplib::Client again(provider_->base_url());
    const auto after = again.Get("/nope");
    ASSERT_TRUE(after);
    EXPECT_EQ(after->status, 404);
}

}  // namespace
