// The link screen: a state machine fed by the app (show_*) and by input (handle), which asks
// the app for work through commands and draws itself into a DrawList. Platform-free: no SDL,
// GL or curl, no clock of its own (every call that can start a timer takes `now`), no I/O.
// Runs on the render thread only.
//
// States: Connecting -(show_code)-> Code -(✓ or Start)-> Linking -(show_linked)-> Linked
// -(4 s or any button)-> quit(0); Linking -(show_problem)-> Problem (Try again, New code, Quit).
// Y on Code and New code / Try again on Problem go back to Connecting (new_code / retry).
// Back on an empty field, in Connecting or in Linking opens "Stop linking?"; Stop sends
// cancel_link and quit(3). Quit on Problem (or B there) is quit(1): a failure, not a cancel.
//
// Loop contract (the app):
//   handle() every action; for each NavRepeat::poll() hit, handle() a repeat move; tick(now);
//   carry out take_commands(); if needs_redraw() (or the window was resized or exposed), build()
//   and present; then sleep in SDL_WaitEventTimeout until the earlier of next_wake(now) and the
//   NavRepeat deadlines (nullopt from both: wait without a timeout).
//
// Implemented: all five states, the confirm, digit pad focus with wrap, keyboard typing mode,
// paste filtering, pointer hover/press/click on keys, buttons and hint items, per-device hint
// glyphs, fades, focus glide, key press flash, PIN reveal-then-mask.
// Not implemented: right-to-left text, text kerning (GlyphSource has no kerning call).
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ui/actions.hpp"
#include "ui/draw_list.hpp"
#include "ui/geometry.hpp"
#include "ui/glyphs.hpp"
#include "ui/hints.hpp"
#include "ui/layout.hpp"
#include "ui/nav_repeat.hpp"
#include "ui/painter.hpp"
#include "ui/qr.hpp"
#include "ui/screen_types.hpp"

namespace pinlink::ui {

struct ScreenOptions {
    // How long the newest PIN digit is shown before it becomes a dot. The brief keeps the PIN
    // off the screen; a short reveal lets a person check each press. Zero: dots only.
    std::chrono::milliseconds pin_reveal{1000};
    // Hints before any input arrives; the app should set the type of a connected controller.
    Device initial_device = Device::gamepad;
};

class Screen {
  public:
    explicit Screen(ScreenOptions options = {});

    // --- Fed by the app (results from the worker) ----------------------------------------
    void show_connecting(TimePoint now);
    // A fresh code: the PIN field is emptied and focus returns to the pad's 5. The QR code is
    // re-encoded only when the address changed.
    void show_code(CodeView view, TimePoint now);
    void show_linking(TimePoint now);
    // Closes the confirm if open; quit(0) follows after 4 s or on any button.
    void show_linked(LinkedView view, TimePoint now);
    // Closes the confirm if open; focus on Try again (or New code when retry is not allowed).
    void show_problem(ProblemView view, TimePoint now);
    // The hint glyphs to show until the next action says otherwise (e.g. on controller hotplug).
    void set_device(Device device);

    // --- Input -----------------------------------------------------------------------------
    // Ignored once a quit command has been issued.
    void handle(const Action& action, TimePoint now);
    // Timers: Linked closing itself, the newest digit turning into a dot.
    void tick(TimePoint now);
    // Commands issued since the last call, oldest first.
    std::vector<Command> take_commands();

    // --- Drawing ---------------------------------------------------------------------------
    // Resets `out` and fills it for a drawable of width x height physical pixels at `now`.
    // Allocates nothing once `out` and the screen's scratch buffers have grown.
    void build(DrawList& out, GlyphSource& glyphs, int width, int height, TimePoint now);
    // True when the last built frame is out of date (state changed or it was mid-animation).
    bool needs_redraw() const { return dirty_ || !frame_settled_; }
    // True while something moves at `now` (fades, focus glide, spinner, Linked countdown).
    bool animating(TimePoint now) const;
    // When the loop must wake without input: `now` while a redraw is due, the next timer
    // otherwise, nullopt when only input can change anything.
    std::optional<TimePoint> next_wake(TimePoint now) const;
    // The current state has finished fading in and no confirm is opening (screenshots).
    bool settled(TimePoint now) const;

    // --- Inspection (tests, screenshots, the app) -------------------------------------------
    State state() const { return state_; }
    bool confirm_open() const { return confirm_; }
    Target focus() const;  // in the current context: pad, Problem buttons or the confirm
    Target hovered() const { return hovered_; }
    Device device() const { return device_; }
    int digits_entered() const { return digit_count_; }
    int pin_length() const { return pin_length_; }
    std::string_view notice() const { return notice_; }  // the Code screen's notice line
    bool finished() const { return finished_; }          // a quit command was issued
    const QrGrid& qr() const { return qr_; }
    std::string_view authorize_url() const { return url_; }
    // The layout of the last built frame (empty before the first build).
    const Layout& layout() const { return layout_; }
    // The target under a physical pixel in the last built frame, in the current context.
    Target hit_test(float x, float y) const;

  private:
    // State changes.
    void set_state(State s, TimePoint now);
    void relayout();
    void open_confirm(TimePoint now);
    void close_confirm(TimePoint now);
    void finish(int exit_code);
    void stop_linking();
    void request_new_code(TimePoint now);
    void request_retry(TimePoint now);
    // The Code screen.
    void enter_digit(int digit, TimePoint now);
    void paste(std::string_view text, TimePoint now);
    void delete_digit();
    void clear_digits();
    void submit(TimePoint now);
    // Input routing.
    void handle_code(const Action& a, TimePoint now);
    void handle_problem(const Action& a, TimePoint now);
    void handle_confirm(const Action& a, TimePoint now);
    void handle_pointer(const Action& a, TimePoint now);
    void perform(ActionKind kind, TimePoint now);  // a hint item clicked
    void activate(Target t, TimePoint now);
    void move_focus(ActionKind direction, TimePoint now);
    void set_focus(Target t, TimePoint now, bool glide = true);
    Target& focus_slot();
    bool ring_visible() const;
    // Animation helpers.
    float progress(TimePoint since, std::chrono::milliseconds length, TimePoint now) const;
    Rect ring_rect(Target t, float grow) const;
    Rect displayed_ring(TimePoint now) const;
    bool revealing(TimePoint now) const;

    // Drawing (draw.cpp).
    void draw_code(TimePoint now, float dy);
    void draw_pad(TimePoint now, float dy);
    void draw_pin_field(TimePoint now, float dy);
    float widest_url_piece(int px);
    int address_text_px();
    void draw_waiting(TimePoint now, float dy, std::string_view title, std::string_view body);
    void draw_linked(TimePoint now, float dy);
    void draw_problem(TimePoint now, float dy);
    void draw_confirm(TimePoint now);
    void draw_hints();
    void draw_ring(TimePoint now, float dy);
    void draw_button(const Rect& r, std::string_view label, bool focused, bool pressed);
    void draw_glyph(const Rect& r, const ButtonGlyph& g);
    void text_in(Face face, float design_size, const Rect& row, std::string_view text, Color c,
                 Align align = Align::center);

    ScreenOptions options_;
    State state_ = State::connecting;
    TimePoint state_since_{};
    Device device_;
    bool finished_ = false;
    std::vector<Command> commands_;

    // Code.
    std::string url_;
    std::string_view address_;  // url_ without "https://"
    std::string pin_hint_line_;
    int address_fit_for_ = 0;  // the address size address_px_ was chosen for (0: not yet)
    int address_px_ = 0;
    QrGrid qr_;
    int pin_length_ = 7;
    std::array<char, max_pin_length> digits_{};
    int digit_count_ = 0;
    TimePoint last_digit_at_{};
    std::string notice_;
    bool notice_transient_ = false;  // "Enter all 7 digits…" goes away with the next digit
    bool typing_ = false;            // keyboard typing mode: ring hidden, Enter submits
    Target pad_focus_ = Target::key_5;

    // Linked.
    std::string linked_title_;
    std::string display_name_;
    TimePoint linked_deadline_{};

    // Problem.
    ProblemView problem_;
    Target problem_focus_ = Target::try_again;

    // Confirm.
    bool confirm_ = false;
    TimePoint confirm_since_{};
    Target confirm_focus_ = Target::keep_linking;

    // Pointer and focus animation.
    Target hovered_ = Target::none;
    Target pressed_ = Target::none;  // held by the pointer
    Rect pressed_rect_;              // where it was when pressed: hint items move on relayout
    ActionKind pressed_hint_action_ = ActionKind::activate;
    Target flash_ = Target::none;  // pressed by a button, lit briefly
    TimePoint flash_at_{};
    Rect glide_from_;
    Target glide_prev_ = Target::none;  // shrinks back while the new focus grows
    TimePoint glide_at_{};
    bool glide_ = false;

    // Frame bookkeeping.
    bool dirty_ = true;
    bool frame_settled_ = false;
    bool frame_reveals_digit_ = false;
    Layout layout_;
    Painter painter_;
};

}  // namespace pinlink::ui
