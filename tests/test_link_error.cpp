// Error bodies in X's three shapes, and how each failure is classified and worded.
#include <gtest/gtest.h>

#include "link/error.hpp"

using namespace pinlink;
using link::ErrorKind;
using link::Step;

namespace {

net::Response reply(long status, std::string body, net::Headers headers = {}) {
    net::Response r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

}  // namespace

TEST(ParseErrorBody, JsonErrorsArray) {
    const auto e = link::parse_error_body(R"({"errors":[{"code":135,"message":"Timestamp out of bounds."}]})");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->code, 135);
    EXPECT_EQ(e->message, "Timestamp out of bounds.");
}

TEST(ParseErrorBody, JsonCodeAsStringAndV2Problem) {
    EXPECT_EQ(link::parse_error_body(R"({"errors":[{"code":"89","message":"x"}]})")->code, 89);
    const auto v2 = link::parse_error_body(
        R"({"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"})");
    ASSERT_TRUE(v2);
    EXPECT_EQ(v2->code, 0);
    EXPECT_EQ(v2->message, "Unauthorized");
}

TEST(ParseErrorBody, Xml) {
    const auto e = link::parse_error_body(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><errors><error code=\"415\">Callback URL not "
        "approved for this client application.</error></errors>");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->code, 415);
    EXPECT_EQ(e->message, "Callback URL not approved for this client application.");
}

TEST(ParseErrorBody, PlainText) {
    const auto e = link::parse_error_body(
        "Error processing your OAuth request: Invalid oauth_verifier parameter\n");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->code, 0);
    EXPECT_EQ(e->message, "Error processing your OAuth request: Invalid oauth_verifier parameter");
}

TEST(ParseErrorBody, GarbageIsBoundedAndPrintable) {
    EXPECT_FALSE(link::parse_error_body("   \n"));
    const std::string junk(10'000, '\x01');
    const auto e = link::parse_error_body("x" + junk + std::string(5000, 'y'));
    ASSERT_TRUE(e);
    EXPECT_LE(e->message.size(), 210u);
    for (char c : e->message) EXPECT_GE(static_cast<unsigned char>(c), 0x20);
    // Broken JSON and XML fall back without crashing.
    EXPECT_TRUE(link::parse_error_body("{\"errors\":[{\"code\":"));
    EXPECT_TRUE(link::parse_error_body("<errors><error code=\"4"));
    EXPECT_EQ(link::parse_error_body(R"({"errors":[{"code":1e400}]})")->code, 0);
}

TEST(Classify, CodesFromTheBrief) {
    const std::pair<int, ErrorKind> table[] = {
        {32, ErrorKind::bad_consumer},        {89, ErrorKind::code_expired},
        {88, ErrorKind::rate_limited},        {135, ErrorKind::clock_skew},
        {215, ErrorKind::bad_auth_data},      {326, ErrorKind::account_locked},
        {415, ErrorKind::callback_not_approved}, {416, ErrorKind::app_suspended},
        {417, ErrorKind::oob_required}};
    for (const auto& [code, kind] : table) {
        const auto e = link::from_response(
            Step::request_token,
            reply(401, R"({"errors":[{"code":)" + std::to_string(code) + R"(,"message":"m"}]})"));
        EXPECT_EQ(e.kind, kind) << code;
        EXPECT_EQ(e.provider.code, code);
        EXPECT_EQ(e.http_status, 401);
    }
}

TEST(Classify, WrongPinIsPlainText401) {
    const auto e = link::from_response(
        Step::access_token,
        reply(401, "Error processing your OAuth request: Invalid oauth_verifier parameter"));
    EXPECT_EQ(e.kind, ErrorKind::pin_rejected);
    EXPECT_TRUE(e.needs_new_code());
    EXPECT_EQ(e.title(), "That PIN didn't work");
}

TEST(Classify, RateLimitReadsResetHeader) {
    const auto e = link::from_response(Step::request_token,
                                       reply(429, "", {{"x-rate-limit-reset", "1000600"}}));
    EXPECT_EQ(e.kind, ErrorKind::rate_limited);
    ASSERT_TRUE(e.retry_at);
    EXPECT_EQ(*e.retry_at, 1000600);
    EXPECT_NE(e.next_step(1000000).find("10 minutes"), std::string::npos);
    EXPECT_NE(e.next_step(1000560).find("1 minute."), std::string::npos);
}

TEST(Classify, RateLimitResetAfter2038) {
    const auto e = link::from_response(Step::request_token,
                                       reply(429, "", {{"x-rate-limit-reset", "4102444800"}}));
    ASSERT_TRUE(e.retry_at);
    EXPECT_EQ(*e.retry_at, 4102444800LL);
}

TEST(Classify, StatusFallbacks) {
    EXPECT_EQ(link::from_response(Step::request_token, reply(503, "")).kind, ErrorKind::server_error);
    EXPECT_EQ(link::from_response(Step::request_token, reply(401, "")).kind, ErrorKind::bad_consumer);
    EXPECT_EQ(link::from_response(Step::access_token, reply(401, "")).kind, ErrorKind::pin_rejected);
    EXPECT_EQ(link::from_response(Step::access_token, reply(418, "teapot")).kind,
              ErrorKind::unexpected_status);
    EXPECT_EQ(link::from_response(Step::access_token, reply(401, "Invalid request token.")).kind,
              ErrorKind::code_expired);
}

TEST(Classify, TransportErrors) {
    EXPECT_EQ(link::from_transport(net::Error::timeout).kind, ErrorKind::timeout);
    EXPECT_EQ(link::from_transport(net::Error::tls).kind, ErrorKind::tls);
    EXPECT_EQ(link::from_transport(net::Error::cancelled).kind, ErrorKind::cancelled);
    EXPECT_EQ(link::from_transport(net::Error::too_large).kind, ErrorKind::malformed_reply);
    EXPECT_EQ(link::from_transport(net::Error::dns).kind, ErrorKind::network);
    EXPECT_EQ(link::from_transport(net::Error::insecure_url).kind, ErrorKind::insecure_url);
}

TEST(Messages, EveryKindHasTitleAndNextStep) {
    for (int k = 0; k <= static_cast<int>(ErrorKind::save_failed); ++k) {
        link::LinkError e;
        e.kind = static_cast<ErrorKind>(k);
        EXPECT_FALSE(e.title().empty());
        EXPECT_FALSE(e.next_step(0).empty());
        EXPECT_NE(link::to_string(e.kind), "unknown");
    }
}

TEST(Messages, DetailShowsCodeAndStatus) {
    link::LinkError e;
    e.provider.code = 135;
    e.http_status = 401;
    EXPECT_EQ(e.detail(), "X error 135 · HTTP 401");
    e.provider.code = 0;
    EXPECT_EQ(e.detail(), "HTTP 401");
}
