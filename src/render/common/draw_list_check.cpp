// Draw-list validation shared by the GL and SDL backends (see draw_list_check.hpp).
#include "render/common/draw_list_check.hpp"

#include <cstddef>

namespace pinlink::render {

std::string_view to_string(DrawListError e) {
    switch (e) {
        case DrawListError::none:
            return "no error";
        case DrawListError::bad_size:
            return "draw list has no size";
        case DrawListError::bad_index_count:
            return "command index count is not a multiple of 3";
        case DrawListError::command_out_of_range:
            return "command reaches past the index buffer";
        case DrawListError::index_out_of_range:
            return "index past the vertex buffer";
        case DrawListError::unknown_texture:
            return "unknown texture id";
    }
    return "unknown draw list error";
}

DrawListError check_draw_list(const ui::DrawList& list) {
    if (list.width <= 0 || list.height <= 0) return DrawListError::bad_size;
    const std::size_t index_count = list.indices.size();
    for (const ui::DrawCommand& cmd : list.commands) {
        if (cmd.index_count % 3 != 0) return DrawListError::bad_index_count;
        if (cmd.index_offset > index_count || cmd.index_count > index_count - cmd.index_offset) {
            return DrawListError::command_out_of_range;
        }
        if (cmd.texture != ui::TextureId::none && cmd.texture != ui::TextureId::glyph_atlas) {
            return DrawListError::unknown_texture;
        }
    }
    const std::size_t vertex_count = list.vertices.size();
    for (const std::uint32_t index : list.indices) {
        if (index >= vertex_count) return DrawListError::index_out_of_range;
    }
    return DrawListError::none;
}

}  // namespace pinlink::render
