// Hint glyphs per device and hint items per state (see hints.hpp).
#include "ui/hints.hpp"

#include "ui/strings.hpp"
#include "ui/theme.hpp"

namespace pinlink::ui {

ButtonGlyph face_glyph(Device device, FaceButton button) {
    switch (device) {
        case Device::xbox:
            switch (button) {
                case FaceButton::south:
                    return {GlyphShape::letter, "A", theme::xbox_a};
                case FaceButton::east:
                    return {GlyphShape::letter, "B", theme::xbox_b};
                case FaceButton::west:
                    return {GlyphShape::letter, "X", theme::xbox_x};
                case FaceButton::north:
                    return {GlyphShape::letter, "Y", theme::xbox_y};
            }
            break;
        case Device::playstation:
            switch (button) {
                case FaceButton::south:
                    return {GlyphShape::cross, {}, theme::ps_cross};
                case FaceButton::east:
                    return {GlyphShape::circle, {}, theme::ps_circle};
                case FaceButton::west:
                    return {GlyphShape::square, {}, theme::ps_square};
                case FaceButton::north:
                    return {GlyphShape::triangle, {}, theme::ps_triangle};
            }
            break;
        case Device::nintendo:  // positions mirrored against Xbox: see hints.hpp
            switch (button) {
                case FaceButton::south:
                    return {GlyphShape::letter, "B", theme::neutral_glyph};
                case FaceButton::east:
                    return {GlyphShape::letter, "A", theme::neutral_glyph};
                case FaceButton::west:
                    return {GlyphShape::letter, "Y", theme::neutral_glyph};
                case FaceButton::north:
                    return {GlyphShape::letter, "X", theme::neutral_glyph};
            }
            break;
        case Device::gamepad:
            switch (button) {
                case FaceButton::south:
                    return {GlyphShape::letter, "A", theme::neutral_glyph};
                case FaceButton::east:
                    return {GlyphShape::letter, "B", theme::neutral_glyph};
                case FaceButton::west:
                    return {GlyphShape::letter, "X", theme::neutral_glyph};
                case FaceButton::north:
                    return {GlyphShape::letter, "Y", theme::neutral_glyph};
            }
            break;
        case Device::keyboard:
        case Device::pointer:
            break;
    }
    return {};
}

namespace {

ButtonGlyph keycap(std::string_view text) {
    return {GlyphShape::keycap, text, theme::text};
}

ButtonGlyph start_glyph(Device device) {
    switch (device) {
        case Device::xbox:
        case Device::playstation:
            return {GlyphShape::menu, {}, theme::neutral_glyph};
        case Device::nintendo:
            return {GlyphShape::plus, {}, theme::neutral_glyph};
        case Device::gamepad:
            return keycap(strings::pad_start);
        case Device::keyboard:
        case Device::pointer:
            break;
    }
    return {};
}

}  // namespace

ButtonGlyph action_glyph(Device device, ActionKind action) {
    if (device == Device::pointer) return {};
    if (device == Device::keyboard) {
        switch (action) {
            case ActionKind::activate:
            case ActionKind::submit:
                return keycap(strings::key_enter);
            case ActionKind::back:
                return keycap(strings::key_escape);
            case ActionKind::clear:
                return keycap(strings::key_delete);
            case ActionKind::new_code:
                return keycap(strings::key_f5);
            case ActionKind::digit:
                return keycap(strings::key_digits);
            case ActionKind::backspace:
                return keycap(strings::key_backspace);
            default:
                return {};
        }
    }
    switch (action) {
        case ActionKind::activate:
            return face_glyph(device, FaceButton::south);
        case ActionKind::back:
            return face_glyph(device, FaceButton::east);
        case ActionKind::clear:
            return face_glyph(device, FaceButton::west);
        case ActionKind::new_code:
            return face_glyph(device, FaceButton::north);
        case ActionKind::submit:
            return start_glyph(device);
        default:
            return {};
    }
}

HintBar hint_bar(State state, bool confirm_open, bool has_digits, Device device) {
    HintBar bar;
    const auto add = [&bar](ActionKind action, std::string_view label) {
        if (bar.count < max_hints)
            bar.items[static_cast<std::size_t>(bar.count++)] = {action, label};
    };
    const bool pointer = device == Device::pointer;
    const bool keyboard = device == Device::keyboard;

    if (confirm_open) {
        // The panel's own buttons serve the pointer.
        if (!pointer) {
            add(ActionKind::activate, strings::hint_select);
            add(ActionKind::back, strings::hint_keep);
        }
        return bar;
    }
    switch (state) {
        case State::connecting:
        case State::linking:
            add(ActionKind::back, strings::hint_cancel);
            break;
        case State::linked:
            add(ActionKind::activate, strings::hint_done);
            break;
        case State::problem:
            if (!pointer) {
                add(ActionKind::activate, strings::hint_select);
                add(ActionKind::back, strings::hint_quit);
            }
            break;
        case State::code:
            if (pointer) {  // the pad has ⌫ and ✓; these are the actions it lacks
                if (has_digits) add(ActionKind::clear, strings::hint_clear);
                add(ActionKind::new_code, strings::hint_new_code);
                add(ActionKind::back, strings::hint_cancel);
            } else if (keyboard) {
                add(ActionKind::digit, strings::hint_type);
                if (has_digits) {
                    add(ActionKind::submit, strings::hint_link);
                    add(ActionKind::backspace, strings::hint_delete);
                }
                add(ActionKind::back, strings::hint_cancel);
                add(ActionKind::new_code, strings::hint_new_code);
            } else {
                add(ActionKind::activate, strings::hint_select);
                add(ActionKind::back, has_digits ? strings::hint_delete : strings::hint_cancel);
                if (has_digits) add(ActionKind::clear, strings::hint_clear);
                add(ActionKind::new_code, strings::hint_new_code);
                if (has_digits) add(ActionKind::submit, strings::hint_link);
            }
            break;
    }
    return bar;
}

}  // namespace pinlink::ui
