// Test support for the link screen (app::run_screen) running headless and in-process: the
// screen runs on the test's main thread, a script drives it from a second thread with a virtual
// gamepad, synthesized keyboard and mouse events, and waits on what each drawn frame showed.
//
// Synchronisation: every frame hook records a Snapshot of the screen as drawn; the script waits
// (bounded) for a snapshot that satisfies a condition. Gamepad presses are taps: the button goes
// down, and an SDL event watch lets it up again as soon as SDL has turned the press into an event,
// so a D-pad tap never lasts long enough to start hold-to-repeat, however slow the machine.
// inject() runs a step on the render thread between two frames, so a test can name the exact
// frame an action preceded ("the next frame shows its effect").
#pragma once

#include <SDL.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/screen_frontend.hpp"
#include "render/common/image.hpp"
#include "render_test_support.hpp"  // keep_libraries_loaded()
#include "support/drawn_text.hpp"
#include "ui/screen.hpp"

namespace pinlink::test {

using namespace std::chrono_literals;

// The bound on any single step (a frame, a network round trip on loopback, a decode).
inline constexpr std::chrono::seconds kStepTimeout{20};

// A controller model, by the USB ids SDL derives its type from.
struct PadModel {
    const char* name;
    Uint16 vendor;
    Uint16 product;
    SDL_GameControllerType type;
    ui::Device device;
};
inline constexpr PadModel kXboxPad{"Xbox One pad", 0x045e, 0x02ea, SDL_CONTROLLER_TYPE_XBOXONE,
                                   ui::Device::xbox};
inline constexpr PadModel kPlayStationPad{"DualShock 4", 0x054c, 0x09cc, SDL_CONTROLLER_TYPE_PS4,
                                          ui::Device::playstation};
inline constexpr PadModel kSwitchProPad{"Switch Pro Controller", 0x057e, 0x2009,
                                        SDL_CONTROLLER_TYPE_NINTENDO_SWITCH_PRO,
                                        ui::Device::nintendo};

// What one drawn frame showed.
struct Snapshot {
    std::uint64_t index = 0;  // 1 for the first frame
    ui::State state = ui::State::connecting;
    bool confirm_open = false;
    bool at_rest = false;  // the frame was not mid-animation (fades, glides, pops)
    bool settled = false;  // the state had finished fading in (spinners and countdowns may run)
    ui::Target focus = ui::Target::none;
    int digits = 0;
    ui::Device device = ui::Device::gamepad;
    std::string notice;
    std::string url;
    ui::Layout layout;
    int window_w = 0, window_h = 0;  // window coordinates (mouse events use these)
    Uint32 window_id = 0;
    render::Image pixels;  // only when the wait asked for them
    DrawnText text;        // only with Setup::read_text
};

inline const char* state_name(ui::State s) {
    switch (s) {
        case ui::State::connecting:
            return "connecting";
        case ui::State::code:
            return "code";
        case ui::State::linking:
            return "linking";
        case ui::State::linked:
            return "linked";
        case ui::State::problem:
            return "problem";
    }
    return "?";
}

inline std::string describe(const Snapshot& s) {
    std::ostringstream o;
    o << "frame " << s.index << ": " << state_name(s.state) << (s.confirm_open ? " +confirm" : "")
      << ", focus " << static_cast<int>(s.focus) << ", " << s.digits << " digits, device "
      << static_cast<int>(s.device) << ", notice \"" << s.notice << "\"";
    return o.str();
}

class VirtualPad {
  public:
    SDL_JoystickID id() const { return id_; }
    const PadModel& model() const { return model_; }

  private:
    friend class ScreenHarness;
    VirtualPad(const PadModel& model, SDL_GameController* controller)
        : model_(model),
          controller_(controller),
          joystick_(SDL_GameControllerGetJoystick(controller)),
          id_(SDL_JoystickInstanceID(joystick_)) {}

    // Sets the virtual input that SDL's mapping for this model reads as `button`: SDL maps
    // an Xbox pad's ids with its built-in XInput layout (D-pad on a hat, Start on button 7),
    // other pads by the virtual device's own layout.
    void set(SDL_GameControllerButton button, bool down) {
        const SDL_GameControllerButtonBind bind =
            SDL_GameControllerGetBindForButton(controller_, button);
        if (bind.bindType == SDL_CONTROLLER_BINDTYPE_BUTTON) {
            SDL_JoystickSetVirtualButton(joystick_, bind.value.button, down ? 1 : 0);
        } else if (bind.bindType == SDL_CONTROLLER_BINDTYPE_HAT) {
            SDL_JoystickSetVirtualHat(
                joystick_, bind.value.hat.hat,
                static_cast<Uint8>(down ? bind.value.hat.hat_mask : SDL_HAT_CENTERED));
        } else {
            ADD_FAILURE() << model_.name << " has no binding for button " << button;
        }
    }

    // The same for an axis (the left stick is bound to joystick axes on every model here).
    void set_axis(SDL_GameControllerAxis axis, Sint16 value) {
        const SDL_GameControllerButtonBind bind =
            SDL_GameControllerGetBindForAxis(controller_, axis);
        if (bind.bindType == SDL_CONTROLLER_BINDTYPE_AXIS) {
            SDL_JoystickSetVirtualAxis(joystick_, bind.value.axis, value);
        } else {
            ADD_FAILURE() << model_.name << " has no binding for axis " << axis;
        }
    }

    PadModel model_;
    SDL_GameController* controller_;  // the test's own reference; SDL_Quit closes it
    SDL_Joystick* joystick_;
    SDL_JoystickID id_;
};

class ScreenHarness {
  public:
    using Predicate = std::function<bool(const Snapshot&)>;
    using Script = std::function<bool(ScreenHarness&)>;
    // Runs on the render thread after every frame (after any inject() step), with the screen as
    // drawn and that frame's snapshot: for tests that drive the screen from inside its loop.
    using FrameStep = std::function<void(const ui::Screen&, app::Presenter&, const Snapshot&)>;

    struct Setup {
        std::string renderer = "software";     // "gl" | "software"
        std::string size = "1920x1080";        // --windowed
        std::filesystem::path screenshot_dir;  // --screenshot; empty: none
        bool json = true;                      // --json
        bool verbose = false;                  // --verbose (LinkOptions; HTTP tracing itself is
                                               // the test's net::Client's, as in main)
        bool read_text = false;                // fill Snapshot::text on every frame
        // Keep about this many recent snapshots (0: all), so long runs keep the heap flat.
        std::size_t history_limit = 0;
    };

    explicit ScreenHarness(Setup setup) : setup_(std::move(setup)) {
        // Before SDL_Init (run_screen does it): no display, and the offscreen window never has
        // focus, so SDL would drop joystick events without this.
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
        setenv("SDL_JOYSTICK_ALLOW_BACKGROUND_EVENTS", "1", 1);
    }
    ScreenHarness(const ScreenHarness&) = delete;
    ScreenHarness& operator=(const ScreenHarness&) = delete;

    // Runs the screen on this thread and `script` on a second one; returns run_screen's exit
    // code. The script returns true once it has done the step that ends the screen; when it
    // returns false (a step failed) the harness closes the window so the test ends.
    int run(link::PinFlow& flow, const Script& script) {
        app::ScreenArgs args;
        args.windowed = setup_.size;
        args.renderer = setup_.renderer;
        args.screenshot_dir = setup_.screenshot_dir.string();
        const app::ScreenConfig config = app::make_screen_config(args);
        EXPECT_EQ(config.error, "");
        app::LinkOptions options;
        options.json = setup_.json;
        options.verbose = setup_.verbose;

        app::ScreenHooks hooks;
        hooks.started = [this] { on_started(); };
        hooks.frame = [this](const ui::Screen& s, app::Presenter& p) { on_frame(s, p); };

        std::thread driver([&] {
            const bool ok = wait_started() && script(*this);
            if (!ok && !returned_.load()) quit();
        });
        const int code =
            app::run_screen(flow, options, config, args, nullptr, {}, out_, err_, &hooks);
        reader_.reset();  // on the render thread, where it was made
        {
            std::lock_guard lock(mutex_);
            returned_ = true;
        }
        changed_.notify_all();
        driver.join();
        return code;
    }

    std::string out() const { return out_.str(); }
    std::string err() const { return err_.str(); }

    // --- Waiting on frames -----------------------------------------------------------------

    // The first frame (the latest one already drawn, or one to come) for which `pred` holds.
    // With `pixels`, a frame is drawn on purpose if need be and its pixels come along.
    // Gives up (a test failure) after `timeout`.
    std::optional<Snapshot> wait(const std::string& what, const Predicate& pred,
                                 bool pixels = false,
                                 std::chrono::milliseconds timeout = kStepTimeout) {
        std::unique_lock lock(mutex_);
        if (!pixels && !history_.empty() && pred(history_.back())) return history_.back();
        waiter_ = pred;
        want_pixels_ = pixels;
        matched_.reset();
        lock.unlock();
        if (pixels) force_frame();
        lock.lock();
        const bool got = changed_.wait_for(
            lock, timeout, [&] { return matched_.has_value() || returned_.load(); });
        waiter_ = nullptr;
        std::optional<Snapshot> result = std::move(matched_);
        matched_.reset();
        if (!result) {
            ADD_FAILURE() << (got ? "the screen closed" : "timed out") << " while waiting for "
                          << what << "; last "
                          << (history_.empty() ? std::string("frame: none")
                                               : describe(history_.back()));
        }
        return result;
    }

    Snapshot latest() {
        std::lock_guard lock(mutex_);
        return history_.empty() ? Snapshot{} : history_.back();
    }

    // Sets the step run after every frame (see FrameStep); empty: none. Any thread; takes
    // effect from the next frame.
    void set_frame_step(FrameStep step) {
        std::lock_guard lock(mutex_);
        frame_step_ = std::move(step);
    }

    // Every frame drawn so far, oldest first.
    std::vector<Snapshot> frames() {
        std::lock_guard lock(mutex_);
        return history_;
    }

    // The frame drawn right after frame `index` (waits for it).
    std::optional<Snapshot> frame_after(std::uint64_t index) {
        std::unique_lock lock(mutex_);
        const bool got = changed_.wait_for(lock, kStepTimeout, [&] {
            return (!history_.empty() && history_.back().index > index) || returned_.load();
        });
        for (const Snapshot& s : history_) {
            if (s.index == index + 1) return s;
        }
        ADD_FAILURE() << (got ? "the screen closed" : "timed out") << " before the frame after "
                      << index;
        return std::nullopt;
    }

    // Runs `step` on the render thread right after the next frame is drawn; returns that
    // frame's index (0 on timeout). The step's effects can first show in the frame after it.
    std::uint64_t inject(std::function<void()> step) {
        std::unique_lock lock(mutex_);
        injections_.push_back(std::move(step));
        const std::uint64_t before = injected_count_;
        lock.unlock();
        force_frame();
        lock.lock();
        const bool got = changed_.wait_for(
            lock, kStepTimeout, [&] { return injected_count_ > before || returned_.load(); });
        if (!got || injected_count_ == before) {
            ADD_FAILURE() << "no frame came to inject a step into";
            return 0;
        }
        return injected_at_;
    }

    // A frame drawn after every event queued so far has been handled, even when nothing on
    // screen changes (e.g. after a controller was unplugged).
    std::optional<Snapshot> fresh_frame() {
        const std::uint64_t at = inject([this] { force_frame(); });
        if (at == 0) return std::nullopt;
        return frame_after(at);
    }

    // --- Input -------------------------------------------------------------------------------

    // A window event that makes the loop draw a frame even when nothing changed.
    void force_frame() {
        SDL_Event e{};
        e.type = SDL_WINDOWEVENT;
        e.window.event = SDL_WINDOWEVENT_EXPOSED;
        e.window.windowID = window_id_.load();
        SDL_PushEvent(&e);
    }

    // Wakes the loop so it pumps joystick state (SDL_PushEvent is thread-safe).
    void wake() {
        SDL_Event e{};
        e.type = wake_event_.load();
        SDL_PushEvent(&e);
    }

    // Closes the window, as the window manager would.
    void quit() {
        SDL_Event e{};
        e.type = SDL_QUIT;
        SDL_PushEvent(&e);
    }

    // The last input of a script: the one step that ends the screen. Each is a single SDL call,
    // because once the loop has seen it run_screen shuts SDL down, and no second call may race
    // with that. (The loop polls joysticks every millisecond while one is open: no wake needed.)
    void final_key(SDL_Keycode key) {
        SDL_Event e{};
        e.type = SDL_KEYDOWN;
        e.key.windowID = window_id_.load();
        e.key.state = SDL_PRESSED;
        e.key.keysym.sym = key;
        e.key.keysym.scancode = SDL_GetScancodeFromKey(key);
        SDL_PushEvent(&e);
    }
    void final_press(VirtualPad& pad, SDL_GameControllerButton button) { pad.set(button, true); }
    void final_click(const Snapshot& frame) {
        SDL_Event e{};
        e.type = SDL_MOUSEBUTTONDOWN;
        e.button.windowID = frame.window_id;
        e.button.button = SDL_BUTTON_LEFT;
        e.button.state = SDL_PRESSED;
        e.button.clicks = 1;
        e.button.x = frame.window_w / 2;
        e.button.y = frame.window_h / 2;
        SDL_PushEvent(&e);
    }

    // A key press and release (any thread).
    void key(SDL_Keycode key, Uint16 mod = KMOD_NONE) {
        SDL_Event e{};
        e.type = SDL_KEYDOWN;
        e.key.windowID = window_id_.load();
        e.key.state = SDL_PRESSED;
        e.key.keysym.sym = key;
        e.key.keysym.scancode = SDL_GetScancodeFromKey(key);
        e.key.keysym.mod = mod;
        SDL_PushEvent(&e);
        e.type = SDL_KEYUP;
        e.key.state = SDL_RELEASED;
        SDL_PushEvent(&e);
    }

    // Moves the mouse to a physical (drawable) pixel and clicks there (any thread). `frame`
    // gives the window to drawable scale.
    void click(const Snapshot& frame, float px, float py) {
        const float sx =
            static_cast<float>(frame.window_w) / static_cast<float>(frame.layout.width);
        const float sy =
            static_cast<float>(frame.window_h) / static_cast<float>(frame.layout.height);
        const int x = static_cast<int>(px * sx);
        const int y = static_cast<int>(py * sy);
        SDL_Event e{};
        e.type = SDL_MOUSEMOTION;
        e.motion.windowID = frame.window_id;
        e.motion.x = x;
        e.motion.y = y;
        SDL_PushEvent(&e);
        e = SDL_Event{};
        e.type = SDL_MOUSEBUTTONDOWN;
        e.button.windowID = frame.window_id;
        e.button.button = SDL_BUTTON_LEFT;
        e.button.state = SDL_PRESSED;
        e.button.clicks = 1;
        e.button.x = x;
        e.button.y = y;
        SDL_PushEvent(&e);
        e.type = SDL_MOUSEBUTTONUP;
        e.button.state = SDL_RELEASED;
        SDL_PushEvent(&e);
    }
    void click(const Snapshot& frame, const ui::Rect& r) {
        click(frame, r.center().x, r.center().y);
    }

    // --- Virtual gamepads ----------------------------------------------------------------------

    // Plugs in a controller of `model`; nullptr (and a failure) if SDL refuses.
    //
    // Plugging and unplugging run on the render thread, between two frames (as SDL's own
    // hotplug does, in its event pump): SDL keeps an error buffer per thread that calls into it
    // and sets an error (opening a PlayStation pad does, internally), and frees it only for
    // threads it made itself; on the script thread that buffer would be reported as a leak.
    VirtualPad* plug(const PadModel& model) {
        VirtualPad* pad = nullptr;
        const std::uint64_t at = inject([&] {
            SDL_VirtualJoystickDesc desc{};
            desc.version = SDL_VIRTUAL_JOYSTICK_DESC_VERSION;
            desc.type = SDL_JOYSTICK_TYPE_GAMECONTROLLER;
            desc.naxes = SDL_CONTROLLER_AXIS_MAX;
            desc.nbuttons = SDL_CONTROLLER_BUTTON_MAX;
            desc.nhats = 1;
            desc.vendor_id = model.vendor;
            desc.product_id = model.product;
            // Every button and axis; VirtualPad::set finds where SDL's mapping put each.
            desc.button_mask = (1u << SDL_CONTROLLER_BUTTON_MAX) - 1u;
            desc.axis_mask = (1u << SDL_CONTROLLER_AXIS_MAX) - 1u;
            desc.name = model.name;
            const int index = SDL_JoystickAttachVirtualEx(&desc);
            if (index < 0) {
                ADD_FAILURE() << "cannot attach a virtual " << model.name << ": " << SDL_GetError();
                return;
            }
            SDL_GameController* controller = SDL_GameControllerOpen(index);
            if (!controller) {
                ADD_FAILURE() << "cannot open the virtual " << model.name << ": " << SDL_GetError();
                return;
            }
            EXPECT_EQ(SDL_GameControllerGetType(controller), model.type) << model.name;
            pads_.push_back(std::unique_ptr<VirtualPad>(new VirtualPad(model, controller)));
            pad = pads_.back().get();
        });
        return at == 0 ? nullptr : pad;
    }

    // Unplugs `pad` and waits until SDL has reported the removal (the loop may not have
    // handled it yet: fresh_frame() is drawn after it has).
    bool unplug(VirtualPad& pad) {
        bool detached = false;
        const std::uint64_t at = inject([&] {
            int index = -1;
            for (int i = 0; i < SDL_NumJoysticks(); ++i) {
                if (SDL_JoystickGetDeviceInstanceID(i) == pad.id_) index = i;
            }
            if (index < 0) {
                ADD_FAILURE() << "the " << pad.model_.name << " is not plugged in";
                return;
            }
            SDL_GameControllerClose(pad.controller_);
            pad.controller_ = nullptr;
            pad.joystick_ = nullptr;
            if (SDL_JoystickDetachVirtual(index) != 0) {
                ADD_FAILURE() << "cannot detach the " << pad.model_.name << ": " << SDL_GetError();
                return;
            }
            detached = true;
        });
        if (at == 0 || !detached) return false;
        std::unique_lock lock(mutex_);
        if (!changed_.wait_for(lock, kStepTimeout, [&] { return removed_.count(pad.id_) > 0; })) {
            ADD_FAILURE() << "SDL never reported the " << pad.model_.name << " removed";
            return false;
        }
        return true;
    }

    // Drops everything kept about an unplugged pad (its press counts and the VirtualPad itself;
    // `pad` dangles afterwards), so that long runs plugging many pads keep the heap flat.
    void forget(VirtualPad& pad) {
        inject([&] {
            std::lock_guard lock(mutex_);
            const SDL_JoystickID id = pad.id_;
            std::erase_if(downs_, [id](const auto& kv) { return kv.first.first == id; });
            std::erase_if(ups_, [id](const auto& kv) { return kv.first.first == id; });
            std::erase_if(release_soon_, [id](const auto& kv) { return kv.first.first == id; });
            removed_.erase(id);
            std::erase_if(pads_, [&](const auto& p) { return p.get() == &pad; });
        });
    }

    // Presses `button` and lets it go as soon as SDL has seen it (see the banner). Does not
    // wait: for inject() steps on the render thread; wake() the loop when calling it elsewhere.
    void press_and_release_soon(VirtualPad& pad, SDL_GameControllerButton button) {
        {
            std::lock_guard lock(mutex_);
            release_soon_[{pad.id_, button}] = &pad;
        }
        pad.set(button, true);
    }

    // A short press of `button`; returns once SDL has reported both the press and the release
    // (the screen may still be handling them).
    bool tap(VirtualPad& pad, SDL_GameControllerButton button) {
        int ups_before = 0;
        {
            std::lock_guard lock(mutex_);
            ups_before = ups_[{pad.id_, button}];
        }
        press_and_release_soon(pad, button);
        wake();
        std::unique_lock lock(mutex_);
        if (!changed_.wait_for(lock, kStepTimeout,
                               [&] {
                                   return ups_[{pad.id_, button}] > ups_before || returned_.load();
                               }) ||
            ups_[{pad.id_, button}] == ups_before) {
            ADD_FAILURE() << "SDL never reported button " << button << " of the " << pad.model_.name
                          << " pressed and released";
            return false;
        }
        return true;
    }

    // Holds `button` down (until the pad is unplugged).
    bool hold(VirtualPad& pad, SDL_GameControllerButton button) {
        int downs_before = 0;
        {
            std::lock_guard lock(mutex_);
            downs_before = downs_[{pad.id_, button}];
        }
        pad.set(button, true);
        wake();
        std::unique_lock lock(mutex_);
        if (!changed_.wait_for(
                lock, kStepTimeout,
                [&] {
                    return downs_[{pad.id_, button}] > downs_before || returned_.load();
                }) ||
            downs_[{pad.id_, button}] == downs_before) {
            ADD_FAILURE() << "SDL never reported button " << button << " held";
            return false;
        }
        return true;
    }

    // True when every press of `pad` made with press_and_release_soon() has been reported
    // released: pressing a button again before that would go unseen (SDL sees no change).
    bool released(const VirtualPad& pad) {
        std::lock_guard lock(mutex_);
        for (const auto& [key, p] : release_soon_) {
            if (key.first == pad.id_) return false;
        }
        for (const auto& [key, downs] : downs_) {
            if (key.first != pad.id_) continue;
            const auto up = ups_.find(key);
            if (downs > (up == ups_.end() ? 0 : up->second)) return false;
        }
        return true;
    }

    // Moves an axis of `pad` (e.g. the left stick; 0 is the centre). Does not wait: SDL sees
    // it at its next pump. Render thread (inject() steps, frame steps).
    void tilt(VirtualPad& pad, SDL_GameControllerAxis axis, Sint16 value) {
        pad.set_axis(axis, value);
    }

  private:
    using PadButton = std::pair<SDL_JoystickID, int>;

    bool wait_started() {
        std::unique_lock lock(mutex_);
        if (!changed_.wait_for(lock, kStepTimeout, [&] { return started_ || returned_.load(); }) ||
            !started_) {
            ADD_FAILURE() << "the screen never started";
            return false;
        }
        return true;
    }

    void on_started() {
        render::fixture::keep_libraries_loaded();
        if (setup_.read_text) {
            std::string error;
            reader_ = TextReader::create(&error);
            EXPECT_TRUE(reader_) << "cannot read text back: " << error;
        }
        wake_event_ = SDL_RegisterEvents(1);
        SDL_AddEventWatch(&ScreenHarness::watch, this);  // SDL_Quit drops it
        {
            std::lock_guard lock(mutex_);
            started_ = true;
        }
        changed_.notify_all();
    }

    void on_frame(const ui::Screen& screen, app::Presenter& presenter) {
        Snapshot s;
        s.state = screen.state();
        s.confirm_open = screen.confirm_open();
        s.at_rest = !screen.needs_redraw();
        s.settled = screen.settled(ui::Clock::now());
        s.focus = screen.focus();
        s.digits = screen.digits_entered();
        s.device = screen.device();
        s.notice = std::string(screen.notice());
        s.url = std::string(screen.authorize_url());
        s.layout = screen.layout();
        SDL_GetWindowSize(presenter.window(), &s.window_w, &s.window_h);
        s.window_id = SDL_GetWindowID(presenter.window());
        window_id_ = s.window_id;
        if (reader_) {
            int w = 0, h = 0;
            presenter.drawable_size(w, h);
            s.text = reader_->read(screen, w, h);
        }

        std::vector<std::function<void()>> steps;
        FrameStep frame_step;
        Snapshot drawn;
        {
            std::lock_guard lock(mutex_);
            if (frames_ == 0) render::fixture::keep_libraries_loaded();  // Mesa is fully loaded now
            s.index = ++frames_;
            if (waiter_ && !matched_ && waiter_(s)) {
                matched_ = s;
                if (want_pixels_) matched_->pixels = presenter.read_pixels();
            }
            history_.push_back(std::move(s));
            const std::size_t limit = setup_.history_limit;
            if (limit > 0 && history_.size() > 2 * limit) {
                history_.erase(history_.begin(),
                               history_.end() - static_cast<std::ptrdiff_t>(limit));
            }
            steps.swap(injections_);
            frame_step = frame_step_;
            if (frame_step) drawn = history_.back();
        }
        for (auto& step : steps)
            step();
        {
            std::lock_guard lock(mutex_);
            if (!steps.empty()) {
                injected_at_ = history_.back().index;
                injected_count_ += steps.size();
            }
        }
        changed_.notify_all();
        if (frame_step) frame_step(screen, presenter, drawn);
    }

    // Runs on whichever thread pushes an event; for controller events that is the render
    // thread, inside SDL's joystick update.
    static int SDLCALL watch(void* self_ptr, SDL_Event* e) {
        auto* self = static_cast<ScreenHarness*>(self_ptr);
        switch (e->type) {
            case SDL_CONTROLLERBUTTONDOWN: {
                VirtualPad* release = nullptr;
                {
                    std::lock_guard lock(self->mutex_);
                    const PadButton key{e->cbutton.which, e->cbutton.button};
                    ++self->downs_[key];
                    if (const auto it = self->release_soon_.find(key);
                        it != self->release_soon_.end()) {
                        release = it->second;
                        self->release_soon_.erase(it);
                    }
                }
                // The next pump (the loop polls again before it draws) reports the release.
                if (release) {
                    release->set(static_cast<SDL_GameControllerButton>(e->cbutton.button), false);
                }
                self->changed_.notify_all();
                break;
            }
            case SDL_CONTROLLERBUTTONUP: {
                {
                    std::lock_guard lock(self->mutex_);
                    ++self->ups_[{e->cbutton.which, e->cbutton.button}];
                }
                self->changed_.notify_all();
                break;
            }
            case SDL_CONTROLLERDEVICEREMOVED: {
                {
                    std::lock_guard lock(self->mutex_);
                    self->removed_[e->cdevice.which] = true;
                }
                self->changed_.notify_all();
                break;
            }
            default:
                break;
        }
        return 0;
    }

    Setup setup_;
    std::ostringstream out_, err_;                   // run_screen's; read only after it returned
    std::vector<std::unique_ptr<VirtualPad>> pads_;  // added to on the render thread
    std::unique_ptr<TextReader> reader_;             // render thread only
    std::atomic<Uint32> wake_event_{SDL_USEREVENT};
    std::atomic<Uint32> window_id_{0};
    std::atomic<bool> returned_{false};

    // Never held while calling into SDL: SDL's own locks are taken in the other order.
    std::mutex mutex_;
    std::condition_variable changed_;
    bool started_ = false;
    std::uint64_t frames_ = 0;
    std::vector<Snapshot> history_;
    Predicate waiter_;
    bool want_pixels_ = false;
    std::optional<Snapshot> matched_;
    std::vector<std::function<void()>> injections_;
    FrameStep frame_step_;
    std::uint64_t injected_at_ = 0;
    std::uint64_t injected_count_ = 0;
    std::map<PadButton, int> downs_, ups_;
    std::map<PadButton, VirtualPad*> release_soon_;
    std::map<SDL_JoystickID, bool> removed_;
};

}  // namespace pinlink::test
