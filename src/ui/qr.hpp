// The small adapter between nayuki's qrcodegen and the draw list: a QrCode becomes a grid of
// modules cached once per address, then whole-pixel quads each frame. qrcodegen's only output
// is getModule(x, y); turning modules into pixels is this file's job and nothing else's.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "ui/draw_list.hpp"

namespace qrcodegen {
class QrCode;
}

namespace pinlink::ui {

// Light modules around the symbol that scanners need to find it (ISO/IEC 18004 asks for 4).
inline constexpr int qr_quiet_zone = 4;

// A rectangle of dark modules, in module coordinates without the quiet zone: a maximal
// horizontal run of dark modules, extended down over the rows that repeat it exactly.
struct QrBlock {
    std::uint16_t x = 0, y = 0;
    std::uint16_t w = 0, h = 0;  // >= 1
};

// An immutable module grid. Dark modules are stored as blocks so a frame emits one quad per
// block rather than one per module (a typical authorize URL: ~300 quads instead of ~700).
class QrGrid {
  public:
    QrGrid() = default;
    // Copies the modules of `code` (any version, any error correction level).
    static QrGrid from(const qrcodegen::QrCode& code);

    int size() const { return size_; }  // modules per side without the quiet zone; 0 if empty
    bool empty() const { return size_ == 0; }
    // True for a dark module; false outside the grid (the quiet zone is light).
    bool dark(int x, int y) const;
    const std::vector<QrBlock>& blocks() const { return blocks_; }

  private:
    int size_ = 0;
    std::vector<bool> modules_;  // row-major, size_ * size_
    std::vector<QrBlock> blocks_;
};

// Encodes `text` as UTF-8 bytes at error correction level M (qrcodegen may raise the level when
// that costs no extra size). Returns nullopt if the text does not fit in a QR code (more than
// about 2,300 bytes at level M); nothing is thrown.
std::optional<QrGrid> encode_qr(std::string_view text);

// Whole pixels per module for a symbol of `modules` per side plus the quiet zone, as close to
// `target_side_px` as possible without exceeding `max_side_px`; at least 1.
struct QrPlacement {
    int module_px = 1;
    int side_px = 0;  // (modules + 2 * qr_quiet_zone) * module_px
};
QrPlacement place_qr(int modules, float target_side_px, float max_side_px);

// Appends the symbol with its top-left quiet-zone corner at whole pixel (x, y): one light square
// covering symbol and quiet zone, then a dark quad per block. Solid colour, no clipping; extends
// the list's last command when that is also solid and unclipped.
void append_qr(DrawList& list, const QrGrid& grid, int x, int y, int module_px, Color dark,
               Color light);

}  // namespace pinlink::ui
