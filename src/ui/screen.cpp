// The link screen's state machine, input routing and timers (drawing is in draw.cpp).
#include "ui/screen.hpp"

#include <algorithm>

#include "ui/strings.hpp"
#include "ui/theme.hpp"

namespace pinlink::ui {

namespace {

constexpr std::string_view https_prefix = "https://";

bool is_direction(ActionKind k) {
    return k == ActionKind::up || k == ActionKind::down || k == ActionKind::left ||
           k == ActionKind::right;
}

bool is_pointer(ActionKind k) {
    return k == ActionKind::pointer_move || k == ActionKind::pointer_press ||
           k == ActionKind::pointer_release;
}

float ease_out(float t) {
    const float u = 1.0f - t;
    return 1.0f - u * u * u;
}

// A digit from a pasted code point: ASCII and full-width digits (some input methods and
// phones produce the latter); nothing else.
int digit_value(char32_t cp) {
    if (cp >= U'0' && cp <= U'9') return static_cast<int>(cp - U'0');
    if (cp >= 0xFF10 && cp <= 0xFF19) return static_cast<int>(cp - 0xFF10);
    return -1;
}

}  // namespace

Screen::Screen(ScreenOptions options) : options_(options), device_(options.initial_device) {
    commands_.reserve(4);
}

// --- Fed by the app --------------------------------------------------------------------------

void Screen::set_state(State s, TimePoint now) {
    state_ = s;
    state_since_ = now;
    glide_ = false;
    pressed_ = Target::none;
    flash_ = Target::none;
    hovered_ = Target::none;
    dirty_ = true;
    relayout();
}

void Screen::relayout() {
    // Pointer events can arrive before the next frame: hit-test against the new state's
    // layout, not the old one's. (The hint bar is placed again by that frame.)
    if (layout_.width > 0)
        compute_layout(layout_, layout_.width, layout_.height,
                       LayoutInput{pin_length_, qr_.size(), problem_.retry_allowed});
}

void Screen::show_connecting(TimePoint now) {
    if (state_ != State::connecting) set_state(State::connecting, now);
}

void Screen::show_code(CodeView view, TimePoint now) {
    if (view.authorize_url != url_ || qr_.empty()) {
        url_ = std::move(view.authorize_url);
        qr_ = encode_qr(url_).value_or(QrGrid{});  // too long: the address text still shows
    }
    address_ = url_;
    address_fit_for_ = 0;
    if (address_.starts_with(https_prefix)) address_.remove_prefix(https_prefix.size());
    pin_length_ = std::clamp(view.pin_length, min_pin_length, max_pin_length);
    clear_digits();
    pin_hint_line_.clear();
    if (!view.pin_hint.empty()) {
        pin_hint_line_.append(strings::demo_pin_prefix);
        pin_hint_line_.append(view.pin_hint);
    }
    switch (view.notice) {
        case CodeNotice::none:
            notice_.clear();
            break;
        case CodeNotice::pin_rejected:
            notice_ = strings::notice_pin_rejected;
            break;
        case CodeNotice::code_expired:
            notice_ = strings::notice_code_expired;
            break;
    }
    notice_transient_ = false;
    typing_ = false;
    pad_focus_ = Target::key_5;  // the centre: every key within two moves
    set_state(State::code, now);
}

void Screen::show_linking(TimePoint now) {
    clear_digits();
    if (state_ != State::linking) set_state(State::linking, now);
}

void Screen::show_linked(LinkedView view, TimePoint now) {
    linked_title_.assign(strings::linked_prefix);
    linked_title_.append(view.screen_name);
    display_name_ = std::move(view.display_name);
    linked_deadline_ = now + theme::linked_close;
    confirm_ = false;
    set_state(State::linked, now);
}

void Screen::show_problem(ProblemView view, TimePoint now) {
    problem_ = std::move(view);
    problem_focus_ = problem_.retry_allowed ? Target::try_again : Target::new_code;
    confirm_ = false;
    clear_digits();
    set_state(State::problem, now);
}

void Screen::set_device(Device device) {
    if (device_ != device) {
        device_ = device;
        dirty_ = true;
    }
}

// --- Commands ----------------------------------------------------------------------------------

std::vector<Command> Screen::take_commands() {
    std::vector<Command> out;
    out.swap(commands_);
    return out;
}

void Screen::finish(int exit_code) {
    if (finished_) return;
    commands_.push_back(Command::exit(exit_code));
    finished_ = true;
    dirty_ = true;
}

void Screen::stop_linking() {
    if (finished_) return;
    commands_.push_back(Command::make(Command::Kind::cancel_link));
    finish(3);
}

void Screen::request_new_code(TimePoint now) {
    commands_.push_back(Command::make(Command::Kind::new_code));
    clear_digits();
    set_state(State::connecting, now);
}

void Screen::request_retry(TimePoint now) {
    commands_.push_back(Command::make(Command::Kind::retry));
    set_state(State::connecting, now);
}

void Screen::open_confirm(TimePoint now) {
    confirm_ = true;
    confirm_since_ = now;
    confirm_focus_ = Target::keep_linking;  // the safe choice under the thumb
    glide_ = false;
    pressed_ = Target::none;
    hovered_ = Target::none;
    dirty_ = true;
}

void Screen::close_confirm(TimePoint /*now*/) {
    confirm_ = false;
    glide_ = false;
    pressed_ = Target::none;
    hovered_ = Target::none;
    dirty_ = true;
}

// --- The PIN field -----------------------------------------------------------------------------

void Screen::enter_digit(int digit, TimePoint now) {
    if (digit < 0 || digit > 9 || digit_count_ >= pin_length_) return;
    digits_[static_cast<std::size_t>(digit_count_++)] = static_cast<char>('0' + digit);
    last_digit_at_ = now;
    if (notice_transient_) {
        notice_.clear();
        notice_transient_ = false;
    }
    if (digit_count_ == pin_length_) set_focus(Target::key_submit, now);
    dirty_ = true;
}

void Screen::paste(std::string_view text, TimePoint now) {
    // A whole code replaces the field; a fragment is typed at the end.
    std::array<char, max_pin_length> found{};
    int n = 0;
    for (std::size_t i = 0; i < text.size() && n < pin_length_;) {
        const int d = digit_value(next_codepoint(text, i));
        if (d >= 0) found[static_cast<std::size_t>(n++)] = static_cast<char>('0' + d);
    }
    if (n == 0) return;
    if (n == pin_length_) clear_digits();
    for (int i = 0; i < n; ++i)
        enter_digit(found[static_cast<std::size_t>(i)] - '0', now);
    found.fill(0);
}

void Screen::delete_digit() {
    if (digit_count_ == 0) return;
    digits_[static_cast<std::size_t>(--digit_count_)] = 0;
    dirty_ = true;
}

void Screen::clear_digits() {
    digits_.fill(0);  // the PIN does not linger in the screen's memory
    if (digit_count_ != 0) dirty_ = true;
    digit_count_ = 0;
}

void Screen::submit(TimePoint now) {
    if (digit_count_ < pin_length_) {
        notice_.assign(strings::notice_incomplete_prefix);
        notice_.append(std::to_string(pin_length_));
        notice_.append(strings::notice_incomplete_suffix);
        notice_transient_ = true;
        dirty_ = true;
        return;
    }
    commands_.push_back(
        Command::submit(std::string(digits_.data(), static_cast<std::size_t>(digit_count_))));
    notice_.clear();
    show_linking(now);
}

// --- Focus -------------------------------------------------------------------------------------

Target Screen::focus() const {
    if (confirm_) return confirm_focus_;
    if (state_ == State::code) return pad_focus_;
    if (state_ == State::problem) return problem_focus_;
    return Target::none;
}

Target& Screen::focus_slot() {
    if (confirm_) return confirm_focus_;
    if (state_ == State::problem) return problem_focus_;
    return pad_focus_;
}

bool Screen::ring_visible() const {
    const Target f = focus();
    if (f == Target::none) return false;
    if (device_ == Device::pointer) return hovered_ == f;
    return !(state_ == State::code && !confirm_ && typing_);
}

float Screen::progress(TimePoint since, std::chrono::milliseconds length, TimePoint now) const {
    if (now <= since) return 0.0f;
    const auto elapsed = std::chrono::duration<float, std::milli>(now - since).count();
    return std::min(1.0f, elapsed / static_cast<float>(length.count()));
}

Rect Screen::ring_rect(Target t, float grow) const {
    const Rect base = layout_.rect_of(t);
    if (base.empty()) return base;
    const float s = 1.0f + (theme::focus_scale - 1.0f) * grow;
    return base.scaled(s).inflated(layout_.px(theme::ring_gap + theme::ring_width * 0.5f));
}

Rect Screen::displayed_ring(TimePoint now) const {
    const Rect target = ring_rect(focus(), 1.0f);
    if (!glide_) return target;
    // A head start, so the frame right after the move already shows the ring on its way.
    return lerp(glide_from_, target,
                ease_out(progress(glide_at_ - theme::glide_head_start, theme::focus_glide, now)));
}

void Screen::set_focus(Target t, TimePoint now, bool glide) {
    Target& slot = focus_slot();
    if (slot == t) return;
    const bool can_glide = glide && ring_visible() && layout_.width > 0;
    if (can_glide) glide_from_ = displayed_ring(now);
    glide_prev_ = slot;
    slot = t;
    glide_ = can_glide;
    glide_at_ = now;
    dirty_ = true;
}

void Screen::move_focus(ActionKind direction, TimePoint now) {
    if (confirm_) {
        if (direction == ActionKind::left || direction == ActionKind::right) {
            set_focus(confirm_focus_ == Target::keep_linking ? Target::stop_linking
                                                             : Target::keep_linking,
                      now);
        }
        return;
    }
    if (state_ == State::problem) {
        if (direction != ActionKind::left && direction != ActionKind::right) return;
        std::array<Target, 3> row{};
        int n = 0;
        if (problem_.retry_allowed) row[static_cast<std::size_t>(n++)] = Target::try_again;
        row[static_cast<std::size_t>(n++)] = Target::new_code;
        row[static_cast<std::size_t>(n++)] = Target::quit;
        int i = 0;
        while (i < n && row[static_cast<std::size_t>(i)] != problem_focus_)
            ++i;
        if (i == n) i = 0;
        i = (i + (direction == ActionKind::right ? 1 : n - 1)) % n;
        set_focus(row[static_cast<std::size_t>(i)], now);
        return;
    }
    if (state_ != State::code) return;
    const int index = std::max(0, pad_index(pad_focus_));
    int row = index / pad_columns, col = index % pad_columns;
    switch (direction) {  // wraps at every edge
        case ActionKind::up:
            row = (row + pad_rows - 1) % pad_rows;
            break;
        case ActionKind::down:
            row = (row + 1) % pad_rows;
            break;
        case ActionKind::left:
            col = (col + pad_columns - 1) % pad_columns;
            break;
        case ActionKind::right:
            col = (col + 1) % pad_columns;
            break;
        default:
            return;
    }
    set_focus(pad_target(row * pad_columns + col), now);
}

// --- Input -------------------------------------------------------------------------------------

void Screen::handle(const Action& a, TimePoint now) {
    if (finished_) return;
    if (is_pointer(a.kind)) {
        handle_pointer(a, now);
        return;
    }
    if (device_ != a.device) {
        device_ = a.device;
        dirty_ = true;
    }
    if (a.device != Device::keyboard && typing_) {
        typing_ = false;
        dirty_ = true;
    }
    if (confirm_) {
        handle_confirm(a, now);
        return;
    }
    switch (state_) {
        case State::connecting:
        case State::linking:
            if ((a.kind == ActionKind::back || a.kind == ActionKind::backspace) && !a.repeat)
                open_confirm(now);
            break;
        case State::linked:
            finish(0);
            break;  // any button closes it
        case State::problem:
            handle_problem(a, now);
            break;
        case State::code:
            handle_code(a, now);
            break;
    }
}

void Screen::handle_code(const Action& a, TimePoint now) {
    if (is_direction(a.kind)) {
        if (typing_) {  // the first arrow after typing shows the ring where it was
            typing_ = false;
            dirty_ = true;
            return;
        }
        move_focus(a.kind, now);
        return;
    }
    switch (a.kind) {
        case ActionKind::digit:
            if (a.device == Device::keyboard) typing_ = true;
            enter_digit(a.digit, now);
            break;
        case ActionKind::paste:
            typing_ = a.device == Device::keyboard;
            paste(a.text, now);
            break;
        case ActionKind::backspace:
            if (digit_count_ > 0) {
                delete_digit();
            } else if (!a.repeat) {
                open_confirm(now);
            }
            break;
        case ActionKind::back:
            // A controller's B eats digits first; Escape and the "Cancel" hint ask at once.
            if (is_gamepad(a.device) && digit_count_ > 0) {
                delete_digit();
            } else if (!a.repeat) {
                open_confirm(now);
            }
            break;
        case ActionKind::clear:
            clear_digits();
            break;
        case ActionKind::new_code:
            request_new_code(now);
            break;
        case ActionKind::submit:
            submit(now);
            break;
        case ActionKind::activate:
            // Typing on a keyboard, Enter means "done", not "press the key the ring was on".
            if (typing_ && a.device == Device::keyboard) {
                submit(now);
            } else {
                activate(pad_focus_, now);
            }
            break;
        default:
            break;
    }
}

void Screen::handle_problem(const Action& a, TimePoint now) {
    if (is_direction(a.kind)) {
        move_focus(a.kind, now);
        return;
    }
    switch (a.kind) {
        case ActionKind::activate:
            activate(problem_focus_, now);
            break;
        case ActionKind::back:
            if (!a.repeat) finish(1);  // leaving after a failure is a failure, not a cancel
            break;
        case ActionKind::new_code:
            request_new_code(now);
            break;
        default:
            break;
    }
}

void Screen::handle_confirm(const Action& a, TimePoint now) {
    if (is_direction(a.kind)) {
        move_focus(a.kind, now);
        return;
    }
    switch (a.kind) {
        case ActionKind::activate:
            activate(confirm_focus_, now);
            break;
        case ActionKind::back:
        case ActionKind::backspace:
            if (!a.repeat) close_confirm(now);
            break;
        default:
            break;
    }
}

void Screen::perform(ActionKind kind, TimePoint now) {
    // "0–9 Type" names keys, it is no action: clicked, it would type the Action's default 0.
    if (kind == ActionKind::digit) return;
    handle(Action::make(kind, Device::pointer), now);
}

void Screen::activate(Target t, TimePoint now) {
    flash_ = t;
    flash_at_ = now;
    dirty_ = true;
    if (const int d = pad_digit(t); d >= 0) {
        enter_digit(d, now);
        return;
    }
    switch (t) {
        case Target::key_backspace:
            delete_digit();
            break;  // never asks to stop: just deletes
        case Target::key_submit:
            submit(now);
            break;
        case Target::try_again:
            request_retry(now);
            break;
        case Target::new_code:
            request_new_code(now);
            break;
        case Target::quit:
            finish(1);
            break;
        case Target::keep_linking:
            close_confirm(now);
            break;
        case Target::stop_linking:
            stop_linking();
            break;
        default:
            if (const int h = hint_index(t); h >= 0 && h < layout_.hint_count)
                perform(layout_.hint_actions[static_cast<std::size_t>(h)], now);
            break;
    }
}

Target Screen::hit_test(float x, float y) const {
    if (layout_.width == 0) return Target::none;
    if (confirm_) {
        if (layout_.confirm_buttons[0].contains(x, y)) return Target::keep_linking;
        if (layout_.confirm_buttons[1].contains(x, y)) return Target::stop_linking;
        return Target::none;
    }
    for (int i = 0; i < layout_.hint_count; ++i)
        if (layout_.hints[static_cast<std::size_t>(i)].contains(x, y)) return hint_target(i);
    if (state_ == State::code) {
        for (int i = 0; i < pad_keys; ++i)
            if (layout_.keys[static_cast<std::size_t>(i)].contains(x, y)) return pad_target(i);
    } else if (state_ == State::problem) {
        for (int i = 0; i < layout_.button_count; ++i)
            if (layout_.buttons[static_cast<std::size_t>(i)].contains(x, y))
                return layout_.button_targets[static_cast<std::size_t>(i)];
    }
    return Target::none;
}

void Screen::handle_pointer(const Action& a, TimePoint now) {
    const Target t = hit_test(a.x, a.y);
    const bool focusable = t != Target::none && hint_index(t) < 0;
    switch (a.kind) {
        case ActionKind::pointer_move:
            if (t != hovered_) {
                hovered_ = t;
                dirty_ = true;
            }
            if (t != Target::none && device_ != Device::pointer) {
                device_ = Device::pointer;  // the mouse over a key is the mouse in use
                typing_ = false;
                dirty_ = true;
            }
            if (focusable) set_focus(t, now);
            break;
        case ActionKind::pointer_press:
            if (device_ != Device::pointer) {
                device_ = Device::pointer;
                dirty_ = true;
            }
            typing_ = false;
            if (state_ == State::linked && !confirm_) {
                finish(0);  // a tap anywhere closes it, like any button
                return;
            }
            hovered_ = t;
            pressed_ = t;
            pressed_rect_ = layout_.rect_of(t);
            if (const int h = hint_index(t); h >= 0)
                pressed_hint_action_ = layout_.hint_actions[static_cast<std::size_t>(h)];
            if (focusable) set_focus(t, now, false);
            dirty_ = true;
            break;
        case ActionKind::pointer_release: {
            const Target was = pressed_;
            pressed_ = Target::none;
            if (was == Target::none) break;
            dirty_ = true;
            // A click: released inside what was pressed (compared with the rectangle at press
            // time, since the hint bar may have been laid out again for the pointer meanwhile).
            if (!pressed_rect_.contains(a.x, a.y)) break;
            if (hint_index(was) >= 0) {
                perform(pressed_hint_action_, now);
            } else {
                activate(was, now);
            }
            break;
        }
        default:
            break;
    }
}

// --- Timers ------------------------------------------------------------------------------------

bool Screen::revealing(TimePoint now) const {
    return state_ == State::code && digit_count_ > 0 && options_.pin_reveal.count() > 0 &&
           now < last_digit_at_ + options_.pin_reveal;
}

void Screen::tick(TimePoint now) {
    if (finished_) return;
    if (state_ == State::linked && !confirm_ && now >= linked_deadline_) finish(0);
    if (frame_reveals_digit_ && !revealing(now)) dirty_ = true;
}

bool Screen::animating(TimePoint now) const {
    if (state_ == State::connecting || state_ == State::linking) return true;  // spinner
    if (state_ == State::linked && !finished_ && now < linked_deadline_) return true;
    if (now < state_since_ + theme::state_fade) return true;
    if (confirm_ && now < confirm_since_ + theme::overlay_fade) return true;
    if (glide_ && now < glide_at_ - theme::glide_head_start + theme::focus_glide) return true;
    if (flash_ != Target::none && now < flash_at_ + theme::press_flash) return true;
    return state_ == State::code && digit_count_ > 0 && now < last_digit_at_ + theme::digit_pop;
}

std::optional<TimePoint> Screen::next_wake(TimePoint now) const {
    if (needs_redraw()) return now;
    std::optional<TimePoint> wake;
    const auto consider = [&wake](TimePoint t) {
        if (!wake || t < *wake) wake = t;
    };
    if (frame_reveals_digit_) consider(last_digit_at_ + options_.pin_reveal);
    if (state_ == State::linked && !finished_) consider(linked_deadline_);
    return wake;
}

bool Screen::settled(TimePoint now) const {
    if (now < state_since_ + theme::state_fade) return false;
    return !confirm_ || now >= confirm_since_ + theme::overlay_fade;
}

}  // namespace pinlink::ui
