// The look of the link screen in one place: colours, type sizes, metrics and timings, all in
// design units of the 1920x1080 canvas (layout.cpp scales them to the drawable). A constexpr
// header rather than a runtime file: nothing to load, nothing to fail, checked by the compiler.
#pragma once

#include <chrono>

#include "ui/draw_list.hpp"

namespace pinlink::ui::theme {

// Canvas and TV-safe area (5% of each dimension, the broadcast "action safe" margin).
inline constexpr float canvas_w = 1920.0f;
inline constexpr float canvas_h = 1080.0f;
inline constexpr float safe_x = 96.0f;
inline constexpr float safe_y = 54.0f;

// Calm, dark, like a console's own system screen; one bright accent for focus.
inline constexpr Color bg_top{22, 26, 33, 255};
inline constexpr Color bg_bottom{11, 13, 17, 255};
inline constexpr Color text{238, 241, 245, 255};
inline constexpr Color text_secondary{160, 170, 184, 255};
inline constexpr Color text_dim{118, 127, 141, 255};
inline constexpr Color accent{94, 200, 255, 255};  // focus ring, active PIN box
inline constexpr Color key{40, 46, 56, 255};       // pad keys and buttons at rest
inline constexpr Color key_text{238, 241, 245, 255};
inline constexpr Color key_focus{240, 244, 249, 255};  // focused key: lit up, dark label
inline constexpr Color key_focus_text{14, 17, 22, 255};
inline constexpr Color key_pressed{190, 202, 216, 255};
inline constexpr Color key_disabled_text{104, 112, 124, 255};
inline constexpr Color box{27, 32, 40, 255};  // PIN boxes
inline constexpr Color box_border{64, 72, 86, 255};
inline constexpr Color notice{255, 196, 102, 255};  // "That PIN didn't work" and friends
inline constexpr Color success{62, 204, 110, 255};
inline constexpr Color problem{255, 118, 108, 255};
inline constexpr Color qr_dark{12, 12, 14, 255};  // dark on light, as scanners expect
inline constexpr Color qr_light{250, 250, 250, 255};
inline constexpr Color overlay{0, 0, 0, 176};  // behind the "Stop linking?" panel
inline constexpr Color panel{30, 35, 44, 255};
inline constexpr Color progress_track{44, 50, 60, 255};
inline constexpr Color hint_cap{56, 63, 75, 255};  // the disc or keycap behind a glyph
inline constexpr Color hint_label{200, 207, 217, 255};

// Controller face-button colours, as printed on the controllers. B and X are lifted a little
// so the letters keep 3:1 contrast on hint_cap (large-text legibility from the couch).
inline constexpr Color xbox_a{108, 190, 69, 255};
inline constexpr Color xbox_b{250, 105, 100, 255};
inline constexpr Color xbox_x{90, 160, 255, 255};
inline constexpr Color xbox_y{250, 200, 40, 255};
inline constexpr Color ps_cross{130, 172, 235, 255};
inline constexpr Color ps_circle{240, 100, 100, 255};
inline constexpr Color ps_square{225, 140, 200, 255};
inline constexpr Color ps_triangle{70, 200, 170, 255};
inline constexpr Color neutral_glyph{238, 241, 245, 255};

// Type sizes in design pixels (body >= 32, secondary >= 24 at 1080p).
inline constexpr float title_size = 56.0f;
inline constexpr float body_size = 36.0f;
inline constexpr float secondary_size = 28.0f;
inline constexpr float detail_size = 24.0f;
inline constexpr float address_size = 34.0f;
inline constexpr float address_min_size = 32.0f;  // when the token would not fit a line
inline constexpr float pin_digit_size = 64.0f;
inline constexpr float key_label_size = 48.0f;
inline constexpr float button_label_size = 36.0f;
inline constexpr float hint_label_size = 28.0f;
inline constexpr float hint_glyph_size = 26.0f;

// Metrics in design pixels.
inline constexpr float key_w = 144.0f;  // pad keys: >= 96 in both directions
inline constexpr float key_h = 100.0f;
inline constexpr float key_gap = 16.0f;
inline constexpr float key_radius = 18.0f;
inline constexpr float box_w = 92.0f;  // PIN boxes (shrink when a PIN is longer than 7)
inline constexpr float box_h = 116.0f;
inline constexpr float box_gap = 12.0f;
inline constexpr float box_radius = 14.0f;
inline constexpr float box_border_w = 3.0f;
inline constexpr float ring_width = 6.0f;  // the focus ring, seen from three metres
inline constexpr float ring_gap = 5.0f;    // between the key and the ring
inline constexpr float focus_scale = 1.06f;
inline constexpr float pressed_scale = 0.94f;
inline constexpr float button_w = 320.0f;
inline constexpr float button_h = 104.0f;
inline constexpr float button_gap = 44.0f;
inline constexpr float qr_height_fraction = 0.45f;  // of the canvas height
inline constexpr float hint_bar_h = 56.0f;
inline constexpr float hint_disc = 48.0f;
inline constexpr float hint_item_gap = 44.0f;
inline constexpr float hint_glyph_gap = 14.0f;
inline constexpr float spinner_radius = 60.0f;
inline constexpr float waiting_drop = 90.0f;  // Connecting/Linking sit lower: no buttons below
inline constexpr float spinner_width = 10.0f;
inline constexpr float badge_radius = 84.0f;  // the ✓ on Linked, the ! on Problem
inline constexpr float panel_w = 960.0f;
inline constexpr float panel_h = 460.0f;
inline constexpr float panel_radius = 28.0f;

// Timings: short and calm, and they all end so an idle screen costs nothing.
using Ms = std::chrono::milliseconds;
inline constexpr Ms state_fade{200};        // new state fades in (from fade_floor, rising slightly)
inline constexpr float fade_floor = 0.35f;  // the first frame after a change already shows it
inline constexpr float fade_rise = 16.0f;   // design px
inline constexpr Ms overlay_fade{150};
inline constexpr Ms focus_glide{130};
inline constexpr Ms glide_head_start{30};  // the first frame after a move is already under way
inline constexpr Ms press_flash{140};
inline constexpr Ms digit_pop{160};
inline constexpr Ms pin_reveal{1000};    // the newest digit shows this long, then becomes a dot
inline constexpr Ms linked_close{4000};  // Linked closes by itself after this
inline constexpr Ms spinner_turn{1100};  // one revolution

}  // namespace pinlink::ui::theme
