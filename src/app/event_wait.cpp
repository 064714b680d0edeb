// EventWaiter: see event_wait.hpp.
#include "app/event_wait.hpp"

#include <algorithm>
#include <string_view>

namespace pinlink::app {

void EventWaiter::push(SDL_Event event) {
    SDL_PushEvent(&event);  // thread-safe
    notify();
}

void EventWaiter::notify() {
    {
        std::lock_guard lock(mutex_);
        notified_ = true;
    }
    woken_.notify_one();
}

bool EventWaiter::sdl_can_block() {
    // The drivers that implement WaitEventTimeout in SDL 2.26; with a joystick open SDL polls
    // every millisecond even there (SDL_events_need_polling).
    const char* driver = SDL_GetCurrentVideoDriver();
    if (!driver || SDL_NumJoysticks() > 0) return false;
    const std::string_view d(driver);
    return d == "x11" || d == "wayland" || d == "windows" || d == "cocoa";
}

bool EventWaiter::wait(SDL_Event& event, std::optional<std::chrono::milliseconds> timeout) {
    const auto deadline = timeout ? std::optional(Clock::now() + *timeout) : std::nullopt;
    for (;;) {
        if (SDL_PollEvent(&event) == 1) {
            last_event_ = Clock::now();
            return true;
        }
        if (sdl_can_block()) {
            // SDL_PushEvent from another thread wakes this wait (SDL sends itself a wakeup).
            auto block = kHotplugPeriod;
            if (deadline) {
                const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
                if (left.count() <= 0) return false;
                block = std::min(block, left);
            }
            if (SDL_WaitEventTimeout(&event, static_cast<int>(block.count())) == 1) {
                last_event_ = Clock::now();
                return true;
            }
            continue;
        }
        auto nap = std::chrono::duration_cast<Clock::duration>(pump_period(Clock::now()));
        if (deadline) {
            const auto left = *deadline - Clock::now();
            if (left <= Clock::duration::zero()) return false;
            nap = std::min(nap, left);
        }
        std::unique_lock lock(mutex_);
        woken_.wait_for(lock, nap, [this] { return notified_; });
        notified_ = false;
    }
}

}  // namespace pinlink::app
