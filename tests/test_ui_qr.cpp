// The QR adapter: the module grid is qrcodegen's exactly, and the quads drawn from it cover
// exactly the dark modules, in whole pixels, inside a light 4-module quiet zone.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <qrcodegen/qrcodegen.hpp>
#include <string>
#include <vector>

#include "ui/qr.hpp"

using pinlink::ui::append_qr;
using pinlink::ui::Color;
using pinlink::ui::DrawList;
using pinlink::ui::encode_qr;
using pinlink::ui::place_qr;
using pinlink::ui::qr_quiet_zone;
using pinlink::ui::QrGrid;
using qrcodegen::QrCode;

namespace {

const std::string authorize_url =
    "https://api.x.com/oauth/authorize?oauth_token=Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik";

constexpr Color dark{1, 2, 3, 255};
constexpr Color light{250, 251, 252, 255};

// Rasterises solid quads (pairs of triangles forming axis-aligned rectangles) by sampling pixel
// centres, later quads over earlier ones, as a renderer would. -1: nothing; 0: light; 1: dark.
std::vector<int> rasterise(const DrawList& list, int w, int h) {
    std::vector<int> px(static_cast<std::size_t>(w * h), -1);
    for (const auto& cmd : list.commands) {
        for (std::uint32_t i = cmd.index_offset; i < cmd.index_offset + cmd.index_count; i += 6) {
            float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
            for (std::uint32_t k = 0; k < 6; ++k) {
                const auto& v = list.vertices[list.indices[i + k]];
                x0 = std::min(x0, v.x);
                y0 = std::min(y0, v.y);
                x1 = std::max(x1, v.x);
                y1 = std::max(y1, v.y);
            }
            const auto& c = list.vertices[list.indices[i]].color;
            const int value = c.r == dark.r ? 1 : 0;
            for (int y = 0; y < h; ++y)
                for (int x = 0; x < w; ++x) {
                    const float cx = static_cast<float>(x) + 0.5f,
                                cy = static_cast<float>(y) + 0.5f;
                    if (cx > x0 && cx < x1 && cy > y0 && cy < y1)
                        px[static_cast<std::size_t>(y * w + x)] = value;
                }
        }
    }
    return px;
}

QrCode reference(const std::string& text) {
    const std::vector<std::uint8_t> bytes(text.begin(), text.end());
    return QrCode::encodeSegments({qrcodegen::QrSegment::makeBytes(bytes)}, QrCode::Ecc::MEDIUM);
}

}  // namespace

TEST(QrGrid, CopiesEveryModuleOfTheQrCode) {
    for (const std::string& text : {std::string("x"), authorize_url, std::string(600, 'a')}) {
        const QrCode code = reference(text);
        const QrGrid grid = QrGrid::from(code);
        ASSERT_EQ(grid.size(), code.getSize());
        for (int y = -1; y <= grid.size(); ++y)
            for (int x = -1; x <= grid.size(); ++x)
                ASSERT_EQ(grid.dark(x, y), code.getModule(x, y)) << text << " at " << x << "," << y;
    }
}

TEST(QrGrid, EncodesAtLevelMInByteMode) {
    const auto grid = encode_qr(authorize_url);
    ASSERT_TRUE(grid);
    const QrCode expected = QrCode::encodeText(authorize_url.c_str(), QrCode::Ecc::MEDIUM);
    ASSERT_EQ(grid->size(), expected.getSize());
    for (int y = 0; y < grid->size(); ++y)
        for (int x = 0; x < grid->size(); ++x)
            ASSERT_EQ(grid->dark(x, y), expected.getModule(x, y));
}

TEST(QrGrid, TextTooLongIsAValueNotAnException) {
    EXPECT_FALSE(encode_qr(std::string(4000, 'z')));
}

TEST(QrGrid, BlocksCoverExactlyTheDarkModulesWithFewerQuads) {
    const auto grid = encode_qr(authorize_url);
    ASSERT_TRUE(grid);
    const int n = grid->size();
    std::vector<int> cover(static_cast<std::size_t>(n * n), 0);
    int dark_modules = 0;
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x)
            dark_modules += grid->dark(x, y) ? 1 : 0;
    for (const auto& b : grid->blocks()) {
        for (int y = b.y; y < b.y + b.h; ++y) {
            // Each row of a block is a maximal run: light on both sides.
            EXPECT_FALSE(grid->dark(b.x - 1, y));
            EXPECT_FALSE(grid->dark(b.x + b.w, y));
            for (int x = b.x; x < b.x + b.w; ++x)
                ++cover[static_cast<std::size_t>(y * n + x)];
        }
    }
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x)
            ASSERT_EQ(cover[static_cast<std::size_t>(y * n + x)], grid->dark(x, y) ? 1 : 0);
    EXPECT_LT(grid->blocks().size(), static_cast<std::size_t>(dark_modules) / 2);
}

TEST(QrQuads, ReproduceTheModuleGridExactly) {
    const auto grid = encode_qr(authorize_url);
    ASSERT_TRUE(grid);
    for (const int module_px : {1, 3, 7}) {
        const int ox = 13, oy = 7;
        const int side = (grid->size() + 2 * qr_quiet_zone) * module_px;
        const int w = ox + side + 5, h = oy + side + 5;
        DrawList list;
        list.reset(w, h, {});
        append_qr(list, *grid, ox, oy, module_px, dark, light);
        for (const auto& v : list.vertices) {  // whole pixels only
            EXPECT_EQ(v.x, std::round(v.x));
            EXPECT_EQ(v.y, std::round(v.y));
        }
        const std::vector<int> px = rasterise(list, w, h);
        for (int y = 0; y < h; ++y) {
            for (int x = 0; x < w; ++x) {
                const int value = px[static_cast<std::size_t>(y * w + x)];
                const bool inside = x >= ox && y >= oy && x < ox + side && y < oy + side;
                if (!inside) {
                    ASSERT_EQ(value, -1) << "drawn outside the symbol at " << x << "," << y;
                    continue;
                }
                const int mx = (x - ox) / module_px - qr_quiet_zone;
                const int my = (y - oy) / module_px - qr_quiet_zone;
                ASSERT_EQ(value, grid->dark(mx, my) ? 1 : 0)
                    << "module " << mx << "," << my << " at " << module_px << " px/module";
            }
        }
    }
}

TEST(QrQuads, OneSolidUnclippedCommand) {
    const auto grid = encode_qr("hello");
    ASSERT_TRUE(grid);
    DrawList list;
    list.reset(200, 200, {});
    append_qr(list, *grid, 0, 0, 2, dark, light);
    ASSERT_EQ(list.commands.size(), 1u);
    EXPECT_EQ(list.commands[0].texture, pinlink::ui::TextureId::none);
    EXPECT_EQ(list.commands[0].index_offset, 0u);
    EXPECT_EQ(list.commands[0].index_count, list.indices.size());
    EXPECT_EQ(list.indices.size() % 3, 0u);
}

TEST(QrPlacement, WholePixelsClosestToTargetWithinTheLimit) {
    for (int modules = 21; modules <= 177; modules += 4) {
        for (const float target : {324.0f, 486.0f, 972.0f}) {
            const float max_side = target * 1.11f;
            const auto p = place_qr(modules, target, max_side);
            const int total = modules + 2 * qr_quiet_zone;
            ASSERT_GE(p.module_px, 1);
            EXPECT_EQ(p.side_px, p.module_px * total);
            if (p.module_px > 1) {
                EXPECT_LE(static_cast<float>(p.side_px), max_side);
            }
            // No other whole size that fits is closer to the target.
            for (int other = 1; static_cast<float>(other * total) <= max_side; ++other) {
                EXPECT_LE(std::abs(static_cast<float>(p.side_px) - target),
                          std::abs(static_cast<float>(other * total) - target) + 1e-3f)
                    << modules << " modules, target " << target;
            }
        }
    }
}
