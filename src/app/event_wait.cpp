// EventWaiter: see event_wait.hpp.
#include "app/event_wait.hpp"

#include <algorithm>

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

bool EventWaiter::wait(SDL_Event& event, std::optional<std::chrono::milliseconds> timeout) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = timeout ? std::optional(Clock::now() + *timeout) : std::nullopt;
    for (;;) {
        if (SDL_PollEvent(&event) == 1) return true;
        auto nap = std::chrono::duration_cast<Clock::duration>(kPumpPeriod);
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
