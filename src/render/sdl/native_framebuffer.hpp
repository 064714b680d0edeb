// Where SDL's software renderer puts its pixels. Left alone, SDL 2 shows a software window
// surface through a hidden OpenGL renderer whenever one can be made: on a machine without a GPU
// that loads Mesa and LLVM and compiles shaders just to copy a picture, and on a machine whose
// GL is broken, the very fallback that exists for it goes through GL. Where the video driver has
// its own window framebuffer (X11 shared memory, the offscreen driver's memory), the software
// renderer should write there. Header-only with SDL as its one dependency, so that the startup
// baseline (bench/baseline_window.cpp) makes the same choice without linking pinlink.
#pragma once

#include <SDL.h>

#include <string_view>

namespace pinlink::render {

// True for SDL 2 video drivers that implement a window framebuffer of their own. Wayland and
// KMSDRM have none in SDL 2: there the hidden GL renderer is the only way to show a surface.
inline bool driver_has_native_framebuffer(std::string_view driver) {
    return driver == "x11" || driver == "offscreen" || driver == "dummy";
}

// Call after SDL's video subsystem is up and before the first software renderer or window
// surface is made (SDL decides once per video start). Sets SDL_HINT_FRAMEBUFFER_ACCELERATION to
// "0" at normal priority, so an SDL_FRAMEBUFFER_ACCELERATION in the environment still wins.
// Returns whether the current driver gets its own framebuffer.
inline bool prefer_native_framebuffer() {
    const char* driver = SDL_GetCurrentVideoDriver();
    if (driver == nullptr || !driver_has_native_framebuffer(driver)) return false;
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    return true;
}

}  // namespace pinlink::render
