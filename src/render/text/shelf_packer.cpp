// Shelf packer (see shelf_packer.hpp).
#include "render/text/shelf_packer.hpp"

#include <algorithm>

namespace pinlink::render {

PixelRect PixelRect::united(const PixelRect& other) const {
    if (other.empty()) return *this;
    if (empty()) return other;
    const int x0 = std::min(x, other.x);
    const int y0 = std::min(y, other.y);
    const int x1 = std::max(x + w, other.x + other.w);
    const int y1 = std::max(y + h, other.y + other.h);
    return {x0, y0, x1 - x0, y1 - y0};
}

bool PixelRect::contains(const PixelRect& other) const {
    return other.x >= x && other.y >= y && other.x + other.w <= x + w && other.y + other.h <= y + h;
}

ShelfPacker::ShelfPacker(int width, int height, int gutter)
    : width_(width), height_(height), gutter_(gutter), next_shelf_y_(gutter) {}

std::optional<PixelRect> ShelfPacker::insert(int w, int h) {
    if (w < 1 || h < 1) return std::nullopt;
    const int span_w = w + gutter_;  // the rectangle plus the gutter to its right

    // Best fit: the lowest existing shelf that is tall enough, not much taller (a 20 px glyph
    // on a 90 px shelf would waste most of it), and has room left. "Not much" is up to half
    // again: one text size's glyphs run from x-height to ascender plus descender (13 to 25 px
    // at 1080p), and a quarter split them over three or four shelves, each mostly empty to its
    // right. The first Code screen at 1080p filled 228–285 rows of the 1024-wide atlas for
    // 82–95 rows of glyphs, so the atlas (and the software renderer's texture, 1 MiB at 256
    // rows) often grew by half before the first frame; with half it takes 185.
    Shelf* best = nullptr;
    for (Shelf& shelf : shelves_) {
        const bool fits = shelf.height >= h && shelf.next_x + span_w <= width_;
        const bool snug = shelf.height <= h + h / 2 + 2;
        if (fits && snug && (best == nullptr || shelf.height < best->height)) best = &shelf;
    }
    if (best == nullptr) {
        if (gutter_ + span_w > width_ || next_shelf_y_ + h + gutter_ > height_) {
            return std::nullopt;
        }
        shelves_.push_back({next_shelf_y_, h, gutter_});
        next_shelf_y_ += h + gutter_;
        best = &shelves_.back();
    }
    const PixelRect rect{best->next_x, best->y, w, h};
    best->next_x += span_w;
    return rect;
}

void ShelfPacker::fit_height(int height) {
    height_ = std::max(height, next_shelf_y_);
}

void ShelfPacker::clear(int width, int height) {
    width_ = width;
    height_ = height;
    next_shelf_y_ = gutter_;
    shelves_.clear();
}

}  // namespace pinlink::render
