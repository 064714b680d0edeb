// How the screen logic learns about text without knowing how glyphs are made: an abstract
// source of glyph metrics and atlas coordinates, implemented with SDL2_ttf in src/render/text.
// Glyphs are rasterised at the physical pixel size the layout asks for, never stretched.
#pragma once

#include <cstdint>

namespace pinlink::ui {

enum class Face : std::uint8_t {
    ui_regular,   // Inter Regular: body and secondary text
    ui_semibold,  // Inter SemiBold: titles, key labels
    mono          // monospace: the address and the PIN digits, read from a distance
};

struct FontMetrics {
    float ascent = 0;       // pixels above the baseline
    float descent = 0;      // pixels below the baseline (positive)
    float line_height = 0;  // baseline to baseline
};

struct Glyph {
    float advance = 0;                    // pen advance in pixels
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // quad relative to the pen on the baseline (y down)
    float u0 = 0, v0 = 0, u1 = 0, v1 = 0;  // atlas coordinates; a blank glyph has x0 == x1
};

class GlyphSource {
public:
    virtual ~GlyphSource() = default;
    // Metrics of `face` rasterised at `pixel_size` physical pixels.
    virtual FontMetrics metrics(Face face, int pixel_size) = 0;
    // The glyph for `codepoint`, rasterised into the atlas on first use. A code point the font
    // lacks gives the font's replacement glyph; never null.
    virtual const Glyph& glyph(Face face, int pixel_size, char32_t codepoint) = 0;
};

}  // namespace pinlink::ui
