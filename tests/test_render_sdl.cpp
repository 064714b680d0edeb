// The SDL_Renderer backend, headless on every SDL render driver pinlink may get: software (the
// `--renderer software` fallback), opengl and opengles2. Pictures are read back and checked
// pixel by pixel; see render_test_support.hpp for the shared checks. Also: the software
// renderer's opaque runs drawn unblended give exactly the picture of blending everything.
#include <SDL.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

#include "render/common/image.hpp"
#include "render/sdl/sdl_backend.hpp"
#include "render/text/glyph_atlas.hpp"
#include "render_test_support.hpp"

namespace pinlink::render {
namespace {

using fixture::HeadlessVideo;

// A window with an SDL_Renderer of one named driver, and the backend on it.
class SdlTarget final : public fixture::Target {
  public:
    SdlTarget(const std::string& driver, int width, int height) : width_(width), height_(height) {
        window_ = SDL_CreateWindow("pinlink test", 0, 0, width, height, SDL_WINDOW_HIDDEN);
        if (window_ == nullptr) {
            error_ = SDL_GetError();
            return;
        }
        int index = -1;
        for (int i = 0; i < SDL_GetNumRenderDrivers(); ++i) {
            SDL_RendererInfo info;
            if (SDL_GetRenderDriverInfo(i, &info) == 0 && driver == info.name) index = i;
        }
        if (index < 0) {
            error_ = "no SDL render driver named " + driver;
            return;
        }
        renderer_ = SDL_CreateRenderer(window_, index, 0);
        if (renderer_ == nullptr) {
            error_ = SDL_GetError();
            return;
        }
        SdlBackendResult created = SdlBackend::create(renderer_);
        if (!created) {
            error_ = created.status.message;
            return;
        }
        backend_ = std::move(created.backend);
    }
    ~SdlTarget() override {
        fixture::keep_libraries_loaded();
        backend_.reset();
        if (renderer_ != nullptr) SDL_DestroyRenderer(renderer_);
        if (window_ != nullptr) SDL_DestroyWindow(window_);
    }

    bool ok() const { return backend_ != nullptr; }
    const std::string& error() const { return error_; }
    SDL_Renderer* renderer() const { return renderer_; }
    SdlBackend& backend() { return *backend_; }

    int width() const override { return width_; }
    int height() const override { return height_; }
    Image draw(const ui::DrawList& list, GlyphAtlas* atlas) override {
        const SdlStatus status = backend_->render(list, atlas);
        EXPECT_TRUE(status) << status.message;
        SdlReadResult read = backend_->read_pixels();
        EXPECT_TRUE(read) << read.status.message;
        SDL_RenderPresent(renderer_);
        return std::move(read.image);
    }

  private:
    int width_, height_;
    SDL_Window* window_ = nullptr;
    SDL_Renderer* renderer_ = nullptr;
    std::unique_ptr<SdlBackend> backend_;
    std::string error_;
};

class SdlBackendTest : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override { ASSERT_TRUE(video_.ok()) << video_.error(); }

    // Every driver must work on the CI machine (Mesa): a missing one fails, never skips.
    std::unique_ptr<SdlTarget> make_target(int width = 640, int height = 360) {
        auto target = std::make_unique<SdlTarget>(GetParam(), width, height);
        EXPECT_TRUE(target->ok()) << GetParam() << ": " << target->error();
        if (!target->ok()) return nullptr;
        return target;
    }

    HeadlessVideo video_;
};

TEST_P(SdlBackendTest, SolidQuadsReadBackExactly) {
    auto target = make_target();
    ASSERT_TRUE(target);
    fixture::check_solid_quads(*target);
}

TEST_P(SdlBackendTest, ClipRectLeavesOutsideUntouched) {
    auto target = make_target();
    ASSERT_TRUE(target);
    fixture::check_clipping(*target);
}

TEST_P(SdlBackendTest, BlendsWithStraightAlpha) {
    auto target = make_target();
    ASSERT_TRUE(target);
    fixture::check_blending(*target);
}

TEST_P(SdlBackendTest, TextMatchesAtlasCoverage) {
    auto target = make_target();
    ASSERT_TRUE(target);
    AtlasResult atlas = GlyphAtlas::create();
    ASSERT_TRUE(atlas) << atlas.message;
    fixture::check_text(*target, *atlas.atlas);
}

// Glyphs added after the texture exists arrive through the dirty-rectangle upload, and glyphs
// added after the atlas grew arrive through a new texture; both must show.
TEST_P(SdlBackendTest, AtlasChangesReachTheTexture) {
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
    ASSERT_TRUE(atlas.dirty_rect().empty()) << "the backend should have taken the dirty rect";

    const std::uint64_t layout_before = atlas.layout_generation();
    atlas.glyph(ui::Face::mono, 40, U'2');  // fits: partial upload
    EXPECT_EQ(atlas.layout_generation(), layout_before);
    EXPECT_FALSE(atlas.dirty_rect().empty());
    fixture::check_text(*target, atlas);  // 48 px semibold: grows the 64-px-high atlas
    EXPECT_GT(atlas.layout_generation(), layout_before);
    EXPECT_GT(atlas.height(), 64);
}

TEST_P(SdlBackendTest, ModuleGridExactAt720p) {
    auto target = make_target(1280, 720);
    ASSERT_TRUE(target);
    fixture::check_module_grid(*target);
}

TEST_P(SdlBackendTest, ModuleGridExactAt4K) {
    auto target = make_target(3840, 2160);
    ASSERT_TRUE(target);
    fixture::check_module_grid(*target);
}

// A host application's renderer state survives a frame, and the frame is drawn in physical
// pixels whatever scale and viewport the host had set.
TEST_P(SdlBackendTest, RestoresRendererState) {
    auto target = make_target();
    ASSERT_TRUE(target);
    SDL_Renderer* r = target->renderer();
    ASSERT_EQ(SDL_RenderSetScale(r, 2.0f, 2.0f), 0);
    const SDL_Rect viewport{5, 6, 200, 100};
    ASSERT_EQ(SDL_RenderSetViewport(r, &viewport), 0);
    const SDL_Rect clip{10, 11, 30, 20};
    ASSERT_EQ(SDL_RenderSetClipRect(r, &clip), 0);
    ASSERT_EQ(SDL_SetRenderDrawColor(r, 1, 2, 3, 4), 0);
    ASSERT_EQ(SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_ADD), 0);

    ui::DrawList list;
    list.reset(target->width(), target->height(), fixture::kClear);
    fixture::add_quad(list, 500, 300, 510, 310, fixture::kRed);
    ASSERT_TRUE(target->backend().render(list, nullptr));

    float sx = 0, sy = 0;
    SDL_RenderGetScale(r, &sx, &sy);
    EXPECT_EQ(sx, 2.0f);
    EXPECT_EQ(sy, 2.0f);
    SDL_Rect got{};
    SDL_RenderGetViewport(r, &got);
    EXPECT_EQ(got.x, viewport.x);
    EXPECT_EQ(got.y, viewport.y);
    EXPECT_EQ(got.w, viewport.w);
    EXPECT_EQ(got.h, viewport.h);
    EXPECT_EQ(SDL_RenderIsClipEnabled(r), SDL_TRUE);
    SDL_RenderGetClipRect(r, &got);
    EXPECT_EQ(got.x, clip.x);
    EXPECT_EQ(got.y, clip.y);
    EXPECT_EQ(got.w, clip.w);
    EXPECT_EQ(got.h, clip.h);
    Uint8 c[4] = {};
    SDL_GetRenderDrawColor(r, &c[0], &c[1], &c[2], &c[3]);
    EXPECT_EQ(c[0], 1);
    EXPECT_EQ(c[1], 2);
    EXPECT_EQ(c[2], 3);
    EXPECT_EQ(c[3], 4);
    SDL_BlendMode blend{};
    SDL_GetRenderDrawBlendMode(r, &blend);
    EXPECT_EQ(blend, SDL_BLENDMODE_ADD);

    // The quad landed at physical (500,300) despite the host's scale 2 and viewport offset.
    SdlReadResult read = target->backend().read_pixels();
    ASSERT_TRUE(read) << read.status.message;
    EXPECT_EQ(fixture::channel_diff(read.image.pixel(505, 305), fixture::kRed), 0);
    EXPECT_EQ(fixture::channel_diff(read.image.pixel(499, 305), fixture::kClear), 0);
    EXPECT_EQ(fixture::channel_diff(read.image.pixel(510, 305), fixture::kClear), 0);
}

TEST_P(SdlBackendTest, RefusesInvalidDrawList) {
    auto target = make_target();
    ASSERT_TRUE(target);
    const SdlStatus status = target->backend().render(fixture::broken_list(640, 360), nullptr);
    EXPECT_EQ(status.error, SdlError::invalid_draw_list);
    EXPECT_FALSE(status.message.empty());
    // The frame still shows the clear colour, not garbage.
    SdlReadResult read = target->backend().read_pixels();
    ASSERT_TRUE(read);
    EXPECT_EQ(fixture::channel_diff(read.image.pixel(20, 20), fixture::kClear), 0);
}

// A screenshot survives the trip through a PNG file unchanged.
TEST_P(SdlBackendTest, ScreenshotRoundTripsThroughPng) {
    auto target = make_target();
    ASSERT_TRUE(target);
    ui::DrawList list;
    list.reset(target->width(), target->height(), fixture::kClear);
    fixture::add_quad(list, 100, 100, 200, 150, fixture::kBlue);
    const Image shot = target->draw(list, nullptr);
    ASSERT_FALSE(shot.empty());

    const auto dir =
        std::filesystem::temp_directory_path() / ("pinlink_sdl_png_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / (GetParam() + ".png")).string();
    const PngResult written = write_png(shot, path);
    ASSERT_TRUE(written) << written.message;
    const PngReadResult back = read_png(path);
    ASSERT_TRUE(back) << back.message;
    EXPECT_EQ(back.image.width, shot.width);
    EXPECT_EQ(back.image.height, shot.height);
    EXPECT_EQ(back.image.rgba, shot.rgba);
    std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Drivers, SdlBackendTest,
                         ::testing::Values("software", "opengl", "opengles2"),
                         [](const auto& param_info) { return param_info.param; });

TEST(SdlBackend, NullRendererIsAnError) {
    const SdlBackendResult result = SdlBackend::create(nullptr);
    EXPECT_FALSE(result);
    EXPECT_EQ(result.status.error, SdlError::no_renderer);
    EXPECT_EQ(result.backend, nullptr);
}

// --- Software renderer: opaque runs unblended -------------------------------------------------
// SdlBackend on SDL's software renderer draws runs of opaque untextured triangles unblended and
// the translucent ones blended (sdl_backend.cpp: SDL blends a triangle through a temporary
// surface as large as its bounding box). Whatever the split, the picture must be the one a
// renderer without it draws: opaque and translucent triangles interleaved in one command keep
// their order, and the picture is identical to blending every triangle.

constexpr int kRunsWidth = 320, kRunsHeight = 200;
constexpr ui::Color kTop{200, 40, 40, 255}, kBottom{40, 40, 200, 255};
constexpr ui::Color kVeil{250, 250, 250, 128}, kDiamond{20, 180, 60, 255};
constexpr ui::Color kStripe{255, 220, 0, 100};

// A quadrilateral a-b-c-d as the two triangles a-b-c and a-c-d, appended to the list's one
// untextured command.
void add_corners(ui::DrawList& list, ui::Vertex a, ui::Vertex b, ui::Vertex c, ui::Vertex d) {
    const auto base = static_cast<std::uint32_t>(list.vertices.size());
    list.vertices.insert(list.vertices.end(), {a, b, c, d});
    for (const std::uint32_t i : {0u, 1u, 2u, 0u, 2u, 3u})
        list.indices.push_back(base + i);
    if (list.commands.empty()) list.commands.push_back({{}, ui::TextureId::none, 0, 0});
    list.commands.back().index_count += 6;
}

// One untextured command: an opaque vertical gradient over the whole target (triangles, not a
// rectangle SDL could fill), a translucent veil, an opaque diamond on the veil, a translucent
// stripe across the diamond (veil and stripe slanted). Opaque, translucent, opaque, translucent.
ui::DrawList runs_scene() {
    ui::DrawList list;
    list.reset(kRunsWidth, kRunsHeight, fixture::kClear);
    const float w = kRunsWidth, h = kRunsHeight;
    add_corners(list, {0, 0, 0, 0, kTop}, {w, 0, 0, 0, kTop}, {w, h, 0, 0, kBottom},
                {0, h, 0, 0, kBottom});
    // The translucent shapes are slanted on purpose: SDL's software renderer turns an
    // axis-aligned quad of one colour into a fill rectangle, always blended, which would never
    // reach the triangle path whose blend mode the backend chooses.
    add_corners(list, {60, 40, 0, 0, kVeil}, {260, 40, 0, 0, kVeil}, {280, 160, 0, 0, kVeil},
                {80, 160, 0, 0, kVeil});
    add_corners(list, {160, 50, 0, 0, kDiamond}, {210, 100, 0, 0, kDiamond},
                {160, 150, 0, 0, kDiamond}, {110, 100, 0, 0, kDiamond});
    add_corners(list, {100, 90, 0, 0, kStripe}, {220, 90, 0, 0, kStripe}, {224, 110, 0, 0, kStripe},
                {104, 110, 0, 0, kStripe});
    return list;
}

// The picture SdlBackend draws on SDL's software renderer.
Image draw_split(const ui::DrawList& list) {
    SdlTarget target("software", kRunsWidth, kRunsHeight);
    EXPECT_TRUE(target.ok()) << target.error();
    return target.ok() ? target.draw(list, nullptr) : Image{};
}

ui::Color over(ui::Color src, ui::Color dst) {
    auto mix = [&](int s, int d) {
        return static_cast<std::uint8_t>((s * src.a + d * (255 - src.a)) / 255);
    };
    return {mix(src.r, dst.r), mix(src.g, dst.g), mix(src.b, dst.b), 255};
}

TEST(SdlSoftwareRuns, OpaqueAndTranslucentTrianglesKeepTheirOrder) {
    HeadlessVideo video;
    ASSERT_TRUE(video.ok()) << video.error();
    const Image image = draw_split(runs_scene());
    ASSERT_EQ(image.width, kRunsWidth);

    // The gradient alone, at the top and bottom rows and in the middle.
    EXPECT_LE(fixture::channel_diff(image.pixel(10, 0), kTop), 3)
        << fixture::describe(image.pixel(10, 0));
    EXPECT_LE(fixture::channel_diff(image.pixel(10, kRunsHeight - 1), kBottom), 3)
        << fixture::describe(image.pixel(10, kRunsHeight - 1));
    const ui::Color middle = image.pixel(10, kRunsHeight / 2);
    EXPECT_LE(fixture::channel_diff(middle, {120, 40, 120, 255}), 4) << fixture::describe(middle);
    // The veil blended over the gradient: beside the gradient's own pixel on the same row.
    const ui::Color veiled = image.pixel(80, 60);
    EXPECT_LE(fixture::channel_diff(veiled, over(kVeil, image.pixel(10, 60))), 2)
        << fixture::describe(veiled);
    // The opaque diamond, drawn after the veil, covers it exactly.
    EXPECT_EQ(fixture::channel_diff(image.pixel(160, 70), kDiamond), 0)
        << fixture::describe(image.pixel(160, 70));
    EXPECT_EQ(fixture::channel_diff(image.pixel(160, 130), kDiamond), 0);
    // The stripe, drawn last, blends over the diamond and over the veil.
    EXPECT_LE(fixture::channel_diff(image.pixel(160, 100), over(kStripe, kDiamond)), 2)
        << fixture::describe(image.pixel(160, 100));
    EXPECT_LE(fixture::channel_diff(image.pixel(105, 100), over(kStripe, image.pixel(105, 60))), 12)
        << "the veil row above differs only by the gradient's few steps";
}

// What the backend drew before it split runs: the whole command in one call, blended. An
// opaque triangle blended is exactly the triangle, so the pictures must be identical.
Image draw_all_blended(const ui::DrawList& list, std::string& error) {
    SDL_Window* window =
        SDL_CreateWindow("pinlink test", 0, 0, kRunsWidth, kRunsHeight, SDL_WINDOW_HIDDEN);
    if (window == nullptr) {
        error = SDL_GetError();
        return {};
    }
    SDL_Renderer* renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
    Image image;
    if (renderer == nullptr) {
        error = SDL_GetError();
    } else {
        const ui::Color c = list.clear;
        SDL_SetRenderDrawColor(renderer, c.r, c.g, c.b, c.a);
        SDL_RenderClear(renderer);
        SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_BLEND);
        const ui::Vertex& first = list.vertices.front();
        constexpr int stride = static_cast<int>(sizeof(ui::Vertex));
        if (SDL_RenderGeometryRaw(renderer, nullptr, &first.x, stride,
                                  reinterpret_cast<const SDL_Color*>(&first.color), stride,
                                  &first.u, stride, static_cast<int>(list.vertices.size()),
                                  list.indices.data(), static_cast<int>(list.indices.size()),
                                  static_cast<int>(sizeof(std::uint32_t))) != 0) {
            error = SDL_GetError();
        } else {
            image.width = kRunsWidth;
            image.height = kRunsHeight;
            image.rgba.resize(static_cast<std::size_t>(kRunsWidth) * kRunsHeight * 4);
            if (SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_RGBA32, image.rgba.data(),
                                     kRunsWidth * 4) != 0) {
                error = SDL_GetError();
                image = {};
            }
            for (std::size_t i = 3; i < image.rgba.size(); i += 4)
                image.rgba[i] = 255;
        }
    }
    fixture::keep_libraries_loaded();
    if (renderer != nullptr) SDL_DestroyRenderer(renderer);
    SDL_DestroyWindow(window);
    return image;
}

TEST(SdlSoftwareRuns, SameAsBlendingEverything) {
    HeadlessVideo video;
    ASSERT_TRUE(video.ok()) << video.error();
    const ui::DrawList list = runs_scene();
    const Image split = draw_split(list);
    ASSERT_EQ(split.width, kRunsWidth);
    std::string error;
    const Image blended = draw_all_blended(list, error);
    ASSERT_EQ(blended.width, kRunsWidth) << error;
    int different = 0;
    for (int y = 0; y < kRunsHeight; ++y) {
        for (int x = 0; x < kRunsWidth; ++x) {
            if (fixture::channel_diff(split.pixel(x, y), blended.pixel(x, y)) != 0 &&
                different++ < 5) {
                ADD_FAILURE() << "at " << x << "," << y << ": "
                              << fixture::describe(split.pixel(x, y)) << " split, "
                              << fixture::describe(blended.pixel(x, y)) << " all blended";
            }
        }
    }
    EXPECT_EQ(different, 0);
}

// SDL's software renderer fills an axis-aligned quad of one colour as a rectangle, truncating
// its x and its width apart, and rasterises triangles from truncated vertices. A rectangle
// from x = 10.6 to 31.2 so ended at column 29 while the triangles beside it began at 31: a
// column of background between them (the seam once seen where a focus ring's straight edge
// meets its corner). The backend hands SDL whole-pixel positions, so both agree.
TEST(SdlSoftwareRuns, AFilledRectangleMeetsTheTrianglesBesideIt) {
    HeadlessVideo video;
    ASSERT_TRUE(video.ok()) << video.error();
    constexpr ui::Color kRing{90, 200, 250, 255};
    ui::DrawList list;
    list.reset(kRunsWidth, kRunsHeight, fixture::kClear);
    // A straight band (becomes a rectangle), then a slanted piece (stays triangles) that
    // shares its left edge.
    add_corners(list, {10.6f, 20.3f, 0, 0, kRing}, {31.2f, 20.3f, 0, 0, kRing},
                {31.2f, 30.4f, 0, 0, kRing}, {10.6f, 30.4f, 0, 0, kRing});
    add_corners(list, {31.2f, 20.3f, 0, 0, kRing}, {52.0f, 16.0f, 0, 0, kRing},
                {52.0f, 34.0f, 0, 0, kRing}, {31.2f, 30.4f, 0, 0, kRing});
    const Image image = draw_split(list);
    ASSERT_EQ(image.width, kRunsWidth);
    for (int x = 11; x < 51; ++x) {
        EXPECT_EQ(fixture::channel_diff(image.pixel(x, 25), kRing), 0)
            << "column " << x << ": " << fixture::describe(image.pixel(x, 25));
    }
}

}  // namespace
}  // namespace pinlink::render
