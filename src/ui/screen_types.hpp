// The values that cross between the app and the screen: what the app shows (views), what the
// screen asks the app to do (commands), and the names of the things that can take focus.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace pinlink::ui {

enum class State : std::uint8_t { connecting, code, linking, linked, problem };

// Why a fresh code is being shown; the screen words it (strings.hpp).
enum class CodeNotice : std::uint8_t {
    none,
    pin_rejected,  // "That PIN didn't work. Here's a new code."
    code_expired   // "That code expired. Here's a new one."
};

struct CodeView {
    std::string authorize_url;  // shown as a QR code and, without "https://", as text
    std::string pin_hint;       // the demo provider's PIN, shown as a hint; empty otherwise
    int pin_length = 7;         // boxes in the PIN field; clamped to [4, 12]
    CodeNotice notice = CodeNotice::none;
};

struct LinkedView {
    std::string screen_name;   // without '@'
    std::string display_name;  // may be empty
};

struct ProblemView {
    std::string title;      // plain language: "Can't reach X"
    std::string next_step;  // what to do: "Check the network connection, then try again."
    std::string detail;     // the provider's words and code, shown small; may be empty
    bool retry_allowed = true;
};

// What the screen asks of the app; collected with Screen::take_commands().
struct Command {
    enum class Kind : std::uint8_t {
        submit_pin,   // run access_token with `pin` (the screen now shows Linking)
        new_code,     // drop the request token, fetch a new one (the screen shows Connecting)
        retry,        // repeat the step that failed (the screen shows Connecting)
        cancel_link,  // abort whatever network step is in flight
        quit          // leave with `exit_code`: 0 linked, 1 failed, 3 cancelled by the person
    };
    Kind kind = Kind::quit;
    std::string pin;    // submit_pin only: exactly pin_length ASCII digits
    int exit_code = 0;  // quit only

    static Command make(Kind k) { return Command{k, {}, 0}; }
    static Command submit(std::string digits) {
        return Command{Kind::submit_pin, std::move(digits), 0};
    }
    static Command exit(int code) { return Command{Kind::quit, {}, code}; }
    friend bool operator==(const Command&, const Command&) = default;
};

// Everything that can be focused, hovered or pressed.
enum class Target : std::uint8_t {
    none,
    // The digit pad in grid order: 1 2 3 / 4 5 6 / 7 8 9 / ⌫ 0 ✓.
    key_1,
    key_2,
    key_3,
    key_4,
    key_5,
    key_6,
    key_7,
    key_8,
    key_9,
    key_backspace,
    key_0,
    key_submit,
    // Problem buttons.
    try_again,
    new_code,
    quit,
    // "Stop linking?" buttons.
    keep_linking,
    stop_linking,
    // Hint bar items, clickable with mouse or touch (never focused by a controller).
    hint_0,
    hint_1,
    hint_2,
    hint_3,
    hint_4,
    hint_5
};

inline constexpr int pad_columns = 3;
inline constexpr int pad_rows = 4;
inline constexpr int pad_keys = pad_columns * pad_rows;
inline constexpr int max_hints = 6;

// Pad key index (0..11, grid order) <-> Target.
constexpr Target pad_target(int index) {
    return static_cast<Target>(static_cast<int>(Target::key_1) + index);
}
constexpr int pad_index(Target t) {
    const int i = static_cast<int>(t) - static_cast<int>(Target::key_1);
    return i >= 0 && i < pad_keys ? i : -1;
}
constexpr bool is_pad_key(Target t) {
    return pad_index(t) >= 0;
}
// The digit a pad key types, or -1 for ⌫ and ✓.
constexpr int pad_digit(Target t) {
    const int i = pad_index(t);
    if (i >= 0 && i < 9) return i + 1;
    return i == 10 ? 0 : -1;
}
constexpr Target digit_target(int digit) {
    return digit == 0 ? Target::key_0 : pad_target(digit - 1);
}
constexpr int hint_index(Target t) {
    const int i = static_cast<int>(t) - static_cast<int>(Target::hint_0);
    return i >= 0 && i < max_hints ? i : -1;
}
constexpr Target hint_target(int index) {
    return static_cast<Target>(static_cast<int>(Target::hint_0) + index);
}

}  // namespace pinlink::ui
