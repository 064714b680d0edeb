// Hold-to-repeat timing (400 ms, then every 70 ms) and the stick's threshold and hysteresis.
#include <gtest/gtest.h>

#include <vector>

#include "ui/nav_repeat.hpp"

using namespace std::chrono_literals;
using pinlink::ui::Direction;
using pinlink::ui::NavRepeat;
using pinlink::ui::StickDirection;
using pinlink::ui::TimePoint;

namespace {

const TimePoint t0 = TimePoint{} + 1h;

}  // namespace

TEST(NavRepeat, NothingHeldNothingDue) {
    NavRepeat r;
    EXPECT_FALSE(r.next_deadline());
    EXPECT_FALSE(r.poll(t0 + 10s));
}

TEST(NavRepeat, FirstRepeatAfter400msThenEvery70ms) {
    NavRepeat r;
    r.press(Direction::right, t0);
    ASSERT_TRUE(r.next_deadline());
    EXPECT_EQ(*r.next_deadline(), t0 + 400ms);
    EXPECT_FALSE(r.poll(t0 + 399ms));
    EXPECT_EQ(r.poll(t0 + 400ms), Direction::right);
    EXPECT_EQ(*r.next_deadline(), t0 + 470ms);
    EXPECT_FALSE(r.poll(t0 + 469ms));
    EXPECT_EQ(r.poll(t0 + 470ms), Direction::right);
    EXPECT_EQ(*r.next_deadline(), t0 + 540ms);
}

TEST(NavRepeat, PollingEveryMillisecondGivesTheScheduledTimes) {
    NavRepeat r;
    r.press(Direction::down, t0);
    std::vector<long> fired;
    for (long ms = 0; ms <= 700; ++ms)
        if (r.poll(t0 + std::chrono::milliseconds(ms))) fired.push_back(ms);
    EXPECT_EQ(fired, (std::vector<long>{400, 470, 540, 610, 680}));
}

TEST(NavRepeat, ReleaseStopsOnlyTheHeldDirection) {
    NavRepeat r;
    r.press(Direction::up, t0);
    r.release(Direction::left);  // not the held one
    EXPECT_EQ(r.poll(t0 + 400ms), Direction::up);
    r.release(Direction::up);
    EXPECT_FALSE(r.next_deadline());
    EXPECT_FALSE(r.poll(t0 + 2s));
}

TEST(NavRepeat, NewPressReplacesAndRestartsTheDelay) {
    NavRepeat r;
    r.press(Direction::up, t0);
    r.press(Direction::left, t0 + 300ms);
    EXPECT_FALSE(r.poll(t0 + 400ms));
    EXPECT_EQ(r.poll(t0 + 700ms), Direction::left);
}

TEST(NavRepeat, LateCallerGetsOneStepNotABurst) {
    NavRepeat r;
    r.press(Direction::right, t0);
    EXPECT_EQ(r.poll(t0 + 1000ms), Direction::right);
    EXPECT_FALSE(r.poll(t0 + 1000ms));
    EXPECT_EQ(*r.next_deadline(), t0 + 1070ms);
}

TEST(NavRepeat, ResetForgetsTheHeldDirection) {
    NavRepeat r;
    r.press(Direction::right, t0);
    r.reset();
    EXPECT_FALSE(r.held());
    EXPECT_FALSE(r.poll(t0 + 1s));
}

TEST(StickDirection, EngagesAtSevenTenthsOfFullScale) {
    StickDirection s;
    EXPECT_FALSE(s.update(0.69f, 0.0f).pressed);
    EXPECT_FALSE(s.held());
    const auto c = s.update(0.7f, 0.0f);
    EXPECT_EQ(c.pressed, Direction::right);
    EXPECT_FALSE(c.released);
    EXPECT_EQ(s.held(), Direction::right);
}

TEST(StickDirection, HysteresisKeepsItHeldUntilBelowRelease) {
    StickDirection s;
    s.update(0.0f, -0.9f);
    ASSERT_EQ(s.held(), Direction::up);
    const auto still = s.update(0.0f, -0.65f);  // below engage, above release
    EXPECT_FALSE(still.pressed);
    EXPECT_FALSE(still.released);
    EXPECT_EQ(s.held(), Direction::up);
    const auto off = s.update(0.0f, -0.55f);
    EXPECT_EQ(off.released, Direction::up);
    EXPECT_FALSE(off.pressed);
    EXPECT_FALSE(s.held());
    // Chatter around the threshold while released does not engage below 0.7.
    EXPECT_FALSE(s.update(0.0f, -0.66f).pressed);
}

TEST(StickDirection, DominantAxisWins) {
    StickDirection s;
    EXPECT_EQ(s.update(0.75f, 0.8f).pressed, Direction::down);
    StickDirection t;
    EXPECT_EQ(t.update(-0.9f, 0.72f).pressed, Direction::left);
}

TEST(StickDirection, TurningToAnotherDirectionNeedsAClearMargin) {
    StickDirection s;
    s.update(0.9f, 0.0f);
    ASSERT_EQ(s.held(), Direction::right);
    // Down is dominant but not clearly past the held right: stay.
    EXPECT_FALSE(s.update(0.7f, 0.75f).pressed);
    EXPECT_EQ(s.held(), Direction::right);
    // Clearly down now: right is released and down pressed in one change.
    const auto c = s.update(0.65f, 0.85f);
    EXPECT_EQ(c.released, Direction::right);
    EXPECT_EQ(c.pressed, Direction::down);
}

TEST(StickDirection, OutOfRangeValuesAreClamped) {
    StickDirection s;
    EXPECT_EQ(s.update(5.0f, 0.0f).pressed, Direction::right);
    EXPECT_FLOAT_EQ(StickDirection::axis_unit(32767), 1.0f);
    EXPECT_FLOAT_EQ(StickDirection::axis_unit(-32768), -1.0f);
    EXPECT_FLOAT_EQ(StickDirection::axis_unit(0), 0.0f);
}
