// Building the draw list for the screen's current state (layout in layout.cpp, primitives in
// painter.cpp). Everything drawn comes from members that change only on events: no strings are
// formatted and nothing is allocated here once the buffers have grown.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "ui/hints.hpp"
#include "ui/screen.hpp"
#include "ui/strings.hpp"
#include "ui/theme.hpp"

namespace pinlink::ui {

namespace {

constexpr float pi = std::numbers::pi_v<float>;

float ease_out(float t) {
    const float u = 1.0f - t;
    return 1.0f - u * u * u;
}

Color mix(Color a, Color b, float t) {
    const auto ch = [t](std::uint8_t x, std::uint8_t y) {
        return static_cast<std::uint8_t>(std::lround(
            static_cast<float>(x) + (static_cast<float>(y) - static_cast<float>(x)) * t));
    };
    return {ch(a.r, b.r), ch(a.g, b.g), ch(a.b, b.b), ch(a.a, b.a)};
}

constexpr std::array<std::string_view, 10> digit_text{"0", "1", "2", "3", "4",
                                                      "5", "6", "7", "8", "9"};

}  // namespace

void Screen::build(DrawList& out, GlyphSource& glyphs, int width, int height, TimePoint now) {
    compute_layout(layout_, width, height,
                   LayoutInput{pin_length_, qr_.size(), problem_.retry_allowed});
    out.reset(layout_.width, layout_.height, theme::bg_bottom);
    painter_.begin(out, glyphs);
    frame_reveals_digit_ = false;

    painter_.gradient({0, 0, static_cast<float>(layout_.width), static_cast<float>(layout_.height)},
                      theme::bg_top, theme::bg_bottom);

    // The new state fades in from a visible floor and rises a little; whole pixels keep text crisp.
    const float t = ease_out(progress(state_since_, theme::state_fade, now));
    painter_.set_alpha(theme::fade_floor + (1.0f - theme::fade_floor) * t);
    const float dy = std::round((1.0f - t) * layout_.px(theme::fade_rise));
    switch (state_) {
        case State::connecting:
            draw_waiting(now, dy, strings::connecting_title, strings::connecting_body);
            break;
        case State::code:
            draw_code(now, dy);
            break;
        case State::linking:
            draw_waiting(now, dy, strings::linking_title, strings::linking_body);
            break;
        case State::linked:
            draw_linked(now, dy);
            break;
        case State::problem:
            draw_problem(now, dy);
            break;
    }
    if (!confirm_) draw_hints();
    if (!confirm_ && ring_visible()) draw_ring(now, dy);
    if (confirm_) draw_confirm(now);

    painter_.end();
    dirty_ = false;
    frame_settled_ = !animating(now);
}

void Screen::text_in(Face face, float design_size, const Rect& row, std::string_view text, Color c,
                     Align align) {
    const int px = layout_.text_px(design_size);
    const FontMetrics m = painter_.metrics(face, px);
    const float baseline = std::round(row.y + (row.h - (m.ascent + m.descent)) * 0.5f + m.ascent);
    const float x =
        align == Align::left ? row.x : (align == Align::center ? row.center().x : row.right());
    painter_.text(face, px, x, baseline, text, c, align);
}

// --- Code ------------------------------------------------------------------------------------

void Screen::draw_code(TimePoint now, float dy) {
    const Layout& l = layout_;
    text_in(Face::ui_semibold, theme::title_size, l.title.translated(0, dy), strings::code_title,
            theme::text, Align::left);
    if (!notice_.empty())
        text_in(Face::ui_regular, theme::body_size, l.notice.translated(0, dy), notice_,
                theme::notice, Align::left);

    if (!qr_.empty()) {
        // Whole pixels per module on a whole-pixel origin: no module ever straddles a pixel.
        const Color dark = painter_.alpha() >= 1.0f
                               ? theme::qr_dark
                               : mix(theme::bg_bottom, theme::qr_dark, painter_.alpha());
        const Color light = painter_.alpha() >= 1.0f
                                ? theme::qr_light
                                : mix(theme::bg_bottom, theme::qr_light, painter_.alpha());
        append_qr(*painter_.list(), qr_, static_cast<int>(l.qr.x), static_cast<int>(l.qr.y + dy),
                  l.qr_module_px, dark, light);
    }
    text_in(Face::ui_regular, theme::secondary_size, l.scan_caption.translated(0, dy),
            strings::scan_caption, theme::text_secondary);
    // The address breaks after '/', '?', '&' and '='; if a piece between them (the token) is
    // wider than the column, step down to the smallest body size before breaking inside it.
    const int address_px = address_text_px();
    painter_.text_block(Face::mono, address_px, l.address.x, l.address.y + dy, l.address.w,
                        std::round(static_cast<float>(address_px) * 1.3f), address_, theme::text,
                        Align::center, 3);

    text_in(Face::ui_regular, theme::body_size, l.instruction.translated(0, dy),
            strings::pin_instruction, theme::text);
    draw_pin_field(now, dy);
    if (!pin_hint_line_.empty())
        text_in(Face::ui_regular, theme::secondary_size, l.pin_hint.translated(0, dy),
                pin_hint_line_, theme::text_secondary);
    draw_pad(now, dy);
}

int Screen::address_text_px() {
    // Measured once per address and size, not every frame.
    const int px = layout_.text_px(theme::address_size);
    if (address_fit_for_ != px) {
        address_fit_for_ = px;
        address_px_ = widest_url_piece(px) > layout_.address.w
                          ? layout_.text_px(theme::address_min_size)
                          : px;
    }
    return address_px_;
}

float Screen::widest_url_piece(int px) {
    float widest = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < address_.size(); ++i) {
        const char c = address_[i];
        if (c == '/' || c == '?' || c == '&' || c == '=' || i + 1 == address_.size()) {
            widest = std::max(
                widest, painter_.measure(Face::mono, px, address_.substr(start, i + 1 - start)));
            start = i + 1;
        }
    }
    return widest;
}

void Screen::draw_pin_field(TimePoint now, float dy) {
    const Layout& l = layout_;
    const bool reveal = revealing(now);
    const float pop = 1.0f - ease_out(progress(last_digit_at_, theme::digit_pop, now));
    for (int i = 0; i < l.box_count; ++i) {
        Rect r = l.boxes[static_cast<std::size_t>(i)].translated(0, dy);
        const bool newest = i == digit_count_ - 1;
        if (newest && pop > 0) r = r.inflated(std::round(l.px(6.0f) * pop));
        const bool active = i == digit_count_ && digit_count_ < pin_length_;
        const float radius = l.px(theme::box_radius);
        painter_.rounded_rect(r, radius, theme::box);
        painter_.rounded_rect_stroke(r, radius, l.px(theme::box_border_w) * (active ? 1.5f : 1.0f),
                                     active ? theme::accent : theme::box_border);
        if (i >= digit_count_) continue;
        if (newest && reveal) {
            const int d = digits_[static_cast<std::size_t>(i)] - '0';
            text_in(Face::mono, theme::pin_digit_size, r, digit_text[static_cast<std::size_t>(d)],
                    theme::text);
            frame_reveals_digit_ = true;
        } else {
            painter_.circle(r.center(), l.px(11.0f), theme::text);  // a dot: the PIN stays private
        }
    }
}

void Screen::draw_pad(TimePoint now, float dy) {
    const Layout& l = layout_;
    const bool ring = !confirm_ && ring_visible();
    const float glide_t =
        glide_ ? ease_out(progress(glide_at_ - theme::glide_head_start, theme::focus_glide, now))
               : 1.0f;
    const bool full = digit_count_ == pin_length_;

    struct KeyLook {
        Rect rect;
        Color label;
    };
    std::array<KeyLook, pad_keys> looks{};
    for (int i = 0; i < pad_keys; ++i) {
        const Target t = pad_target(i);
        float grow = 0.0f;
        if (ring && t == pad_focus_) grow = glide_t;
        if (ring && glide_ && t == glide_prev_) grow = 1.0f - glide_t;
        float s = 1.0f + (theme::focus_scale - 1.0f) * grow;
        const bool held = pressed_ == t;
        const float flash = flash_ == t ? progress(flash_at_, theme::press_flash, now) : 1.0f;
        if (held)
            s *= theme::pressed_scale;
        else if (flash < 1.0f)
            s *= theme::pressed_scale + (1.0f - theme::pressed_scale) * ease_out(flash);

        // The lit colours switch at once (the very next frame shows where focus went); the
        // size and the ring glide.
        const bool lit = ring && t == pad_focus_;
        Color fill = lit ? theme::key_focus : theme::key;
        Color label = lit ? theme::key_focus_text : theme::key_text;
        if (t == Target::key_submit && !lit) {
            fill = full ? theme::accent : theme::key;
            label = full ? theme::key_focus_text : theme::key_disabled_text;
        }
        if (held || flash < 1.0f)
            fill = mix(theme::key_pressed, fill, held ? 0.0f : ease_out(flash));
        const Rect r = l.keys[static_cast<std::size_t>(i)].translated(0, dy).scaled(s);
        painter_.rounded_rect(r, l.px(theme::key_radius) * s, fill);
        looks[static_cast<std::size_t>(i)] = {r, label};
    }
    // Icons (solid geometry) then labels (atlas), so the whole pad is a handful of commands.
    {
        const KeyLook& k = looks[static_cast<std::size_t>(pad_index(Target::key_backspace))];
        const Vec2 c = k.rect.center();
        const float u = k.rect.h * 0.2f, w = std::max(2.0f, l.px(4.5f));
        const Vec2 outline[5] = {{c.x - 1.5f * u, c.y},
                                 {c.x - 0.7f * u, c.y - 0.85f * u},
                                 {c.x + 1.3f * u, c.y - 0.85f * u},
                                 {c.x + 1.3f * u, c.y + 0.85f * u},
                                 {c.x - 0.7f * u, c.y + 0.85f * u}};
        painter_.polygon_stroke(outline, 5, w, k.label);
        const float xc = c.x + 0.3f * u, e = 0.38f * u;
        painter_.line({xc - e, c.y - e}, {xc + e, c.y + e}, w, k.label);
        painter_.line({xc - e, c.y + e}, {xc + e, c.y - e}, w, k.label);
    }
    {
        const KeyLook& k = looks[static_cast<std::size_t>(pad_index(Target::key_submit))];
        const Vec2 c = k.rect.center();
        const float u = k.rect.h * 0.2f, w = std::max(3.0f, l.px(7.0f));
        const Vec2 a{c.x - 1.0f * u, c.y + 0.05f * u}, b{c.x - 0.3f * u, c.y + 0.75f * u},
            d{c.x + 1.1f * u, c.y - 0.7f * u};
        painter_.line(a, b, w, k.label);
        painter_.line(b, d, w, k.label);
    }
    for (int i = 0; i < pad_keys; ++i) {
        const int d = pad_digit(pad_target(i));
        if (d < 0) continue;
        const KeyLook& k = looks[static_cast<std::size_t>(i)];
        text_in(Face::ui_semibold, theme::key_label_size, k.rect,
                digit_text[static_cast<std::size_t>(d)], k.label);
    }
}

void Screen::draw_ring(TimePoint now, float dy) {
    const Rect r = displayed_ring(now).translated(0, confirm_ ? 0.0f : dy);
    if (r.empty()) return;
    const Rect base = layout_.rect_of(focus());
    const float radius = (is_pad_key(focus()) ? layout_.px(theme::key_radius) : base.h * 0.5f) +
                         layout_.px(theme::ring_gap);
    const float saved = painter_.alpha();
    painter_.set_alpha(1.0f);  // the ring never fades: it is where the person is looking
    painter_.rounded_rect_stroke(r, radius, layout_.px(theme::ring_width), theme::accent);
    painter_.set_alpha(saved);
}

// --- Connecting, Linking, Linked, Problem --------------------------------------------------

void Screen::draw_waiting(TimePoint now, float dy, std::string_view title, std::string_view body) {
    const Layout& l = layout_;
    dy += std::round(l.px(theme::waiting_drop));  // no buttons below: centre the column
    const Vec2 c = l.badge.translated(0, dy).center();
    const float radius = l.px(theme::spinner_radius), width = l.px(theme::spinner_width);
    painter_.ring(c, radius, width, theme::progress_track);
    const auto elapsed = std::chrono::duration<float, std::milli>(now - state_since_).count();
    const float turn =
        std::fmod(std::max(0.0f, elapsed), static_cast<float>(theme::spinner_turn.count())) /
        static_cast<float>(theme::spinner_turn.count());
    const float a0 = turn * 2.0f * pi - 0.5f * pi;
    painter_.arc(c, radius, a0, a0 + 0.6f * pi, width, theme::accent);
    text_in(Face::ui_semibold, theme::title_size, l.headline.translated(0, dy), title, theme::text);
    painter_.text_block(Face::ui_regular, l.text_px(theme::body_size), l.body.x, l.body.y + dy,
                        l.body.w, std::round(l.px(theme::body_size * 1.35f)), body,
                        theme::text_secondary, Align::center, 2);
}

void Screen::draw_linked(TimePoint now, float dy) {
    const Layout& l = layout_;
    const Vec2 c = l.badge.translated(0, dy).center();
    const float r = l.px(theme::badge_radius);
    painter_.circle(c, r, theme::success);
    const float w = l.px(16.0f);
    const Vec2 a{c.x - 0.42f * r, c.y + 0.02f * r}, b{c.x - 0.12f * r, c.y + 0.32f * r},
        d{c.x + 0.45f * r, c.y - 0.3f * r};
    painter_.line(a, b, w, theme::bg_bottom);
    painter_.line(b, d, w, theme::bg_bottom);
    text_in(Face::ui_semibold, theme::title_size, l.headline.translated(0, dy), linked_title_,
            theme::text);
    if (!display_name_.empty())
        painter_.text_block(Face::ui_regular, l.text_px(theme::body_size), l.body.x, l.body.y + dy,
                            l.body.w, std::round(l.px(theme::body_size * 1.35f)), display_name_,
                            theme::text_secondary, Align::center, 1);
    painter_.text_block(Face::ui_regular, l.text_px(theme::secondary_size), l.detail.x,
                        l.detail.y + dy, l.detail.w, std::round(l.px(theme::secondary_size * 1.4f)),
                        strings::linked_body, theme::text_secondary, Align::center, 2);
    // Time left before the screen closes itself.
    const Rect track = l.progress.translated(0, dy);
    const float left = finished_ ? 0.0f : 1.0f - progress(state_since_, theme::linked_close, now);
    painter_.rounded_rect(track, track.h * 0.5f, theme::progress_track);
    if (left > 0) {
        Rect fill = track;
        fill.w = std::max(track.h, track.w * left);
        painter_.rounded_rect(fill, track.h * 0.5f, theme::accent);
    }
}

void Screen::draw_problem(TimePoint now, float dy) {
    const Layout& l = layout_;
    const Vec2 c = l.badge.translated(0, dy).center();
    const float r = l.px(theme::badge_radius);
    painter_.circle(c, r, theme::problem);
    painter_.line({c.x, c.y - 0.45f * r}, {c.x, c.y + 0.12f * r}, 0.17f * r, theme::bg_bottom);
    painter_.circle({c.x, c.y + 0.42f * r}, 0.1f * r, theme::bg_bottom);
    painter_.text_block(Face::ui_semibold, l.text_px(theme::title_size), l.headline.x,
                        l.headline.y + dy, l.headline.w, l.headline.h, problem_.title, theme::text,
                        Align::center, 1);
    painter_.text_block(Face::ui_regular, l.text_px(theme::body_size), l.body.x, l.body.y + dy,
                        l.body.w, std::round(l.px(theme::body_size * 1.35f)), problem_.next_step,
                        theme::text, Align::center, 2);
    painter_.text_block(Face::ui_regular, l.text_px(theme::detail_size), l.detail.x,
                        l.detail.y + dy, l.detail.w, std::round(l.px(theme::detail_size * 1.4f)),
                        problem_.detail, theme::text_dim, Align::center, 3);
    const bool ring = !confirm_ && ring_visible();
    for (int i = 0; i < l.button_count; ++i) {
        const Target t = l.button_targets[static_cast<std::size_t>(i)];
        const std::string_view label = t == Target::try_again  ? strings::try_again
                                       : t == Target::new_code ? strings::new_code
                                                               : strings::quit;
        const bool flash = flash_ == t && now < flash_at_ + theme::press_flash;
        draw_button(l.buttons[static_cast<std::size_t>(i)].translated(0, dy), label,
                    ring && problem_focus_ == t, pressed_ == t || flash);
    }
}

void Screen::draw_button(const Rect& r, std::string_view label, bool focused, bool pressed) {
    Color fill = focused ? theme::key_focus : theme::key;
    if (pressed) fill = theme::key_pressed;
    const Rect shown = r.scaled(focused ? theme::focus_scale : 1.0f);
    painter_.rounded_rect(shown, shown.h * 0.5f, fill);
    text_in(Face::ui_semibold, theme::button_label_size, shown, label,
            focused || pressed ? theme::key_focus_text : theme::key_text);
}

void Screen::draw_confirm(TimePoint now) {
    const Layout& l = layout_;
    const float t = ease_out(progress(confirm_since_, theme::overlay_fade, now));
    painter_.set_alpha(theme::fade_floor + (1.0f - theme::fade_floor) * t);
    painter_.rect({0, 0, static_cast<float>(l.width), static_cast<float>(l.height)},
                  theme::overlay);
    painter_.rounded_rect(l.panel, l.px(theme::panel_radius), theme::panel);
    text_in(Face::ui_semibold, theme::title_size, l.panel_title, strings::confirm_title,
            theme::text);
    painter_.text_block(Face::ui_regular, l.text_px(theme::body_size), l.panel_body.x,
                        l.panel_body.y, l.panel_body.w, std::round(l.px(theme::body_size * 1.35f)),
                        strings::confirm_body, theme::text_secondary, Align::center, 2);
    const bool ring = ring_visible();
    const Target targets[2] = {Target::keep_linking, Target::stop_linking};
    const std::string_view labels[2] = {strings::keep_linking, strings::stop};
    for (std::size_t i = 0; i < 2; ++i) {
        const bool flash = flash_ == targets[i] && now < flash_at_ + theme::press_flash;
        draw_button(l.confirm_buttons[i], labels[i], ring && confirm_focus_ == targets[i],
                    pressed_ == targets[i] || flash);
    }
    draw_hints();
    if (ring) draw_ring(now, 0.0f);
}

// --- Hint bar --------------------------------------------------------------------------------

void Screen::draw_glyph(const Rect& r, const ButtonGlyph& g) {
    const Layout& l = layout_;
    const Vec2 c = r.center();
    const float rad = r.h * 0.5f;
    const float w = std::max(1.5f, l.px(3.5f));
    switch (g.shape) {
        case GlyphShape::none:
            return;
        case GlyphShape::keycap:
            painter_.rounded_rect(r, l.px(10.0f), theme::hint_cap);
            text_in(Face::ui_semibold, theme::hint_glyph_size, r, g.text, g.color);
            return;
        default:
            painter_.circle(c, rad, theme::hint_cap);
            break;
    }
    const float e = rad * 0.42f;
    switch (g.shape) {
        case GlyphShape::letter:
            text_in(Face::ui_semibold, theme::hint_glyph_size, r, g.text, g.color);
            break;
        case GlyphShape::cross:
            painter_.line({c.x - e, c.y - e}, {c.x + e, c.y + e}, w, g.color);
            painter_.line({c.x - e, c.y + e}, {c.x + e, c.y - e}, w, g.color);
            break;
        case GlyphShape::circle:
            painter_.ring(c, e, w, g.color);
            break;
        case GlyphShape::square: {
            const Vec2 pts[4] = {
                {c.x - e, c.y - e}, {c.x + e, c.y - e}, {c.x + e, c.y + e}, {c.x - e, c.y + e}};
            painter_.polygon_stroke(pts, 4, w, g.color);
            break;
        }
        case GlyphShape::triangle: {
            const float h = e * 1.1f;
            const Vec2 pts[3] = {{c.x, c.y - h},
                                 {c.x + h * 0.95f, c.y + h * 0.65f},
                                 {c.x - h * 0.95f, c.y + h * 0.65f}};
            painter_.polygon_stroke(pts, 3, w, g.color);
            break;
        }
        case GlyphShape::menu:
            for (int i = -1; i <= 1; ++i) {
                const float y = c.y + static_cast<float>(i) * e * 0.62f;
                painter_.line({c.x - e * 0.8f, y}, {c.x + e * 0.8f, y}, w * 0.8f, g.color);
            }
            break;
        case GlyphShape::plus:
            painter_.line({c.x - e, c.y}, {c.x + e, c.y}, w, g.color);
            painter_.line({c.x, c.y - e}, {c.x, c.y + e}, w, g.color);
            break;
        default:
            break;
    }
}

void Screen::draw_hints() {
    Layout& l = layout_;
    const HintBar bar = hint_bar(state_, confirm_, digit_count_ > 0, device_);
    const int label_px = l.text_px(theme::hint_label_size);
    const int cap_px = l.text_px(theme::hint_glyph_size);
    const float disc = l.px(theme::hint_disc), gap = l.px(theme::hint_glyph_gap);
    const float pill_pad = l.px(24.0f), item_gap = l.px(theme::hint_item_gap);
    const Rect area = l.hint_area;

    // Measure first: the bar is right-aligned, like a console's own button hints.
    std::array<float, max_hints> glyph_w{}, label_w{};
    float total = 0;
    for (int i = 0; i < bar.count; ++i) {
        const auto k = static_cast<std::size_t>(i);
        const ButtonGlyph g = action_glyph(device_, bar.items[k].action);
        label_w[k] = painter_.measure(Face::ui_regular, label_px, bar.items[k].label);
        if (g.shape == GlyphShape::none) {
            glyph_w[k] = 0;
            total += label_w[k] + 2 * pill_pad;
        } else {
            glyph_w[k] = g.shape == GlyphShape::keycap
                             ? std::max(disc, painter_.measure(Face::ui_semibold, cap_px, g.text) +
                                                  l.px(28.0f))
                             : disc;
            total += glyph_w[k] + gap + label_w[k];
        }
        if (i > 0) total += item_gap;
    }
    // Positions accumulate unrounded, so rounding never pushes the bar past the safe edge.
    float x = area.right() - total;
    l.hint_count = bar.count;
    for (int i = 0; i < bar.count; ++i) {
        const auto k = static_cast<std::size_t>(i);
        const ButtonGlyph g = action_glyph(device_, bar.items[k].action);
        float item_w = 0;
        if (g.shape == GlyphShape::none) {
            item_w = label_w[k] + 2 * pill_pad;
            const Rect pill{std::round(x), area.y, std::floor(item_w), area.h};
            const Target t = hint_target(i);
            const bool lit = hovered_ == t || pressed_ == t;
            painter_.rounded_rect(pill, pill.h * 0.5f, lit ? theme::key_focus : theme::key);
            text_in(Face::ui_regular, theme::hint_label_size, pill, bar.items[k].label,
                    lit ? theme::key_focus_text : theme::hint_label);
        } else {
            item_w = glyph_w[k] + gap + label_w[k];
            const Rect glyph{std::round(x), std::round(area.center().y - disc * 0.5f),
                             std::floor(glyph_w[k]), std::round(disc)};
            draw_glyph(glyph, g);
            const Rect label{x + glyph_w[k] + gap, area.y, label_w[k], area.h};
            text_in(Face::ui_regular, theme::hint_label_size, label, bar.items[k].label,
                    theme::hint_label, Align::left);
        }
        l.hints[k] = {std::round(x), area.y, std::floor(item_w), area.h};
        l.hint_actions[k] = bar.items[k].action;
        x += item_w + item_gap;
    }
}

}  // namespace pinlink::ui
