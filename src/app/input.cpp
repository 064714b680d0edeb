// SDL event -> ui::Action translation; see input.hpp.
#include "app/input.hpp"

namespace pinlink::app {
namespace {

using ui::Action;
using ui::ActionKind;
using ui::Device;
using ui::Direction;

std::optional<Direction> dpad_direction(Uint8 button) {
    switch (button) {
        case SDL_CONTROLLER_BUTTON_DPAD_UP: return Direction::up;
        case SDL_CONTROLLER_BUTTON_DPAD_DOWN: return Direction::down;
        case SDL_CONTROLLER_BUTTON_DPAD_LEFT: return Direction::left;
        case SDL_CONTROLLER_BUTTON_DPAD_RIGHT: return Direction::right;
        default: return std::nullopt;
    }
}

std::optional<ActionKind> button_action(Uint8 button) {
    // Bound by position (SDL_HINT_GAMECONTROLLER_USE_BUTTON_LABELS=0): A is the south button.
    switch (button) {
        case SDL_CONTROLLER_BUTTON_A: return ActionKind::activate;
        case SDL_CONTROLLER_BUTTON_B: return ActionKind::back;
        case SDL_CONTROLLER_BUTTON_X: return ActionKind::clear;
        case SDL_CONTROLLER_BUTTON_Y: return ActionKind::new_code;
        case SDL_CONTROLLER_BUTTON_START: return ActionKind::submit;
        default: return std::nullopt;
    }
}

std::optional<int> key_digit(SDL_Keycode key) {
    if (key >= SDLK_0 && key <= SDLK_9) return static_cast<int>(key - SDLK_0);
    if (key >= SDLK_KP_1 && key <= SDLK_KP_9) return static_cast<int>(key - SDLK_KP_1) + 1;
    if (key == SDLK_KP_0) return 0;
    return std::nullopt;
}

}  // namespace

Device device_for(SDL_GameControllerType type) {
    switch (type) {
        case SDL_CONTROLLER_TYPE_XBOX360:
        case SDL_CONTROLLER_TYPE_XBOXONE: return Device::xbox;
        case SDL_CONTROLLER_TYPE_PS3:
        case SDL_CONTROLLER_TYPE_PS4:
        case SDL_CONTROLLER_TYPE_PS5: return Device::playstation;
        case SDL_CONTROLLER_TYPE_NINTENDO_SWITCH_PRO:
        case SDL_CONTROLLER_TYPE_NINTENDO_SWITCH_JOYCON_LEFT:
        case SDL_CONTROLLER_TYPE_NINTENDO_SWITCH_JOYCON_RIGHT:
        case SDL_CONTROLLER_TYPE_NINTENDO_SWITCH_JOYCON_PAIR: return Device::nintendo;
        default: return Device::gamepad;
    }
}

InputTranslator::~InputTranslator() {
    for (auto& [id, pad] : controllers_) SDL_GameControllerClose(pad.controller);
}

std::optional<Device> InputTranslator::open_existing() {
    std::optional<Device> first;
    for (int i = 0; i < SDL_NumJoysticks(); ++i) {
        if (!SDL_IsGameController(i)) continue;
        open(i);
        const SDL_JoystickID id = SDL_JoystickGetDeviceInstanceID(i);
        if (!first && controllers_.count(id)) first = controllers_.at(id).device;
    }
    hotplugged_.reset();
    return first;
}

void InputTranslator::open(int device_index) {
    const SDL_JoystickID id = SDL_JoystickGetDeviceInstanceID(device_index);
    if (id < 0 || controllers_.count(id)) return;
    SDL_GameController* c = SDL_GameControllerOpen(device_index);
    if (!c) return;  // not a usable controller; ignore it rather than fail the screen
    Pad pad;
    pad.controller = c;
    pad.device = device_for(SDL_GameControllerGetType(c));
    hotplugged_ = pad.device;
    controllers_.emplace(id, pad);
}

void InputTranslator::close(SDL_JoystickID id) {
    const auto it = controllers_.find(id);
    if (it == controllers_.end()) return;
    SDL_GameControllerClose(it->second.controller);
    controllers_.erase(it);
    // Whatever that pad held is no longer held; digits already typed stay where they are.
    dpad_.reset();
    stick_.reset();
}

Device InputTranslator::device_of(SDL_JoystickID id) const {
    const auto it = controllers_.find(id);
    return it == controllers_.end() ? Device::gamepad : it->second.device;
}

void InputTranslator::release_all() {
    dpad_.reset();
    stick_.reset();
    for (auto& [id, pad] : controllers_) pad.stick = {};
}

void InputTranslator::translate(const SDL_Event& e, ui::TimePoint now, float scale_x,
                                float scale_y, int drawable_w, int drawable_h,
                                std::vector<Action>& out) {
    switch (e.type) {
        case SDL_CONTROLLERDEVICEADDED: open(e.cdevice.which); break;
        case SDL_CONTROLLERDEVICEREMOVED: close(e.cdevice.which); break;

        case SDL_CONTROLLERBUTTONDOWN: {
            const Device device = device_of(e.cbutton.which);
            if (const auto d = dpad_direction(e.cbutton.button)) {
                out.push_back(Action::move(*d, device));
                dpad_.press(*d, now);
                dpad_device_ = device;
            } else if (const auto a = button_action(e.cbutton.button)) {
                out.push_back(Action::make(*a, device));
            }
            break;
        }
        case SDL_CONTROLLERBUTTONUP:
            if (const auto d = dpad_direction(e.cbutton.button)) dpad_.release(*d);
            break;

        case SDL_CONTROLLERAXISMOTION: {
            if (e.caxis.axis != SDL_CONTROLLER_AXIS_LEFTX && e.caxis.axis != SDL_CONTROLLER_AXIS_LEFTY) {
                break;
            }
            const auto it = controllers_.find(e.caxis.which);
            if (it == controllers_.end()) break;
            SDL_GameController* c = it->second.controller;
            const float x = ui::StickDirection::axis_unit(
                SDL_GameControllerGetAxis(c, SDL_CONTROLLER_AXIS_LEFTX));
            const float y = ui::StickDirection::axis_unit(
                SDL_GameControllerGetAxis(c, SDL_CONTROLLER_AXIS_LEFTY));
            const auto change = it->second.stick.update(x, y);
            if (change.released) stick_.release(*change.released);
            if (change.pressed) {
                out.push_back(Action::move(*change.pressed, it->second.device));
                stick_.press(*change.pressed, now);
                stick_device_ = it->second.device;
            }
            break;
        }

        case SDL_KEYDOWN: {
            const SDL_Keycode key = e.key.keysym.sym;
            const bool repeat = e.key.repeat != 0;
            const bool ctrl = (e.key.keysym.mod & KMOD_CTRL) != 0;
            if (ctrl && key == SDLK_v) {
                if (char* text = SDL_GetClipboardText()) {
                    out.push_back(Action::paste_text(text));
                    SDL_free(text);
                }
                break;
            }
            if (const auto digit = key_digit(key)) {
                if (!repeat) out.push_back(Action::enter_digit(*digit, Device::keyboard));
                break;
            }
            switch (key) {
                case SDLK_UP: out.push_back(Action::move(Direction::up, Device::keyboard, repeat)); break;
                case SDLK_DOWN: out.push_back(Action::move(Direction::down, Device::keyboard, repeat)); break;
                case SDLK_LEFT: out.push_back(Action::move(Direction::left, Device::keyboard, repeat)); break;
                case SDLK_RIGHT: out.push_back(Action::move(Direction::right, Device::keyboard, repeat)); break;
                case SDLK_RETURN:
                case SDLK_KP_ENTER:
                    if (!repeat) out.push_back(Action::make(ActionKind::activate, Device::keyboard));
                    break;
                case SDLK_BACKSPACE:
                    out.push_back(Action::make(ActionKind::backspace, Device::keyboard, repeat));
                    break;
                case SDLK_ESCAPE:
                    if (!repeat) out.push_back(Action::make(ActionKind::back, Device::keyboard));
                    break;
                case SDLK_DELETE:
                    if (!repeat) out.push_back(Action::make(ActionKind::clear, Device::keyboard));
                    break;
                case SDLK_F5:
                    if (!repeat) out.push_back(Action::make(ActionKind::new_code, Device::keyboard));
                    break;
                default: break;
            }
            break;
        }

        case SDL_MOUSEMOTION:
            if (e.motion.which == SDL_TOUCH_MOUSEID) break;  // touch arrives as finger events
            out.push_back(Action::pointer(ActionKind::pointer_move,
                                          static_cast<float>(e.motion.x) * scale_x,
                                          static_cast<float>(e.motion.y) * scale_y));
            break;
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEBUTTONUP:
            if (e.button.which == SDL_TOUCH_MOUSEID || e.button.button != SDL_BUTTON_LEFT) break;
            out.push_back(Action::pointer(
                e.type == SDL_MOUSEBUTTONDOWN ? ActionKind::pointer_press : ActionKind::pointer_release,
                static_cast<float>(e.button.x) * scale_x, static_cast<float>(e.button.y) * scale_y));
            break;

        case SDL_FINGERDOWN:
        case SDL_FINGERUP:
        case SDL_FINGERMOTION: {
            const ActionKind kind = e.type == SDL_FINGERDOWN   ? ActionKind::pointer_press
                                    : e.type == SDL_FINGERUP ? ActionKind::pointer_release
                                                             : ActionKind::pointer_move;
            out.push_back(Action::pointer(kind, e.tfinger.x * static_cast<float>(drawable_w),
                                          e.tfinger.y * static_cast<float>(drawable_h)));
            break;
        }
        default: break;
    }
}

void InputTranslator::repeats(ui::TimePoint now, std::vector<Action>& out) {
    if (const auto d = dpad_.poll(now)) out.push_back(Action::move(*d, dpad_device_, true));
    if (const auto d = stick_.poll(now)) out.push_back(Action::move(*d, stick_device_, true));
}

std::optional<ui::TimePoint> InputTranslator::next_deadline() const {
    const auto a = dpad_.next_deadline();
    const auto b = stick_.next_deadline();
    if (a && b) return std::min(*a, *b);
    return a ? a : b;
}

}  // namespace pinlink::app
