// OpenGL backend: draws a ui::DrawList with one program, one VAO and one vertex and index buffer
// streamed each frame, in the manner of Dear ImGui's imgui_impl_opengl3. Runs on desktop GL 3.3
// core and GLES 3.0 alike (detected from the context); shaders come from shaders/, embedded at
// build time, with the #version line chosen at load time.
//
// Implemented: scissor clip rectangles, the glyph atlas as an R8 texture updated from its dirty
// rectangle, straight-alpha blending identical to SDL_BLENDMODE_BLEND, an optional slow animated
// background (time is a parameter, so the caller can pause it), the GL state it touches saved
// and restored each frame, read-back for screenshots.
// Not implemented: multiple viewports, user textures (the draw list names only the atlas).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "render/common/draw_list_check.hpp"
#include "render/common/image.hpp"
#include "render/gl/gl_functions.hpp"
#include "render/text/glyph_atlas.hpp"
#include "ui/draw_list.hpp"

namespace pinlink::render {

enum class GlError {
    none,
    no_context,         // no current GL context (or it could not be made, see GlWindow)
    unsupported,        // older than GL 3.3 / GLES 3.0
    missing_function,   // an entry point is missing from the driver
    shader,             // a shader failed to compile (message holds the driver's log)
    program,            // the program failed to link
    invalid_draw_list,  // see DrawListError; nothing was drawn but the clear
    gl,                 // glGetError reported an error after the frame
};

std::string_view to_string(GlError e);

struct GlStatus {
    GlError error = GlError::none;
    std::string message;

    explicit operator bool() const { return error == GlError::none; }
};

// Per-frame choices the draw list does not carry.
struct GlFrame {
    // Draw the animated gradient around list.clear instead of a flat clear.
    bool background = false;
    // The animation clock in seconds. Hold it still (the app does after 10 s without input)
    // and the background stops moving; equal times give identical frames.
    double time_seconds = 0.0;
};

struct GlBackendOptions {
    // A folder for the linked shader programs (see ProgramCache): later starts load them
    // instead of running the GLSL compiler. Empty: always compile, write nothing.
    std::string program_cache_dir;
};

class GlBackend;

struct GlBackendResult {
    std::unique_ptr<GlBackend> backend;  // null unless status says none
    GlStatus status;

    explicit operator bool() const { return static_cast<bool>(status); }
};

class GlBackend {
  public:
    // Uses the GL context current on this thread: loads entry points, compiles the shaders,
    // creates the buffers and textures. Fails with a value, never a crash, when there is no
    // context or it is too old.
    static GlBackendResult create(const GlBackendOptions& options = {});
    // Deletes its GL objects: call with the same context current, before it is destroyed.
    ~GlBackend();
    GlBackend(const GlBackend&) = delete;
    GlBackend& operator=(const GlBackend&) = delete;

    // Clears the viewport (0, 0, list.width, list.height) of the bound draw framebuffer and
    // draws `list` in it; GL state is restored afterwards. Uploads what changed in `atlas` and
    // calls atlas->clear_dirty(). Glyph-atlas commands are skipped when `atlas` is null. Does
    // not swap. GlError::gl may also report an error the host left pending.
    GlStatus render(const ui::DrawList& list, GlyphAtlas* atlas, const GlFrame& frame = {});

    // The area of the last render() from the bound read framebuffer, as top-down RGBA with
    // alpha forced opaque. Call before swapping: the back buffer is undefined afterwards.
    Image read_pixels();

    bool is_es() const { return es_; }
    // GL_VERSION and GL_RENDERER, e.g. "4.5 (Core Profile) Mesa 22.3.6 / llvmpipe (...)".
    const std::string& description() const { return description_; }
    // GL_MAX_TEXTURE_SIZE: pass it as AtlasOptions::max_height.
    int max_texture_size() const { return max_texture_size_; }
    // How many of its programs came from the program cache rather than the compiler.
    int programs_from_cache() const { return programs_from_cache_; }

  private:
    GlBackend() = default;
    GlStatus init(const GlBackendOptions& options);
    void upload_atlas(GlyphAtlas& atlas);

    GlFunctions gl_;
    bool es_ = false;
    std::string description_;
    int max_texture_size_ = 0;
    int programs_from_cache_ = 0;

    GLuint quad_program_ = 0, background_program_ = 0;
    GLint quad_viewport_ = -1, quad_atlas_ = -1;
    GLint background_base_ = -1, background_phase_ = -1;
    GLuint vao_ = 0, background_vao_ = 0, vbo_ = 0, ebo_ = 0;
    GLuint white_texture_ = 0, atlas_texture_ = 0;
    const GlyphAtlas* atlas_source_ = nullptr;
    int atlas_width_ = 0, atlas_height_ = 0;
    std::uint64_t atlas_generation_ = 0;
    int last_width_ = 0, last_height_ = 0;
};

}  // namespace pinlink::render
