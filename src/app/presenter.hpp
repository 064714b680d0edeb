// The window and the backend that draws into it, behind one small interface so the screen loop
// does not care which renderer runs: OpenGL (3.3 core or GLES 3) through render::GlBackend, or
// SDL_Renderer through render::SdlBackend.
#pragma once

#include <SDL.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "render/common/image.hpp"
#include "render/text/glyph_atlas.hpp"
#include "ui/draw_list.hpp"

namespace pinlink::app {

enum class RendererChoice { automatic, gl, software };

struct WindowSpec {
    bool fullscreen = true;  // fullscreen desktop
    int width = 1280, height = 720;  // windowed size
    // Cleared to and presented as soon as the window and its context exist, before the
    // renderer's slow first work (shader compile, the driver's first JIT): the window shows the
    // screen's backdrop at once instead of garbage or white while the first real frame is made.
    std::optional<ui::Color> first_clear;
};

class Presenter {
public:
    virtual ~Presenter() = default;
    virtual SDL_Window* window() const = 0;
    virtual void drawable_size(int& width, int& height) const = 0;
    virtual int max_texture_size() const = 0;
    // Draws the list; `background_time` (GL only) is the animated background's clock, or
    // nullopt for a flat clear. Returns an error message, empty on success.
    virtual std::string draw(const ui::DrawList& list, render::GlyphAtlas& atlas,
                             std::optional<double> background_time) = 0;
    // The frame just drawn, before present. Empty image on failure.
    virtual render::Image read_pixels() = 0;
    virtual void present() = 0;
    virtual bool animated_background() const = 0;
    virtual std::string description() const = 0;
};

struct PresenterResult {
    std::unique_ptr<Presenter> presenter;
    // When WindowSpec::first_clear was presented (steady_clock), for PINLINK_TRACE.
    std::optional<std::chrono::steady_clock::time_point> first_clear_presented;
    std::string error;    // why nothing could be made
    std::string notice;   // said once on stderr: e.g. the GL fallback
};

// `automatic` tries OpenGL and falls back to SDL_Renderer; `software` is SDL_Renderer with
// SDL's software driver. SDL must be initialised.
PresenterResult make_presenter(RendererChoice choice, const WindowSpec& spec);

}  // namespace pinlink::app
