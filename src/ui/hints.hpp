// The hint bar: which actions work right now, and the glyph of the control that triggers each
// one on the device last used.
//
// Nintendo: buttons are bound by position on every controller (the app sets
// SDL_HINT_GAMECONTROLLER_USE_BUTTON_LABELS=0), so "activate" is always the south face button.
// A Nintendo pad prints B there (A sits east, X north, Y west), so its hints read B to select,
// A to go back, Y to clear, X for a new code. That keeps one binding table for every pad and the
// hints truthful about the button under the thumb, at the cost of Nintendo's own confirm-on-A
// convention (which Steam and most PC games also give up).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "ui/actions.hpp"
#include "ui/draw_list.hpp"
#include "ui/screen_types.hpp"

namespace pinlink::ui {

enum class GlyphShape : std::uint8_t {
    none,      // mouse / touch: the hint is a text button, no glyph
    letter,    // a disc with `text` on it (A, B, X, Y)
    cross,     // PlayStation ✕
    circle,    // PlayStation ○
    square,    // PlayStation □
    triangle,  // PlayStation △
    menu,      // ≡: Xbox Menu, PlayStation Options
    plus,      // Nintendo +
    keycap     // a rounded key with `text` on it (Enter, Esc, Start, …)
};

struct ButtonGlyph {
    GlyphShape shape = GlyphShape::none;
    std::string_view text;  // letter and keycap shapes only
    Color color;            // of the letter or symbol
};

enum class FaceButton : std::uint8_t { south, east, west, north };

// The glyph printed on a face button of `device` (a gamepad kind; others give GlyphShape::none).
ButtonGlyph face_glyph(Device device, FaceButton button);

// The glyph of the control bound to `action` on `device` (see the table in actions.hpp).
ButtonGlyph action_glyph(Device device, ActionKind action);

struct HintItem {
    ActionKind action = ActionKind::activate;
    std::string_view label;
};

struct HintBar {
    std::array<HintItem, max_hints> items{};
    int count = 0;
};

// The hints for the screen as it is now, left to right.
HintBar hint_bar(State state, bool confirm_open, bool has_digits, Device device);

}  // namespace pinlink::ui
