// What the render backends share: PNG files for screenshots (round trip, atomic write, errors
// as values) and the draw-list check that keeps malformed lists away from the GPU.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "render/common/draw_list_check.hpp"
#include "render/common/image.hpp"

namespace pinlink::render {
namespace {

namespace fs = std::filesystem;

class PngFiles : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("pinlink_png_" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

Image gradient(int w, int h) {
    Image image;
    image.width = w;
    image.height = h;
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            image.rgba.push_back(static_cast<std::uint8_t>(x * 7));
            image.rgba.push_back(static_cast<std::uint8_t>(y * 5));
            image.rgba.push_back(static_cast<std::uint8_t>(x ^ y));
            image.rgba.push_back(static_cast<std::uint8_t>(255 - x));
        }
    }
    return image;
}

TEST_F(PngFiles, RoundTripIsLossless) {
    const Image image = gradient(37, 23);  // odd sizes: no row padding assumptions
    const std::string path = (dir_ / "shot.png").string();
    const PngResult written = write_png(image, path);
    ASSERT_TRUE(written) << written.message;
    EXPECT_FALSE(fs::exists(path + ".part")) << "the temporary file is renamed away";
    const PngReadResult back = read_png(path);
    ASSERT_TRUE(back) << back.message;
    EXPECT_EQ(back.image.width, 37);
    EXPECT_EQ(back.image.height, 23);
    EXPECT_EQ(back.image.rgba, image.rgba);
    EXPECT_EQ(back.image.pixel(3, 2).r, 21);
    EXPECT_EQ(back.image.pixel(3, 2).g, 10);
}

TEST_F(PngFiles, ErrorsAreValues) {
    EXPECT_EQ(write_png(Image{}, (dir_ / "empty.png").string()).error, PngError::empty_image);
    Image short_buffer = gradient(4, 4);
    short_buffer.rgba.resize(10);
    EXPECT_EQ(write_png(short_buffer, (dir_ / "short.png").string()).error, PngError::empty_image);

    const PngResult no_dir = write_png(gradient(4, 4), (dir_ / "missing" / "x.png").string());
    EXPECT_FALSE(no_dir);
    EXPECT_NE(no_dir.message.find("x.png"), std::string::npos);
    EXPECT_FALSE(fs::exists(dir_ / "missing"));

    EXPECT_EQ(read_png((dir_ / "absent.png").string()).error, PngError::io);
    const fs::path garbage = dir_ / "garbage.png";
    std::ofstream(garbage) << "this is not a PNG";
    const PngReadResult bad = read_png(garbage.string());
    EXPECT_EQ(bad.error, PngError::decode);
    EXPECT_TRUE(bad.image.empty());
}

ui::DrawList triangle() {
    ui::DrawList list;
    list.reset(100, 100, {});
    list.vertices = {{0, 0, 0, 0, {}}, {10, 0, 0, 0, {}}, {0, 10, 0, 0, {}}};
    list.indices = {0, 1, 2};
    list.commands = {{{}, ui::TextureId::none, 0, 3}};
    return list;
}

TEST(DrawListCheck, AcceptsAWellFormedList) {
    EXPECT_EQ(check_draw_list(triangle()), DrawListError::none);
    ui::DrawList empty;
    empty.reset(10, 10, {});
    EXPECT_EQ(check_draw_list(empty), DrawListError::none);
}

TEST(DrawListCheck, RefusesWhatWouldReadOutOfBounds) {
    ui::DrawList list = triangle();
    list.width = 0;
    EXPECT_EQ(check_draw_list(list), DrawListError::bad_size);

    list = triangle();
    list.indices[2] = 3;
    EXPECT_EQ(check_draw_list(list), DrawListError::index_out_of_range);

    list = triangle();
    list.commands[0].index_offset = 1;
    EXPECT_EQ(check_draw_list(list), DrawListError::command_out_of_range);

    list = triangle();
    list.commands[0].index_offset = 0xFFFFFFFFu;  // no overflow into "in range"
    list.commands[0].index_count = 3;
    EXPECT_EQ(check_draw_list(list), DrawListError::command_out_of_range);

    list = triangle();
    list.commands[0].index_count = 2;
    EXPECT_EQ(check_draw_list(list), DrawListError::bad_index_count);

    list = triangle();
    list.commands[0].texture = static_cast<ui::TextureId>(7);
    EXPECT_EQ(check_draw_list(list), DrawListError::unknown_texture);
    EXPECT_FALSE(to_string(DrawListError::unknown_texture).empty());
}

}  // namespace
}  // namespace pinlink::render
