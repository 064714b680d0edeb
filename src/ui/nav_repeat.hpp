// Hold-to-repeat for focus movement and the analogue stick turned into a direction. Pure: time
// comes in as arguments, nothing here sleeps or reads a clock, so the app can sleep exactly
// until next_deadline() and the tests can drive time by hand.
//
// Use one NavRepeat per source (D-pad, stick, arrow keys) so releasing one never stops another.
#pragma once

#include <chrono>
#include <optional>

#include "ui/actions.hpp"

namespace pinlink::ui {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

class NavRepeat {
  public:
    static constexpr std::chrono::milliseconds first_delay{400};
    static constexpr std::chrono::milliseconds period{70};

    // A direction went down at `now`. The caller performs the first move itself; repeats follow
    // from poll(). Pressing another direction replaces the held one.
    void press(Direction d, TimePoint now);
    // A direction came up. Releasing a direction that is not the held one changes nothing.
    void release(Direction d);
    // Forget everything (the controller went away, the window lost focus).
    void reset();

    // The held direction if a repeat is due at `now`, at most one per call. When the caller
    // was late by more than a period, the schedule restarts from `now` instead of bursting.
    std::optional<Direction> poll(TimePoint now);
    // When the next repeat is due, or nullopt when nothing is held.
    std::optional<TimePoint> next_deadline() const;
    std::optional<Direction> held() const { return held_; }

  private:
    std::optional<Direction> held_;
    TimePoint next_{};
};

// Turns a stick position into a held direction with hysteresis: a direction engages when its
// axis passes 0.7 of full scale and lets go only below 0.6, so a stick resting near the
// threshold does not chatter.
class StickDirection {
  public:
    static constexpr float engage = 0.7f;
    static constexpr float release = 0.6f;

    struct Change {
        std::optional<Direction> released;  // call NavRepeat::release with it
        std::optional<Direction> pressed;   // move once and call NavRepeat::press with it
    };

    // x, y in [-1, 1] (right and down positive, as SDL reports); values outside are clamped.
    Change update(float x, float y);
    std::optional<Direction> held() const { return held_; }

    // An SDL axis value (-32768..32767) scaled to [-1, 1].
    static constexpr float axis_unit(int raw) {
        const float v = static_cast<float>(raw) / 32767.0f;
        return v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
    }

  private:
    std::optional<Direction> held_;
};

}  // namespace pinlink::ui
