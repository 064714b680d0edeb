// Drawing primitives: UTF-8 decoding, command batching, anti-aliased shapes staying in bounds,
// and text wrapping (spaces, URL separators, ellipsis).
#include <gtest/gtest.h>

#include <string>

#include "support/fake_glyphs.hpp"
#include "ui/painter.hpp"

using namespace pinlink::ui;
using pinlink::test::FakeGlyphs;
using pinlink::test::text_in;

TEST(Utf8, DecodesAndReplacesMalformedBytes) {
    const std::string s = "a\xC3\xA9\xE2\x80\xA6\xF0\x9F\x98\x80\xFF\xE2\x80";
    std::size_t i = 0;
    EXPECT_EQ(next_codepoint(s, i), U'a');
    EXPECT_EQ(next_codepoint(s, i), U'\u00E9');
    EXPECT_EQ(next_codepoint(s, i), U'\u2026');
    EXPECT_EQ(next_codepoint(s, i), U'\U0001F600');
    EXPECT_EQ(next_codepoint(s, i), U'\uFFFD');  // 0xFF
    EXPECT_EQ(next_codepoint(s, i), U'\uFFFD');  // truncated sequence
    EXPECT_EQ(i, s.size());
}

class PainterTest : public ::testing::Test {
  protected:
    void SetUp() override {
        list.reset(1000, 1000, {});
        p.begin(list, glyphs);
    }
    void TearDown() override { p.end(); }
    FakeGlyphs glyphs;
    DrawList list;
    Painter p;
};

TEST_F(PainterTest, ConsecutiveDrawsShareACommandPerTexture) {
    p.rect({0, 0, 10, 10}, {255, 0, 0, 255});
    p.rounded_rect({20, 20, 100, 50}, 10, {0, 255, 0, 255});
    p.text(Face::ui_regular, 20, 0, 100, "ab", {});
    p.text(Face::ui_regular, 20, 0, 200, "cd", {});
    p.circle({500, 500}, 30, {});
    ASSERT_EQ(list.commands.size(), 3u);
    EXPECT_EQ(list.commands[0].texture, TextureId::none);
    EXPECT_EQ(list.commands[1].texture, TextureId::glyph_atlas);
    EXPECT_EQ(list.commands[2].texture, TextureId::none);
    std::uint32_t next = 0;
    for (const auto& c : list.commands) {
        EXPECT_EQ(c.index_offset, next);
        EXPECT_EQ(c.index_count % 3, 0u);
        next += c.index_count;
    }
    EXPECT_EQ(next, list.indices.size());
    for (auto idx : list.indices)
        EXPECT_LT(idx, list.vertices.size());
}

TEST_F(PainterTest, AntiAliasedShapesStayWithinHalfAPixelAndFadeOut) {
    const Rect r{100, 100, 200, 80};
    p.rounded_rect(r, 20, {255, 255, 255, 255});
    bool transparent_edge = false;
    for (const auto& v : list.vertices) {
        EXPECT_TRUE(r.inflated(0.51f).contains(v.x, v.y)) << v.x << "," << v.y;
        transparent_edge = transparent_edge || v.color.a == 0;
    }
    EXPECT_TRUE(transparent_edge);
}

TEST_F(PainterTest, AlphaMultipliesColours) {
    p.set_alpha(0.5f);
    p.rect({0, 0, 10, 10}, {10, 20, 30, 200});
    for (const auto& v : list.vertices)
        EXPECT_EQ(v.color.a, 100);
}

TEST_F(PainterTest, TextCentredAndRightAligned) {
    const float w = p.measure(Face::ui_regular, 20, "abcd");
    EXPECT_EQ(w, 4 * FakeGlyphs::advance(20));
    p.text(Face::ui_regular, 20, 500, 100, "abcd", {}, Align::center);
    p.text(Face::ui_regular, 20, 500, 200, "abcd", {}, Align::right);
    const auto gs = pinlink::test::drawn_glyphs(list);
    ASSERT_EQ(gs.size(), 8u);
    EXPECT_EQ(gs[0].rect.x, 500 - w / 2);
    EXPECT_EQ(gs[7].rect.x + FakeGlyphs::advance(20), 500);
}

TEST_F(PainterTest, WrapsAtSpacesThenUrlSeparatorsThenAnywhere) {
    const float adv = FakeGlyphs::advance(10);  // 6 px per character
    // 10 characters per line.
    EXPECT_EQ(p.text_block(Face::ui_regular, 10, 0, 0, 10 * adv, 20, "hello big world", {},
                           Align::left, 5, false),
              2);
    EXPECT_EQ(p.text_block(Face::ui_regular, 10, 0, 0, 10 * adv, 20, "ab/cdefghijklmn", {},
                           Align::left, 5, true),
              3);
    EXPECT_EQ(text_in(list, {0, 0, 1000, 15}), "ab/");  // broke after the slash
    EXPECT_EQ(text_in(list, {0, 15, 1000, 20}), "cdefghijkl");
    EXPECT_EQ(text_in(list, {0, 35, 1000, 20}), "mn");
}

TEST_F(PainterTest, LongWordsBreakAnywhereAndOverflowGetsAnEllipsis) {
    const float adv = FakeGlyphs::advance(10);
    EXPECT_EQ(
        p.text_block(Face::ui_regular, 10, 0, 0, 4 * adv, 20, "abcdefghij", {}, Align::left, 2), 2);
    EXPECT_EQ(text_in(list, {0, 0, 1000, 15}), "abcd");
    // Second and last line: "efg" and an ellipsis (drawn as U+2026, read back as '?').
    EXPECT_EQ(text_in(list, {0, 15, 1000, 20}), "efg?");
}
