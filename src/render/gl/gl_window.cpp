// Window and GL context creation (see gl_window.hpp).
#include "render/gl/gl_window.hpp"

#include <SDL.h>

#include <cstdint>
#include <string>
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
        made->flush_ = reinterpret_cast<void (*)()>(SDL_GL_GetProcAddress("glFlush"));
        made->finish_ = reinterpret_cast<void (*)()>(SDL_GL_GetProcAddress("glFinish"));
        made->fence_sync_ = reinterpret_cast<void* (*)(unsigned, unsigned)>(
            SDL_GL_GetProcAddress("glFenceSync"));
        made->client_wait_sync_ = reinterpret_cast<unsigned (*)(void*, unsigned, std::uint64_t)>(
            SDL_GL_GetProcAddress("glClientWaitSync"));
        made->delete_sync_ =
            reinterpret_cast<void (*)(void*)>(SDL_GL_GetProcAddress("glDeleteSync"));
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

void GlWindow::swap() {
    SDL_GL_SwapWindow(window_);
    // Hand the frame to the driver now. Swapping an EGL pbuffer (SDL's offscreen driver) does
    // nothing at all, and Mesa's llvmpipe then keeps every frame's commands queued, unrendered,
    // growing its memory by about 1.4 MiB a frame at 1080p until something flushes.
    if (flush_ != nullptr) flush_();
    if (fence_sync_ == nullptr || client_wait_sync_ == nullptr || delete_sync_ == nullptr) {
        // No fences (a very old context): one frame at a time instead.
        finish();
        return;
    }
    constexpr unsigned kSyncGpuCommandsComplete = 0x9117;  // GL_SYNC_GPU_COMMANDS_COMPLETE
    constexpr unsigned kSyncFlushCommandsBit = 0x1;        // GL_SYNC_FLUSH_COMMANDS_BIT
    constexpr unsigned kTimeoutExpired = 0x911B;           // GL_TIMEOUT_EXPIRED
    constexpr std::uint64_t kOneSecondNs = 1'000'000'000;
    if (last_frame_ != nullptr) {
        // Signalled, already signalled or failed (a lost context) all end the wait; only a
        // timeout tries again, and never for more than five seconds in all.
        for (int tries = 0; tries < 5; ++tries) {
            if (client_wait_sync_(last_frame_, kSyncFlushCommandsBit, kOneSecondNs) !=
                kTimeoutExpired) {
                break;
            }
        }
        delete_sync_(last_frame_);
    }
    last_frame_ = fence_sync_(kSyncGpuCommandsComplete, 0);
}

void GlWindow::finish() const {
    if (finish_ != nullptr) finish_();
}

void GlWindow::clear_and_swap(float red, float green, float blue) {
    // The two entry points are fetched here rather than through GlFunctions, which loads the
    // whole set the backend needs: this runs before the backend exists.
    using ClearColor = void (*)(float, float, float, float);
    using Clear = void (*)(unsigned);
    constexpr unsigned kColorBufferBit = 0x00004000;  // GL_COLOR_BUFFER_BIT
    const auto clear_color = reinterpret_cast<ClearColor>(SDL_GL_GetProcAddress("glClearColor"));
    const auto clear = reinterpret_cast<Clear>(SDL_GL_GetProcAddress("glClear"));
    if (!clear_color || !clear) return;
    clear_color(red, green, blue, 1.0f);
    clear(kColorBufferBit);
    swap();
}

void GlWindow::drawable_size(int* width, int* height) const {
    SDL_GL_GetDrawableSize(window_, width, height);
}

}  // namespace pinlink::render
