// The only thing the screen logic produces: triangles in physical pixels, grouped into
// commands that share a clip rectangle and a texture. Render backends (src/render/gl,
// src/render/sdl) translate this and nothing else, in the manner of Dear ImGui's ImDrawData.
#pragma once

#include <cstdint>
#include <vector>

namespace pinlink::ui {

struct Color {
    std::uint8_t r = 0, g = 0, b = 0, a = 255;
};

// Layout matches SDL_RenderGeometryRaw's strided arrays (xy floats, SDL_Color bytes, uv floats)
// and a GL vertex buffer alike, so neither backend converts per vertex.
struct Vertex {
    float x = 0, y = 0;  // physical pixels, origin top-left
    float u = 0, v = 0;  // texture coordinates in [0,1]; ignored for TextureId::none
    Color color;         // straight (non-premultiplied) alpha
};

struct ClipRect {
    int x = 0, y = 0, w = 0, h = 0;  // physical pixels; w or h of 0 means "no clipping"
};

// Textures are owned by the backend; the draw list only names them.
enum class TextureId : std::uint32_t {
    none = 0,        // solid colour: the vertex colour alone
    glyph_atlas = 1  // coverage in the atlas' alpha, multiplied by the vertex colour
};

struct DrawCommand {
    ClipRect clip;
    TextureId texture = TextureId::none;
    std::uint32_t index_offset = 0;  // first index in DrawList::indices
    std::uint32_t index_count = 0;   // a multiple of 3
};

struct DrawList {
    int width = 0, height = 0;  // the drawable size this list was built for, physical pixels
    Color clear{0, 0, 0, 255};
    std::vector<Vertex> vertices;
    std::vector<std::uint32_t> indices;
    std::vector<DrawCommand> commands;

    void reset(int w, int h, Color clear_color) {
        width = w;
        height = h;
        clear = clear_color;
        vertices.clear();  // keeps capacity: no allocation per frame after warm-up
        indices.clear();
        commands.clear();
    }
};

}  // namespace pinlink::ui
