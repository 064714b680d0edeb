// Checks a draw list before a backend hands it to the GPU: an index past the vertex array is a
// programmer error in src/ui, but on a GPU it is an out-of-bounds read, so both backends refuse
// such a list instead of drawing it.
#pragma once

#include <string_view>

#include "ui/draw_list.hpp"

namespace pinlink::render {

enum class DrawListError {
    none,
    bad_size,              // width or height not positive
    bad_index_count,       // a command's index_count is not a multiple of 3
    command_out_of_range,  // a command reaches past DrawList::indices
    index_out_of_range,    // an index names a vertex that does not exist
    unknown_texture,       // a TextureId this backend does not know
};

std::string_view to_string(DrawListError e);

// O(indices): cheap next to drawing them.
DrawListError check_draw_list(const ui::DrawList& list);

}  // namespace pinlink::render
