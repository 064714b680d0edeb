// Image pixel access and PNG files through libpng's simplified API (png_image), which handles
// every colour type on read and needs no setjmp in our code.
#include "render/common/image.hpp"

#include <png.h>

#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace pinlink::render {

ui::Color Image::pixel(int x, int y) const {
    assert(x >= 0 && y >= 0 && x < width && y < height && "Image::pixel out of range");
    if (x < 0 || y < 0 || x >= width || y >= height) return {0, 0, 0, 0};
    const auto i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                    static_cast<std::size_t>(x)) *
                   4;
    if (i + 3 >= rgba.size()) return {0, 0, 0, 0};
    return {rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]};
}

std::string_view to_string(PngError e) {
    switch (e) {
        case PngError::none:
            return "no error";
        case PngError::empty_image:
            return "empty image";
        case PngError::io:
            return "file error";
        case PngError::encode:
            return "PNG encoding failed";
        case PngError::decode:
            return "not a readable PNG";
    }
    return "unknown PNG error";
}

PngResult write_png(const Image& image, const std::string& path) {
    const auto needed =
        static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 4;
    if (image.empty() || image.rgba.size() < needed) {
        return {PngError::empty_image, "nothing to write to " + path};
    }

    png_image png{};
    png.version = PNG_IMAGE_VERSION;
    png.width = static_cast<png_uint_32>(image.width);
    png.height = static_cast<png_uint_32>(image.height);
    png.format = PNG_FORMAT_RGBA;

    // Temporary name in the same folder, then rename: atomic on POSIX file systems.
    const std::string temp = path + ".part";
    if (png_image_write_to_file(&png, temp.c_str(), 0, image.rgba.data(), image.width * 4,
                                nullptr) == 0) {
        std::string message = path + ": " + png.message;
        png_image_free(&png);
        std::remove(temp.c_str());
        return {PngError::encode, message};
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
        std::string message = path + ": " + std::strerror(errno);
        std::remove(temp.c_str());
        return {PngError::io, message};
    }
    return {};
}

PngReadResult read_png(const std::string& path) {
    PngReadResult result;
    png_image png{};
    png.version = PNG_IMAGE_VERSION;
    if (png_image_begin_read_from_file(&png, path.c_str()) == 0) {
        // libpng reports a missing file and a corrupt one the same way; tell them apart.
        std::FILE* probe = std::fopen(path.c_str(), "rb");
        const bool exists = probe != nullptr;
        if (probe != nullptr) std::fclose(probe);
        result.error = exists ? PngError::decode : PngError::io;
        result.message = path + ": " + png.message;
        png_image_free(&png);
        return result;
    }
    png.format = PNG_FORMAT_RGBA;
    result.image.width = static_cast<int>(png.width);
    result.image.height = static_cast<int>(png.height);
    result.image.rgba.resize(PNG_IMAGE_SIZE(png));
    if (png_image_finish_read(&png, nullptr, result.image.rgba.data(), 0, nullptr) == 0) {
        result.error = PngError::decode;
        result.message = path + ": " + png.message;
        result.image = {};
        png_image_free(&png);
    }
    return result;
}

}  // namespace pinlink::render
