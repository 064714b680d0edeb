// Test support: the text a ui::Screen draws, read back as strings. A copy of the screen is built
// into a DrawList through a GlyphSource that takes every metric from a real glyph atlas (so
// wrapping and "…" cut-offs are exactly those of the real frame) but stamps each glyph quad with
// its code point and baseline instead of atlas coordinates, which the reader then decodes.
// Spaces are advances, not glyphs, so the strings carry none: compare with squeezed().
// Header-only; include as "support/drawn_text.hpp". Render thread only, like the atlas.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "render/text/glyph_atlas.hpp"
#include "ui/draw_list.hpp"
#include "ui/glyphs.hpp"
#include "ui/nav_repeat.hpp"  // ui::Clock
#include "ui/screen.hpp"

namespace pinlink::test {

// `text` without spaces: how it reads back from a frame.
inline std::string squeezed(std::string_view text) {
    std::string out;
    for (const char c : text)
        if (c != ' ') out.push_back(c);
    return out;
}

// What one frame showed, as text (no spaces; UTF-8).
struct DrawnText {
    std::string all;       // every glyph on the drawable: lines top to bottom, each left to right
    std::string headline;  // layout().headline: the title of Connecting, Linking, Linked, Problem
    std::string body;      // layout().body: Problem's next step, Linked's display name
    std::string detail;    // layout().detail: Problem's small line (the provider's words, codes)
};

class TextReader final : public ui::GlyphSource {
  public:
    // nullptr (and the reason in `error`) when the fonts cannot be loaded.
    static std::unique_ptr<TextReader> create(std::string* error) {
        auto made = render::GlyphAtlas::create();
        if (!made) {
            if (error) *error = made.message;
            return nullptr;
        }
        return std::unique_ptr<TextReader>(new TextReader(std::move(made.atlas)));
    }

    // The text `screen` draws on a drawable of width x height pixels. Builds a copy, so the
    // screen's own redraw bookkeeping is untouched.
    DrawnText read(const ui::Screen& screen, int width, int height) {
        ui::Screen copy = screen;
        copy.build(list_, *this, width, height, ui::Clock::now());
        const ui::Layout& l = copy.layout();
        const auto glyphs = decode();
        return DrawnText{join(glyphs, nullptr), join(glyphs, &l.headline), join(glyphs, &l.body),
                         join(glyphs, &l.detail)};
    }

    // ui::GlyphSource: the real metrics; the quad's atlas coordinates carry the code point
    // (u0), the pixel size (v0), the face (u1) and the glyph's top relative to the baseline (v1).
    ui::FontMetrics metrics(ui::Face face, int px) override { return atlas_->metrics(face, px); }
    const ui::Glyph& glyph(ui::Face face, int px, char32_t cp) override {
        auto [it, inserted] = cache_.try_emplace(std::make_tuple(face, px, cp));
        if (inserted) {
            ui::Glyph g = atlas_->glyph(face, px, cp);
            g.u0 = static_cast<float>(cp);
            g.v0 = static_cast<float>(px);
            g.u1 = static_cast<float>(static_cast<int>(face)) + 0.5f;
            g.v1 = std::round(g.y0);
            it->second = g;
        }
        return it->second;
    }

  private:
    struct Quad {
        char32_t cp;
        float baseline;
        float x;
        ui::Vec2 center;
    };

    explicit TextReader(std::unique_ptr<render::GlyphAtlas> atlas) : atlas_(std::move(atlas)) {}

    std::vector<Quad> decode() const {
        std::vector<Quad> out;
        for (const ui::DrawCommand& cmd : list_.commands) {
            if (cmd.texture != ui::TextureId::glyph_atlas) continue;
            // Painter emits a glyph as triangles (0, 1, 2) and (0, 2, 3) from its top-left 0.
            for (std::uint32_t i = cmd.index_offset; i + 5 < cmd.index_offset + cmd.index_count;
                 i += 6) {
                const ui::Vertex& a = list_.vertices[list_.indices[i]];
                const ui::Vertex& c = list_.vertices[list_.indices[i + 2]];
                out.push_back({static_cast<char32_t>(a.u),
                               a.y - c.v,
                               a.x,
                               {(a.x + c.x) * 0.5f, (a.y + c.y) * 0.5f}});
            }
        }
        // Reading order: by baseline, then left to right.
        std::stable_sort(out.begin(), out.end(), [](const Quad& p, const Quad& q) {
            return p.baseline != q.baseline ? p.baseline < q.baseline : p.x < q.x;
        });
        return out;
    }

    static void append_utf8(std::string& s, char32_t cp) {
        if (cp < 0x80) {
            s.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            s.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }

    // The glyphs whose centres lie in `area` (all of them for nullptr), in reading order.
    static std::string join(const std::vector<Quad>& quads, const ui::Rect* area) {
        std::string s;
        for (const Quad& q : quads) {
            if (area && !area->contains(q.center.x, q.center.y)) continue;
            append_utf8(s, q.cp);
        }
        return s;
    }

    std::unique_ptr<render::GlyphAtlas> atlas_;
    std::map<std::tuple<ui::Face, int, char32_t>, ui::Glyph> cache_;
    ui::DrawList list_;
};

}  // namespace pinlink::test
