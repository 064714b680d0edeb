// SdlBackend on SDL's software renderer draws runs of opaque untextured triangles unblended and
// the translucent ones blended (sdl_backend.cpp: SDL blends a triangle through a temporary
// surface as large as its bounding box). Whatever the split, the picture must be the one a
// renderer without it draws: opaque and translucent triangles interleaved in one command keep
// their order, and the picture is identical to blending every triangle.
#include <SDL.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "render/common/image.hpp"
#include "render/sdl/sdl_backend.hpp"
#include "render_test_support.hpp"

namespace pinlink::render {
namespace {

using fixture::HeadlessVideo;

constexpr int kWidth = 320, kHeight = 200;
constexpr ui::Color kTop{200, 40, 40, 255}, kBottom{40, 40, 200, 255};
constexpr ui::Color kVeil{250, 250, 250, 128}, kDiamond{20, 180, 60, 255};
constexpr ui::Color kStripe{255, 220, 0, 100};

void add_triangles(ui::DrawList& list, std::initializer_list<ui::Vertex> vertices) {
    const auto base = static_cast<std::uint32_t>(list.vertices.size());
    for (const ui::Vertex& v : vertices)
        list.vertices.push_back(v);
    for (std::uint32_t i = 0; i < vertices.size(); ++i)
        list.indices.push_back(base + i);
    if (list.commands.empty()) list.commands.push_back({{}, ui::TextureId::none, 0, 0});
    list.commands.back().index_count += static_cast<std::uint32_t>(vertices.size());
}

// One untextured command: an opaque vertical gradient over the whole target (triangles, not a
// rectangle SDL could fill), a translucent veil, an opaque diamond on the veil, a translucent
// stripe across the diamond. Opaque, translucent, opaque, translucent.
ui::DrawList scene() {
    ui::DrawList list;
    list.reset(kWidth, kHeight, fixture::kClear);
    const float w = kWidth, h = kHeight;
    add_triangles(list, {{0, 0, 0, 0, kTop},
                         {w, 0, 0, 0, kTop},
                         {w, h, 0, 0, kBottom},
                         {0, 0, 0, 0, kTop},
                         {w, h, 0, 0, kBottom},
                         {0, h, 0, 0, kBottom}});
    add_triangles(list, {{60, 40, 0, 0, kVeil},
                         {260, 40, 0, 0, kVeil},
                         {260, 160, 0, 0, kVeil},
                         {60, 40, 0, 0, kVeil},
                         {260, 160, 0, 0, kVeil},
                         {60, 160, 0, 0, kVeil}});
    add_triangles(list, {{160, 50, 0, 0, kDiamond},
                         {210, 100, 0, 0, kDiamond},
                         {160, 150, 0, 0, kDiamond},
                         {160, 50, 0, 0, kDiamond},
                         {160, 150, 0, 0, kDiamond},
                         {110, 100, 0, 0, kDiamond}});
    add_triangles(list, {{100, 90, 0, 0, kStripe},
                         {220, 90, 0, 0, kStripe},
                         {220, 110, 0, 0, kStripe},
                         {100, 90, 0, 0, kStripe},
                         {220, 110, 0, 0, kStripe},
                         {100, 110, 0, 0, kStripe}});
    return list;
}

Image draw_with(const char* driver, const ui::DrawList& list, std::string& error) {
    SDL_Window* window = SDL_CreateWindow("pinlink test", 0, 0, kWidth, kHeight, SDL_WINDOW_HIDDEN);
    if (window == nullptr) {
        error = SDL_GetError();
        return {};
    }
    int index = -1;
    for (int i = 0; i < SDL_GetNumRenderDrivers(); ++i) {
        SDL_RendererInfo info;
        if (SDL_GetRenderDriverInfo(i, &info) == 0 && std::string(driver) == info.name) index = i;
    }
    SDL_Renderer* renderer = index >= 0 ? SDL_CreateRenderer(window, index, 0) : nullptr;
    Image image;
    if (renderer == nullptr) {
        error = std::string(driver) + ": " + (index < 0 ? "no such driver" : SDL_GetError());
    } else {
        SdlBackendResult backend = SdlBackend::create(renderer);
        if (!backend) {
            error = backend.status.message;
        } else if (const SdlStatus drawn = backend.backend->render(list, nullptr); !drawn) {
            error = drawn.message;
        } else if (SdlReadResult read = backend.backend->read_pixels(); !read) {
            error = read.status.message;
        } else {
            image = std::move(read.image);
        }
    }
    fixture::keep_libraries_loaded();
    if (renderer != nullptr) SDL_DestroyRenderer(renderer);
    SDL_DestroyWindow(window);
    return image;
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
    std::string error;
    const Image image = draw_with("software", scene(), error);
    ASSERT_EQ(image.width, kWidth) << error;

    // The gradient alone, at the top and bottom rows and in the middle.
    EXPECT_LE(fixture::channel_diff(image.pixel(10, 0), kTop), 3)
        << fixture::describe(image.pixel(10, 0));
    EXPECT_LE(fixture::channel_diff(image.pixel(10, kHeight - 1), kBottom), 3)
        << fixture::describe(image.pixel(10, kHeight - 1));
    const ui::Color middle = image.pixel(10, kHeight / 2);
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
    SDL_Window* window = SDL_CreateWindow("pinlink test", 0, 0, kWidth, kHeight, SDL_WINDOW_HIDDEN);
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
            image.width = kWidth;
            image.height = kHeight;
            image.rgba.resize(static_cast<std::size_t>(kWidth) * kHeight * 4);
            if (SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_RGBA32, image.rgba.data(),
                                     kWidth * 4) != 0) {
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
    const ui::DrawList list = scene();
    std::string error;
    const Image split = draw_with("software", list, error);
    ASSERT_EQ(split.width, kWidth) << error;
    const Image blended = draw_all_blended(list, error);
    ASSERT_EQ(blended.width, kWidth) << error;
    int different = 0;
    for (int y = 0; y < kHeight; ++y) {
        for (int x = 0; x < kWidth; ++x) {
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

}  // namespace
}  // namespace pinlink::render
