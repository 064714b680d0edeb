// The GL backend's program cache (render/gl/program_cache.hpp), headless on llvmpipe: a second
// backend given the same folder loads its programs instead of compiling them and draws the same
// picture; a corrupt or foreign file is compiled over and replaced; a folder that cannot be
// made, or none, changes nothing but the speed.
#include <SDL.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "render/gl/gl_backend.hpp"
#include "render/gl/gl_window.hpp"
#include "render_test_support.hpp"

namespace pinlink::render {
namespace {

namespace fs = std::filesystem;
using fixture::HeadlessVideo;

constexpr int kWidth = 200, kHeight = 120;

ui::DrawList picture() {
    ui::DrawList list;
    list.reset(kWidth, kHeight, fixture::kClear);
    fixture::add_quad(list, 10, 10, 120, 80, fixture::kBlue);
    fixture::add_quad(list, 60, 40, 190, 110, {255, 200, 0, 160});
    return list;
}

std::vector<fs::path> files_in(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        out.push_back(entry.path());
    return out;
}

class ProgramCacheTest : public ::testing::TestWithParam<GlApi> {
  protected:
    void SetUp() override {
        ASSERT_TRUE(video_.ok()) << video_.error();
        std::string pattern = (fs::path(::testing::TempDir()) / "pinlink-glcache-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    // A window and a backend with `cache_dir`; the picture drawn, and how many programs came
    // from the cache (-1 if anything failed).
    int draw(const std::string& cache_dir, Image* image) {
        GlWindowOptions options;
        options.width = kWidth;
        options.height = kHeight;
        options.window_flags = SDL_WINDOW_HIDDEN;
        options.api = GetParam();
        options.vsync = false;
        GlWindowResult window = GlWindow::create(options);
        EXPECT_TRUE(window) << window.status.message;
        if (!window) return -1;
        int from_cache = -1;
        {
            GlBackendOptions backend_options;
            backend_options.program_cache_dir = cache_dir;
            GlBackendResult backend = GlBackend::create(backend_options);
            EXPECT_TRUE(backend) << backend.status.message;
            if (backend) {
                from_cache = backend.backend->programs_from_cache();
                const GlStatus status = backend.backend->render(picture(), nullptr);
                EXPECT_TRUE(status) << status.message;
                if (image != nullptr) *image = backend.backend->read_pixels();
            }
        }
        fixture::keep_libraries_loaded();
        return from_cache;
    }

    HeadlessVideo video_;
    fs::path dir_;
};

TEST_P(ProgramCacheTest, SecondStartLoadsBothProgramsAndDrawsTheSame) {
    const fs::path cache = dir_ / "made" / "pinlink";  // made on first use, parents too
    Image compiled, loaded;
    ASSERT_EQ(draw(cache.string(), &compiled), 0);
    EXPECT_EQ(files_in(cache).size(), 2u) << "one file per program";
    struct stat st {};
    ASSERT_EQ(::stat(cache.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);

    EXPECT_EQ(draw(cache.string(), &loaded), 2);
    ASSERT_EQ(loaded.width, kWidth);
    EXPECT_EQ(loaded.rgba, compiled.rgba);
}

TEST_P(ProgramCacheTest, CorruptFilesAreCompiledOverAndReplaced) {
    ASSERT_EQ(draw(dir_.string(), nullptr), 0);
    const auto files = files_in(dir_);
    ASSERT_EQ(files.size(), 2u);
    // One truncated, one with its blob scrambled: neither may reach the screen.
    fs::resize_file(files[0], 10);
    {
        std::fstream f(files[1], std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(40);
        const std::string junk(64, '\x5a');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    Image image;
    EXPECT_EQ(draw(dir_.string(), &image), 0);
    ASSERT_EQ(image.width, kWidth);
    EXPECT_EQ(fixture::channel_diff(image.pixel(20, 20), fixture::kBlue), 0);
    EXPECT_EQ(draw(dir_.string(), nullptr), 2) << "rewritten whole";
}

TEST_P(ProgramCacheTest, UnusableOrNoFolderStillDraws) {
    const fs::path blocker = dir_ / "a-file";
    std::ofstream(blocker) << "not a folder";
    Image image;
    EXPECT_EQ(draw((blocker / "pinlink").string(), &image), 0);
    ASSERT_EQ(image.width, kWidth);
    EXPECT_EQ(fixture::channel_diff(image.pixel(20, 20), fixture::kBlue), 0);
    EXPECT_EQ(draw("", nullptr), 0);
    EXPECT_EQ(files_in(dir_).size(), 1u) << "nothing written beside the blocker";
}

INSTANTIATE_TEST_SUITE_P(Apis, ProgramCacheTest, ::testing::Values(GlApi::core, GlApi::es),
                         [](const auto& param_info) {
                             return std::string(param_info.param == GlApi::es ? "es30" : "core33");
                         });

}  // namespace
}  // namespace pinlink::render
