// The PIN flow end to end over real loopback HTTP and HTTPS: against the local provider (which
// behaves like X) and against servers that misbehave on purpose.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "link/flow.hpp"
#include "link/local_provider.hpp"
#include "support/servers.hpp"
#include "support/tls_fixture.hpp"

using namespace pinlink;
using link::ErrorKind;
using namespace std::chrono_literals;

namespace {

struct Provider {
    explicit Provider(link::LocalProviderOptions o = {}) : p(std::move(o)) {
        std::string error;
        started = p.start(&error);
        EXPECT_TRUE(started) << error;
    }
    link::LocalProvider p;
    bool started = false;
};

link::FlowConfig demo_config(const std::string& base) {
    link::FlowConfig c;
    c.api_base = base;
    c.consumer_key = std::string(link::kDemoConsumerKey);
    c.consumer_secret = std::string(link::kDemoConsumerSecret);
    return c;
}

net::Options quick_options(std::string ca_file = {}) {
    net::Options o;
    o.ca_file = std::move(ca_file);
    o.connect_timeout = 2s;
    o.total_timeout = 2s;
    return o;
}

// Runs request_token, approves at the provider as the person would, and exchanges the PIN.
link::Outcome<link::AccessToken> link_once(link::PinFlow& flow, link::LocalProvider& provider) {
    auto rt = flow.request_token();
    if (!rt) return rt.error();
    const auto pin = provider.approve(rt.value().token);
    EXPECT_TRUE(pin);
    return flow.access_token(rt.value(), pin.value_or(""));
}

}  // namespace

TEST(LinkFlow, WholeLinkOverHttp) {
    Provider prov;
    net::Client http(quick_options());
    link::PinFlow flow(http, demo_config(prov.p.base_url()));
    auto rt = flow.request_token();
    ASSERT_TRUE(rt) << link::to_string(rt.error().kind);
    const std::string url = flow.authorize_url(rt.value());
    EXPECT_EQ(url.rfind(prov.p.base_url() + "/oauth/authorize?oauth_token=", 0), 0u) << url;
    const auto pin = prov.p.approve(rt.value().token);
    ASSERT_TRUE(pin);
    auto at = flow.access_token(rt.value(), *pin);
    ASSERT_TRUE(at) << link::to_string(at.error().kind);
    EXPECT_EQ(at.value().screen_name, "pinlink_demo");
    EXPECT_EQ(at.value().user_id, "1000001");
    EXPECT_EQ(at.value().name, "Demo Person");
    EXPECT_FALSE(at.value().token.empty());
    EXPECT_FALSE(at.value().secret.empty());
    const auto stats = prov.p.stats();
    EXPECT_EQ(stats.request_token, 1);
    EXPECT_EQ(stats.access_token, 1);
    EXPECT_EQ(stats.users_me, 1);
}

TEST(LinkFlow, WholeLinkOverHttpsUsesOneTlsHandshake) {
    test::TlsFixture tls;
    ASSERT_TRUE(tls.ok()) << tls.error();
    link::LocalProviderOptions o;
    o.tls_cert_file = tls.server().cert;
    o.tls_key_file = tls.server().key;
    Provider prov(o);
    EXPECT_EQ(prov.p.base_url().rfind("https://", 0), 0u);
    net::Client http(quick_options(tls.ca_file()));
    link::PinFlow flow(http, demo_config(prov.p.base_url()));
    auto at = link_once(flow, prov.p);
    ASSERT_TRUE(at) << link::to_string(at.error().kind);
    EXPECT_EQ(at.value().name, "Demo Person");
    EXPECT_EQ(http.tls_handshakes(), 1);
}

TEST(LinkFlow, UntrustedCertificateIsRefused) {
    test::TlsFixture tls;
    ASSERT_TRUE(tls.ok()) << tls.error();
    link::LocalProviderOptions o;
    o.tls_cert_file = tls.server().cert;
    o.tls_key_file = tls.server().key;
    Provider prov(o);
    net::Client http(quick_options());  // no CA: the system store does not know the test CA
    link::PinFlow flow(http, demo_config(prov.p.base_url()));
    auto rt = flow.request_token();
    ASSERT_FALSE(rt);
    EXPECT_EQ(rt.error().kind, ErrorKind::tls);
    EXPECT_EQ(prov.p.stats().request_token, 0);
}

TEST(LinkFlow, WrongPinIsRejectedAndBurnsTheCode) {
    Provider prov;
    net::Client http(quick_options());
    link::PinFlow flow(http, demo_config(prov.p.base_url()));
    auto rt = flow.request_token();
    ASSERT_TRUE(rt);
    const auto pin = prov.p.approve(rt.value().token);
    ASSERT_TRUE(pin);
    const std::string wrong = (*pin)[0] == '1' ? "2" + pin->substr(1) : "1" + pin->substr(1);
    auto at = flow.access_token(rt.value(), wrong);
    ASSERT_FALSE(at);
    EXPECT_EQ(at.error().kind, ErrorKind::pin_rejected);
    EXPECT_TRUE(at.error().needs_new_code());
    EXPECT_EQ(at.error().http_status, 401);
    // The right PIN no longer helps: a rejected PIN means starting over.
    auto again = flow.access_token(rt.value(), *pin);
    ASSERT_FALSE(again);
    EXPECT_TRUE(again.error().needs_new_code());
    // And starting over works.
    auto fresh = link_once(flow, prov.p);
    EXPECT_TRUE(fresh);
}

TEST(LinkFlow, ReusedRequestTokenIsRejected) {
    Provider prov;
    net::Client http(quick_options());
    link::PinFlow flow(http, demo_config(prov.p.base_url()));
    auto rt = flow.request_token();
    ASSERT_TRUE(rt);
    const auto pin = prov.p.approve(rt.value().token);
    ASSERT_TRUE(pin);
    ASSERT_TRUE(flow.access_token(rt.value(), *pin));
    auto reuse = flow.access_token(rt.value(), *pin);
    ASSERT_FALSE(reuse);
    EXPECT_EQ(reuse.error().kind, ErrorKind::code_expired);
    EXPECT_EQ(reuse.error().provider.code, 89);
}

TEST(LinkFlow, BadConsumerSecret) {
    Provider prov;
    net::Client http(quick_options());
    auto config = demo_config(prov.p.base_url());
    config.consumer_secret = "not-the-secret";
    link::PinFlow flow(http, config);
    auto rt = flow.request_token();
    ASSERT_FALSE(rt);
    EXPECT_EQ(rt.error().kind, ErrorKind::bad_consumer);
    EXPECT_EQ(rt.error().provider.code, 32);
    EXPECT_EQ(rt.error().title().find("not-the-secret"), std::string::npos);
}

class ClockSkew : public ::testing::TestWithParam<std::int64_t> {};

TEST_P(ClockSkew, ProviderClockAheadOrBehindIsCorrected) {
    link::LocalProviderOptions o;
    o.clock_offset_seconds = GetParam();
    Provider prov(o);
    net::Client http(quick_options());
    link::PinFlow flow(http, demo_config(prov.p.base_url()));
    auto at = link_once(flow, prov.p);
    ASSERT_TRUE(at) << link::to_string(at.error().kind);
    EXPECT_NEAR(static_cast<double>(flow.clock_offset()), static_cast<double>(GetParam()), 5.0);
    // One rejected attempt (135) then the corrected one; later steps are right first time.
    EXPECT_EQ(prov.p.stats().rejected, 1);
}

TEST_P(ClockSkew, DeviceClockAheadOrBehindIsCorrected) {
    Provider prov;
    net::Client http(quick_options());
    const std::int64_t skew = GetParam();
    link::PinFlow flow(http, demo_config(prov.p.base_url()),
                       [skew] { return link::system_clock_now() + skew; });
    auto at = link_once(flow, prov.p);
    ASSERT_TRUE(at) << link::to_string(at.error().kind);
    EXPECT_NEAR(static_cast<double>(flow.clock_offset()), static_cast<double>(-skew), 5.0);
}

INSTANTIATE_TEST_SUITE_P(BothDirections, ClockSkew, ::testing::Values(3600, -3600, 400, -86400));

TEST(LinkFlow, PlainHttpToAnotherHostIsRefused) {
    EXPECT_EQ(link::validate_api_base("http://example.com")->kind, ErrorKind::insecure_url);
    EXPECT_EQ(link::validate_api_base("http://10.0.0.1:8080")->kind, ErrorKind::insecure_url);
    EXPECT_EQ(link::validate_api_base("ftp://example.com")->kind, ErrorKind::bad_url);
    EXPECT_EQ(link::validate_api_base("https://api.x.com?x=1")->kind, ErrorKind::bad_url);
    EXPECT_FALSE(link::validate_api_base("http://127.0.0.1:9"));
    EXPECT_FALSE(link::validate_api_base("http://localhost:9/prefix"));
    EXPECT_FALSE(link::validate_api_base("http://[::1]:9"));
    EXPECT_FALSE(link::validate_api_base("https://api.x.com"));
    // Even if a caller skips validation, the request is refused before any connection.
    net::Client http(quick_options());
    link::PinFlow flow(http, demo_config("http://example.com"));
    auto rt = flow.request_token();
    ASSERT_FALSE(rt);
    EXPECT_EQ(rt.error().kind, ErrorKind::insecure_url);
}

TEST(LinkFlow, ServerThatNeverAnswersTimesOut) {
    test::RawServer server([](test::RawConnection& c) {
        c.read_head();
        c.wait_closed();
    });
    ASSERT_TRUE(server.ok());
    net::Options o = quick_options();
    o.total_timeout = 1s;
    net::Client http(o);
    link::PinFlow flow(http, demo_config(server.url("")));
    const auto start = std::chrono::steady_clock::now();
    auto rt = flow.request_token();
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(rt);
    EXPECT_EQ(rt.error().kind, ErrorKind::timeout);
    EXPECT_LT(took, 10s);  // bounded: one attempt, no retry loop
}

TEST(LinkFlow, ReplyCutOffMidBody) {
    test::RawServer server([](test::RawConnection& c) {
        c.read_head();
        c.send("HTTP/1.1 200 OK\r\nContent-Type: application/x-www-form-urlencoded\r\n"
               "Content-Length: 200\r\n\r\noauth_token=abc&oauth_tok");
    });
    ASSERT_TRUE(server.ok());
    net::Client http(quick_options());
    link::PinFlow flow(http, demo_config(server.url("")));
    auto rt = flow.request_token();
    ASSERT_FALSE(rt);
    EXPECT_EQ(rt.error().kind, ErrorKind::network);
}

TEST(LinkFlow, OversizedReply) {
    test::RawServer server([](test::RawConnection& c) {
        c.read_head();
        const std::string body(3 * 1024 * 1024, 'a');
        c.send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n");
        c.send(body);
    });
    ASSERT_TRUE(server.ok());
    net::Client http(quick_options());
    link::PinFlow flow(http, demo_config(server.url("")));
    auto rt = flow.request_token();
    ASSERT_FALSE(rt);
    EXPECT_EQ(rt.error().kind, ErrorKind::malformed_reply);
}

TEST(LinkFlow, ReplyThatIsNotAToken) {
    for (const std::string& body :
         {std::string("<html>hello</html>"), std::string("oauth_token=abc&oauth_token_secret=def"),
          std::string("oauth_token=abc&oauth_token_secret=def&oauth_callback_confirmed=false"),
          std::string("oauth_token=&oauth_token_secret=def&oauth_callback_confirmed=true"),
          std::string("oauth_token=%zz&oauth_token_secret=def&oauth_callback_confirmed=true")}) {
        test::RawServer server([&body](test::RawConnection& c) {
            c.read_head();
            c.send("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
                   "\r\nConnection: close\r\n\r\n" + body);
        });
        ASSERT_TRUE(server.ok());
        net::Client http(quick_options());
        link::PinFlow flow(http, demo_config(server.url("")));
        auto rt = flow.request_token();
        ASSERT_FALSE(rt) << body;
        EXPECT_EQ(rt.error().kind, ErrorKind::malformed_reply) << body;
    }
}

TEST(LinkFlow, CancelFromAnotherThreadReturnsWithin100ms) {
    test::RawServer server([](test::RawConnection& c) {
        c.read_head();
        c.wait_closed();
    });
    ASSERT_TRUE(server.ok());
    net::Options o = quick_options();
    o.total_timeout = 30s;
    net::Client http(o);
    link::PinFlow flow(http, demo_config(server.url("")));
    net::Cancel cancel;
    std::chrono::steady_clock::time_point cancelled_at;
    std::thread canceller([&] {
        std::this_thread::sleep_for(200ms);  // let the request reach the silent server
        cancelled_at = std::chrono::steady_clock::now();
        cancel.cancel();
    });
    auto rt = flow.request_token(&cancel);
    const auto returned_at = std::chrono::steady_clock::now();
    canceller.join();
    ASSERT_FALSE(rt);
    EXPECT_EQ(rt.error().kind, ErrorKind::cancelled);
    EXPECT_LT(returned_at - cancelled_at, 100ms);
}

TEST(LinkFlow, UsersMeFailureDoesNotFailTheLink) {
    httplib::Server server;
    server.Post("/oauth/access_token", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("oauth_token=1-abc&oauth_token_secret=sec&user_id=1&screen_name=someone&extra=ignored",
                        "application/x-www-form-urlencoded");
    });
    server.Get("/2/users/me", [](const httplib::Request&, httplib::Response& res) {
        res.status = 503;
        res.set_content("{\"title\":\"Service Unavailable\"}", "application/json");
    });
    test::ServerThread thread(server);
    ASSERT_TRUE(thread.ok());
    net::Client http(quick_options());
    link::PinFlow flow(http, demo_config(thread.url("http", "")));
    auto at = flow.access_token({"req", "reqsecret"}, "1234567");
    ASSERT_TRUE(at) << link::to_string(at.error().kind);
    EXPECT_EQ(at.value().screen_name, "someone");
    EXPECT_TRUE(at.value().name.empty());
}

TEST(LinkFlow, RateLimitCarriesResetTime) {
    httplib::Server server;
    server.Post("/oauth/request_token", [](const httplib::Request&, httplib::Response& res) {
        res.status = 429;
        res.set_header("x-rate-limit-reset", "2000000000");
        res.set_content(R"({"errors":[{"code":88,"message":"Rate limit exceeded"}]})", "application/json");
    });
    test::ServerThread thread(server);
    ASSERT_TRUE(thread.ok());
    net::Client http(quick_options());
    link::PinFlow flow(http, demo_config(thread.url("http", "")));
    auto rt = flow.request_token();
    ASSERT_FALSE(rt);
    EXPECT_EQ(rt.error().kind, ErrorKind::rate_limited);
    EXPECT_EQ(rt.error().retry_at.value_or(0), 2000000000);
}

TEST(LinkFlow, AuthorizeUrlOptions) {
    net::Client http(quick_options());
    auto config = demo_config("https://api.x.com/");
    config.force_login = true;
    config.screen_name = "a b&c";
    link::PinFlow flow(http, config);
    EXPECT_EQ(flow.authorize_url({"to ken", "s"}),
              "https://api.x.com/oauth/authorize?oauth_token=to%20ken&force_login=true&screen_name=a%20b%26c");
}
