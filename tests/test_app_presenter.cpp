// The presenters of src/app/presenter.cpp, headless on SDL's offscreen driver: the software
// renderer writes to the driver's own window framebuffer and never makes an OpenGL context
// (render/sdl/native_framebuffer.hpp), the backdrop is presented at once, and an
// SDL_FRAMEBUFFER_ACCELERATION set by the person still wins. Each test starts SDL's video
// afresh, because SDL settles the kind of window surface once per video start.
#include <SDL.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <utility>

#include "app/presenter.hpp"
#include "render/sdl/native_framebuffer.hpp"
#include "render_test_support.hpp"

namespace pinlink::app {
namespace {

constexpr ui::Color kBackdrop{21, 24, 31, 255};

using render::fixture::keep_libraries_loaded;

// Whether SDL can load an OpenGL library here. The libraries it opened are pinned first (under
// ASan), as before any unload: see render_test_support.hpp.
bool gl_available() {
    if (SDL_GL_LoadLibrary(nullptr) != 0) return false;
    keep_libraries_loaded();
    SDL_GL_UnloadLibrary();
    return true;
}

class Presenters : public ::testing::Test {
  protected:
    void SetUp() override {
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
        unsetenv("SDL_FRAMEBUFFER_ACCELERATION");
        SDL_ResetHints();
        ASSERT_EQ(SDL_Init(SDL_INIT_VIDEO), 0) << SDL_GetError();
    }
    void TearDown() override {
        keep_libraries_loaded();
        SDL_Quit();
        unsetenv("SDL_FRAMEBUFFER_ACCELERATION");
    }

    static WindowSpec spec() {
        WindowSpec s;
        s.fullscreen = false;
        s.width = 320;
        s.height = 240;
        s.first_clear = kBackdrop;
        return s;
    }
};

TEST(NativeFramebuffer, OnlyDriversWithTheirOwnFramebuffer) {
    EXPECT_TRUE(render::driver_has_native_framebuffer("x11"));
    EXPECT_TRUE(render::driver_has_native_framebuffer("offscreen"));
    EXPECT_TRUE(render::driver_has_native_framebuffer("dummy"));
    // SDL 2 can show a surface on these only through a GL renderer: left to SDL.
    EXPECT_FALSE(render::driver_has_native_framebuffer("wayland"));
    EXPECT_FALSE(render::driver_has_native_framebuffer("KMSDRM"));
    EXPECT_FALSE(render::driver_has_native_framebuffer(""));
}

TEST_F(Presenters, SoftwareRendererNeverMakesAGlContext) {
    PresenterResult made = make_presenter(RendererChoice::software, spec());
    ASSERT_NE(made.presenter, nullptr) << made.error;
    EXPECT_TRUE(made.first_clear_presented.has_value());
    SDL_Window* window = made.presenter->window();
    // SDL recreates the window with SDL_WINDOW_OPENGL when it shows the surface through GL.
    EXPECT_EQ(SDL_GetWindowFlags(window) & SDL_WINDOW_OPENGL, 0u);
    EXPECT_EQ(SDL_GL_GetCurrentContext(), nullptr);
    EXPECT_NE(SDL_GetWindowSurface(window), nullptr) << SDL_GetError();
    EXPECT_EQ(made.presenter->description(), "SDL_Renderer (software)");

    // What it presented is the backdrop, in the surface the driver shows.
    const render::Image image = made.presenter->read_pixels();
    ASSERT_EQ(image.width, 320);
    ASSERT_EQ(image.height, 240);
    for (const auto& [x, y] : {std::pair{0, 0}, std::pair{319, 239}, std::pair{160, 120}}) {
        const ui::Color c = image.pixel(x, y);
        EXPECT_EQ(c.r, kBackdrop.r);
        EXPECT_EQ(c.g, kBackdrop.g);
        EXPECT_EQ(c.b, kBackdrop.b);
    }
    made.presenter->present();
    EXPECT_EQ(SDL_GetWindowFlags(window) & SDL_WINDOW_OPENGL, 0u);
    EXPECT_EQ(SDL_GL_GetCurrentContext(), nullptr);
}

TEST_F(Presenters, WithoutTheChoiceSdlWouldShowTheSurfaceThroughGl) {
    // What the hint prevents, so the test above can fail: the same software renderer on a
    // fresh video start, hint not set, goes through a hidden OpenGL renderer where one exists.
    if (!gl_available()) GTEST_SKIP() << "no OpenGL on this machine";
    SDL_Window* window = SDL_CreateWindow("pinlink test", 0, 0, 320, 240, 0);
    ASSERT_NE(window, nullptr) << SDL_GetError();
    SDL_Renderer* renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
    ASSERT_NE(renderer, nullptr) << SDL_GetError();
    SDL_RenderClear(renderer);
    SDL_RenderPresent(renderer);
    EXPECT_NE(SDL_GetWindowFlags(window) & SDL_WINDOW_OPENGL, 0u);
    EXPECT_NE(SDL_GL_GetCurrentContext(), nullptr);
    keep_libraries_loaded();
    SDL_DestroyRenderer(renderer);
    SDL_DestroyWindow(window);
}

TEST_F(Presenters, AnEnvironmentChoiceWins) {
    // Set before SDL reads it: a person who wants SDL's GL-backed surface can still have it.
    setenv("SDL_FRAMEBUFFER_ACCELERATION", "1", 1);
    if (!gl_available()) GTEST_SKIP() << "no OpenGL on this machine";
    PresenterResult made = make_presenter(RendererChoice::software, spec());
    ASSERT_NE(made.presenter, nullptr) << made.error;
    made.presenter->present();
    EXPECT_NE(SDL_GetWindowFlags(made.presenter->window()) & SDL_WINDOW_OPENGL, 0u);
}

}  // namespace
}  // namespace pinlink::app
