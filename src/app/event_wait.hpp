// Waiting for SDL events without SDL's own busy wait. SDL_WaitEvent falls back to calling
// SDL_PumpEvents every millisecond whenever a joystick is open or the video driver cannot block
// (offscreen, KMSDRM): about 3% of a core on a screen that is only waiting, which is exactly
// the couch (a pad plugged in) and the kiosk (hours on the Code screen). In those cases
// EventWaiter pumps at a gentler period and sleeps on a condition variable in between, so
// events pushed by other threads (the link worker, the signal watcher) still wake it at once.
// Where SDL can truly block (x11, wayland, windows, cocoa, and no joystick open) it lets SDL
// block, waking a few times a second so a pad plugged in is noticed promptly.
#pragma once

#include <SDL.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

namespace pinlink::app {

class EventWaiter {
  public:
    using Clock = std::chrono::steady_clock;

    // How often SDL's queue is pumped while nothing else wakes the waiter, for kActiveFor after
    // the last event. Input from devices SDL only sees by pumping (pads, and windowing systems
    // that cannot wake SDL) waits at most this long: under one frame at 60 Hz.
    static constexpr std::chrono::milliseconds kPumpPeriod{8};
    // After that the screen is being left alone (a kiosk, a couch between presses): pumped
    // 40 times a second instead of 125, which is most of its idle CPU. The first press after
    // such a pause is seen at most 25 ms late; the ones after it at once again.
    static constexpr std::chrono::milliseconds kIdlePumpPeriod{25};
    static constexpr std::chrono::seconds kActiveFor{3};
    // The longest SDL is left blocking where it can: how soon a pad plugged into an idle
    // screen is seen (SDL itself looks for new devices only every 3 s while it blocks).
    static constexpr std::chrono::milliseconds kHotplugPeriod{250};

    // Pushes `event` onto SDL's queue and wakes a waiter. Any thread.
    void push(SDL_Event event);
    // Wakes a waiter, for an event already pushed some other way. Any thread.
    void notify();

    // Takes the next event into `event`, waiting up to `timeout` (forever when nullopt).
    // Returns false when the time ran out with no event. The render thread only.
    bool wait(SDL_Event& event, std::optional<std::chrono::milliseconds> timeout);

    // The pump period wait() uses at `now`: kPumpPeriod within kActiveFor of the last event
    // it handed over (or of construction), kIdlePumpPeriod after.
    std::chrono::milliseconds pump_period(Clock::time_point now) const {
        return now - last_event_ < kActiveFor ? kPumpPeriod : kIdlePumpPeriod;
    }

  private:
    // True when SDL_WaitEventTimeout sleeps in the windowing system instead of polling.
    static bool sdl_can_block();

    std::mutex mutex_;
    std::condition_variable woken_;
    bool notified_ = false;
    Clock::time_point last_event_ = Clock::now();  // render thread only
};

}  // namespace pinlink::app
