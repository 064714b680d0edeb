// Points and rectangles in physical pixels, shared by layout, painter and hit-testing.
#pragma once

namespace pinlink::ui {

struct Vec2 {
    float x = 0, y = 0;
};

struct Rect {
    float x = 0, y = 0, w = 0, h = 0;

    float right() const { return x + w; }
    float bottom() const { return y + h; }
    Vec2 center() const { return {x + w * 0.5f, y + h * 0.5f}; }
    bool empty() const { return w <= 0 || h <= 0; }
    // Half-open, so two touching keys never both claim the pixel on their shared edge.
    bool contains(float px, float py) const {
        return px >= x && py >= y && px < x + w && py < y + h;
    }
    bool contains(const Rect& r) const {
        return r.x >= x && r.y >= y && r.right() <= right() && r.bottom() <= bottom();
    }
    Rect inflated(float d) const { return {x - d, y - d, w + 2 * d, h + 2 * d}; }
    Rect scaled(float s) const {  // about the centre
        const float nw = w * s, nh = h * s;
        return {x + (w - nw) * 0.5f, y + (h - nh) * 0.5f, nw, nh};
    }
    Rect translated(float dx, float dy) const { return {x + dx, y + dy, w, h}; }
};

inline float lerp(float a, float b, float t) {
    return a + (b - a) * t;
}

inline Rect lerp(const Rect& a, const Rect& b, float t) {
    return {lerp(a.x, b.x, t), lerp(a.y, b.y, t), lerp(a.w, b.w, t), lerp(a.h, b.h, t)};
}

}  // namespace pinlink::ui
