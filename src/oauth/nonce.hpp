// Nonces for signed requests, from OpenSSL's cryptographic RNG.
#pragma once

#include <optional>
#include <string>

namespace pinlink::oauth {

// 32 random bytes as 43 characters of URL-safe, unpadded base64 (letters, digits, '-' and '_'),
// so the nonce needs no escaping anywhere. Returns nullopt if the RNG fails.
std::optional<std::string> make_nonce();

// `count` random decimal digits (used by the local provider for PINs); empty when count <= 0.
std::optional<std::string> random_digits(int count);

}  // namespace pinlink::oauth
