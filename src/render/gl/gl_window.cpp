// Window and GL context creation (see gl_window.hpp).
#include "render/gl/gl_window.hpp"

#include <SDL.h>

#include <string>
#include <type_traits>
#include <vector>

namespace pinlink::render {

namespace {

struct Attempt {
    const char* name;
    int profile, major, minor;
    bool es;
};

constexpr Attempt core_33{"OpenGL 3.3 core", SDL_GL_CONTEXT_PROFILE_CORE, 3, 3, false};
constexpr Attempt es_30{"OpenGL ES 3.0", SDL_GL_CONTEXT_PROFILE_ES, 3, 0, true};

}  // namespace

GlWindowResult GlWindow::create(const GlWindowOptions& options) {
    std::vector<Attempt> attempts = {core_33, es_30};
    if (options.api == GlApi::core) attempts = {core_33};
    if (options.api == GlApi::es) attempts = {es_30};

    std::string failures;
    for (const Attempt& attempt : attempts) {
        // Attributes apply to the next window and context; set them all, every time.
        SDL_GL_ResetAttributes();
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, attempt.profile);
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, attempt.major);
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, attempt.minor);
        SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
        SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);  // 2D only: no depth or stencil buffer
        SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);

        SDL_Window* window = SDL_CreateWindow(
            options.title.c_str(), SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, options.width,
            options.height, options.window_flags | SDL_WINDOW_OPENGL);
        if (window == nullptr) {
            failures +=
                std::string(failures.empty() ? "" : "; ") + attempt.name + ": " + SDL_GetError();
            continue;
        }
        SDL_GLContext context = SDL_GL_CreateContext(window);
        if (context == nullptr) {
            failures +=
                std::string(failures.empty() ? "" : "; ") + attempt.name + ": " + SDL_GetError();
            SDL_DestroyWindow(window);
            continue;
        }
        SDL_GL_MakeCurrent(window, context);
        // Vsync when offered; a driver without it still works, just without the pacing.
        if (options.vsync) SDL_GL_SetSwapInterval(1);
        std::unique_ptr<GlWindow> made(new GlWindow(window, context, attempt.es));
        made->load_entry_points();
        return {std::move(made), {}};
    }
    return {nullptr, {GlError::no_context, failures}};
}

GlWindow::~GlWindow() {
    if (last_frame_ != nullptr && delete_sync_ != nullptr) {
        SDL_GL_MakeCurrent(window_, context_);
        delete_sync_(last_frame_);
    }
    SDL_GL_DeleteContext(context_);
    SDL_DestroyWindow(window_);
}

void GlWindow::make_current() const {
    SDL_GL_MakeCurrent(window_, context_);
}

void GlWindow::load_entry_points() {
    const auto load = [](auto& fn, const char* name) {
        fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(SDL_GL_GetProcAddress(name));
    };
    load(clear_color_, "glClearColor");
    load(clear_, "glClear");
    load(flush_, "glFlush");
    load(finish_, "glFinish");
    load(fence_sync_, "glFenceSync");
    load(client_wait_sync_, "glClientWaitSync");
    load(delete_sync_, "glDeleteSync");
}

void GlWindow::swap() {
    SDL_GL_SwapWindow(window_);
    // Hand the frame to the driver now. Swapping an EGL pbuffer (SDL's offscreen driver) does
    // nothing at all, and Mesa's llvmpipe then keeps every frame's commands queued, unrendered,
    // growing its memory by about 1.4 MiB a frame at 1080p until something flushes.
    if (flush_ != nullptr) flush_();
    if (fence_sync_ == nullptr || client_wait_sync_ == nullptr || delete_sync_ == nullptr) {
        // No fences (a very old context): one frame at a time instead.
        if (finish_ != nullptr) finish_();
        return;
    }
    if (last_frame_ != nullptr) {
        // Signalled, already signalled or failed (a lost context) all end the wait; only a
        // timeout tries again, and never for more than five seconds in all.
        constexpr GLuint64 kOneSecondNs = 1'000'000'000;
        for (int tries = 0; tries < 5; ++tries) {
            if (client_wait_sync_(last_frame_, GL_SYNC_FLUSH_COMMANDS_BIT, kOneSecondNs) !=
                GL_TIMEOUT_EXPIRED) {
                break;
            }
        }
        delete_sync_(last_frame_);
    }
    last_frame_ = fence_sync_(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
}

void GlWindow::clear_and_swap(float red, float green, float blue) {
    if (clear_color_ == nullptr || clear_ == nullptr) return;
    clear_color_(red, green, blue, 1.0f);
    clear_(GL_COLOR_BUFFER_BIT);
    swap();
}

void GlWindow::drawable_size(int* width, int* height) const {
    SDL_GL_GetDrawableSize(window_, width, height);
}

}  // namespace pinlink::render
