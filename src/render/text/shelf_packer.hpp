// Shelf packing for the glyph atlas: rectangles go left to right on horizontal shelves, a new
// shelf opens below the last one. Glyphs of one size have nearly equal heights, so shelves waste
// little, and placement is O(shelves) with no per-pixel bookkeeping.
#pragma once

#include <optional>
#include <vector>

namespace pinlink::render {

struct PixelRect {
    int x = 0, y = 0, w = 0, h = 0;

    bool empty() const { return w <= 0 || h <= 0; }
    // The smallest rectangle holding both; an empty operand is ignored.
    PixelRect united(const PixelRect& other) const;
    bool contains(const PixelRect& other) const;
};

class ShelfPacker {
  public:
    // `gutter` empty pixels are kept between rectangles and along the top and left edges, so
    // linear filtering at a glyph's edge never reads its neighbour.
    ShelfPacker(int width, int height, int gutter = 1);

    // A place for a w x h rectangle, or nullopt when it does not fit in the current size.
    // Rectangles with w or h < 1 are refused (nullopt).
    std::optional<PixelRect> insert(int w, int h);

    // Sets the height to `height`, taller or shorter, but never below used_height():
    // everything placed so far keeps its place.
    void fit_height(int height);
    // Forgets every placement, with a new size.
    void clear(int width, int height);

    int width() const { return width_; }
    int height() const { return height_; }
    // Rows from the top down to the bottom of the lowest shelf (its gutter included).
    int used_height() const { return next_shelf_y_; }

  private:
    struct Shelf {
        int y = 0, height = 0, next_x = 0;
    };

    int width_, height_, gutter_;
    int next_shelf_y_;
    std::vector<Shelf> shelves_;
};

}  // namespace pinlink::render
