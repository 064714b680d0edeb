// Hint glyphs per controller family and keyboard, and which hints each state offers.
#include <gtest/gtest.h>

#include <string>

#include "ui/hints.hpp"
#include "ui/strings.hpp"

using namespace pinlink::ui;

namespace {

std::string letters(Device d) {
    std::string s;
    for (const ActionKind a :
         {ActionKind::activate, ActionKind::back, ActionKind::clear, ActionKind::new_code})
        s += std::string(action_glyph(d, a).text);
    return s;
}

std::string labels(const HintBar& bar) {
    std::string s;
    for (int i = 0; i < bar.count; ++i) {
        if (i) s += "|";
        s += std::string(bar.items[static_cast<std::size_t>(i)].label);
    }
    return s;
}

}  // namespace

TEST(HintGlyphs, XboxLetters) {
    EXPECT_EQ(letters(Device::xbox), "ABXY");
    EXPECT_EQ(action_glyph(Device::xbox, ActionKind::activate).shape, GlyphShape::letter);
    EXPECT_EQ(action_glyph(Device::xbox, ActionKind::submit).shape, GlyphShape::menu);
}

TEST(HintGlyphs, NintendoLabelsTheSouthButtonB) {
    // Bound by position: south activates, and a Nintendo pad prints B there.
    EXPECT_EQ(face_glyph(Device::nintendo, FaceButton::south).text, "B");
    EXPECT_EQ(face_glyph(Device::nintendo, FaceButton::east).text, "A");
    EXPECT_EQ(face_glyph(Device::nintendo, FaceButton::west).text, "Y");
    EXPECT_EQ(face_glyph(Device::nintendo, FaceButton::north).text, "X");
    EXPECT_EQ(letters(Device::nintendo), "BAYX");
    EXPECT_EQ(action_glyph(Device::nintendo, ActionKind::submit).shape, GlyphShape::plus);
}

TEST(HintGlyphs, PlayStationShapes) {
    EXPECT_EQ(action_glyph(Device::playstation, ActionKind::activate).shape, GlyphShape::cross);
    EXPECT_EQ(action_glyph(Device::playstation, ActionKind::back).shape, GlyphShape::circle);
    EXPECT_EQ(action_glyph(Device::playstation, ActionKind::clear).shape, GlyphShape::square);
    EXPECT_EQ(action_glyph(Device::playstation, ActionKind::new_code).shape, GlyphShape::triangle);
    EXPECT_EQ(action_glyph(Device::playstation, ActionKind::submit).shape, GlyphShape::menu);
    EXPECT_EQ(letters(Device::playstation), "");
}

TEST(HintGlyphs, GenericPadUsesLettersAndStart) {
    EXPECT_EQ(letters(Device::gamepad), "ABXY");
    const ButtonGlyph start = action_glyph(Device::gamepad, ActionKind::submit);
    EXPECT_EQ(start.shape, GlyphShape::keycap);
    EXPECT_EQ(start.text, strings::pad_start);
}

TEST(HintGlyphs, KeyboardKeys) {
    EXPECT_EQ(action_glyph(Device::keyboard, ActionKind::activate).text, "Enter");
    EXPECT_EQ(action_glyph(Device::keyboard, ActionKind::submit).text, "Enter");
    EXPECT_EQ(action_glyph(Device::keyboard, ActionKind::back).text, "Esc");
    EXPECT_EQ(action_glyph(Device::keyboard, ActionKind::backspace).text, "Backspace");
    EXPECT_EQ(action_glyph(Device::keyboard, ActionKind::clear).text, "Del");
    EXPECT_EQ(action_glyph(Device::keyboard, ActionKind::new_code).text, "F5");
    for (const ActionKind a : {ActionKind::activate, ActionKind::back, ActionKind::digit})
        EXPECT_EQ(action_glyph(Device::keyboard, a).shape, GlyphShape::keycap);
}

TEST(HintGlyphs, PointerHasNoGlyphs) {
    for (const ActionKind a : {ActionKind::activate, ActionKind::back, ActionKind::new_code})
        EXPECT_EQ(action_glyph(Device::pointer, a).shape, GlyphShape::none);
}

TEST(HintBar, CodeScreenOffersWhatWorksNow) {
    EXPECT_EQ(labels(hint_bar(State::code, false, false, Device::xbox)), "Select|Cancel|New code");
    EXPECT_EQ(labels(hint_bar(State::code, false, true, Device::xbox)),
              "Select|Delete|Clear|New code|Link");
    EXPECT_EQ(labels(hint_bar(State::code, false, true, Device::keyboard)),
              "Type PIN|Link|Delete|Cancel|New code");
    EXPECT_EQ(labels(hint_bar(State::code, false, true, Device::pointer)), "Clear|New code|Cancel");
}

TEST(HintBar, OtherStates) {
    EXPECT_EQ(labels(hint_bar(State::connecting, false, false, Device::xbox)), "Cancel");
    EXPECT_EQ(labels(hint_bar(State::linking, false, false, Device::pointer)), "Cancel");
    EXPECT_EQ(labels(hint_bar(State::linked, false, false, Device::nintendo)), "Done");
    EXPECT_EQ(labels(hint_bar(State::problem, false, false, Device::xbox)), "Select|Quit");
    EXPECT_EQ(labels(hint_bar(State::problem, false, false, Device::pointer)), "");
    EXPECT_EQ(labels(hint_bar(State::code, true, true, Device::xbox)), "Select|Keep linking");
    EXPECT_EQ(hint_bar(State::code, true, true, Device::xbox).items[1].action, ActionKind::back);
}
