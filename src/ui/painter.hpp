// Drawing primitives onto a DrawList: solid and gradient rectangles, anti-aliased rounded
// rectangles, circles, rings, arcs and lines (a one-pixel alpha fringe in the manner of Dear
// ImGui, so edges stay smooth on backends without multisampling), and text from a GlyphSource
// placed on whole pixels at the size it was rasterised, never scaled.
//
// One Painter lives as long as the screen and keeps its scratch buffers, so a frame allocates
// nothing once the buffers have grown to their working size.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "ui/draw_list.hpp"
#include "ui/geometry.hpp"
#include "ui/glyphs.hpp"

namespace pinlink::ui {

enum class Align : unsigned char { left, center, right };

class Painter {
  public:
    Painter();

    // Starts drawing into `list` (already reset) with glyphs from `glyphs`. Both must outlive
    // the frame; the painter keeps no reference after end().
    void begin(DrawList& list, GlyphSource& glyphs);
    void end();

    // Multiplies the alpha of everything drawn from now on (state fades).
    void set_alpha(float a) { alpha_ = a; }
    float alpha() const { return alpha_; }

    void rect(const Rect& r, Color c);  // axis aligned, no fringe: callers snap to pixels
    void gradient(const Rect& r, Color top, Color bottom);
    void rounded_rect(const Rect& r, float radius, Color c);
    void rounded_rect_stroke(const Rect& r, float radius, float width, Color c);
    void circle(Vec2 center, float radius, Color c);
    void ring(Vec2 center, float radius, float width, Color c);  // radius to the stroke's middle
    // Open arc from angle a0 to a1 (radians, clockwise on screen from +x) with round caps.
    void arc(Vec2 center, float radius, float a0, float a1, float width, Color c);
    void line(Vec2 a, Vec2 b, float width, Color c);                           // with round caps
    void polygon_stroke(const Vec2* points, int count, float width, Color c);  // closed

    // Text. `px` is the physical pixel size the glyphs are rasterised at.
    FontMetrics metrics(Face face, int px);
    float measure(Face face, int px, std::string_view utf8);
    // Draws one line with its baseline at `baseline`; returns the advance width.
    float text(Face face, int px, float x, float baseline, std::string_view utf8, Color c,
               Align align = Align::left);

    // Word-wrapped text inside [x, x + max_w], first line's top at `top`, lines `line_h`
    // apart; a word wider than the box breaks after '/', '?', '&' or '=' if it can, else
    // anywhere. At most `max_lines` lines; the last one ends in "…" when text was left over.
    // Returns the number of lines; with `draw` false it only measures.
    int text_block(Face face, int px, float x, float top, float max_w, float line_h,
                   std::string_view utf8, Color c, Align align, int max_lines, bool draw = true);

    DrawList* list() { return list_; }

  private:
    static constexpr int max_quarter_segments = 40;
    struct Prim {
        Vertex* v;           // `vertices` slots to fill
        std::uint32_t* i;    // `indices` slots to fill
        std::uint32_t base;  // index of v[0]
    };

    Color faded(Color c) const;
    void use(TextureId texture);
    // Grows the list by exactly this much (written in place by the caller) under `texture`.
    Prim reserve(TextureId texture, std::size_t vertices, std::size_t indices);
    // Paths: points_ with unit outward normals_ (radial for arcs, mitred for corners).
    void rounded_rect_path(const Rect& r, float radius);
    void circle_path(Vec2 center, float radius);
    void arc_path(Vec2 center, float radius, float a0, float a1, int segments);
    void corner(Vec2 center, float radius, int quadrant, int segments, bool last_point);
    void miter_normals(bool closed);
    void fill_path(Color c);  // convex
    void stroke_path(bool closed, float width, Color c);
    const Vec2* quarter(int segments);
    int circle_segments(float radius) const;
    float draw_line_text(Face face, int px, float x, float baseline, std::string_view utf8,
                         Color c);
    void shift(std::size_t first_vertex, float dx);
    std::size_t fit(Face face, int px, std::string_view utf8, float max_w, float& width);

    DrawList* list_ = nullptr;
    GlyphSource* glyphs_ = nullptr;
    float alpha_ = 1.0f;
    std::vector<Vec2> points_;   // scratch: the current path
    std::vector<Vec2> normals_;  // scratch: its per-point normals
    std::array<std::vector<Vec2>, max_quarter_segments + 1> quarters_;  // unit arcs, by segments
};

// Decodes one UTF-8 code point at `i` and advances `i`; malformed bytes give U+FFFD.
char32_t next_codepoint(std::string_view s, std::size_t& i);

}  // namespace pinlink::ui
