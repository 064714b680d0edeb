// Percent-encoding and decoding against the table in shared/vectors.md.
#include <gtest/gtest.h>

#include "oauth/percent.hpp"

using pinlink::oauth::percent_decode;
using pinlink::oauth::percent_encode;
using pinlink::oauth::PlusMeans;

TEST(PercentEncode, VectorsTable) {
    EXPECT_EQ(percent_encode("Ladies + Gentlemen"), "Ladies%20%2B%20Gentlemen");
    EXPECT_EQ(percent_encode("Dogs, Cats & Mice"), "Dogs%2C%20Cats%20%26%20Mice");
    EXPECT_EQ(percent_encode("!*'()"), "%21%2A%27%28%29");
    EXPECT_EQ(percent_encode("-._~"), "-._~");
    EXPECT_EQ(percent_encode("%"), "%25");
    EXPECT_EQ(percent_encode("\xE2\x98\x83"), "%E2%98%83");
    EXPECT_EQ(percent_encode("\xC3\xA9"), "%C3%A9");
    EXPECT_EQ(percent_encode("\xF0\x9F\x98\x80"), "%F0%9F%98%80");
    EXPECT_EQ(percent_encode("erks823*43=asd&123ls%23"), "erks823%2A43%3Dasd%26123ls%2523");
}

TEST(PercentDecode, PlusOnlyInForms) {
    EXPECT_EQ(percent_decode("a+b%20c", PlusMeans::space), "a b c");
    EXPECT_EQ(percent_decode("a+b%20c", PlusMeans::plus), "a+b c");
}

TEST(PercentDecode, MalformedEscapesAreRejected) {
    EXPECT_FALSE(percent_decode("%"));
    EXPECT_FALSE(percent_decode("%4"));
    EXPECT_FALSE(percent_decode("abc%"));
    EXPECT_FALSE(percent_decode("%zz"));
    EXPECT_EQ(percent_decode("%4a%4A"), "JJ");
}

TEST(PercentDecode, RoundTripsEveryByte) {
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    EXPECT_EQ(percent_decode(percent_encode(all)), all);
}
