// A QR code drawn with Unicode half blocks for the terminal front end: two module rows per
// text line, dark on light, with the 4-module quiet zone scanners expect.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pinlink::app {

enum class QrColors {
    ansi,  // explicit black-on-white escapes: right on dark and light terminals alike
    plain  // no escapes: dark modules are the glyphs, for logs and pipes read on a light page
};

// Encodes `text` at error correction level M. nullopt if the text is too long for a QR code.
std::optional<std::string> qr_half_blocks(std::string_view text, QrColors colors);

}  // namespace pinlink::app
