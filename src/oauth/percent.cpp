// Percent-encoding and decoding; see percent.hpp for the contract.
#include "oauth/percent.hpp"

#include <array>
#include <cstddef>

namespace pinlink::oauth {
namespace {

// A table, not a chain of comparisons: encoding is the hottest loop of signing.
constexpr std::array<bool, 256> kUnreserved = [] {
    std::array<bool, 256> table{};
    for (std::size_t c = 0; c < table.size(); ++c) {
        table[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '.' || c == '_' || c == '~';
    }
    return table;
}();

bool is_unreserved(unsigned char c) {
    return kUnreserved[c];
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

void append_percent_encoded(std::string& out, std::string_view bytes) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    // Size for the worst case, write through a pointer, then trim: one allocation at most and
    // no per-byte capacity checks (push_back per byte was the largest cost in signing).
    const std::size_t start = out.size();
    out.resize(start + bytes.size() * 3);
    char* p = out.data() + start;
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_unreserved(c)) {
            *p++ = ch;
        } else {
            *p++ = '%';
            *p++ = kHex[c >> 4];
            *p++ = kHex[c & 0x0F];
        }
    }
    out.resize(static_cast<std::size_t>(p - out.data()));
}

std::string percent_encode(std::string_view bytes) {
    std::string out;
    append_percent_encoded(out, bytes);
    return out;
}

std::optional<std::string> percent_decode(std::string_view text, PlusMeans plus) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;  // needs two more characters
            const int hi = hex_value(text[i + 1]);
            const int lo = hex_value(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(static_cast<char>((hi << 4) | lo));
            i += 2;
        } else if (c == '+' && plus == PlusMeans::space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace pinlink::oauth
