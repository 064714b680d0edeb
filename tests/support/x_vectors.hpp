// X's "Creating a signature" example (shared/vectors.md, first vector): the credentials, nonce
// and timestamp the signing tests build their requests from. One copy, so every test signs the
// same documented values.
#pragma once

#include <cstdint>

namespace pinlink::test {

inline constexpr const char* kXConsumerKey = "xvz1evFS4wEEPTGEFPHBog";
inline constexpr const char* kXConsumerSecret = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
inline constexpr const char* kXToken = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb";
inline constexpr const char* kXTokenSecret = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";
inline constexpr const char* kXNonce = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg";
inline constexpr std::int64_t kXTimestamp = 1318622958;

}  // namespace pinlink::test
