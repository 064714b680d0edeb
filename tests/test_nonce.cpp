// Nonces and random digits from the CSPRNG: shape, alphabet and freshness.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "oauth/nonce.hpp"

using pinlink::oauth::make_nonce;
using pinlink::oauth::random_digits;

namespace {

constexpr std::string_view kUrlSafe =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

}  // namespace

TEST(MakeNonce, FortyThreeUrlSafeCharacters) {
    for (int i = 0; i < 50; ++i) {
        const auto nonce = make_nonce();
        ASSERT_TRUE(nonce);
        ASSERT_EQ(nonce->size(), 43u);
        for (char c : *nonce) {
            EXPECT_NE(kUrlSafe.find(c), std::string_view::npos) << "in " << *nonce;
        }
        // 256 bits leave 4 bits for the last character, whose 2 low bits are therefore zero.
        EXPECT_EQ(kUrlSafe.find(nonce->back()) % 4, 0u) << *nonce;
    }
}

TEST(MakeNonce, DiffersBetweenCalls) {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const auto nonce = make_nonce();
        ASSERT_TRUE(nonce);
        EXPECT_TRUE(seen.insert(*nonce).second) << "repeated nonce " << *nonce;
    }
}

TEST(MakeNonce, UsesTheWholeAlphabet) {
    // 200 nonces give 8,400 full 6-bit characters; a missing one would mean lost entropy.
    std::set<char> used;
    for (int i = 0; i < 200; ++i) {
        const auto nonce = make_nonce();
        ASSERT_TRUE(nonce);
        used.insert(nonce->begin(), nonce->end() - 1);
    }
    EXPECT_EQ(used.size(), kUrlSafe.size());
}

TEST(RandomDigits, RightCountOfDigits) {
    for (int count : {1, 7, 8, 64}) {
        const auto digits = random_digits(count);
        ASSERT_TRUE(digits);
        ASSERT_EQ(digits->size(), static_cast<std::size_t>(count));
        for (char c : *digits)
            EXPECT_TRUE(c >= '0' && c <= '9') << *digits;
    }
}

TEST(RandomDigits, ZeroOrNegativeCountIsEmpty) {
    EXPECT_EQ(random_digits(0), "");
    EXPECT_EQ(random_digits(-3), "");
}

TEST(RandomDigits, EveryDigitOccursAndCallsDiffer) {
    const auto many = random_digits(2000);
    ASSERT_TRUE(many);
    for (char d = '0'; d <= '9'; ++d) {
        EXPECT_NE(many->find(d), std::string::npos) << "digit " << d << " never drawn";
    }
    const auto a = random_digits(32);
    const auto b = random_digits(32);
    ASSERT_TRUE(a && b);
    EXPECT_NE(*a, *b);
}
