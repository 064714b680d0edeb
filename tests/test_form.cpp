// application/x-www-form-urlencoded parsing and encoding (token replies, signed form bodies).
#include <gtest/gtest.h>

#include "oauth/form.hpp"

using pinlink::oauth::encode_form;
using pinlink::oauth::find_param;
using pinlink::oauth::Params;
using pinlink::oauth::parse_form;

TEST(ParseForm, TokenReply) {
    const auto p = parse_form(
        "oauth_token=Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik&oauth_token_secret=Kd75W4OQfb2oJTV0"
        "vzGzeXftVAwgMnEK9MumzYcM&oauth_callback_confirmed=true");
    ASSERT_TRUE(p);
    EXPECT_EQ(*p, (Params{{"oauth_token", "Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik"},
                          {"oauth_token_secret", "Kd75W4OQfb2oJTV0vzGzeXftVAwgMnEK9MumzYcM"},
                          {"oauth_callback_confirmed", "true"}}));
}

TEST(ParseForm, EmptyValuesAndMissingEquals) {
    const auto p = parse_form("a=&c2&b=1&=v&e==");
    ASSERT_TRUE(p);
    EXPECT_EQ(*p, (Params{{"a", ""}, {"c2", ""}, {"b", "1"}, {"", "v"}, {"e", "="}}));
}

TEST(ParseForm, SplitsOnFirstEqualsOnly) {
    const auto p = parse_form("a=b=c&d=%3D");
    ASSERT_TRUE(p);
    EXPECT_EQ(*p, (Params{{"a", "b=c"}, {"d", "="}}));
}

TEST(ParseForm, PlusIsSpaceEscapedPlusIsPlus) {
    const auto p = parse_form("a+b=2+q&c=%2B%20+");
    ASSERT_TRUE(p);
    EXPECT_EQ(*p, (Params{{"a b", "2 q"}, {"c", "+  "}}));
}

TEST(ParseForm, DecodesUtf8AndEitherHexCase) {
    const auto p = parse_form("%c3%a9=%E2%98%83");
    ASSERT_TRUE(p);
    EXPECT_EQ(*p, (Params{{"\xC3\xA9", "\xE2\x98\x83"}}));
}

TEST(ParseForm, MalformedEscapesAreRejected) {
    EXPECT_FALSE(parse_form("a=%zz"));
    EXPECT_FALSE(parse_form("a=1&b=%4"));
    EXPECT_FALSE(parse_form("a=%"));
    EXPECT_FALSE(parse_form("%4g=1"));
    EXPECT_FALSE(parse_form("ok=1&%=2"));
}

TEST(ParseForm, DuplicatesAreKeptInOrder) {
    const auto p = parse_form("a=2&b=x&a=1&a=2");
    ASSERT_TRUE(p);
    EXPECT_EQ(*p, (Params{{"a", "2"}, {"b", "x"}, {"a", "1"}, {"a", "2"}}));
}

TEST(ParseForm, EmptySegmentsAreSkipped) {
    const auto p = parse_form("&a=1&&b=2&");
    ASSERT_TRUE(p);
    EXPECT_EQ(*p, (Params{{"a", "1"}, {"b", "2"}}));
    const auto empty = parse_form("");
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->empty());
    const auto only_amps = parse_form("&&");
    ASSERT_TRUE(only_amps);
    EXPECT_TRUE(only_amps->empty());
}

TEST(EncodeForm, Rfc3986EncodingNeverPlus) {
    EXPECT_EQ(encode_form({{"status", "Hello Ladies + Gentlemen"}, {"a&b", "c=d"}, {"e", ""}}),
              "status=Hello%20Ladies%20%2B%20Gentlemen&a%26b=c%3Dd&e=");
    EXPECT_EQ(encode_form({}), "");
}

TEST(EncodeForm, RoundTripsThroughParse) {
    const Params params{{"status", "Hello Ladies + Gentlemen, a signed OAuth request!"},
                        {"", "empty name"},
                        {"x", "%41 \xE2\x98\x83 & = ;"},
                        {"x", ""}};
    const auto back = parse_form(encode_form(params));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, params);
}

TEST(FindParam, FirstMatchOrNothing) {
    const Params params{{"a", "1"}, {"b", ""}, {"a", "2"}};
    EXPECT_EQ(find_param(params, "a"), "1");
    EXPECT_EQ(find_param(params, "b"), "");
    EXPECT_FALSE(find_param(params, "c"));
    EXPECT_FALSE(find_param(params, "A"));
}
