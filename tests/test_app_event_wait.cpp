// EventWaiter: it hands over SDL events, wakes at once for events pushed through it from
// another thread, still sees events pushed straight onto SDL's queue, and gives up when its
// time runs out.
#include <SDL.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "app/event_wait.hpp"

namespace {

using namespace std::chrono_literals;
using pinlink::app::EventWaiter;
using Clock = std::chrono::steady_clock;

class EventWaitTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_EQ(SDL_Init(SDL_INIT_EVENTS), 0) << SDL_GetError();
        user_ = SDL_RegisterEvents(1);
    }
    void TearDown() override { SDL_Quit(); }
    SDL_Event user_event(Sint32 code) const {
        SDL_Event e{};
        e.type = user_;
        e.user.code = code;
        return e;
    }
    Uint32 user_ = 0;
};

TEST_F(EventWaitTest, TimesOutWithNoEvent) {
    EventWaiter waiter;
    SDL_Event e{};
    const auto start = Clock::now();
    EXPECT_FALSE(waiter.wait(e, 30ms));
    EXPECT_GE(Clock::now() - start, 30ms);
}

TEST_F(EventWaitTest, HandsOverQueuedEventsInOrder) {
    EventWaiter waiter;
    waiter.push(user_event(1));
    waiter.push(user_event(2));
    SDL_Event e{};
    ASSERT_TRUE(waiter.wait(e, 0ms));
    EXPECT_EQ(e.type, user_);
    EXPECT_EQ(e.user.code, 1);
    ASSERT_TRUE(waiter.wait(e, 0ms));
    EXPECT_EQ(e.user.code, 2);
    EXPECT_FALSE(waiter.wait(e, 0ms));
}

// An untimed wait ends when another thread pushes through the waiter (the link worker does).
TEST_F(EventWaitTest, PushFromAnotherThreadEndsAnUntimedWait) {
    EventWaiter waiter;
    std::thread pusher([&] {
        std::this_thread::sleep_for(50ms);
        waiter.push(user_event(7));
    });
    SDL_Event e{};
    const bool got = waiter.wait(e, std::nullopt);
    pusher.join();
    ASSERT_TRUE(got);
    EXPECT_EQ(e.type, user_);
    EXPECT_EQ(e.user.code, 7);
}

// Events that reach SDL's queue without the waiter (SDL_PushEvent, devices) are seen by pumping.
TEST_F(EventWaitTest, SeesEventsPushedStraightToSdl) {
    EventWaiter waiter;
    std::thread pusher([&] {
        std::this_thread::sleep_for(50ms);
        SDL_Event ev = user_event(9);
        SDL_PushEvent(&ev);
    });
    SDL_Event e{};
    const bool got = waiter.wait(e, 10s);
    pusher.join();
    ASSERT_TRUE(got);
    EXPECT_EQ(e.user.code, 9);
}

// A notify with nothing queued wakes the waiter, which goes back to waiting for its time.
TEST_F(EventWaitTest, SpuriousNotifyDoesNotEndATimedWaitEarly) {
    EventWaiter waiter;
    waiter.notify();
    SDL_Event e{};
    const auto start = Clock::now();
    EXPECT_FALSE(waiter.wait(e, 40ms));
    EXPECT_GE(Clock::now() - start, 40ms);
}

// Pumping slows down only once the screen has been left alone, and the next event brings the
// quick pace back.
TEST_F(EventWaitTest, PumpsQuicklyWhileInUseAndSlowerWhenLeftAlone) {
    EventWaiter waiter;
    const auto start = Clock::now();
    EXPECT_EQ(waiter.pump_period(start), EventWaiter::kPumpPeriod);
    EXPECT_EQ(waiter.pump_period(start + EventWaiter::kActiveFor - 100ms), EventWaiter::kPumpPeriod);
    const auto later = start + EventWaiter::kActiveFor + 100ms;
    EXPECT_EQ(waiter.pump_period(later), EventWaiter::kIdlePumpPeriod);
    EXPECT_GT(EventWaiter::kIdlePumpPeriod, EventWaiter::kPumpPeriod);
    EXPECT_LE(EventWaiter::kIdlePumpPeriod, 25ms) << "a press after a pause must still feel instant";

    waiter.push(user_event(3));
    SDL_Event e{};
    ASSERT_TRUE(waiter.wait(e, 0ms));
    const auto handed = Clock::now();
    EXPECT_EQ(waiter.pump_period(handed), EventWaiter::kPumpPeriod);
    EXPECT_EQ(waiter.pump_period(handed + EventWaiter::kActiveFor + 100ms),
              EventWaiter::kIdlePumpPeriod);
}

// Left alone (on the slower pace), an event pushed straight onto SDL's queue is still seen, and
// handing it over brings the quick pace back.
TEST_F(EventWaitTest, AnEventAfterAPauseIsStillSeen) {
    EventWaiter waiter;
    SDL_Event e{};
    // Nothing for longer than kActiveFor: the waiter is on the idle pace.
    EXPECT_FALSE(waiter.wait(e, EventWaiter::kActiveFor + 200ms));
    ASSERT_EQ(waiter.pump_period(Clock::now()), EventWaiter::kIdlePumpPeriod);
    std::thread pusher([&] {
        std::this_thread::sleep_for(30ms);
        SDL_Event ev = user_event(11);
        SDL_PushEvent(&ev);
    });
    const bool got = waiter.wait(e, 10s);
    pusher.join();
    ASSERT_TRUE(got);
    EXPECT_EQ(e.user.code, 11);
    EXPECT_EQ(waiter.pump_period(Clock::now()), EventWaiter::kPumpPeriod);
}

}  // namespace
