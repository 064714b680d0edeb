// Pixels read back from a presented frame, and PNG files made from them: what screenshots
// (`--screenshot DIR`) and the render tests look at. Backend-neutral; no SDL or GL here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ui/draw_list.hpp"

namespace pinlink::render {

// An RGBA8 image, rows top to bottom, tightly packed (stride = width * 4).
struct Image {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;

    bool empty() const { return width <= 0 || height <= 0; }
    // The pixel at (x, y), top-left origin. Out-of-range coordinates are a programmer error
    // (asserted); in release builds they give a transparent black pixel.
    ui::Color pixel(int x, int y) const;
};

enum class PngError {
    none,
    empty_image,  // nothing to write: width or height is 0, or the buffer is too small
    io,           // the file could not be created, written, renamed or opened
    encode,       // libpng refused the image
    decode,       // not a PNG, or a broken one
};

std::string_view to_string(PngError e);

struct PngResult {
    PngError error = PngError::none;
    std::string message;  // libpng's or the OS's words, with the path

    explicit operator bool() const { return error == PngError::none; }
};

// Writes `image` as an 8-bit RGBA PNG. The file appears complete or not at all: it is written
// beside `path` under a temporary name and renamed into place, so a watcher never reads half.
PngResult write_png(const Image& image, const std::string& path);

struct PngReadResult {
    Image image;
    PngError error = PngError::none;
    std::string message;

    explicit operator bool() const { return error == PngError::none; }
};

// Reads any PNG libpng understands, converted to 8-bit RGBA.
PngReadResult read_png(const std::string& path);

}  // namespace pinlink::render
