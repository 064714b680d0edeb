// The terminal QR code: its half blocks turned back into a picture must scan, with zbarimg,
// to exactly the address that was encoded.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "app/qr_text.hpp"

using pinlink::app::QrColors;
using pinlink::app::qr_half_blocks;

namespace {

// Splits a line of UTF-8 text into characters (each half block is a 3-byte sequence).
std::vector<std::string> chars_of(const std::string& line) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < line.size();) {
        const auto c = static_cast<unsigned char>(line[i]);
        const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        out.push_back(line.substr(i, len));
        i += len;
    }
    return out;
}

// Turns the text into module rows: true = dark.
std::vector<std::vector<bool>> modules_of(const std::string& text) {
    std::vector<std::vector<bool>> rows;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        start = end + 1;
        std::vector<bool> top, bottom;
        for (const auto& ch : chars_of(line)) {
            top.push_back(ch == "\u2588" || ch == "\u2580");
            bottom.push_back(ch == "\u2588" || ch == "\u2584");
        }
        rows.push_back(top);
        rows.push_back(bottom);
    }
    return rows;
}

std::string scan(const std::vector<std::vector<bool>>& rows) {
    constexpr int kScale = 6;
    const int h = static_cast<int>(rows.size()) * kScale;
    const int w = static_cast<int>(rows.at(0).size()) * kScale;
    const std::string path = ::testing::TempDir() + "qr-" + std::to_string(::getpid()) + ".pgm";
    {
        std::ofstream f(path, std::ios::binary);
        f << "P5\n" << w << " " << h << "\n255\n";
        for (int y = 0; y < h; ++y) {
            for (int x = 0; x < w; ++x) {
                const auto& row = rows[static_cast<std::size_t>(y / kScale)];
                const auto mx = static_cast<std::size_t>(x / kScale);
                f.put(mx < row.size() && row[mx] ? '\0' : '\xFF');
            }
        }
    }
    FILE* p = ::popen(("zbarimg --raw -q " + path + " 2>/dev/null").c_str(), "r");
    if (!p) return {};
    std::string out;
    std::array<char, 512> buf{};
    while (std::fgets(buf.data(), buf.size(), p)) out += buf.data();
    ::pclose(p);
    std::remove(path.c_str());
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

}  // namespace

TEST(QrText, PlainScansToTheUrl) {
    const std::string url = "https://api.x.com/oauth/authorize?oauth_token=Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik";
    const auto text = qr_half_blocks(url, QrColors::plain);
    ASSERT_TRUE(text);
    EXPECT_EQ(scan(modules_of(*text)), url);
}

TEST(QrText, AnsiColoursFrameEveryLine) {
    const auto text = qr_half_blocks("http://127.0.0.1:8080/oauth/authorize?oauth_token=abc", QrColors::ansi);
    ASSERT_TRUE(text);
    std::size_t lines = 0;
    for (std::size_t pos = 0; (pos = text->find("\x1b[30;107m", pos)) != std::string::npos; ++pos) ++lines;
    EXPECT_EQ(lines, static_cast<std::size_t>(std::count(text->begin(), text->end(), '\n')));
    // Stripping the escapes leaves a code that still scans.
    std::string plain;
    for (std::size_t i = 0; i < text->size();) {
        if ((*text)[i] == '\x1b') {
            i = text->find('m', i) + 1;
        } else {
            plain += (*text)[i++];
        }
    }
    EXPECT_EQ(scan(modules_of(plain)), "http://127.0.0.1:8080/oauth/authorize?oauth_token=abc");
}

TEST(QrText, QuietZoneOfFourModules) {
    const auto text = qr_half_blocks("hello", QrColors::plain);
    ASSERT_TRUE(text);
    const auto rows = modules_of(*text);
    for (std::size_t y = 0; y < 4; ++y) {
        for (bool m : rows[y]) EXPECT_FALSE(m);
    }
    for (const auto& row : rows) {
        for (std::size_t x = 0; x < 4 && x < row.size(); ++x) EXPECT_FALSE(row[x]);
    }
}

TEST(QrText, TooLongTextIsRefused) {
    EXPECT_FALSE(qr_half_blocks(std::string(5000, 'A'), QrColors::plain));
}
