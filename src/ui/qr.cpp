// qrcodegen → module grid → whole-pixel quads (see qr.hpp).
#include "ui/qr.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <qrcodegen/qrcodegen.hpp>
#include <string>

namespace pinlink::ui {

QrGrid QrGrid::from(const qrcodegen::QrCode& code) {
    QrGrid g;
    g.size_ = code.getSize();
    const auto n = static_cast<std::size_t>(g.size_);
    g.modules_.assign(n * n, false);
    // Blocks still open at the previous row, to extend when this row repeats the same run.
    std::vector<std::size_t> open, still_open;
    for (int y = 0; y < g.size_; ++y) {
        still_open.clear();
        int run_start = -1;
        for (int x = 0; x <= g.size_; ++x) {
            const bool is_dark = x < g.size_ && code.getModule(x, y);
            if (is_dark) {
                g.modules_[static_cast<std::size_t>(y) * n + static_cast<std::size_t>(x)] = true;
                if (run_start < 0) run_start = x;
                continue;
            }
            if (run_start < 0) continue;
            const auto bx = static_cast<std::uint16_t>(run_start);
            const auto bw = static_cast<std::uint16_t>(x - run_start);
            run_start = -1;
            const auto same = std::find_if(open.begin(), open.end(), [&](std::size_t i) {
                return g.blocks_[i].x == bx && g.blocks_[i].w == bw;
            });
            if (same != open.end()) {
                ++g.blocks_[*same].h;
                still_open.push_back(*same);
            } else {
                g.blocks_.push_back(QrBlock{bx, static_cast<std::uint16_t>(y), bw, 1});
                still_open.push_back(g.blocks_.size() - 1);
            }
        }
        open.swap(still_open);
    }
    return g;
}

bool QrGrid::dark(int x, int y) const {
    if (x < 0 || y < 0 || x >= size_ || y >= size_) return false;
    const auto n = static_cast<std::size_t>(size_);
    return modules_[static_cast<std::size_t>(y) * n + static_cast<std::size_t>(x)];
}

std::optional<QrGrid> encode_qr(std::string_view text) {
    // qrcodegen reports "too long" by throwing; it stops here so no exception crosses the API.
    try {
        const std::vector<std::uint8_t> bytes(text.begin(), text.end());
        const std::vector<qrcodegen::QrSegment> segments{qrcodegen::QrSegment::makeBytes(bytes)};
        return QrGrid::from(
            qrcodegen::QrCode::encodeSegments(segments, qrcodegen::QrCode::Ecc::MEDIUM));
    } catch (const qrcodegen::data_too_long&) {
        return std::nullopt;
    }
}

QrPlacement place_qr(int modules, float target_side_px, float max_side_px) {
    const int total = std::max(1, modules + 2 * qr_quiet_zone);
    int px = std::max(1, static_cast<int>(std::lround(target_side_px / static_cast<float>(total))));
    while (px > 1 && static_cast<float>(px * total) > max_side_px)
        --px;
    return QrPlacement{px, px * total};
}

void append_qr(DrawList& list, const QrGrid& grid, int x, int y, int module_px, Color dark,
               Color light) {
    if (grid.empty() || module_px < 1) return;
    const bool extend =
        !list.commands.empty() && list.commands.back().texture == TextureId::none &&
        list.commands.back().clip.w == 0 && list.commands.back().clip.h == 0 &&
        list.commands.back().index_offset + list.commands.back().index_count == list.indices.size();
    if (!extend) {
        DrawCommand cmd;
        cmd.index_offset = static_cast<std::uint32_t>(list.indices.size());
        list.commands.push_back(cmd);
    }

    // Sized once, then written in place: this is the bulk of a Code frame's geometry.
    const std::size_t quads = 1 + grid.blocks().size();
    const std::size_t v0 = list.vertices.size(), i0 = list.indices.size();
    list.vertices.resize(v0 + 4 * quads);
    list.indices.resize(i0 + 6 * quads);
    Vertex* v = list.vertices.data() + v0;
    std::uint32_t* idx = list.indices.data() + i0;
    auto base = static_cast<std::uint32_t>(v0);
    const auto quad = [&](float x0, float y0, float x1, float y1, Color c) {
        v[0] = Vertex{x0, y0, 0, 0, c};
        v[1] = Vertex{x1, y0, 0, 0, c};
        v[2] = Vertex{x1, y1, 0, 0, c};
        v[3] = Vertex{x0, y1, 0, 0, c};
        v += 4;
        idx[0] = base;
        idx[1] = base + 1;
        idx[2] = base + 2;
        idx[3] = base;
        idx[4] = base + 2;
        idx[5] = base + 3;
        idx += 6;
        base += 4;
    };

    const int side = (grid.size() + 2 * qr_quiet_zone) * module_px;
    const auto fx = static_cast<float>(x);
    const auto fy = static_cast<float>(y);
    quad(fx, fy, fx + static_cast<float>(side), fy + static_cast<float>(side), light);
    const auto m = static_cast<float>(module_px);
    const float ox = fx + static_cast<float>(qr_quiet_zone * module_px);
    const float oy = fy + static_cast<float>(qr_quiet_zone * module_px);
    for (const QrBlock& b : grid.blocks()) {
        const float x0 = ox + static_cast<float>(b.x) * m;
        const float y0 = oy + static_cast<float>(b.y) * m;
        quad(x0, y0, x0 + static_cast<float>(b.w) * m, y0 + static_cast<float>(b.h) * m, dark);
    }
    list.commands.back().index_count += static_cast<std::uint32_t>(6 * quads);
}

}  // namespace pinlink::ui
