// Shared by the render tests: headless SDL, draw-list builders, and the picture checks both
// backends must pass (solid quads, clipping, blending, text through the atlas, a QR-like module
// grid). Each backend's test file supplies a Target that draws a list and reads it back.
#pragma once

#include <SDL.h>
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <link.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "render/common/image.hpp"
#include "render/text/glyph_atlas.hpp"
#include "ui/draw_list.hpp"

namespace pinlink::render::fixture {

// Under AddressSanitizer only. Destroying the last GL window (and SDL_Quit) unloads the EGL/GL
// libraries SDL opened (glvnd's libEGL, Mesa's swrast_dri.so); what they allocated then shows up
// as leaks "in <unknown module>" that no suppression can name. Pinning every loaded library
// first keeps their memory reachable and their frames symbolised. Call before destroying a
// window; nothing else about the test changes.
inline void keep_libraries_loaded() {
#if defined(__SANITIZE_ADDRESS__)
    dl_iterate_phdr(
        [](dl_phdr_info* info, std::size_t, void*) {
            if (info->dlpi_name != nullptr && info->dlpi_name[0] != '\0') {
                dlopen(info->dlpi_name, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
            }
            return 0;
        },
        nullptr);
#endif
}

// SDL video on the offscreen driver (EGL + Mesa llvmpipe): no display needed.
class HeadlessVideo {
  public:
    HeadlessVideo() {
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
        ok_ = SDL_Init(SDL_INIT_VIDEO) == 0;
        if (!ok_) error_ = SDL_GetError();
    }
    ~HeadlessVideo() {
        if (!ok_) return;
        keep_libraries_loaded();
        SDL_Quit();
    }
    HeadlessVideo(const HeadlessVideo&) = delete;
    HeadlessVideo& operator=(const HeadlessVideo&) = delete;

    bool ok() const { return ok_; }
    const std::string& error() const { return error_; }

  private:
    bool ok_ = false;
    std::string error_;
};

struct Box {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // [x0,x1) x [y0,y1)
    bool contains(int x, int y) const { return x >= x0 && x < x1 && y >= y0 && y < y1; }
};

// Appends an axis-aligned quad, merging into the last command when clip and texture match.
inline void add_quad(ui::DrawList& list, float x0, float y0, float x1, float y1, ui::Color color,
                     ui::TextureId texture = ui::TextureId::none, ui::ClipRect clip = {},
                     float u0 = 0, float v0 = 0, float u1 = 0, float v1 = 0) {
    const auto base = static_cast<std::uint32_t>(list.vertices.size());
    list.vertices.push_back({x0, y0, u0, v0, color});
    list.vertices.push_back({x1, y0, u1, v0, color});
    list.vertices.push_back({x1, y1, u1, v1, color});
    list.vertices.push_back({x0, y1, u0, v1, color});
    const auto first = static_cast<std::uint32_t>(list.indices.size());
    for (const std::uint32_t i : {0u, 1u, 2u, 0u, 2u, 3u})
        list.indices.push_back(base + i);
    if (!list.commands.empty()) {
        ui::DrawCommand& last = list.commands.back();
        const bool same_clip = last.clip.x == clip.x && last.clip.y == clip.y &&
                               last.clip.w == clip.w && last.clip.h == clip.h;
        if (same_clip && last.texture == texture && last.index_offset + last.index_count == first) {
            last.index_count += 6;
            return;
        }
    }
    list.commands.push_back({clip, texture, first, 6});
}

struct PlacedGlyph {
    ui::Glyph glyph;
    int pen_x = 0, pen_y = 0;
    Box box;  // on screen
};

// Lays out `text` from an integer pen position on the baseline; returns what it placed.
inline std::vector<PlacedGlyph> add_text(ui::DrawList& list, GlyphAtlas& atlas, ui::Face face,
                                         int size, int pen_x, int baseline,
                                         const std::u32string& text, ui::Color color) {
    std::vector<PlacedGlyph> placed;
    for (const char32_t c : text) {
        const ui::Glyph& g = atlas.glyph(face, size, c);
        if (g.x1 > g.x0) {
            const float x = static_cast<float>(pen_x);
            const float y = static_cast<float>(baseline);
            add_quad(list, x + g.x0, y + g.y0, x + g.x1, y + g.y1, color,
                     ui::TextureId::glyph_atlas, {}, g.u0, g.v0, g.u1, g.v1);
            placed.push_back({g,
                              pen_x,
                              baseline,
                              {pen_x + static_cast<int>(g.x0), baseline + static_cast<int>(g.y0),
                               pen_x + static_cast<int>(g.x1), baseline + static_cast<int>(g.y1)}});
        }
        pen_x += static_cast<int>(g.advance);
    }
    return placed;
}

// The coverage the atlas holds for a placed glyph at its on-screen pixel (x, y).
inline int coverage_at(const GlyphAtlas& atlas, const PlacedGlyph& p, int x, int y) {
    const int ax =
        static_cast<int>(p.glyph.u0 * static_cast<float>(atlas.width()) + 0.5f) + (x - p.box.x0);
    const int ay =
        static_cast<int>(p.glyph.v0 * static_cast<float>(atlas.height()) + 0.5f) + (y - p.box.y0);
    return atlas.pixels()[static_cast<std::size_t>(ay) * static_cast<std::size_t>(atlas.width()) +
                          static_cast<std::size_t>(ax)];
}

inline int channel_diff(ui::Color a, ui::Color b) {
    return std::max({std::abs(a.r - b.r), std::abs(a.g - b.g), std::abs(a.b - b.b)});
}

inline std::string describe(ui::Color c) {
    return "(" + std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + ")";
}

// Something that draws a list and gives the picture back: one per backend (and SDL driver).
class Target {
  public:
    virtual ~Target() = default;
    virtual int width() const = 0;
    virtual int height() const = 0;
    // Draws `list` (and uploads the atlas, if any), reads the frame back, presents.
    virtual Image draw(const ui::DrawList& list, GlyphAtlas* atlas) = 0;
};

constexpr ui::Color kClear{20, 24, 31, 255};
constexpr ui::Color kRed{230, 40, 30, 255};
constexpr ui::Color kGreen{40, 200, 90, 255};
constexpr ui::Color kBlue{30, 80, 220, 255};
constexpr ui::Color kWhite{255, 255, 255, 255};

// Solid quads of known colours: exact colours inside, exact edges, clear colour elsewhere.
inline void check_solid_quads(Target& target) {
    ui::DrawList list;
    list.reset(target.width(), target.height(), kClear);
    add_quad(list, 10, 10, 110, 60, kRed);
    add_quad(list, 200, 30, 201, 31, kGreen);  // one single pixel
    add_quad(list, 300, 100, 420, 180, kBlue);
    const Image image = target.draw(list, nullptr);
    ASSERT_EQ(image.width, target.width());
    ASSERT_EQ(image.height, target.height());

    const std::vector<std::pair<Box, ui::Color>> quads = {
        {{10, 10, 110, 60}, kRed}, {{200, 30, 201, 31}, kGreen}, {{300, 100, 420, 180}, kBlue}};
    int wrong = 0;
    for (int y = 0; y < 220; ++y) {
        for (int x = 0; x < 460; ++x) {
            ui::Color expected = kClear;
            for (const auto& [box, color] : quads) {
                if (box.contains(x, y)) expected = color;
            }
            if (channel_diff(image.pixel(x, y), expected) != 0 && wrong++ < 5) {
                ADD_FAILURE() << "pixel " << x << "," << y << " is " << describe(image.pixel(x, y))
                              << ", expected " << describe(expected);
            }
        }
    }
    EXPECT_EQ(wrong, 0);
    // Far corner: the clear colour reaches the whole target.
    EXPECT_EQ(channel_diff(image.pixel(target.width() - 1, target.height() - 1), kClear), 0);
}

// A quad larger than its clip rectangle: coloured inside the clip, untouched outside.
inline void check_clipping(Target& target) {
    ui::DrawList list;
    list.reset(target.width(), target.height(), kClear);
    const ui::ClipRect clip{60, 40, 50, 30};
    add_quad(list, 20, 20, 200, 120, kGreen, ui::TextureId::none, clip);
    add_quad(list, 300, 20, 340, 60, kRed);  // unclipped, after a clipped command
    const Image image = target.draw(list, nullptr);
    ASSERT_FALSE(image.empty());
    int wrong = 0;
    for (int y = 0; y < 140; ++y) {
        for (int x = 0; x < 360; ++x) {
            ui::Color expected = kClear;
            if (Box{60, 40, 110, 70}.contains(x, y)) expected = kGreen;
            if (Box{300, 20, 340, 60}.contains(x, y)) expected = kRed;
            if (channel_diff(image.pixel(x, y), expected) != 0 && wrong++ < 5) {
                ADD_FAILURE() << "pixel " << x << "," << y << " is " << describe(image.pixel(x, y))
                              << ", expected " << describe(expected);
            }
        }
    }
    EXPECT_EQ(wrong, 0);
}

// Straight alpha: 50% red over blue is half of each.
inline void check_blending(Target& target) {
    ui::DrawList list;
    list.reset(target.width(), target.height(), kClear);
    add_quad(list, 10, 10, 110, 110, {0, 0, 255, 255});
    add_quad(list, 10, 10, 110, 110, {255, 0, 0, 128});
    const Image image = target.draw(list, nullptr);
    ASSERT_FALSE(image.empty());
    const ui::Color c = image.pixel(60, 60);
    EXPECT_NEAR(c.r, 128, 2);
    EXPECT_EQ(c.g, 0);
    EXPECT_NEAR(c.b, 127, 2);
}

// Text through the atlas: each glyph's pixels match its coverage in the atlas (so placement
// and texture coordinates are exact), coverage is non-zero inside the text and zero outside.
inline void check_text(Target& target, GlyphAtlas& atlas) {
    ui::DrawList list;
    list.reset(target.width(), target.height(), kClear);
    const std::vector<PlacedGlyph> placed =
        add_text(list, atlas, ui::Face::ui_semibold, 48, 40, 100, U"Hi \u2713 0", kWhite);
    ASSERT_EQ(placed.size(), 4u);  // H, i, ✓, 0 (the spaces are blank)
    const Image image = target.draw(list, &atlas);
    ASSERT_FALSE(image.empty());

    Box all{placed[0].box};
    for (const PlacedGlyph& p : placed) {
        all = {std::min(all.x0, p.box.x0), std::min(all.y0, p.box.y0), std::max(all.x1, p.box.x1),
               std::max(all.y1, p.box.y1)};
    }
    int lit = 0, wrong = 0;
    for (int y = all.y0 - 10; y < all.y1 + 10; ++y) {
        for (int x = all.x0 - 10; x < all.x1 + 10; ++x) {
            int coverage = 0;
            for (const PlacedGlyph& p : placed) {
                if (p.box.contains(x, y)) coverage = coverage_at(atlas, p, x, y);
            }
            // White over the clear colour, weighted by coverage.
            const auto mix = [coverage](int clear) {
                return clear + ((255 - clear) * coverage + 127) / 255;
            };
            const ui::Color expected{static_cast<std::uint8_t>(mix(kClear.r)),
                                     static_cast<std::uint8_t>(mix(kClear.g)),
                                     static_cast<std::uint8_t>(mix(kClear.b)), 255};
            const ui::Color got = image.pixel(x, y);
            // Outside every glyph nothing may change at all; inside, rounding differs a little.
            const int tolerance = coverage == 0 ? 0 : 3;
            if (channel_diff(got, expected) > tolerance && wrong++ < 5) {
                ADD_FAILURE() << "text pixel " << x << "," << y << " is " << describe(got)
                              << ", expected " << describe(expected) << " (coverage " << coverage
                              << ")";
            }
            if (channel_diff(got, kClear) > 200) ++lit;
        }
    }
    EXPECT_EQ(wrong, 0);
    EXPECT_GT(lit, 100) << "the text should have solid strokes";
}

// A QR-like grid of whole-pixel modules, about 45% of the height, 4-module quiet zone: every
// pixel of it reads back exactly (a decoder needs crisp module edges).
inline void check_module_grid(Target& target) {
    constexpr int modules = 33 + 8;  // version 4 plus the quiet zone
    const int module_px = target.height() * 45 / 100 / modules;
    ASSERT_GE(module_px, 2);
    const int side = modules * module_px;
    const int left = (target.width() - side) / 2;
    const int top = (target.height() - side) / 2;

    std::vector<bool> dark(static_cast<std::size_t>(modules * modules));
    std::uint32_t state = 12345;  // fixed LCG: a reproducible pattern
    for (int y = 4; y < modules - 4; ++y) {
        for (int x = 4; x < modules - 4; ++x) {
            state = state * 1664525u + 1013904223u;
            dark[static_cast<std::size_t>(y * modules + x)] = (state >> 28) & 1u;
        }
    }
    constexpr ui::Color light{250, 250, 250, 255};
    constexpr ui::Color ink{12, 12, 16, 255};
    ui::DrawList list;
    list.reset(target.width(), target.height(), kClear);
    add_quad(list, static_cast<float>(left), static_cast<float>(top),
             static_cast<float>(left + side), static_cast<float>(top + side), light);
    for (int y = 0; y < modules; ++y) {
        for (int x = 0; x < modules; ++x) {
            if (!dark[static_cast<std::size_t>(y * modules + x)]) continue;
            const auto px = static_cast<float>(left + x * module_px);
            const auto py = static_cast<float>(top + y * module_px);
            add_quad(list, px, py, px + static_cast<float>(module_px),
                     py + static_cast<float>(module_px), ink);
        }
    }
    const Image image = target.draw(list, nullptr);
    ASSERT_EQ(image.width, target.width());
    ASSERT_EQ(image.height, target.height());

    int wrong = 0;
    for (int y = top - 3; y < top + side + 3; ++y) {
        for (int x = left - 3; x < left + side + 3; ++x) {
            ui::Color expected = kClear;
            if (x >= left && x < left + side && y >= top && y < top + side) {
                const int mx = (x - left) / module_px;
                const int my = (y - top) / module_px;
                expected = dark[static_cast<std::size_t>(my * modules + mx)] ? ink : light;
            }
            if (channel_diff(image.pixel(x, y), expected) != 0 && wrong++ < 5) {
                ADD_FAILURE() << "module pixel " << x << "," << y << " is "
                              << describe(image.pixel(x, y)) << ", expected " << describe(expected);
            }
        }
    }
    EXPECT_EQ(wrong, 0) << "at " << target.width() << "x" << target.height() << ", " << module_px
                        << " px per module";
}

// A draw list with an index past its vertices is refused, not drawn.
inline ui::DrawList broken_list(int width, int height) {
    ui::DrawList list;
    list.reset(width, height, kClear);
    add_quad(list, 10, 10, 50, 50, kRed);
    list.indices.back() = 99;
    return list;
}

}  // namespace pinlink::render::fixture
