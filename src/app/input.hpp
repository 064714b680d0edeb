// Turns SDL input events into the screen's one set of actions: gamepad (SDL GameController,
// hotplug, D-pad and left stick with hold-to-repeat), keyboard, mouse and touch. Knows which
// kind of controller each event came from, so the hint bar can show the right glyphs.
// Render thread only.
#pragma once

#include <SDL.h>

#include <map>
#include <optional>
#include <vector>

#include "ui/actions.hpp"
#include "ui/nav_repeat.hpp"

namespace pinlink::app {

// The controller family from SDL's type (which it derives from the USB vendor and product ids).
ui::Device device_for(SDL_GameControllerType type);

class InputTranslator {
public:
    InputTranslator() = default;
    ~InputTranslator();  // closes every open controller
    InputTranslator(const InputTranslator&) = delete;
    InputTranslator& operator=(const InputTranslator&) = delete;

    // Opens controllers already connected (SDL also sends DEVICEADDED for them at startup;
    // opening twice is harmless). Returns the device of the first one, if any.
    std::optional<ui::Device> open_existing();

    // Appends the actions `event` stands for. `scale_x/scale_y` turn window coordinates into
    // drawable (physical) pixels for mouse events; touch uses `drawable_w/h` directly.
    void translate(const SDL_Event& event, ui::TimePoint now, float scale_x, float scale_y,
                   int drawable_w, int drawable_h, std::vector<ui::Action>& out);

    // Hold-to-repeat moves due at `now`.
    void repeats(ui::TimePoint now, std::vector<ui::Action>& out);
    // The earliest pending repeat, if something is held.
    std::optional<ui::TimePoint> next_deadline() const;

    // A controller was plugged in since the last call: its device (for the hint glyphs).
    std::optional<ui::Device> take_hotplug() {
        auto d = hotplugged_;
        hotplugged_.reset();
        return d;
    }
    // Forget held directions (window lost focus).
    void release_all();
    int open_controllers() const { return static_cast<int>(controllers_.size()); }

private:
    struct Pad {
        SDL_GameController* controller = nullptr;
        ui::Device device = ui::Device::gamepad;
        ui::StickDirection stick;
    };
    void open(int device_index);
    void close(SDL_JoystickID id);
    ui::Device device_of(SDL_JoystickID id) const;

    std::map<SDL_JoystickID, Pad> controllers_;
    // One repeater per source, so releasing one never stops another.
    ui::NavRepeat dpad_;
    ui::NavRepeat stick_;
    ui::Device dpad_device_ = ui::Device::gamepad;
    ui::Device stick_device_ = ui::Device::gamepad;
    std::optional<ui::Device> hotplugged_;
};

}  // namespace pinlink::app
