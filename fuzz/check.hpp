// What every property check shares: a check takes one input and returns the first property it
// found broken, as text, or nullopt. The fuzz targets abort on a failure (libFuzzer then saves
// the input); tests/test_fuzz_regressions.cpp turns it into a test failure instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pinlink::fuzz {

using Failure = std::optional<std::string>;

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// The input made readable for a failure message: printable ASCII as is, the rest as \xHH,
// capped so a 1 MB input does not flood the log.
inline std::string escaped(std::string_view s) {
    constexpr std::size_t kMax = 300;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < s.size() && i < kMax; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7F && c != '\\') {
            out.push_back(static_cast<char>(c));
        } else {
            out += "\\x";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0x0F]);
        }
    }
    if (s.size() > kMax) out += "...(" + std::to_string(s.size()) + " bytes)";
    return out;
}

inline Failure fail(std::string_view property, std::string_view input) {
    return std::string(property) + " [input: \"" + escaped(input) + "\"]";
}

// Splits on NUL; "" gives no pieces, "a\0" gives "a" and "".
inline std::vector<std::string_view> split_nul(std::string_view s) {
    std::vector<std::string_view> out;
    if (s.empty()) return out;
    std::size_t start = 0;
    while (true) {
        const std::size_t nul = s.find('\0', start);
        out.push_back(s.substr(start, nul == std::string_view::npos ? nul : nul - start));
        if (nul == std::string_view::npos) break;
        start = nul + 1;
    }
    return out;
}

inline bool is_hex_digit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// True when every '%' starts a %XX escape: what both decoders and the form parser accept.
inline bool escapes_well_formed(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') continue;
        if (i + 2 >= s.size() || !is_hex_digit(s[i + 1]) || !is_hex_digit(s[i + 2])) return false;
        i += 2;
    }
    return true;
}

// Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
inline bool is_valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (s.size() - i < len) return false;
        for (std::size_t k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF)) {
            return false;
        }
        i += len;
    }
    return true;
}

// For the fuzz targets: a broken property is a crash, so libFuzzer keeps the input.
inline void enforce(const Failure& failure) {
    if (!failure) return;
    std::fprintf(stderr, "pinlink fuzz: property failed: %s\n", failure->c_str());
    std::abort();
}

}  // namespace pinlink::fuzz
