// The OpenGL backend, headless (SDL offscreen driver: EGL + Mesa llvmpipe), on a desktop 3.3
// core context and on a GLES 3.0 context. If a context cannot be made, these tests FAIL: the CI
// machine has Mesa, so a missing context is a real problem, not a reason to skip.
#include <SDL.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "render/gl/gl_backend.hpp"
#include "render/gl/gl_functions.hpp"
#include "render/gl/gl_window.hpp"
#include "render/sdl/sdl_backend.hpp"
#include "render/text/glyph_atlas.hpp"
#include "render_test_support.hpp"

namespace pinlink::render {
namespace {

using fixture::HeadlessVideo;

class GlTarget final : public fixture::Target {
  public:
    GlTarget(GlApi api, int width, int height) : width_(width), height_(height) {
        GlWindowOptions options;
        options.title = "pinlink gl test";
        options.width = width;
        options.height = height;
        options.window_flags = SDL_WINDOW_HIDDEN;
        options.api = api;
        options.vsync = false;
        GlWindowResult window = GlWindow::create(options);
        if (!window) {
            error_ = window.status.message;
            return;
        }
        window_ = std::move(window.window);
        GlBackendResult backend = GlBackend::create();
        if (!backend) {
            error_ = std::string(to_string(backend.status.error)) + ": " + backend.status.message;
            return;
        }
        backend_ = std::move(backend.backend);
        gl_error_ = gl_.load();
    }
    ~GlTarget() override {
        fixture::keep_libraries_loaded();
        backend_.reset();  // while the context is alive
        window_.reset();
    }

    bool ok() const { return backend_ != nullptr && gl_error_.empty(); }
    std::string error() const { return error_ + gl_error_; }
    GlBackend& backend() { return *backend_; }
    GlWindow& window() { return *window_; }
    const GlFunctions& gl() const { return gl_; }

    GlFrame frame;  // used by draw()

    int width() const override { return width_; }
    int height() const override { return height_; }
    Image draw(const ui::DrawList& list, GlyphAtlas* atlas) override {
        const GlStatus status = backend_->render(list, atlas, frame);
        EXPECT_TRUE(status) << status.message;
        Image image = backend_->read_pixels();
        window_->swap();
        return image;
    }

  private:
    int width_, height_;
    std::unique_ptr<GlWindow> window_;
    std::unique_ptr<GlBackend> backend_;
    GlFunctions gl_;  // the test's own, to set and inspect state around the backend
    std::string error_, gl_error_;
};

class GlBackendTest : public ::testing::TestWithParam<GlApi> {
  protected:
    void SetUp() override { ASSERT_TRUE(video_.ok()) << video_.error(); }

    std::unique_ptr<GlTarget> make_target(int width = 640, int height = 360) {
        auto target = std::make_unique<GlTarget>(GetParam(), width, height);
        EXPECT_TRUE(target->ok()) << "no usable GL context: " << target->error();
        if (!target->ok()) return nullptr;
        return target;
    }

    HeadlessVideo video_;
};

TEST_P(GlBackendTest, CreatesOnTheRequestedApi) {
    auto target = make_target();
    ASSERT_TRUE(target);
    EXPECT_EQ(target->backend().is_es(), GetParam() == GlApi::es)
        << target->backend().description();
    EXPECT_EQ(target->window().is_es(), GetParam() == GlApi::es);
    EXPECT_GE(target->backend().max_texture_size(), 2048);
}

TEST_P(GlBackendTest, SolidQuadsReadBackExactly) {
    auto target = make_target();
    ASSERT_TRUE(target);
    fixture::check_solid_quads(*target);
}

TEST_P(GlBackendTest, ClipRectLeavesOutsideUntouched) {
    auto target = make_target();
    ASSERT_TRUE(target);
    fixture::check_clipping(*target);
}

TEST_P(GlBackendTest, BlendsWithStraightAlpha) {
    auto target = make_target();
    ASSERT_TRUE(target);
    fixture::check_blending(*target);
}

TEST_P(GlBackendTest, TextMatchesAtlasCoverage) {
    auto target = make_target();
    ASSERT_TRUE(target);
    AtlasResult atlas = GlyphAtlas::create();
    ASSERT_TRUE(atlas) << atlas.message;
    fixture::check_text(*target, *atlas.atlas);
}

TEST_P(GlBackendTest, AtlasChangesReachTheTexture) {
    auto target = make_target();
    ASSERT_TRUE(target);
    AtlasOptions options;
    options.width = 256;
    options.initial_height = 64;
    AtlasResult created = GlyphAtlas::create(options);
    ASSERT_TRUE(created) << created.message;
    GlyphAtlas& atlas = *created.atlas;

    ui::DrawList list;
    list.reset(target->width(), target->height(), fixture::kClear);
    fixture::add_text(list, atlas, ui::Face::mono, 40, 20, 60, U"1", fixture::kWhite);
    target->draw(list, &atlas);
    ASSERT_TRUE(atlas.dirty_rect().empty());

    const std::uint64_t layout_before = atlas.layout_generation();
    atlas.glyph(ui::Face::mono, 40, U'2');  // partial upload of a sub-rectangle
    EXPECT_EQ(atlas.layout_generation(), layout_before);
    EXPECT_FALSE(atlas.dirty_rect().empty());
    fixture::check_text(*target, atlas);  // grows the atlas: a new texture
    EXPECT_GT(atlas.layout_generation(), layout_before);
}

TEST_P(GlBackendTest, ModuleGridExactAt720p) {
    auto target = make_target(1280, 720);
    ASSERT_TRUE(target);
    fixture::check_module_grid(*target);
}

TEST_P(GlBackendTest, ModuleGridExactAt4K) {
    auto target = make_target(3840, 2160);
    ASSERT_TRUE(target);
    fixture::check_module_grid(*target);
}

// The background moves with time, stays within a few levels of the clear colour, holds still
// when time does, and never disturbs what is drawn on top.
TEST_P(GlBackendTest, BackgroundIsSubtleAndFollowsTime) {
    auto target = make_target();
    ASSERT_TRUE(target);
    ui::DrawList list;
    list.reset(target->width(), target->height(), fixture::kClear);
    fixture::add_quad(list, 100, 100, 150, 150, fixture::kRed);

    target->frame = {false, 0.0};
    const Image flat = target->draw(list, nullptr);
    target->frame = {true, 3.0};
    const Image at3 = target->draw(list, nullptr);
    const Image at3_again = target->draw(list, nullptr);
    target->frame = {true, 9.0};
    const Image at9 = target->draw(list, nullptr);
    ASSERT_FALSE(flat.empty());
    ASSERT_FALSE(at3.empty());

    EXPECT_EQ(at3.rgba, at3_again.rgba) << "a paused clock must give identical frames";
    int differs_from_flat = 0, moved = 0, max_offset = 0;
    for (int y = 0; y < at3.height; y += 3) {
        for (int x = 0; x < at3.width; x += 3) {
            const bool in_quad = fixture::Box{100, 100, 150, 150}.contains(x, y);
            EXPECT_EQ(
                fixture::channel_diff(flat.pixel(x, y), in_quad ? fixture::kRed : fixture::kClear),
                0);
            if (in_quad) continue;
            const int offset = fixture::channel_diff(at3.pixel(x, y), fixture::kClear);
            max_offset = std::max(max_offset, offset);
            if (offset != 0) ++differs_from_flat;
            if (fixture::channel_diff(at3.pixel(x, y), at9.pixel(x, y)) != 0) ++moved;
        }
    }
    EXPECT_GT(differs_from_flat, 1000) << "the background should be visible";
    EXPECT_GT(moved, 1000) << "the background should move with time";
    EXPECT_LE(max_offset, 12) << "the background should stay subtle";
    EXPECT_EQ(fixture::channel_diff(at3.pixel(125, 125), fixture::kRed), 0);
    EXPECT_EQ(fixture::channel_diff(at9.pixel(125, 125), fixture::kRed), 0);
}

// A host's GL state survives a frame (Dear ImGui's backend contract).
TEST_P(GlBackendTest, RestoresGlState) {
    auto target = make_target();
    ASSERT_TRUE(target);
    const GlFunctions& gl = target->gl();

    GLuint host_texture = 0, host_buffer = 0, host_vao = 0;
    gl.GenTextures(1, &host_texture);
    gl.GenBuffers(1, &host_buffer);
    gl.GenVertexArrays(1, &host_vao);
    gl.ActiveTexture(GL_TEXTURE0);
    gl.BindTexture(GL_TEXTURE_2D, host_texture);
    gl.ActiveTexture(GL_TEXTURE3);
    gl.BindVertexArray(host_vao);
    gl.BindBuffer(GL_ARRAY_BUFFER, host_buffer);
    gl.Viewport(7, 8, 90, 80);
    gl.Enable(GL_SCISSOR_TEST);
    gl.Scissor(3, 4, 50, 60);
    gl.Enable(GL_DEPTH_TEST);
    gl.Enable(GL_CULL_FACE);
    gl.Disable(GL_BLEND);
    gl.BlendFuncSeparate(GL_ONE, GL_ONE, GL_ZERO, GL_ONE);
    gl.ClearColor(0.25f, 0.5f, 0.75f, 1.0f);
    gl.PixelStorei(GL_UNPACK_ALIGNMENT, 8);
    gl.ColorMask(GL_TRUE, GL_FALSE, GL_TRUE, GL_TRUE);

    AtlasResult atlas = GlyphAtlas::create();
    ASSERT_TRUE(atlas) << atlas.message;
    ui::DrawList list;
    list.reset(target->width(), target->height(), fixture::kClear);
    fixture::add_quad(list, 10, 10, 60, 60, fixture::kGreen, ui::TextureId::none, {0, 0, 40, 40});
    fixture::add_text(list, *atlas.atlas, ui::Face::ui_regular, 32, 100, 100, U"State",
                      fixture::kWhite);
    target->frame = {true, 1.0};
    ASSERT_TRUE(target->backend().render(list, atlas.atlas.get(), target->frame));

    GLint value = 0;
    gl.GetIntegerv(GL_ACTIVE_TEXTURE, &value);
    EXPECT_EQ(value, GL_TEXTURE3);
    gl.ActiveTexture(GL_TEXTURE0);
    gl.GetIntegerv(GL_TEXTURE_BINDING_2D, &value);
    EXPECT_EQ(static_cast<GLuint>(value), host_texture);
    gl.GetIntegerv(GL_VERTEX_ARRAY_BINDING, &value);
    EXPECT_EQ(static_cast<GLuint>(value), host_vao);
    gl.GetIntegerv(GL_ARRAY_BUFFER_BINDING, &value);
    EXPECT_EQ(static_cast<GLuint>(value), host_buffer);
    gl.GetIntegerv(GL_CURRENT_PROGRAM, &value);
    EXPECT_EQ(value, 0);
    GLint box[4] = {};
    gl.GetIntegerv(GL_VIEWPORT, box);
    EXPECT_EQ(box[0], 7);
    EXPECT_EQ(box[1], 8);
    EXPECT_EQ(box[2], 90);
    EXPECT_EQ(box[3], 80);
    gl.GetIntegerv(GL_SCISSOR_BOX, box);
    EXPECT_EQ(box[0], 3);
    EXPECT_EQ(box[1], 4);
    EXPECT_EQ(box[2], 50);
    EXPECT_EQ(box[3], 60);
    EXPECT_EQ(gl.IsEnabled(GL_SCISSOR_TEST), GL_TRUE);
    EXPECT_EQ(gl.IsEnabled(GL_DEPTH_TEST), GL_TRUE);
    EXPECT_EQ(gl.IsEnabled(GL_CULL_FACE), GL_TRUE);
    EXPECT_EQ(gl.IsEnabled(GL_BLEND), GL_FALSE);
    gl.GetIntegerv(GL_BLEND_SRC_RGB, &value);
    EXPECT_EQ(value, GL_ONE);
    gl.GetIntegerv(GL_BLEND_DST_ALPHA, &value);
    EXPECT_EQ(value, GL_ONE);
    GLfloat clear[4] = {};
    gl.GetFloatv(GL_COLOR_CLEAR_VALUE, clear);
    EXPECT_FLOAT_EQ(clear[1], 0.5f);
    gl.GetIntegerv(GL_UNPACK_ALIGNMENT, &value);
    EXPECT_EQ(value, 8);
    GLboolean mask[4] = {};
    gl.GetBooleanv(GL_COLOR_WRITEMASK, mask);
    EXPECT_EQ(mask[1], GL_FALSE);
    EXPECT_EQ(gl.GetError(), static_cast<GLenum>(GL_NO_ERROR));

    gl.BindVertexArray(0);
    gl.DeleteVertexArrays(1, &host_vao);
    gl.DeleteBuffers(1, &host_buffer);
    gl.DeleteTextures(1, &host_texture);
}

TEST_P(GlBackendTest, RefusesInvalidDrawList) {
    auto target = make_target();
    ASSERT_TRUE(target);
    const GlStatus status = target->backend().render(fixture::broken_list(640, 360), nullptr);
    EXPECT_EQ(status.error, GlError::invalid_draw_list);
    const Image image = target->backend().read_pixels();
    ASSERT_FALSE(image.empty());
    EXPECT_EQ(fixture::channel_diff(image.pixel(20, 20), fixture::kClear), 0);
}

INSTANTIATE_TEST_SUITE_P(Apis, GlBackendTest, ::testing::Values(GlApi::core, GlApi::es),
                         [](const auto& param_info) {
                             return std::string(param_info.param == GlApi::es ? "es30" : "core33");
                         });

TEST(GlBackend, NoContextIsAnError) {
    HeadlessVideo video;
    ASSERT_TRUE(video.ok()) << video.error();
    const GlBackendResult result = GlBackend::create();
    EXPECT_FALSE(result);
    EXPECT_EQ(result.status.error, GlError::no_context);
}

// One picture, three renderers: the GL backend, and the SDL backend on its software and
// opengl drivers. They must agree within rounding.
TEST(Backends, DrawTheSamePicture) {
    HeadlessVideo video;
    ASSERT_TRUE(video.ok()) << video.error();
    constexpr int w = 480, h = 270;
    AtlasResult atlas = GlyphAtlas::create();
    ASSERT_TRUE(atlas) << atlas.message;

    ui::DrawList list;
    list.reset(w, h, fixture::kClear);
    fixture::add_quad(list, 10, 10, 200, 120, fixture::kBlue);
    fixture::add_quad(list, 50, 50, 300, 200, {255, 200, 0, 160});  // translucent
    fixture::add_quad(list, 0, 150, 480, 270, fixture::kGreen, ui::TextureId::none,
                      {20, 160, 100, 50});  // clipped
    fixture::add_text(list, *atlas.atlas, ui::Face::ui_semibold, 40, 220, 60, U"Link ✓",
                      fixture::kWhite);
    fixture::add_text(list, *atlas.atlas, ui::Face::mono, 36, 220, 110, U"0123456",
                      {255, 255, 255, 200});

    std::vector<Image> pictures;
    std::vector<std::string> names;
    {
        GlTarget gl(GlApi::automatic, w, h);
        ASSERT_TRUE(gl.ok()) << gl.error();
        pictures.push_back(gl.draw(list, atlas.atlas.get()));
        names.push_back("gl");
    }
    for (const char* driver : {"software", "opengl"}) {
        SDL_Window* window = SDL_CreateWindow("pinlink", 0, 0, w, h, SDL_WINDOW_HIDDEN);
        ASSERT_NE(window, nullptr) << SDL_GetError();
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, driver);
        SDL_Renderer* renderer = SDL_CreateRenderer(window, -1, 0);
        ASSERT_NE(renderer, nullptr) << driver << ": " << SDL_GetError();
        {
            SdlBackendResult backend = SdlBackend::create(renderer);
            ASSERT_TRUE(backend) << backend.status.message;
            ASSERT_TRUE(backend.backend->render(list, atlas.atlas.get()));
            SdlReadResult read = backend.backend->read_pixels();
            ASSERT_TRUE(read) << read.status.message;
            pictures.push_back(std::move(read.image));
            names.push_back(driver);
        }
        fixture::keep_libraries_loaded();
        SDL_DestroyRenderer(renderer);
        SDL_DestroyWindow(window);
    }
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "");

    for (std::size_t i = 1; i < pictures.size(); ++i) {
        ASSERT_EQ(pictures[i].width, w);
        ASSERT_EQ(pictures[i].height, h);
        int worst = 0, worst_x = 0, worst_y = 0;
        for (int y = 0; y < h; ++y) {
            for (int x = 0; x < w; ++x) {
                const int d =
                    fixture::channel_diff(pictures[0].pixel(x, y), pictures[i].pixel(x, y));
                if (d > worst) {
                    worst = d;
                    worst_x = x;
                    worst_y = y;
                }
            }
        }
        EXPECT_LE(worst, 3) << names[0] << " vs " << names[i] << " at " << worst_x << "," << worst_y
                            << ": " << fixture::describe(pictures[0].pixel(worst_x, worst_y))
                            << " vs " << fixture::describe(pictures[i].pixel(worst_x, worst_y));
    }
}

}  // namespace
}  // namespace pinlink::render
