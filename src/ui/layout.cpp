// Design-unit layout of every screen, scaled and snapped to the drawable (see layout.hpp).
// The numbers below are design pixels on the 1920x1080 canvas; safe area 96..1824 x 54..1026.
#include "ui/layout.hpp"

#include <algorithm>
#include <cmath>

#include "ui/qr.hpp"
#include "ui/theme.hpp"

namespace pinlink::ui {

namespace {

// Code screen: QR and address on the left, PIN field and pad on the right.
constexpr float left_x = theme::safe_x, left_w = 840.0f;
constexpr float right_x = 1000.0f, right_w = theme::canvas_w - theme::safe_x - right_x;
constexpr float content_top = 200.0f;
constexpr float hint_top = theme::canvas_h - theme::safe_y - theme::hint_bar_h;

}  // namespace

Rect Layout::map(float x, float y, float w, float h) const {
    const float x0 = std::round(origin_x + x * scale);
    const float y0 = std::round(origin_y + y * scale);
    const float x1 = std::round(origin_x + (x + w) * scale);
    const float y1 = std::round(origin_y + (y + h) * scale);
    return {x0, y0, x1 - x0, y1 - y0};
}

int Layout::text_px(float design_size) const {
    return std::max(1, static_cast<int>(std::lround(design_size * scale)));
}

Rect Layout::rect_of(Target t) const {
    if (const int k = pad_index(t); k >= 0) return keys[static_cast<std::size_t>(k)];
    if (const int h = hint_index(t); h >= 0 && h < hint_count)
        return hints[static_cast<std::size_t>(h)];
    for (int i = 0; i < button_count; ++i)
        if (button_targets[static_cast<std::size_t>(i)] == t)
            return buttons[static_cast<std::size_t>(i)];
    if (t == Target::keep_linking) return confirm_buttons[0];
    if (t == Target::stop_linking) return confirm_buttons[1];
    return {};
}

void compute_layout(Layout& out, int width, int height, const LayoutInput& input) {
    out = Layout{};  // hint items included: the frame being drawn places them again

    out.width = std::max(1, width);
    out.height = std::max(1, height);
    const auto fw = static_cast<float>(out.width), fh = static_cast<float>(out.height);
    out.scale = std::min(fw / theme::canvas_w, fh / theme::canvas_h);
    out.origin_x = std::round((fw - theme::canvas_w * out.scale) * 0.5f);
    out.origin_y = std::round((fh - theme::canvas_h * out.scale) * 0.5f);
    out.canvas = out.map(0, 0, theme::canvas_w, theme::canvas_h);
    out.safe = out.map(theme::safe_x, theme::safe_y, theme::canvas_w - 2 * theme::safe_x,
                       theme::canvas_h - 2 * theme::safe_y);

    // --- Code screen ---------------------------------------------------------------------
    out.title = out.map(left_x, theme::safe_y, theme::canvas_w - 2 * theme::safe_x, 72);
    out.notice = out.map(left_x, 134, theme::canvas_w - 2 * theme::safe_x, 48);

    // QR: about 45% of the canvas height in whole pixels per module, centred in the left column.
    if (input.qr_modules > 0) {
        const float target = theme::qr_height_fraction * theme::canvas_h * out.scale;
        const float max_side = std::min(left_w, 0.5f * theme::canvas_h) * out.scale;
        const QrPlacement p = place_qr(input.qr_modules, target, max_side);
        out.qr_module_px = p.module_px;
        const auto side = static_cast<float>(p.side_px);
        const float cx = out.origin_x + (left_x + left_w * 0.5f) * out.scale;
        out.qr = {std::round(cx - side * 0.5f), std::round(out.origin_y + content_top * out.scale),
                  side, side};
    } else {
        out.qr = out.map(left_x + left_w * 0.5f - 243, content_top, 486, 486);
    }
    const float qr_bottom = (out.qr.bottom() - out.origin_y) / out.scale;  // back to design
    out.scan_caption = out.map(left_x, qr_bottom + 24, left_w, 40);
    out.address =
        out.map(left_x, qr_bottom + 72, left_w,
                std::min(3 * theme::address_size * 1.3f, hint_top - 16 - (qr_bottom + 72)));

    out.instruction = out.map(right_x, content_top, right_w, 48);
    const int n = std::clamp(input.pin_length, min_pin_length, max_pin_length);
    // Room around the field for the border and the newest box's pop.
    const float field_w = right_w - 48.0f;
    const float box_w =
        std::min(theme::box_w,
                 (field_w - static_cast<float>(n - 1) * theme::box_gap) / static_cast<float>(n));
    const float boxes_w =
        static_cast<float>(n) * box_w + static_cast<float>(n - 1) * theme::box_gap;
    const float right_cx = right_x + right_w * 0.5f;
    out.box_count = n;
    for (int i = 0; i < n; ++i) {
        out.boxes[static_cast<std::size_t>(i)] =
            out.map(right_cx - boxes_w * 0.5f + static_cast<float>(i) * (box_w + theme::box_gap),
                    268, box_w, theme::box_h);
    }
    out.pin_hint = out.map(right_x, 398, right_w, 36);
    const float pad_w = pad_columns * theme::key_w + (pad_columns - 1) * theme::key_gap;
    for (int row = 0; row < pad_rows; ++row) {
        for (int col = 0; col < pad_columns; ++col) {
            out.keys[static_cast<std::size_t>(row * pad_columns + col)] = out.map(
                right_cx - pad_w * 0.5f + static_cast<float>(col) * (theme::key_w + theme::key_gap),
                450 + static_cast<float>(row) * (theme::key_h + theme::key_gap), theme::key_w,
                theme::key_h);
        }
    }

    // --- Centred column: Connecting, Linking, Linked, Problem ------------------------------
    const float cx = theme::canvas_w * 0.5f;
    out.badge =
        out.map(cx - theme::badge_radius, 250, 2 * theme::badge_radius, 2 * theme::badge_radius);
    out.headline = out.map(theme::safe_x, 470, theme::canvas_w - 2 * theme::safe_x, 76);
    out.body = out.map(260, 560, theme::canvas_w - 520, 2 * theme::body_size * 1.35f);
    out.detail = out.map(260, 670, theme::canvas_w - 520, 3 * theme::detail_size * 1.4f);
    out.progress = out.map(cx - 200, 800, 400, 8);
    out.button_count = 0;
    const auto add_button = [&out](Target t) {
        out.button_targets[static_cast<std::size_t>(out.button_count++)] = t;
    };
    if (input.retry_allowed) add_button(Target::try_again);
    add_button(Target::new_code);
    add_button(Target::quit);
    const float row_w = static_cast<float>(out.button_count) * theme::button_w +
                        static_cast<float>(out.button_count - 1) * theme::button_gap;
    for (int i = 0; i < out.button_count; ++i) {
        out.buttons[static_cast<std::size_t>(i)] = out.map(
            cx - row_w * 0.5f + static_cast<float>(i) * (theme::button_w + theme::button_gap), 800,
            theme::button_w, theme::button_h);
    }

    // --- "Stop linking?" panel -------------------------------------------------------------
    const float panel_x = cx - theme::panel_w * 0.5f;
    const float panel_y = (theme::canvas_h - theme::panel_h) * 0.5f;
    out.panel = out.map(panel_x, panel_y, theme::panel_w, theme::panel_h);
    out.panel_title = out.map(panel_x, panel_y + 56, theme::panel_w, 76);
    out.panel_body = out.map(panel_x + 48, panel_y + 148, theme::panel_w - 96, 96);
    const float pair_w = 2 * theme::button_w + theme::button_gap;
    for (int i = 0; i < 2; ++i) {
        out.confirm_buttons[static_cast<std::size_t>(i)] = out.map(
            cx - pair_w * 0.5f + static_cast<float>(i) * (theme::button_w + theme::button_gap),
            panel_y + theme::panel_h - 48 - theme::button_h, theme::button_w, theme::button_h);
    }

    out.hint_area =
        out.map(theme::safe_x, hint_top, theme::canvas_w - 2 * theme::safe_x, theme::hint_bar_h);
}

}  // namespace pinlink::ui
