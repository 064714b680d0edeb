// Hold-to-repeat timing and stick-to-direction thresholds (see nav_repeat.hpp).
#include "ui/nav_repeat.hpp"

#include <algorithm>
#include <cmath>

namespace pinlink::ui {

void NavRepeat::press(Direction d, TimePoint now) {
    held_ = d;
    next_ = now + first_delay;
}

void NavRepeat::release(Direction d) {
    if (held_ == d) held_.reset();
}

void NavRepeat::reset() {
    held_.reset();
}

std::optional<Direction> NavRepeat::poll(TimePoint now) {
    if (!held_ || now < next_) return std::nullopt;
    next_ += period;
    // A loop that slept through several periods gets one step, not a burst of them.
    if (next_ <= now) next_ = now + period;
    return held_;
}

std::optional<TimePoint> NavRepeat::next_deadline() const {
    if (!held_) return std::nullopt;
    return next_;
}

namespace {

float component(Direction d, float x, float y) {
    switch (d) {
        case Direction::up:
            return -y;
        case Direction::down:
            return y;
        case Direction::left:
            return -x;
        case Direction::right:
            return x;
    }
    return 0.0f;
}

}  // namespace

StickDirection::Change StickDirection::update(float x, float y) {
    x = std::clamp(x, -1.0f, 1.0f);
    y = std::clamp(y, -1.0f, 1.0f);

    // The candidate is the dominant axis, if it is past the engage threshold.
    std::optional<Direction> candidate;
    if (std::fabs(x) >= std::fabs(y)) {
        if (std::fabs(x) >= engage) candidate = x > 0 ? Direction::right : Direction::left;
    } else if (std::fabs(y) >= engage) {
        candidate = y > 0 ? Direction::down : Direction::up;
    }

    std::optional<Direction> next = held_;
    if (held_) {
        const float held_amount = component(*held_, x, y);
        if (candidate && *candidate != *held_ &&
            component(*candidate, x, y) > held_amount + (engage - release)) {
            next = candidate;  // clearly turned to another direction
        } else if (held_amount < release) {
            next = candidate;  // let go (or swapped without crossing the dead band)
        }
    } else {
        next = candidate;
    }

    Change change;
    if (next != held_) {
        change.released = held_;
        change.pressed = next;
        held_ = next;
    }
    return change;
}

}  // namespace pinlink::ui
