// SDL_Renderer backend: draws a ui::DrawList with SDL_RenderGeometryRaw and nothing else, in the
// manner of Dear ImGui's imgui_impl_sdlrenderer2. The fallback when no GL context can be made
// (`--renderer software`), and usable inside a host application's own SDL_Renderer.
//
// Implemented: strided arrays straight from ui::Vertex (no per-vertex conversion), 32-bit
// indices, clip rectangles, the glyph atlas as an RGBA texture (white, alpha = coverage,
// blend mode BLEND = straight alpha like the GL backend) updated from its dirty rectangle, the
// renderer state saved and restored around each frame, read-back for screenshots.
// Not implemented: the animated background (GL only).
#pragma once

#include <memory>
#include <string>

#include "render/common/draw_list_check.hpp"
#include "render/common/image.hpp"
#include "render/text/glyph_atlas.hpp"
#include "ui/draw_list.hpp"

struct SDL_Renderer;
struct SDL_Texture;

namespace pinlink::render {

enum class SdlError {
    none,
    no_renderer,        // create() got a null renderer
    no_geometry,        // the renderer cannot draw geometry (SDL older than 2.0.18)
    texture,            // the atlas texture could not be made or updated
    invalid_draw_list,  // see DrawListError; nothing was drawn but the clear
    draw,               // SDL_RenderGeometryRaw failed
    read,               // SDL_RenderReadPixels failed
};

std::string_view to_string(SdlError e);

struct SdlStatus {
    SdlError error = SdlError::none;
    std::string message;  // SDL's words or the draw-list problem

    explicit operator bool() const { return error == SdlError::none; }
};

class SdlBackend;

struct SdlBackendResult {
    std::unique_ptr<SdlBackend> backend;  // null unless error == none
    SdlStatus status;

    explicit operator bool() const { return static_cast<bool>(status); }
};

struct SdlReadResult {
    Image image;
    SdlStatus status;

    explicit operator bool() const { return static_cast<bool>(status); }
};

class SdlBackend {
  public:
    // Borrows `renderer`, which must outlive the backend.
    static SdlBackendResult create(SDL_Renderer* renderer);
    ~SdlBackend();  // destroys the atlas texture
    SdlBackend(const SdlBackend&) = delete;
    SdlBackend& operator=(const SdlBackend&) = delete;

    // Clears the whole render target to list.clear and draws `list` in physical pixels of the
    // target (the renderer's scale and viewport are set to identity for the frame and
    // restored after, together with clip rectangle, draw colour and draw blend mode). Uploads
    // what changed in `atlas` first and calls atlas->clear_dirty(). Commands that use the
    // glyph atlas are skipped when `atlas` is null. Does not present.
    SdlStatus render(const ui::DrawList& list, GlyphAtlas* atlas);

    // The whole render target as RGBA, alpha forced opaque. Call after render() and before
    // SDL_RenderPresent(): the back buffer is undefined after presenting.
    SdlReadResult read_pixels();

    // The largest texture side the renderer accepts: pass it as AtlasOptions::max_height.
    int max_texture_size() const;

  private:
    SdlBackend(SDL_Renderer* renderer, bool software) : renderer_(renderer), software_(software) {}
    SdlStatus upload_atlas(GlyphAtlas& atlas);

    SDL_Renderer* renderer_;
    bool software_;  // SDL's software renderer: opaque triangles are drawn unblended
    SDL_Texture* atlas_texture_ = nullptr;
    const GlyphAtlas* atlas_source_ = nullptr;  // the atlas the texture holds
    int atlas_width_ = 0, atlas_height_ = 0;
    std::uint64_t atlas_generation_ = 0;
    std::vector<std::uint8_t> staging_;  // RGBA expansion of the rows being uploaded
    std::vector<float> positions_;  // software: the frame's vertex positions in whole pixels
};

}  // namespace pinlink::render
