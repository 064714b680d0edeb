// The two presenters; see presenter.hpp.
#include "app/presenter.hpp"

#include <cstdlib>

#include "render/gl/gl_backend.hpp"
#include "render/gl/gl_window.hpp"
#include "render/sdl/native_framebuffer.hpp"
#include "render/sdl/sdl_backend.hpp"

namespace pinlink::app {
namespace {

Uint32 window_flags(const WindowSpec& spec) {
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI | SDL_WINDOW_RESIZABLE;
    if (spec.fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    return flags;
}

class GlPresenter final : public Presenter {
public:
    GlPresenter(std::unique_ptr<render::GlWindow> window, std::unique_ptr<render::GlBackend> backend)
        : window_(std::move(window)), backend_(std::move(backend)) {}
    ~GlPresenter() override {
        window_->make_current();
        backend_.reset();  // GL objects go while their context is current
    }
    SDL_Window* window() const override { return window_->window(); }
    void drawable_size(int& w, int& h) const override { window_->drawable_size(&w, &h); }
    int max_texture_size() const override { return backend_->max_texture_size(); }
    std::string draw(const ui::DrawList& list, render::GlyphAtlas& atlas,
                     std::optional<double> background_time) override {
        render::GlFrame frame;
        frame.background = background_time.has_value();
        frame.time_seconds = background_time.value_or(0.0);
        const auto status = backend_->render(list, &atlas, frame);
        return status ? std::string() : status.message;
    }
    render::Image read_pixels() override { return backend_->read_pixels(); }
    void present() override { window_->swap(); }
    // The screen paints its own opaque backdrop over the whole canvas, so the backend's
    // animated gradient would never be seen: keep it off and spend no frames on it.
    bool animated_background() const override { return false; }
    std::string description() const override { return backend_->description(); }

private:
    std::unique_ptr<render::GlWindow> window_;
    std::unique_ptr<render::GlBackend> backend_;
};

class SdlPresenter final : public Presenter {
public:
    SdlPresenter(SDL_Window* window, SDL_Renderer* renderer,
                 std::unique_ptr<render::SdlBackend> backend)
        : window_(window), renderer_(renderer), backend_(std::move(backend)) {}
    ~SdlPresenter() override {
        backend_.reset();
        SDL_DestroyRenderer(renderer_);
        SDL_DestroyWindow(window_);
    }
    SDL_Window* window() const override { return window_; }
    void drawable_size(int& w, int& h) const override {
        if (SDL_GetRendererOutputSize(renderer_, &w, &h) != 0) SDL_GetWindowSize(window_, &w, &h);
    }
    int max_texture_size() const override { return backend_->max_texture_size(); }
    std::string draw(const ui::DrawList& list, render::GlyphAtlas& atlas,
                     std::optional<double>) override {
        const auto status = backend_->render(list, &atlas);
        return status ? std::string() : status.message;
    }
    render::Image read_pixels() override {
        auto r = backend_->read_pixels();
        return r ? std::move(r.image) : render::Image{};
    }
    void present() override { SDL_RenderPresent(renderer_); }
    bool animated_background() const override { return false; }
    std::string description() const override {
        SDL_RendererInfo info{};
        SDL_GetRendererInfo(renderer_, &info);
        return std::string("SDL_Renderer (") + (info.name ? info.name : "?") + ")";
    }

private:
    SDL_Window* window_;
    SDL_Renderer* renderer_;
    std::unique_ptr<render::SdlBackend> backend_;
};

// Where the GL backend keeps linked shader programs between starts: $XDG_CACHE_HOME/pinlink,
// else ~/.cache/pinlink (relative paths are ignored, as the XDG spec asks). Empty: no cache.
std::string program_cache_dir() {
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/pinlink";
    const char* home = std::getenv("HOME");
    if (home != nullptr && home[0] == '/') return std::string(home) + "/.cache/pinlink";
    return {};
}

PresenterResult make_gl(const WindowSpec& spec) {
    PresenterResult out;
    render::GlWindowOptions options;
    options.title = "pinlink";
    options.width = spec.width;
    options.height = spec.height;
    options.window_flags = window_flags(spec);
    auto window = render::GlWindow::create(options);
    if (!window) {
        out.error = window.status.message;
        return out;
    }
    if (spec.first_clear) {
        const ui::Color c = *spec.first_clear;
        window.window->clear_and_swap(c.r / 255.0f, c.g / 255.0f, c.b / 255.0f);
        out.first_clear_presented = std::chrono::steady_clock::now();
    }
    render::GlBackendOptions backend_options;
    backend_options.program_cache_dir = program_cache_dir();
    auto backend = render::GlBackend::create(backend_options);
    if (!backend) {
        out.error = backend.status.message;
        return out;
    }
    out.presenter = std::make_unique<GlPresenter>(std::move(window.window), std::move(backend.backend));
    return out;
}

PresenterResult make_sdl(const WindowSpec& spec, bool software) {
    PresenterResult out;
    SDL_Window* window = SDL_CreateWindow("pinlink", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                          spec.width, spec.height, window_flags(spec));
    if (!window) {
        out.error = std::string("cannot open a window: ") + SDL_GetError();
        return out;
    }
    // A software renderer writes to the driver's own framebuffer where there is one, never
    // through a hidden GL renderer (render/sdl/native_framebuffer.hpp). Set before either
    // attempt: SDL settles the window surface's kind once, at the first renderer that asks.
    render::prefer_native_framebuffer();
    const Uint32 flags = software ? SDL_RENDERER_SOFTWARE : SDL_RENDERER_PRESENTVSYNC;
    SDL_Renderer* renderer = SDL_CreateRenderer(window, -1, flags);
    if (!renderer && !software) renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
    if (!renderer) {
        out.error = std::string("cannot create an SDL renderer: ") + SDL_GetError();
        SDL_DestroyWindow(window);
        return out;
    }
    if (spec.first_clear) {
        const ui::Color c = *spec.first_clear;
        SDL_SetRenderDrawColor(renderer, c.r, c.g, c.b, 255);
        SDL_RenderClear(renderer);
        SDL_RenderPresent(renderer);
        out.first_clear_presented = std::chrono::steady_clock::now();
    }
    auto backend = render::SdlBackend::create(renderer);
    if (!backend) {
        out.error = backend.status.message;
        SDL_DestroyRenderer(renderer);
        SDL_DestroyWindow(window);
        return out;
    }
    out.presenter = std::make_unique<SdlPresenter>(window, renderer, std::move(backend.backend));
    return out;
}

}  // namespace

PresenterResult make_presenter(RendererChoice choice, const WindowSpec& spec) {
    switch (choice) {
        case RendererChoice::gl: return make_gl(spec);
        case RendererChoice::software: return make_sdl(spec, true);
        case RendererChoice::automatic: break;
    }
    auto gl = make_gl(spec);
    if (gl.presenter) return gl;
    auto sdl = make_sdl(spec, false);
    if (sdl.presenter) {
        sdl.notice = "pinlink: OpenGL is not available (" + gl.error +
                     "); drawing with SDL_Renderer instead.";
    }
    return sdl;
}

}  // namespace pinlink::app
