// The link screen's state machine: transitions, the commands it issues, what enters the PIN
// field, focus movement on the pad, the "Stop linking?" confirm, timers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/fake_glyphs.hpp"
#include "ui/screen.hpp"
#include "ui/strings.hpp"

using namespace std::chrono_literals;
using namespace pinlink::ui;

namespace {

const TimePoint t0 = TimePoint{} + 1h;
const std::string url = "https://api.x.com/oauth/authorize?oauth_token=abcDEF123";

using Kind = Command::Kind;

Action key(ActionKind k, Device d = Device::xbox) {
    return Action::make(k, d);
}

class ScreenTest : public ::testing::Test {
  protected:
    void show_code(CodeNotice notice = CodeNotice::none, int length = 7) {
        s.show_code(CodeView{url, "", length, notice}, t0);
    }
    void type(const std::string& digits, Device d = Device::keyboard) {
        for (char c : digits)
            s.handle(Action::enter_digit(c - '0', d), t0);
    }
    void press(ActionKind k, Device d = Device::xbox) { s.handle(key(k, d), t0); }
    std::vector<Command> commands() { return s.take_commands(); }

    Screen s;
};

}  // namespace

TEST_F(ScreenTest, StartsConnectingThenShowsTheCode) {
    EXPECT_EQ(s.state(), State::connecting);
    show_code();
    EXPECT_EQ(s.state(), State::code);
    EXPECT_EQ(s.pin_length(), 7);
    EXPECT_EQ(s.digits_entered(), 0);
    EXPECT_EQ(s.authorize_url(), url);
    EXPECT_FALSE(s.qr().empty());
    EXPECT_TRUE(commands().empty());
}

TEST_F(ScreenTest, SubmittingAFullPinSendsItAndShowsLinking) {
    show_code();
    type("1234567");
    EXPECT_EQ(s.digits_entered(), 7);
    press(ActionKind::submit);
    EXPECT_EQ(commands(), std::vector<Command>{Command::submit("1234567")});
    EXPECT_EQ(s.state(), State::linking);
    EXPECT_EQ(s.digits_entered(), 0);
}

TEST_F(ScreenTest, IncompletePinIsNotSubmittedAndSaysWhy) {
    show_code();
    type("123");
    press(ActionKind::submit);
    EXPECT_TRUE(commands().empty());
    EXPECT_EQ(s.state(), State::code);
    EXPECT_NE(s.notice().find("7"), std::string_view::npos);
    type("4");
    EXPECT_TRUE(s.notice().empty());  // the reminder goes once typing continues
}

TEST_F(ScreenTest, OnlyDigitsEnterAndNeverMoreThanTheLength) {
    show_code();
    s.handle(Action::enter_digit(10, Device::keyboard), t0);
    s.handle(Action::enter_digit(-1, Device::keyboard), t0);
    EXPECT_EQ(s.digits_entered(), 0);
    type("987654321");
    EXPECT_EQ(s.digits_entered(), 7);
    press(ActionKind::submit);
    EXPECT_EQ(commands(), std::vector<Command>{Command::submit("9876543")});
}

TEST_F(ScreenTest, PasteKeepsDigitsOnly) {
    show_code();
    s.handle(Action::paste_text("PIN: 12-34 ab\xEF\xBC\x95\xEF\xBC\x96\xff"
                                "7"),
             t0);  // full-width 5, 6
    EXPECT_EQ(s.digits_entered(), 7);
    press(ActionKind::submit);
    EXPECT_EQ(commands(), std::vector<Command>{Command::submit("1234567")});
}

TEST_F(ScreenTest, PasteWithoutDigitsChangesNothing) {
    show_code();
    type("12");
    s.handle(Action::paste_text("no digits here \xe2\x82\xac\xc3"), t0);
    EXPECT_EQ(s.digits_entered(), 2);
}

TEST_F(ScreenTest, PastedFragmentAppendsAndAWholeCodeReplaces) {
    show_code();
    type("12");
    s.handle(Action::paste_text("345"), t0);
    EXPECT_EQ(s.digits_entered(), 5);
    s.handle(Action::paste_text("7654321 and 999"), t0);  // a whole code: replaces the field
    press(ActionKind::submit);
    EXPECT_EQ(commands(), std::vector<Command>{Command::submit("7654321")});
}

TEST_F(ScreenTest, BackspaceDeletesThenAsksToStopOnAnEmptyField) {
    show_code();
    type("12");
    press(ActionKind::backspace, Device::keyboard);
    EXPECT_EQ(s.digits_entered(), 1);
    press(ActionKind::backspace, Device::keyboard);
    EXPECT_EQ(s.digits_entered(), 0);
    EXPECT_FALSE(s.confirm_open());
    // A held Backspace that emptied the field does not pop the question up.
    s.handle(Action::make(ActionKind::backspace, Device::keyboard, true), t0);
    EXPECT_FALSE(s.confirm_open());
    press(ActionKind::backspace, Device::keyboard);
    EXPECT_TRUE(s.confirm_open());
    EXPECT_TRUE(commands().empty());
}

TEST_F(ScreenTest, ControllerBackDeletesDigitsFirst) {
    show_code();
    type("12", Device::xbox);
    press(ActionKind::back);
    press(ActionKind::back);
    EXPECT_EQ(s.digits_entered(), 0);
    EXPECT_FALSE(s.confirm_open());
    press(ActionKind::back);
    EXPECT_TRUE(s.confirm_open());
}

TEST_F(ScreenTest, EscapeAsksAtOnceAndKeepsTheDigits) {
    show_code();
    type("12");
    press(ActionKind::back, Device::keyboard);
    EXPECT_TRUE(s.confirm_open());
    EXPECT_EQ(s.digits_entered(), 2);
}

TEST_F(ScreenTest, KeepLinkingIsTheDefaultAndClosesTheQuestion) {
    show_code();
    type("12");
    press(ActionKind::back, Device::keyboard);
    ASSERT_TRUE(s.confirm_open());
    EXPECT_EQ(s.focus(), Target::keep_linking);
    type("9");  // digits do not reach the field behind the question
    press(ActionKind::activate);
    EXPECT_FALSE(s.confirm_open());
    EXPECT_EQ(s.digits_entered(), 2);
    EXPECT_TRUE(commands().empty());
}

TEST_F(ScreenTest, BackClosesTheQuestion) {
    show_code();
    press(ActionKind::back);
    ASSERT_TRUE(s.confirm_open());
    press(ActionKind::back);
    EXPECT_FALSE(s.confirm_open());
    EXPECT_EQ(s.state(), State::code);
}

TEST_F(ScreenTest, StopCancelsAndQuitsWithThree) {
    show_code();
    press(ActionKind::back);
    press(ActionKind::right);
    EXPECT_EQ(s.focus(), Target::stop_linking);
    press(ActionKind::right);  // wraps
    EXPECT_EQ(s.focus(), Target::keep_linking);
    press(ActionKind::left);
    EXPECT_EQ(s.focus(), Target::stop_linking);
    press(ActionKind::activate);
    EXPECT_EQ(commands(),
              (std::vector<Command>{Command::make(Kind::cancel_link), Command::exit(3)}));
    EXPECT_TRUE(s.finished());
    // Nothing after the quit.
    press(ActionKind::new_code);
    s.tick(t0 + 1min);
    EXPECT_TRUE(commands().empty());
}

TEST_F(ScreenTest, LinkingCanBeCancelled) {
    show_code();
    type("1234567");
    press(ActionKind::submit);
    commands();
    press(ActionKind::activate);  // nothing to press while linking
    EXPECT_FALSE(s.confirm_open());
    press(ActionKind::back);
    ASSERT_TRUE(s.confirm_open());
    press(ActionKind::right);
    press(ActionKind::activate);
    EXPECT_EQ(commands(),
              (std::vector<Command>{Command::make(Kind::cancel_link), Command::exit(3)}));
}

TEST_F(ScreenTest, ConnectingCanBeCancelled) {
    press(ActionKind::back, Device::keyboard);
    EXPECT_TRUE(s.confirm_open());
}

TEST_F(ScreenTest, ClearEmptiesTheField) {
    show_code();
    type("12345");
    press(ActionKind::clear);
    EXPECT_EQ(s.digits_entered(), 0);
    EXPECT_FALSE(s.confirm_open());
}

TEST_F(ScreenTest, NewCodeAsksForOneAndShowsConnecting) {
    show_code();
    type("12");
    press(ActionKind::new_code);
    EXPECT_EQ(commands(), std::vector<Command>{Command::make(Kind::new_code)});
    EXPECT_EQ(s.state(), State::connecting);
    EXPECT_EQ(s.digits_entered(), 0);
}

TEST_F(ScreenTest, RejectedPinSaysSoOnTheFreshCode) {
    show_code();
    type("1234567");
    press(ActionKind::submit);
    commands();
    s.show_code(CodeView{url + "2", "", 7, CodeNotice::pin_rejected}, t0 + 1s);
    EXPECT_EQ(s.state(), State::code);
    EXPECT_EQ(s.notice(), strings::notice_pin_rejected);
    EXPECT_EQ(s.digits_entered(), 0);
    EXPECT_EQ(s.focus(), Target::key_5);
    EXPECT_EQ(s.authorize_url(), url + "2");
    s.show_code(CodeView{url + "3", "", 7, CodeNotice::none}, t0 + 2s);
    EXPECT_TRUE(s.notice().empty());
}

TEST_F(ScreenTest, PinLengthIsClamped) {
    show_code(CodeNotice::none, 0);
    EXPECT_EQ(s.pin_length(), 4);
    show_code(CodeNotice::none, 99);
    EXPECT_EQ(s.pin_length(), 12);
}

// --- Focus -------------------------------------------------------------------------------------

TEST_F(ScreenTest, FocusStartsOnFiveAndWrapsAtEveryEdge) {
    show_code();
    EXPECT_EQ(s.focus(), Target::key_5);
    // Every key, every direction: a torus of 4 rows by 3 columns.
    for (int i = 0; i < pad_keys; ++i) {
        const int row = i / 3, col = i % 3;
        const struct {
            ActionKind move;
            int row, col;
        } cases[] = {{ActionKind::up, (row + 3) % 4, col},
                     {ActionKind::down, (row + 1) % 4, col},
                     {ActionKind::left, row, (col + 2) % 3},
                     {ActionKind::right, row, (col + 1) % 3}};
        for (const auto& c : cases) {
            show_code();
            // Walk to key i from 5 (index 4).
            while (pad_index(s.focus()) / 3 != row)
                press(ActionKind::down);
            while (pad_index(s.focus()) % 3 != col)
                press(ActionKind::right);
            ASSERT_EQ(pad_index(s.focus()), i);
            press(c.move);
            EXPECT_EQ(pad_index(s.focus()), c.row * 3 + c.col) << "from key " << i;
        }
    }
    // Spelled out at the corners.
    show_code();
    press(ActionKind::up);
    press(ActionKind::left);
    EXPECT_EQ(s.focus(), Target::key_1);
    press(ActionKind::up);
    EXPECT_EQ(s.focus(), Target::key_backspace);
    press(ActionKind::left);
    EXPECT_EQ(s.focus(), Target::key_submit);
    press(ActionKind::down);
    EXPECT_EQ(s.focus(), Target::key_3);
    press(ActionKind::right);
    EXPECT_EQ(s.focus(), Target::key_1);
}

TEST_F(ScreenTest, ActivatingPadKeysTypesDeletesAndSubmits) {
    show_code();
    press(ActionKind::activate);  // 5
    press(ActionKind::down);
    press(ActionKind::down);  // 0
    press(ActionKind::activate);
    press(ActionKind::left);  // ⌫
    press(ActionKind::activate);
    EXPECT_EQ(s.digits_entered(), 1);
    press(ActionKind::activate);
    EXPECT_EQ(s.digits_entered(), 0);
    press(ActionKind::activate);  // ⌫ on an empty field only deletes: no question
    EXPECT_FALSE(s.confirm_open());
}

TEST_F(ScreenTest, LastDigitMovesFocusToSubmit) {
    show_code();
    for (int i = 0; i < 6; ++i)
        press(ActionKind::activate);
    EXPECT_EQ(s.focus(), Target::key_5);
    press(ActionKind::activate);
    EXPECT_EQ(s.focus(), Target::key_submit);
    press(ActionKind::activate);  // ✓
    EXPECT_EQ(commands(), std::vector<Command>{Command::submit("5555555")});
}

TEST_F(ScreenTest, EnterAfterTypingSubmitsInsteadOfPressingTheFocusedKey) {
    show_code();
    type("123");
    press(ActionKind::activate, Device::keyboard);
    EXPECT_EQ(s.digits_entered(), 3);  // not a "5" from the focused key
    EXPECT_TRUE(commands().empty());
    type("4567");
    press(ActionKind::activate, Device::keyboard);
    EXPECT_EQ(commands(), std::vector<Command>{Command::submit("1234567")});
}

TEST_F(ScreenTest, FirstArrowAfterTypingShowsTheFocusWithoutMoving) {
    show_code();
    type("1");
    press(ActionKind::right, Device::keyboard);
    EXPECT_EQ(s.focus(), Target::key_5);
    press(ActionKind::right, Device::keyboard);
    EXPECT_EQ(s.focus(), Target::key_6);
    press(ActionKind::activate, Device::keyboard);  // now Enter presses the key
    EXPECT_EQ(s.digits_entered(), 2);
}

// --- Linked and Problem ------------------------------------------------------------------------

TEST_F(ScreenTest, LinkedClosesItselfAfterFourSeconds) {
    s.show_linked(LinkedView{"jack", "Jack"}, t0);
    EXPECT_EQ(s.state(), State::linked);
    s.tick(t0 + 3900ms);
    EXPECT_TRUE(commands().empty());
    s.tick(t0 + 4s);
    EXPECT_EQ(commands(), std::vector<Command>{Command::exit(0)});
    s.tick(t0 + 5s);
    EXPECT_TRUE(commands().empty());
}

TEST(ScreenLinked, ClosesOnAnyButton) {
    for (const ActionKind k :
         {ActionKind::activate, ActionKind::back, ActionKind::clear, ActionKind::new_code,
          ActionKind::submit, ActionKind::up, ActionKind::backspace, ActionKind::digit}) {
        Screen s;
        s.show_linked(LinkedView{"jack", ""}, t0);
        s.handle(Action::make(k, Device::playstation), t0 + 1s);
        EXPECT_EQ(s.take_commands(), std::vector<Command>{Command::exit(0)});
    }
}

TEST_F(ScreenTest, ResultsCloseAnOpenQuestion) {
    show_code();
    type("1234567");
    press(ActionKind::submit);
    press(ActionKind::back);
    ASSERT_TRUE(s.confirm_open());
    s.show_linked(LinkedView{"jack", ""}, t0);
    EXPECT_FALSE(s.confirm_open());
    commands();
    press(ActionKind::back);  // on Linked, any button closes
    EXPECT_EQ(commands(), std::vector<Command>{Command::exit(0)});
}

TEST_F(ScreenTest, ProblemButtonsWrapAndDoWhatTheySay) {
    s.show_problem(
        ProblemView{"Can't reach X", "Check the network, then try again.", "curl: 7", true}, t0);
    EXPECT_EQ(s.state(), State::problem);
    EXPECT_EQ(s.focus(), Target::try_again);
    press(ActionKind::right);
    EXPECT_EQ(s.focus(), Target::new_code);
    press(ActionKind::right);
    EXPECT_EQ(s.focus(), Target::quit);
    press(ActionKind::right);
    EXPECT_EQ(s.focus(), Target::try_again);
    press(ActionKind::left);
    EXPECT_EQ(s.focus(), Target::quit);
    press(ActionKind::up);  // one row: up and down change nothing
    EXPECT_EQ(s.focus(), Target::quit);
    press(ActionKind::right);
    press(ActionKind::activate);
    EXPECT_EQ(commands(), std::vector<Command>{Command::make(Kind::retry)});
    EXPECT_EQ(s.state(), State::connecting);
}

TEST_F(ScreenTest, ProblemWithoutRetryOffersNewCodeAndQuit) {
    s.show_problem(ProblemView{"This app can't link accounts", "Tell the app's maker.", "", false},
                   t0);
    EXPECT_EQ(s.focus(), Target::new_code);
    press(ActionKind::left);
    EXPECT_EQ(s.focus(), Target::quit);
    press(ActionKind::left);
    EXPECT_EQ(s.focus(), Target::new_code);
    press(ActionKind::activate);
    EXPECT_EQ(commands(), std::vector<Command>{Command::make(Kind::new_code)});
    EXPECT_EQ(s.state(), State::connecting);
}

TEST_F(ScreenTest, QuittingAfterAProblemIsAFailure) {
    s.show_problem(ProblemView{"t", "n", "d", true}, t0);
    press(ActionKind::left);
    press(ActionKind::activate);
    EXPECT_EQ(commands(), std::vector<Command>{Command::exit(1)});
    Screen other;
    other.show_problem(ProblemView{"t", "n", "d", true}, t0);
    other.handle(key(ActionKind::back), t0);
    EXPECT_EQ(other.take_commands(), std::vector<Command>{Command::exit(1)});
}

TEST_F(ScreenTest, LastDeviceTouchedIsRemembered) {
    show_code();
    press(ActionKind::up, Device::nintendo);
    EXPECT_EQ(s.device(), Device::nintendo);
    type("1", Device::keyboard);
    EXPECT_EQ(s.device(), Device::keyboard);
    s.set_device(Device::playstation);
    EXPECT_EQ(s.device(), Device::playstation);
}

// --- Redraw and wake-ups -----------------------------------------------------------------------

TEST_F(ScreenTest, IdleCodeScreenSleepsUntilInput) {
    pinlink::test::FakeGlyphs glyphs;
    DrawList list;
    show_code();
    EXPECT_TRUE(s.needs_redraw());
    EXPECT_EQ(s.next_wake(t0), t0);
    s.build(list, glyphs, 1920, 1080, t0);
    EXPECT_TRUE(s.needs_redraw());  // mid fade-in
    s.build(list, glyphs, 1920, 1080, t0 + 1s);
    EXPECT_FALSE(s.needs_redraw());
    EXPECT_FALSE(s.animating(t0 + 1s));
    EXPECT_FALSE(s.next_wake(t0 + 1s));
    EXPECT_TRUE(s.settled(t0 + 1s));
}

TEST_F(ScreenTest, NewestDigitTurnsIntoADotOnATimer) {
    pinlink::test::FakeGlyphs glyphs;
    DrawList list;
    show_code();
    s.build(list, glyphs, 1920, 1080, t0 + 1s);
    const TimePoint typed = t0 + 2s;
    s.handle(Action::enter_digit(4, Device::keyboard), typed);
    EXPECT_TRUE(s.needs_redraw());
    s.build(list, glyphs, 1920, 1080, typed);
    s.build(list, glyphs, 1920, 1080, typed + 300ms);
    EXPECT_FALSE(s.needs_redraw());
    ASSERT_TRUE(s.next_wake(typed + 300ms));
    EXPECT_EQ(*s.next_wake(typed + 300ms), typed + 1s);
    s.tick(typed + 999ms);
    EXPECT_FALSE(s.needs_redraw());
    s.tick(typed + 1s);
    EXPECT_TRUE(s.needs_redraw());
    s.build(list, glyphs, 1920, 1080, typed + 1s);
    EXPECT_FALSE(s.next_wake(typed + 1s));
}

TEST_F(ScreenTest, SpinnersAnimateAndLinkedCountsDown) {
    pinlink::test::FakeGlyphs glyphs;
    DrawList list;
    s.build(list, glyphs, 1280, 720, t0 + 10s);
    EXPECT_TRUE(s.animating(t0 + 10s));  // Connecting
    EXPECT_TRUE(s.needs_redraw());
    s.show_linked(LinkedView{"jack", ""}, t0 + 20s);
    s.build(list, glyphs, 1280, 720, t0 + 21s);
    EXPECT_TRUE(s.animating(t0 + 21s));
    EXPECT_EQ(s.next_wake(t0 + 21s), t0 + 21s);
}
