// Half-block QR rendering; see qr_text.hpp.
#include "app/qr_text.hpp"

#include <qrcodegen/qrcodegen.hpp>

#include <string>

namespace pinlink::app {

std::optional<std::string> qr_half_blocks(std::string_view text, QrColors colors) {
    // encodeText throws data_too_long for oversize input; keep that inside this function.
    std::optional<qrcodegen::QrCode> qr;
    try {
        qr.emplace(qrcodegen::QrCode::encodeText(std::string(text).c_str(),
                                                 qrcodegen::QrCode::Ecc::MEDIUM));
    } catch (const std::exception&) {
        return std::nullopt;
    }
    constexpr int kQuiet = 4;
    const int size = qr->getSize();
    auto dark = [&](int x, int y) {
        return x >= 0 && y >= 0 && x < size && y < size && qr->getModule(x, y);
    };
    std::string out;
    const std::string line_start = colors == QrColors::ansi ? "\x1b[30;107m" : "";
    const std::string line_end = colors == QrColors::ansi ? "\x1b[0m\n" : "\n";
    for (int y = -kQuiet; y < size + kQuiet; y += 2) {
        out += line_start;
        for (int x = -kQuiet; x < size + kQuiet; ++x) {
            const bool top = dark(x, y);
            const bool bottom = y + 1 < size + kQuiet && dark(x, y + 1);
            if (top && bottom) {
                out += "\u2588";  // █
            } else if (top) {
                out += "\u2580";  // ▀
            } else if (bottom) {
                out += "\u2584";  // ▄
            } else {
                out += ' ';
            }
        }
        out += line_end;
    }
    return out;
}

}  // namespace pinlink::app
