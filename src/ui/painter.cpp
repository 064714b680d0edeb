// Drawing primitives (see painter.hpp). Anti-aliasing follows Dear ImGui's approach: the solid
// shape is inset by half a pixel and surrounded by a one-pixel ring fading to alpha 0.
#include "ui/painter.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace pinlink::ui {

namespace {

constexpr float pi = std::numbers::pi_v<float>;
constexpr std::string_view ellipsis = "\u2026";

Vec2 normalized(float x, float y) {
    const float len = std::sqrt(x * x + y * y);
    if (len <= 1e-6f) return {0, 0};
    return {x / len, y / len};
}

bool is_url_break(char32_t cp) {
    return cp == '/' || cp == '?' || cp == '&' || cp == '=';
}

}  // namespace

char32_t next_codepoint(std::string_view s, std::size_t& i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    int extra = 0;
    char32_t cp = 0;
    if (b0 < 0x80) {
        ++i;
        return b0;
    } else if ((b0 & 0xE0) == 0xC0) {
        extra = 1;
        cp = b0 & 0x1Fu;
    } else if ((b0 & 0xF0) == 0xE0) {
        extra = 2;
        cp = b0 & 0x0Fu;
    } else if ((b0 & 0xF8) == 0xF0) {
        extra = 3;
        cp = b0 & 0x07u;
    } else {
        ++i;
        return 0xFFFD;
    }
    if (i + static_cast<std::size_t>(extra) >= s.size()) {  // truncated sequence
        i = s.size();
        return 0xFFFD;
    }
    for (int k = 1; k <= extra; ++k) {
        const unsigned char b = byte(i + static_cast<std::size_t>(k));
        if ((b & 0xC0) != 0x80) {
            i += static_cast<std::size_t>(k);
            return 0xFFFD;
        }
        cp = (cp << 6) | (b & 0x3Fu);
    }
    i += static_cast<std::size_t>(extra) + 1;
    return cp;
}

Painter::Painter() {
    points_.reserve(512);
    normals_.reserve(512);
    for (int s = 1; s <= max_quarter_segments; ++s)
        quarter(s);  // no allocation while drawing
}

void Painter::begin(DrawList& list, GlyphSource& glyphs) {
    list_ = &list;
    glyphs_ = &glyphs;
    alpha_ = 1.0f;
}

void Painter::end() {
    list_ = nullptr;
    glyphs_ = nullptr;
}

Color Painter::faded(Color c) const {
    if (alpha_ >= 1.0f) return c;
    const float a = std::clamp(static_cast<float>(c.a) * alpha_, 0.0f, 255.0f);
    c.a = static_cast<std::uint8_t>(std::lround(a));
    return c;
}

void Painter::use(TextureId texture) {
    auto& cmds = list_->commands;
    const auto end_index = static_cast<std::uint32_t>(list_->indices.size());
    if (!cmds.empty()) {
        const DrawCommand& last = cmds.back();
        if (last.texture == texture && last.clip.w == 0 && last.clip.h == 0 &&
            last.index_offset + last.index_count == end_index) {
            return;
        }
    }
    DrawCommand cmd;
    cmd.texture = texture;
    cmd.index_offset = end_index;
    cmds.push_back(cmd);
}

Painter::Prim Painter::reserve(TextureId texture, std::size_t vertices, std::size_t indices) {
    use(texture);
    const std::size_t v0 = list_->vertices.size(), i0 = list_->indices.size();
    list_->vertices.resize(v0 + vertices);
    list_->indices.resize(i0 + indices);
    list_->commands.back().index_count += static_cast<std::uint32_t>(indices);
    return {list_->vertices.data() + v0, list_->indices.data() + i0,
            static_cast<std::uint32_t>(v0)};
}

void Painter::rect(const Rect& r, Color c) {
    gradient(r, c, c);
}

void Painter::gradient(const Rect& r, Color top, Color bottom) {
    if (r.empty()) return;
    top = faded(top);
    bottom = faded(bottom);
    Prim p = reserve(TextureId::none, 4, 6);
    p.v[0] = Vertex{r.x, r.y, 0, 0, top};
    p.v[1] = Vertex{r.right(), r.y, 0, 0, top};
    p.v[2] = Vertex{r.right(), r.bottom(), 0, 0, bottom};
    p.v[3] = Vertex{r.x, r.bottom(), 0, 0, bottom};
    const std::uint32_t b = p.base;
    const std::uint32_t idx[6] = {b, b + 1, b + 2, b, b + 2, b + 3};
    std::copy(idx, idx + 6, p.i);
}

int Painter::circle_segments(float radius) const {
    // Segments so the polygon strays at most a quarter pixel from the true circle.
    if (radius <= 0.5f) return 12;
    const float step = std::acos(std::max(-1.0f, 1.0f - 0.25f / radius));
    return std::clamp(static_cast<int>(std::ceil(pi / step)), 12, 4 * max_quarter_segments);
}

const Vec2* Painter::quarter(int segments) {
    // Unit vectors for angles 0..π/2 in `segments` steps, computed once per segment count.
    segments = std::clamp(segments, 1, max_quarter_segments);
    auto& table = quarters_[static_cast<std::size_t>(segments)];
    if (table.empty()) {
        for (int k = 0; k <= segments; ++k) {
            const float t = 0.5f * pi * static_cast<float>(k) / static_cast<float>(segments);
            table.push_back({std::cos(t), std::sin(t)});
        }
    }
    return table.data();
}

void Painter::corner(Vec2 center, float radius, int quadrant, int segments, bool last_point) {
    // Quadrant q covers angles q·π/2 .. (q+1)·π/2, clockwise on screen (y down).
    const Vec2* u = quarter(segments);
    const int n = last_point ? segments + 1 : segments;
    for (int k = 0; k < n; ++k) {
        Vec2 d = u[k];
        switch (quadrant & 3) {
            case 0:
                break;
            case 1:
                d = {-d.y, d.x};
                break;
            case 2:
                d = {-d.x, -d.y};
                break;
            default:
                d = {d.y, -d.x};
                break;
        }
        points_.push_back({center.x + d.x * radius, center.y + d.y * radius});
        normals_.push_back(d);
    }
}

void Painter::arc_path(Vec2 center, float radius, float a0, float a1, int segments) {
    for (int i = 0; i <= segments; ++i) {
        const float t = a0 + (a1 - a0) * static_cast<float>(i) / static_cast<float>(segments);
        const Vec2 d{std::cos(t), std::sin(t)};
        points_.push_back({center.x + d.x * radius, center.y + d.y * radius});
        normals_.push_back(d);
    }
}

void Painter::rounded_rect_path(const Rect& r, float radius) {
    points_.clear();
    normals_.clear();
    radius = std::clamp(radius, 0.0f, std::min(r.w, r.h) * 0.5f);
    if (radius < 0.5f) {
        points_.push_back({r.x, r.y});
        points_.push_back({r.right(), r.y});
        points_.push_back({r.right(), r.bottom()});
        points_.push_back({r.x, r.bottom()});
        miter_normals(true);
        return;
    }
    const int seg = std::max(2, (circle_segments(radius) + 3) / 4);
    // Top-left, top-right, bottom-right, bottom-left: angles increase clockwise on screen.
    corner({r.x + radius, r.y + radius}, radius, 2, seg, true);
    corner({r.right() - radius, r.y + radius}, radius, 3, seg, true);
    corner({r.right() - radius, r.bottom() - radius}, radius, 0, seg, true);
    corner({r.x + radius, r.bottom() - radius}, radius, 1, seg, true);
}

void Painter::circle_path(Vec2 center, float radius) {
    points_.clear();
    normals_.clear();
    const int seg = std::max(3, (circle_segments(radius) + 3) / 4);
    for (int q = 0; q < 4; ++q)
        corner(center, radius, q, seg, false);
}

void Painter::miter_normals(bool closed) {
    // For polygons with corners (triangle, square): each vertex normal is the average of its
    // edges' normals, lengthened so offset edges stay parallel (clamped for sharp corners).
    const std::size_t n = points_.size();
    float area = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const Vec2 p = points_[i], q = points_[(i + 1) % n];
        area += p.x * q.y - q.x * p.y;
    }
    const float side = area >= 0 ? 1.0f : -1.0f;
    const std::size_t edges = closed ? n : n - 1;
    normals_.assign(n, Vec2{});
    const auto edge_normal = [&](std::size_t e) {
        const Vec2 p = points_[e], q = points_[(e + 1) % n];
        const Vec2 d = normalized(q.x - p.x, q.y - p.y);
        return Vec2{d.y * side, -d.x * side};
    };
    for (std::size_t i = 0; i < n; ++i) {
        Vec2 n0, n1;
        if (closed) {
            n0 = edge_normal((i + edges - 1) % edges);
            n1 = edge_normal(i);
        } else {
            n0 = edge_normal(i == 0 ? 0 : i - 1);
            n1 = edge_normal(i < edges ? i : edges - 1);
        }
        float mx = (n0.x + n1.x) * 0.5f, my = (n0.y + n1.y) * 0.5f;
        const float len2 = mx * mx + my * my;
        if (len2 > 1e-6f) {
            const float inv = std::min(1.0f / len2, 100.0f);
            mx *= inv;
            my *= inv;
        }
        normals_[i] = {mx, my};
    }
}

void Painter::fill_path(Color c) {
    // Solid polygon inset half a pixel, ringed by a pixel that fades to transparent.
    const std::size_t n = points_.size();
    if (n < 3) return;
    const Color solid = faded(c);
    Color clear = solid;
    clear.a = 0;
    const auto count = static_cast<std::uint32_t>(n);
    Prim p = reserve(TextureId::none, 2 * n, 3 * (n - 2) + 6 * n);
    for (std::size_t k = 0; k < n; ++k) {
        const Vec2 pt = points_[k], nm = normals_[k];
        p.v[2 * k] = Vertex{pt.x - nm.x * 0.5f, pt.y - nm.y * 0.5f, 0, 0, solid};
        p.v[2 * k + 1] = Vertex{pt.x + nm.x * 0.5f, pt.y + nm.y * 0.5f, 0, 0, clear};
    }
    std::uint32_t* out = p.i;
    const std::uint32_t b = p.base;
    for (std::uint32_t k = 1; k + 1 < count; ++k) {
        *out++ = b;
        *out++ = b + 2 * k;
        *out++ = b + 2 * (k + 1);
    }
    for (std::uint32_t k = 0; k < count; ++k) {
        const std::uint32_t j = k + 1 == count ? 0 : k + 1;
        *out++ = b + 2 * k;
        *out++ = b + 2 * j;
        *out++ = b + 2 * j + 1;
        *out++ = b + 2 * k;
        *out++ = b + 2 * j + 1;
        *out++ = b + 2 * k + 1;
    }
}

void Painter::stroke_path(bool closed, float width, Color c) {
    // A band of solid colour with a fading pixel on each side.
    const std::size_t n = points_.size();
    if (n < 2) return;
    const std::size_t edges = closed ? n : n - 1;
    const Color solid = faded(c);
    Color clear = solid;
    clear.a = 0;
    const float half = std::max(0.0f, width * 0.5f - 0.5f);
    const float outer = half + 1.0f;
    const auto count = static_cast<std::uint32_t>(n);
    Prim p = reserve(TextureId::none, 4 * n, 18 * edges);
    for (std::size_t k = 0; k < n; ++k) {
        const Vec2 pt = points_[k], nm = normals_[k];
        p.v[4 * k] = Vertex{pt.x + nm.x * outer, pt.y + nm.y * outer, 0, 0, clear};
        p.v[4 * k + 1] = Vertex{pt.x + nm.x * half, pt.y + nm.y * half, 0, 0, solid};
        p.v[4 * k + 2] = Vertex{pt.x - nm.x * half, pt.y - nm.y * half, 0, 0, solid};
        p.v[4 * k + 3] = Vertex{pt.x - nm.x * outer, pt.y - nm.y * outer, 0, 0, clear};
    }
    std::uint32_t* out = p.i;
    for (std::uint32_t e = 0; e < static_cast<std::uint32_t>(edges); ++e) {
        const std::uint32_t a = p.base + 4 * e;
        const std::uint32_t b = p.base + 4 * (e + 1 == count ? 0 : e + 1);
        for (std::uint32_t band = 0; band < 3; ++band) {
            *out++ = a + band;
            *out++ = b + band;
            *out++ = b + band + 1;
            *out++ = a + band;
            *out++ = b + band + 1;
            *out++ = a + band + 1;
        }
    }
}

void Painter::rounded_rect(const Rect& r, float radius, Color c) {
    if (r.empty()) return;
    rounded_rect_path(r, radius);
    fill_path(c);
}

void Painter::rounded_rect_stroke(const Rect& r, float radius, float width, Color c) {
    if (r.empty()) return;
    rounded_rect_path(r, radius);
    stroke_path(true, width, c);
}

void Painter::circle(Vec2 center, float radius, Color c) {
    circle_path(center, radius);
    fill_path(c);
}

void Painter::ring(Vec2 center, float radius, float width, Color c) {
    circle_path(center, radius);
    stroke_path(true, width, c);
}

void Painter::arc(Vec2 center, float radius, float a0, float a1, float width, Color c) {
    points_.clear();
    normals_.clear();
    const float turn = std::fabs(a1 - a0) / (2.0f * pi);
    const int seg = std::max(
        2, static_cast<int>(std::ceil(static_cast<float>(circle_segments(radius)) * turn)));
    arc_path(center, radius, a0, a1, seg);
    stroke_path(false, width, c);
    const float cap = width * 0.5f;
    circle({center.x + std::cos(a0) * radius, center.y + std::sin(a0) * radius}, cap, c);
    circle({center.x + std::cos(a1) * radius, center.y + std::sin(a1) * radius}, cap, c);
}

void Painter::line(Vec2 a, Vec2 b, float width, Color c) {
    // A capsule: convex, so one anti-aliased fill draws the line and both round caps.
    points_.clear();
    normals_.clear();
    const float r = width * 0.5f;
    const float phi = std::atan2(b.y - a.y, b.x - a.x);
    const int seg = std::max(4, circle_segments(r) / 2);
    arc_path(b, r, phi - 0.5f * pi, phi + 0.5f * pi, seg);
    arc_path(a, r, phi + 0.5f * pi, phi + 1.5f * pi, seg);
    fill_path(c);
}

void Painter::polygon_stroke(const Vec2* points, int count, float width, Color c) {
    points_.clear();
    for (int i = 0; i < count; ++i)
        points_.push_back(points[i]);
    miter_normals(true);
    stroke_path(true, width, c);
}

FontMetrics Painter::metrics(Face face, int px) {
    return glyphs_->metrics(face, px);
}

float Painter::measure(Face face, int px, std::string_view utf8) {
    float w = 0;
    for (std::size_t i = 0; i < utf8.size();)
        w += glyphs_->glyph(face, px, next_codepoint(utf8, i)).advance;
    return w;
}

float Painter::draw_line_text(Face face, int px, float x, float baseline, std::string_view utf8,
                              Color c) {
    // At most one glyph per byte: size for that, write in place, give back what was unused.
    const std::size_t v0 = list_->vertices.size(), i0 = list_->indices.size();
    Prim p = reserve(TextureId::glyph_atlas, 4 * utf8.size(), 6 * utf8.size());
    const Color col = faded(c);
    const float base_y = std::round(baseline);
    float pen = x;
    std::size_t quads = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        const Glyph& g = glyphs_->glyph(face, px, next_codepoint(utf8, i));
        if (g.x1 > g.x0 && g.y1 > g.y0) {
            // Whole pixels: the atlas holds the glyph at exactly this size, so 1:1 stays crisp.
            const float x0 = std::round(pen + g.x0);
            const float y0 = base_y + std::round(g.y0);
            const float x1 = x0 + (g.x1 - g.x0);
            const float y1 = y0 + (g.y1 - g.y0);
            Vertex* v = p.v + 4 * quads;
            v[0] = Vertex{x0, y0, g.u0, g.v0, col};
            v[1] = Vertex{x1, y0, g.u1, g.v0, col};
            v[2] = Vertex{x1, y1, g.u1, g.v1, col};
            v[3] = Vertex{x0, y1, g.u0, g.v1, col};
            const std::uint32_t b = p.base + static_cast<std::uint32_t>(4 * quads);
            std::uint32_t* out = p.i + 6 * quads;
            out[0] = b;
            out[1] = b + 1;
            out[2] = b + 2;
            out[3] = b;
            out[4] = b + 2;
            out[5] = b + 3;
            ++quads;
        }
        pen += g.advance;
    }
    list_->vertices.resize(v0 + 4 * quads);
    list_->indices.resize(i0 + 6 * quads);
    list_->commands.back().index_count -= static_cast<std::uint32_t>(6 * (utf8.size() - quads));
    return pen - x;
}

void Painter::shift(std::size_t first_vertex, float dx) {
    if (dx == 0) return;
    for (std::size_t k = first_vertex; k < list_->vertices.size(); ++k)
        list_->vertices[k].x += dx;
}

float Painter::text(Face face, int px, float x, float baseline, std::string_view utf8, Color c,
                    Align align) {
    // Drawn from x, then moved by whole pixels for the alignment: one glyph lookup per code
    // point instead of a measuring pass and a drawing pass.
    const std::size_t first = list_->vertices.size();
    const float w = draw_line_text(face, px, x, baseline, utf8, c);
    if (align != Align::left) shift(first, -std::round(align == Align::center ? w * 0.5f : w));
    return w;
}

std::size_t Painter::fit(Face face, int px, std::string_view utf8, float max_w, float& width) {
    width = 0;
    std::size_t i = 0;
    while (i < utf8.size()) {
        std::size_t next = i;
        const float adv = glyphs_->glyph(face, px, next_codepoint(utf8, next)).advance;
        if (width + adv > max_w && i > 0) break;
        width += adv;
        i = next;
    }
    return i;
}

int Painter::text_block(Face face, int px, float x, float top, float max_w, float line_h,
                        std::string_view utf8, Color c, Align align, int max_lines, bool draw) {
    const FontMetrics m = glyphs_->metrics(face, px);
    int lines = 0;
    std::size_t pos = 0;
    while (pos < utf8.size() && utf8[pos] == ' ')
        ++pos;
    while (pos < utf8.size() && lines < max_lines) {
        // Find where this line ends: the last space (or URL separator) that still fits.
        float width = 0;
        std::size_t i = pos, space_end = 0, url_end = 0, line_end = utf8.size(), next = utf8.size();
        while (i < utf8.size()) {
            std::size_t j = i;
            const char32_t cp = next_codepoint(utf8, j);
            if (cp == '\n') {
                line_end = i;
                next = j;
                break;
            }
            const float adv = glyphs_->glyph(face, px, cp).advance;
            if (width + adv > max_w && i > pos) {
                line_end = space_end > pos ? space_end : (url_end > pos ? url_end : i);
                next = line_end;
                break;
            }
            if (cp == ' ') space_end = i;
            width += adv;
            if (is_url_break(cp)) url_end = j;
            i = j;
        }
        std::string_view line = utf8.substr(pos, line_end - pos);
        while (next < utf8.size() && utf8[next] == ' ')
            ++next;

        const bool truncated = lines + 1 == max_lines && next < utf8.size();
        if (truncated) {
            const float ell = measure(face, px, ellipsis);
            float kept = 0;
            const std::size_t keep =
                fit(face, px, utf8.substr(pos), std::max(0.0f, max_w - ell), kept);
            line = utf8.substr(pos, keep);
            while (!line.empty() && line.back() == ' ')
                line.remove_suffix(1);
        }
        if (draw) {
            const float baseline = top + static_cast<float>(lines) * line_h + m.ascent;
            const std::size_t first = list_->vertices.size();
            float w = draw_line_text(face, px, x, baseline, line, c);
            if (truncated) w += draw_line_text(face, px, x + w, baseline, ellipsis, c);
            if (align == Align::center) shift(first, std::round((max_w - w) * 0.5f));
            if (align == Align::right) shift(first, std::round(max_w - w));
        }
        ++lines;
        pos = next;
    }
    return lines;
}

}  // namespace pinlink::ui
