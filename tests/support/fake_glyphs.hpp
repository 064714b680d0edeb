// A GlyphSource for tests of src/ui: fixed-width boxes whose atlas coordinates carry the code
// point, pixel size and face, so a test can read text back out of a DrawList. Also records
// every (face, pixel size) the layout asked for. Header-only; include as "support/fake_glyphs.hpp".
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "ui/draw_list.hpp"
#include "ui/geometry.hpp"
#include "ui/glyphs.hpp"

namespace pinlink::test {

class FakeGlyphs : public ui::GlyphSource {
  public:
    // Box metrics as functions of the pixel size: what the checks below rely on.
    static float advance(int px) { return std::round(0.6f * static_cast<float>(px)); }
    static float ink_width(int px) { return std::round(0.5f * static_cast<float>(px)); }
    static float ink_height(int px) { return std::round(0.7f * static_cast<float>(px)); }

    ui::FontMetrics metrics(ui::Face face, int px) override {
        sizes.insert({face, px});
        const auto p = static_cast<float>(px);
        return {std::round(0.8f * p), std::round(0.2f * p), std::round(1.2f * p)};
    }

    const ui::Glyph& glyph(ui::Face face, int px, char32_t cp) override {
        sizes.insert({face, px});
        auto [it, inserted] = cache_.try_emplace(std::make_tuple(face, px, cp));
        if (inserted) {
            ui::Glyph& g = it->second;
            g.advance = advance(px);
            if (cp != U' ') {
                g.x0 = 0;
                g.x1 = ink_width(px);
                g.y0 = -ink_height(px);
                g.y1 = 0;
            }
            // Not real atlas coordinates: the top-left vertex says which glyph this is.
            g.u0 = static_cast<float>(cp);
            g.v0 = static_cast<float>(px);
            g.u1 = static_cast<float>(static_cast<int>(face)) + 0.5f;
            g.v1 = -1;
        }
        return it->second;
    }

    std::set<std::pair<ui::Face, int>> sizes;

  private:
    std::map<std::tuple<ui::Face, int, char32_t>, ui::Glyph> cache_;
};

// One glyph quad read back out of a DrawList built with FakeGlyphs.
struct DrawnGlyph {
    char32_t cp = 0;
    int px = 0;
    ui::Face face = ui::Face::ui_regular;
    ui::Rect rect;
};

inline std::vector<DrawnGlyph> drawn_glyphs(const ui::DrawList& list) {
    std::vector<DrawnGlyph> out;
    for (const ui::DrawCommand& cmd : list.commands) {
        if (cmd.texture != ui::TextureId::glyph_atlas) continue;
        for (std::uint32_t i = cmd.index_offset; i + 5 < cmd.index_offset + cmd.index_count;
             i += 6) {
            // Painter emits a glyph as triangles (a, b, d) and (a, d, e) from the top-left a.
            const ui::Vertex& a = list.vertices[list.indices[i]];
            const ui::Vertex& b = list.vertices[list.indices[i + 1]];
            const ui::Vertex& d = list.vertices[list.indices[i + 2]];
            DrawnGlyph g;
            g.cp = static_cast<char32_t>(a.u);
            g.px = static_cast<int>(a.v);
            g.face = static_cast<ui::Face>(static_cast<int>(b.u));
            g.rect = {a.x, a.y, d.x - a.x, d.y - a.y};
            out.push_back(g);
        }
    }
    return out;
}

// The text whose glyphs have their centres inside `area`, in reading order: glyphs whose
// centres are within half a glyph height of each other vertically form a line (so a letter on a
// button disc and the label beside it read together), lines top to bottom, each left to right.
// UTF-32 narrowed to ASCII where it can be ('?' otherwise).
inline std::string text_in(const ui::DrawList& list, const ui::Rect& area) {
    std::vector<DrawnGlyph> gs;
    for (const DrawnGlyph& g : drawn_glyphs(list))
        if (area.contains(g.rect.center().x, g.rect.center().y)) gs.push_back(g);
    std::stable_sort(gs.begin(), gs.end(), [](const DrawnGlyph& a, const DrawnGlyph& b) {
        return a.rect.center().y < b.rect.center().y;
    });
    std::vector<std::vector<DrawnGlyph>> lines;
    float line_y = 0, line_h = 0;
    for (const DrawnGlyph& g : gs) {
        if (lines.empty() || g.rect.center().y > line_y + line_h * 0.5f) {
            lines.emplace_back();
            line_y = g.rect.center().y;
            line_h = g.rect.h;
        }
        lines.back().push_back(g);
    }
    std::string s;
    for (auto& line : lines) {
        std::stable_sort(line.begin(), line.end(), [](const DrawnGlyph& a, const DrawnGlyph& b) {
            return a.rect.x < b.rect.x;
        });
        for (const DrawnGlyph& g : line)
            s.push_back(g.cp < 128 ? static_cast<char>(g.cp) : '?');
    }
    return s;
}

}  // namespace pinlink::test
