// Where everything goes: the 1920x1080 design canvas scaled uniformly to the drawable (and
// centred, letterboxed, on other aspect ratios), with every rectangle snapped to whole physical
// pixels. One Layout serves drawing and pointer hit-testing, so what is drawn is what is hit.
#pragma once

#include <array>

#include "ui/actions.hpp"
#include "ui/geometry.hpp"
#include "ui/screen_types.hpp"

namespace pinlink::ui {

inline constexpr int min_pin_length = 4;
inline constexpr int max_pin_length = 12;

struct LayoutInput {
    int pin_length = 7;         // PIN boxes
    int qr_modules = 0;         // modules per side of the current code, without quiet zone
    bool retry_allowed = true;  // Problem: whether "Try again" is a button
};

struct Layout {
    int width = 0, height = 0;  // drawable, physical pixels
    float scale = 1.0f;         // physical pixels per design pixel
    float origin_x = 0, origin_y = 0;
    Rect canvas;  // the 16:9 design canvas on the drawable
    Rect safe;    // TV-safe area: all essential content stays inside

    // Code screen.
    Rect title;            // "Link your X account"
    Rect notice;           // "That PIN didn't work. Here's a new code." and similar
    Rect qr;               // the light square, quiet zone included
    int qr_module_px = 0;  // whole pixels per module
    Rect scan_caption;     // "Scan with your phone, or go to"
    Rect address;          // up to three lines of the address
    Rect instruction;      // "Then enter the PIN that X shows you"
    std::array<Rect, max_pin_length> boxes{};
    int box_count = 0;
    Rect pin_hint;                      // "Demo PIN: …"
    std::array<Rect, pad_keys> keys{};  // grid order: 1 2 3 / 4 5 6 / 7 8 9 / ⌫ 0 ✓

    // Connecting, Linking, Linked, Problem: one centred column.
    Rect badge;  // spinner, ✓ or !
    Rect headline;
    Rect body;
    Rect detail;
    Rect progress;  // Linked: time left before it closes
    std::array<Rect, 3> buttons{};
    std::array<Target, 3> button_targets{};
    int button_count = 0;

    // "Stop linking?" panel.
    Rect panel;
    Rect panel_title;
    Rect panel_body;
    std::array<Rect, 2> confirm_buttons{};  // keep_linking, stop_linking

    // Hint bar; items are placed while drawing, because their widths depend on the glyphs.
    Rect hint_area;
    std::array<Rect, max_hints> hints{};
    std::array<ActionKind, max_hints> hint_actions{};
    int hint_count = 0;

    // A design-unit rectangle on the drawable, edges rounded to whole pixels.
    Rect map(float x, float y, float w, float h) const;
    float px(float design) const { return design * scale; }
    // The physical pixel size for text of `design_size` (glyphs are rasterised at this size).
    int text_px(float design_size) const;
    // The rectangle of a focusable or clickable target; empty for Target::none.
    Rect rect_of(Target t) const;
};

// Fills `out` for a drawable of width x height physical pixels (both at least 1).
void compute_layout(Layout& out, int width, int height, const LayoutInput& input);

}  // namespace pinlink::ui
