// Nonces and random digits from OpenSSL's CSPRNG; see nonce.hpp for the contract.
#include "oauth/nonce.hpp"

#include <openssl/rand.h>

#include <array>

namespace pinlink::oauth {

std::optional<std::string> make_nonce() {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::array<unsigned char, 32> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) return std::nullopt;
    // 256 bits as 6-bit groups: 42 full groups and 4 bits left over.
    std::string out;
    out.reserve(43);
    unsigned int acc = 0;
    int bits = 0;
    for (unsigned char b : bytes) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(kAlphabet[(acc >> bits) & 0x3F]);
        }
    }
    if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3F]);
    return out;
}

std::optional<std::string> random_digits(int count) {
    if (count <= 0) return std::string{};  // a negative count must not reach reserve()
    std::string out;
    out.reserve(static_cast<std::size_t>(count));
    while (static_cast<int>(out.size()) < count) {
        unsigned char b = 0;
        if (RAND_bytes(&b, 1) != 1) return std::nullopt;
        if (b >= 250) continue;  // rejection keeps the digits uniform
        out.push_back(static_cast<char>('0' + b % 10));
    }
    return out;
}

}  // namespace pinlink::oauth
