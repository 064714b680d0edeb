// The screen gallery behind pinlink_render_screens (tools/screen_gallery.hpp): at 1280x720, on
// the GL backend and on SDL's software renderer, headless, it writes every screen the docs show
// at the requested size, and the QR code on each Code screen scans (zbarimg) to the exact
// authorize URL.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "render/common/image.hpp"
#include "render/gl/gl_window.hpp"
#include "render_test_support.hpp"
#include "screen_gallery.hpp"

namespace pinlink::tools {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view brief_url =
    "https://api.x.com/oauth/authorize?oauth_token=Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik";

struct Expected {
    std::string_view file;
    std::string_view qr_url;  // empty: the screen shows no QR code to scan
};

// What docs/screens.md shows: every state, the Code screen per device, and the cases a person
// meets when something goes wrong.
constexpr std::array<Expected, 12> expected_shots{{
    {"connecting.png", ""},
    {"code.png", brief_url},
    {"code_playstation.png", brief_url},
    {"code_nintendo.png", brief_url},
    {"code_keyboard.png", brief_url},
    {"code_mouse.png", brief_url},
    {"code_pin_rejected.png", fresh_authorize_url},
    {"confirm_stop.png", ""},
    {"linking.png", ""},
    {"linked.png", ""},
    {"problem_network.png", ""},
    {"problem_rate_limit.png", ""},
}};

// Every code zbarimg finds in the picture, one per line ("" when none).
std::string scan(const fs::path& png) {
    FILE* p = ::popen(("zbarimg --raw -q '" + png.string() + "' 2>/dev/null").c_str(), "r");
    if (p == nullptr) return "(zbarimg could not be started)";
    std::string out;
    std::array<char, 512> buf{};
    while (std::fgets(buf.data(), static_cast<int>(buf.size()), p) != nullptr)
        out += buf.data();
    ::pclose(p);
    while (!out.empty() && out.back() == '\n')
        out.pop_back();
    return out;
}

class RenderScreens : public ::testing::TestWithParam<Renderer> {
  protected:
    void SetUp() override {
        ASSERT_TRUE(video_.ok()) << video_.error();
        dir_ = fs::path(::testing::TempDir()) /
               ("render_screens_" + std::string(to_string(GetParam())) + "_" +
                std::to_string(::getpid()));
        fs::remove_all(dir_);
        ASSERT_TRUE(fs::create_directories(dir_));
        if (GetParam() == Renderer::gl) {
            // Under AddressSanitizer, pin the EGL/GL libraries before the gallery's own window
            // comes and goes (see keep_libraries_loaded). A no-op otherwise.
            render::GlWindowOptions options;
            options.window_flags = SDL_WINDOW_HIDDEN;
            options.vsync = false;
            const render::GlWindowResult window = render::GlWindow::create(options);
            ASSERT_TRUE(window) << window.status.message;
            render::fixture::keep_libraries_loaded();
        }
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    render::fixture::HeadlessVideo video_;
    fs::path dir_;
};

TEST_P(RenderScreens, WritesEveryScreenAtTheSizeAskedAndTheCodesScan) {
    const GalleryResult result = render_screens({dir_, 1280, 720, GetParam()});
    ASSERT_TRUE(result) << result.error;

    // The gallery's own list is exactly the expected one, in order, and says where QR codes are.
    ASSERT_EQ(shots().size(), expected_shots.size());
    ASSERT_EQ(result.written.size(), expected_shots.size());
    for (std::size_t i = 0; i < expected_shots.size(); ++i) {
        EXPECT_EQ(shots()[i].file, expected_shots[i].file);
        EXPECT_EQ(shots()[i].qr_url, expected_shots[i].qr_url);
        EXPECT_FALSE(shots()[i].caption.empty());
        EXPECT_EQ(result.written[i], dir_ / expected_shots[i].file);
    }

    std::vector<render::Image> images;
    for (const Expected& e : expected_shots) {
        SCOPED_TRACE(std::string(e.file));
        const fs::path path = dir_ / e.file;
        ASSERT_TRUE(fs::is_regular_file(path));
        render::PngReadResult png = render::read_png(path.string());
        ASSERT_TRUE(png) << png.message;
        EXPECT_EQ(png.image.width, 1280);
        EXPECT_EQ(png.image.height, 720);
        // Something was drawn: the picture is not one flat colour.
        const ui::Color corner = png.image.pixel(0, 0);
        int differing = 0;
        for (int y = 0; y < png.image.height; y += 4)
            for (int x = 0; x < png.image.width; x += 4)
                if (render::fixture::channel_diff(png.image.pixel(x, y), corner) > 60) ++differing;
        EXPECT_GT(differing, 200);

        if (!e.qr_url.empty()) {
            EXPECT_EQ(scan(path), e.qr_url);
        }
        images.push_back(std::move(png.image));
    }
    // The device decides the hint glyphs: the Code screens per controller are not the same
    // picture (code.png: Xbox, code_playstation.png, code_nintendo.png, code_keyboard.png).
    for (std::size_t a = 1; a <= 4; ++a) {
        for (std::size_t b = a + 1; b <= 4; ++b) {
            EXPECT_NE(images[a].rgba, images[b].rgba)
                << expected_shots[a].file << " and " << expected_shots[b].file << " are identical";
        }
    }
}

TEST_P(RenderScreens, RefusesASizeOutOfRangeAndWritesNothing) {
    const GalleryResult result = render_screens({dir_, 0, 720, GetParam()});
    EXPECT_FALSE(result);
    EXPECT_NE(result.error.find("out of range"), std::string::npos) << result.error;
    EXPECT_TRUE(result.written.empty());
    EXPECT_TRUE(fs::is_empty(dir_));
}

INSTANTIATE_TEST_SUITE_P(Backends, RenderScreens,
                         ::testing::Values(Renderer::gl, Renderer::software),
                         [](const ::testing::TestParamInfo<Renderer>& param_info) {
                             return std::string(to_string(param_info.param));
                         });

}  // namespace
}  // namespace pinlink::tools
