// SDL_Renderer backend (see sdl_backend.hpp).
#include "render/sdl/sdl_backend.hpp"

#include <SDL.h>

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace pinlink::render {

namespace {

// ui::Vertex is laid out for SDL_RenderGeometryRaw's strided arrays; keep it that way.
static_assert(sizeof(ui::Color) == sizeof(SDL_Color));
static_assert(offsetof(ui::Color, r) == offsetof(SDL_Color, r) &&
              offsetof(ui::Color, g) == offsetof(SDL_Color, g) &&
              offsetof(ui::Color, b) == offsetof(SDL_Color, b) &&
              offsetof(ui::Color, a) == offsetof(SDL_Color, a));
static_assert(alignof(ui::Color) == alignof(SDL_Color));
constexpr int vertex_stride = static_cast<int>(sizeof(ui::Vertex));
constexpr int kStagingBytes = 64 * 1024;  // the most upload_atlas expands at once

// The renderer state a frame changes, restored afterwards so a host's own drawing is unaffected.
// Restore order matters: viewport and clip rectangle are stored scaled, so scale goes back first.
class SavedState {
  public:
    explicit SavedState(SDL_Renderer* renderer) : renderer_(renderer) {
        SDL_RenderGetScale(renderer_, &scale_x_, &scale_y_);
        SDL_RenderGetViewport(renderer_, &viewport_);
        clip_enabled_ = SDL_RenderIsClipEnabled(renderer_) == SDL_TRUE;
        SDL_RenderGetClipRect(renderer_, &clip_);
        SDL_GetRenderDrawColor(renderer_, &r_, &g_, &b_, &a_);
        SDL_GetRenderDrawBlendMode(renderer_, &blend_);
    }
    ~SavedState() {
        SDL_RenderSetScale(renderer_, scale_x_, scale_y_);
        SDL_RenderSetViewport(renderer_, &viewport_);
        SDL_RenderSetClipRect(renderer_, clip_enabled_ ? &clip_ : nullptr);
        SDL_SetRenderDrawColor(renderer_, r_, g_, b_, a_);
        SDL_SetRenderDrawBlendMode(renderer_, blend_);
    }
    SavedState(const SavedState&) = delete;
    SavedState& operator=(const SavedState&) = delete;

  private:
    SDL_Renderer* renderer_;
    float scale_x_ = 1, scale_y_ = 1;
    SDL_Rect viewport_{};
    bool clip_enabled_ = false;
    SDL_Rect clip_{};
    Uint8 r_ = 0, g_ = 0, b_ = 0, a_ = 0;
    SDL_BlendMode blend_ = SDL_BLENDMODE_NONE;
};

// Identity mapping: draw-list coordinates are the target's physical pixels.
void use_physical_pixels(SDL_Renderer* renderer) {
    SDL_RenderSetScale(renderer, 1.0f, 1.0f);
    SDL_RenderSetViewport(renderer, nullptr);
    SDL_RenderSetClipRect(renderer, nullptr);
}

bool output_size(SDL_Renderer* renderer, int* w, int* h) {
    if (SDL_Texture* target = SDL_GetRenderTarget(renderer)) {
        return SDL_QueryTexture(target, nullptr, nullptr, w, h) == 0;
    }
    return SDL_GetRendererOutputSize(renderer, w, h) == 0;
}

}  // namespace

std::string_view to_string(SdlError e) {
    switch (e) {
        case SdlError::none:
            return "no error";
        case SdlError::no_renderer:
            return "no SDL renderer";
        case SdlError::no_geometry:
            return "SDL too old for SDL_RenderGeometry (needs 2.0.18)";
        case SdlError::texture:
            return "glyph texture failed";
        case SdlError::invalid_draw_list:
            return "invalid draw list";
        case SdlError::draw:
            return "drawing failed";
        case SdlError::read:
            return "reading pixels failed";
    }
    return "unknown SDL backend error";
}

SdlBackendResult SdlBackend::create(SDL_Renderer* renderer) {
    if (renderer == nullptr) return {nullptr, {SdlError::no_renderer, "no SDL_Renderer given"}};
    SDL_version linked;
    SDL_GetVersion(&linked);
    if (SDL_VERSIONNUM(linked.major, linked.minor, linked.patch) < SDL_VERSIONNUM(2, 0, 18)) {
        return {nullptr, {SdlError::no_geometry, "SDL_RenderGeometryRaw needs SDL 2.0.18"}};
    }
    SDL_RendererInfo info{};
    const bool software =
        SDL_GetRendererInfo(renderer, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE) != 0;
    return {std::unique_ptr<SdlBackend>(new SdlBackend(renderer, software)), {}};
}

SdlBackend::~SdlBackend() {
    if (atlas_texture_ != nullptr) SDL_DestroyTexture(atlas_texture_);
}

int SdlBackend::max_texture_size() const {
    SDL_RendererInfo info{};
    if (SDL_GetRendererInfo(renderer_, &info) != 0) return 0;
    if (info.max_texture_width == 0 || info.max_texture_height == 0) return 16384;  // software
    return std::min(info.max_texture_width, info.max_texture_height);
}

SdlStatus SdlBackend::upload_atlas(GlyphAtlas& atlas) {
    const int w = atlas.width();
    const int h = atlas.height();
    SDL_Rect rect{};
    if (atlas_texture_ == nullptr || atlas_source_ != &atlas || atlas_width_ != w ||
        atlas_height_ != h) {
        if (atlas_texture_ != nullptr) SDL_DestroyTexture(atlas_texture_);
        atlas_source_ = nullptr;
        atlas_texture_ =
            SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC, w, h);
        if (atlas_texture_ == nullptr) return {SdlError::texture, SDL_GetError()};
        // Straight alpha, as in the GL backend: out = vertex.rgb * a + dst * (1 - a).
        SDL_SetTextureBlendMode(atlas_texture_, SDL_BLENDMODE_BLEND);
        SDL_SetTextureScaleMode(atlas_texture_, SDL_ScaleModeLinear);
        atlas_source_ = &atlas;
        atlas_width_ = w;
        atlas_height_ = h;
        rect = {0, 0, w, h};
    } else if (atlas.generation() != atlas_generation_) {
        const PixelRect dirty = atlas.dirty_rect();
        // An empty dirty rectangle with a newer generation means someone else took it.
        rect = dirty.empty() ? SDL_Rect{0, 0, w, h} : SDL_Rect{dirty.x, dirty.y, dirty.w, dirty.h};
    } else {
        return {};
    }

    // Expand coverage to white RGBA with alpha = coverage, only for the changed rectangle, a
    // band of rows at a time: the staging buffer stays small (64 KiB for a 1024-pixel-wide
    // atlas) instead of four bytes per pixel of the whole atlas.
    const int band = std::max(1, kStagingBytes / (rect.w * 4));
    staging_.resize(static_cast<std::size_t>(rect.w) *
                    static_cast<std::size_t>(std::min(band, rect.h)) * 4);
    for (int y0 = 0; y0 < rect.h; y0 += band) {
        const int rows = std::min(band, rect.h - y0);
        std::uint8_t* out = staging_.data();
        for (int y = y0; y < y0 + rows; ++y) {
            const std::uint8_t* in =
                atlas.pixels() +
                static_cast<std::size_t>(rect.y + y) * static_cast<std::size_t>(w) +
                static_cast<std::size_t>(rect.x);
            for (int x = 0; x < rect.w; ++x) {
                *out++ = 255;
                *out++ = 255;
                *out++ = 255;
                *out++ = in[x];
            }
        }
        const SDL_Rect part{rect.x, rect.y + y0, rect.w, rows};
        if (SDL_UpdateTexture(atlas_texture_, &part, staging_.data(), rect.w * 4) != 0) {
            return {SdlError::texture, SDL_GetError()};
        }
    }
    atlas_generation_ = atlas.generation();
    atlas.clear_dirty();
    return {};
}

SdlStatus SdlBackend::render(const ui::DrawList& list, GlyphAtlas* atlas) {
    const SavedState saved(renderer_);
    use_physical_pixels(renderer_);

    SDL_SetRenderDrawColor(renderer_, list.clear.r, list.clear.g, list.clear.b, list.clear.a);
    SDL_RenderClear(renderer_);

    if (const DrawListError problem = check_draw_list(list); problem != DrawListError::none) {
        return {SdlError::invalid_draw_list, std::string(to_string(problem))};
    }
    if (atlas != nullptr) {
        if (SdlStatus status = upload_atlas(*atlas); !status) return status;
    }
    if (list.vertices.empty()) return {};

    // Untextured geometry blends with the draw blend mode, textured with the texture's.
    SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_BLEND);
    const ui::Vertex& first = list.vertices.front();
    const auto* color = reinterpret_cast<const SDL_Color*>(&first.color);
    const int vertex_count = static_cast<int>(list.vertices.size());
    // On SDL's software renderer, whole-pixel positions, truncated as it truncates a
    // triangle's vertices: it draws an axis-aligned quad of one colour as a rectangle instead,
    // truncating x and width apart, which could end a column short of the triangles beside it
    // (a seam where a ring's straight edge meets its corner). Truncated first, both paths
    // agree, and triangles are drawn exactly as before. Other renderers keep subpixel places.
    const float* positions = &first.x;
    int position_stride = vertex_stride;
    if (software_) {
        positions_.resize(list.vertices.size() * 2);
        for (std::size_t i = 0; i < list.vertices.size(); ++i) {
            positions_[2 * i] = std::trunc(list.vertices[i].x);
            positions_[2 * i + 1] = std::trunc(list.vertices[i].y);
        }
        positions = positions_.data();
        position_stride = 2 * static_cast<int>(sizeof(float));
    }

    auto draw = [&](SDL_Texture* texture, std::size_t offset, std::size_t count) {
        return SDL_RenderGeometryRaw(renderer_, texture, positions, position_stride, color,
                                     vertex_stride, &first.u, vertex_stride, vertex_count,
                                     list.indices.data() + offset, static_cast<int>(count),
                                     static_cast<int>(sizeof(std::uint32_t))) == 0;
    };
    for (const ui::DrawCommand& cmd : list.commands) {
        if (cmd.index_count == 0) continue;
        SDL_Texture* texture = nullptr;
        if (cmd.texture == ui::TextureId::glyph_atlas) {
            if (atlas == nullptr) continue;
            texture = atlas_texture_;
        }
        if (cmd.clip.w > 0 && cmd.clip.h > 0) {
            const SDL_Rect clip{cmd.clip.x, cmd.clip.y, cmd.clip.w, cmd.clip.h};
            SDL_RenderSetClipRect(renderer_, &clip);
        } else {
            SDL_RenderSetClipRect(renderer_, nullptr);
        }
        if (texture != nullptr || !software_) {
            if (!draw(texture, cmd.index_offset, cmd.index_count)) {
                return {SdlError::draw, SDL_GetError()};
            }
            continue;
        }
        // SDL's software renderer blends an untextured triangle through a temporary surface
        // the size of its bounding box (SDL_SW_FillTriangle): two of them for a full-screen
        // gradient, 8 MiB each at 1080p, cleared and blitted every frame, and glibc keeps the
        // heap they grew. An opaque triangle looks the same unblended, so runs of opaque and
        // of translucent triangles are drawn apart, the opaque ones with SDL_BLENDMODE_NONE.
        const std::size_t end = cmd.index_offset + cmd.index_count;
        std::size_t run = cmd.index_offset;
        bool run_opaque = false;
        for (std::size_t i = cmd.index_offset; i + 3 <= end; i += 3) {
            const bool opaque = list.vertices[list.indices[i]].color.a == 255 &&
                                list.vertices[list.indices[i + 1]].color.a == 255 &&
                                list.vertices[list.indices[i + 2]].color.a == 255;
            if (i == run) {
                run_opaque = opaque;
            } else if (opaque != run_opaque) {
                SDL_SetRenderDrawBlendMode(renderer_,
                                           run_opaque ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
                if (!draw(nullptr, run, i - run)) return {SdlError::draw, SDL_GetError()};
                run = i;
                run_opaque = opaque;
            }
        }
        SDL_SetRenderDrawBlendMode(renderer_,
                                   run_opaque ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
        if (!draw(nullptr, run, end - run)) return {SdlError::draw, SDL_GetError()};
    }
    return {};
}

SdlReadResult SdlBackend::read_pixels() {
    SdlReadResult result;
    int w = 0, h = 0;
    if (!output_size(renderer_, &w, &h) || w <= 0 || h <= 0) {
        result.status = {SdlError::read, SDL_GetError()};
        return result;
    }
    Image& image = result.image;
    image.width = w;
    image.height = h;
    image.rgba.resize(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);

    const SavedState saved(renderer_);  // reading uses the viewport; read the whole target
    use_physical_pixels(renderer_);
    if (SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_RGBA32, image.rgba.data(),
                             w * 4) != 0) {
        result.status = {SdlError::read, SDL_GetError()};
        result.image = {};
        return result;
    }
    // A window is opaque; its framebuffer's alpha (if it has one) says nothing on screen.
    for (std::size_t i = 3; i < image.rgba.size(); i += 4)
        image.rgba[i] = 255;
    return result;
}

}  // namespace pinlink::render
