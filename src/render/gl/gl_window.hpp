// A window with an OpenGL context the GL backend can use: desktop GL 3.3 core first, then
// GLES 3.0 (what Raspberry Pi-class devices and some handhelds offer). The app may make its own
// window instead; this is the tested way to get one. Needs SDL_Init(SDL_INIT_VIDEO) first.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "render/gl/gl_backend.hpp"

struct SDL_Window;

namespace pinlink::render {

enum class GlApi {
    automatic,  // core 3.3, else ES 3.0
    core,       // desktop OpenGL 3.3 core profile only
    es,         // OpenGL ES 3.0 only
};

struct GlWindowOptions {
    std::string title = "pinlink";
    int width = 1280, height = 720;
    std::uint32_t window_flags = 0;  // extra SDL_WINDOW_* flags; SDL_WINDOW_OPENGL is implied
    GlApi api = GlApi::automatic;
    bool vsync = true;  // swap interval 1 when the driver offers it
};

class GlWindow;

struct GlWindowResult {
    std::unique_ptr<GlWindow> window;  // null unless status says none
    GlStatus status;  // GlError::no_context with every attempt's SDL error in the message

    explicit operator bool() const { return static_cast<bool>(status); }
};

class GlWindow {
  public:
    static GlWindowResult create(const GlWindowOptions& options);
    ~GlWindow();  // deletes the context, then the window
    GlWindow(const GlWindow&) = delete;
    GlWindow& operator=(const GlWindow&) = delete;

    SDL_Window* window() const { return window_; }
    void* context() const { return context_; }  // SDL_GLContext
    bool is_es() const { return es_; }
    void make_current() const;
    // Swaps and flushes, so the frame is rendered even where the swap is a no-op (pbuffers);
    // then waits until the frame before this one is drawn. At most two frames are ever in the
    // driver's hands: the CPU builds frame N+1 while the driver still draws frame N, but a
    // driver that does not pace by itself (llvmpipe on SDL's offscreen pbuffer) cannot queue
    // frame after frame, each holding its own scene memory.
    void swap();
    // Clears the whole drawable to one colour (0..1 per channel) and swaps: a window that shows
    // its backdrop at once, before any shader exists. Uses only glClearColor and glClear.
    void clear_and_swap(float red, float green, float blue);
    // The drawable size in physical pixels (differs from the window size on HiDPI screens).
    void drawable_size(int* width, int* height) const;

  private:
    GlWindow(SDL_Window* window, void* context, bool es)
        : window_(window), context_(context), es_(es) {}
    void load_entry_points();  // the members below, with the context current

    SDL_Window* window_;
    void* context_;
    bool es_;
    // The entry points the window uses itself, typed from <GL/glcorearb.h>: the backdrop
    // clear runs before the backend (and its GlFunctions) exists, and swap() paces frames with
    // fences (GL 3.2, GLES 3.0). Any may be null; each use checks.
    PFNGLCLEARCOLORPROC clear_color_ = nullptr;
    PFNGLCLEARPROC clear_ = nullptr;
    PFNGLFLUSHPROC flush_ = nullptr;
    PFNGLFINISHPROC finish_ = nullptr;
    PFNGLFENCESYNCPROC fence_sync_ = nullptr;
    PFNGLCLIENTWAITSYNCPROC client_wait_sync_ = nullptr;
    PFNGLDELETESYNCPROC delete_sync_ = nullptr;
    GLsync last_frame_ = nullptr;  // the fence after the last frame swapped
};

}  // namespace pinlink::render
