// The fullscreen, controller-first link screen: SDL window and event loop on the main thread,
// the PIN flow on a LinkWorker thread, ui::Screen for the logic and a Presenter for drawing.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "app/interrupt.hpp"
#include "app/link_options.hpp"
#include "app/presenter.hpp"
#include "app/tty_frontend.hpp"
#include "link/flow.hpp"
#include "ui/screen.hpp"

namespace pinlink::app {

struct ScreenArgs {
    std::optional<std::string> windowed;  // --windowed [WxH]; "" means the default size
    std::string renderer = "auto";        // auto | gl | software
    std::string font;                     // --font PATH
    std::string screenshot_dir;           // --screenshot DIR
};

void add_screen_options(CLI::App& app, ScreenArgs& args);

// Parses --windowed and --renderer. Returns an error message for a person (exit code 2).
struct ScreenConfig {
    WindowSpec window;
    RendererChoice renderer = RendererChoice::automatic;
    std::string error;
};
ScreenConfig make_screen_config(const ScreenArgs& args);

// Observation points for tests (and nothing else): both run on the render thread.
struct ScreenHooks {
    // After SDL, the window and the worker are up, before the first frame.
    std::function<void()> started;
    // After each frame is drawn and before it is presented: the screen as drawn, and the
    // presenter (read_pixels() gives the frame).
    std::function<void(const ui::Screen&, Presenter&)> frame;
};

// Runs the screen until the person links, cancels or quits. The credentials go to `out`
// (--json) and messages to `err`. `interrupts` may be null. Returns the exit code.
int run_screen(link::PinFlow& flow, const LinkOptions& options, const ScreenConfig& config,
               const ScreenArgs& args, InterruptWatcher* interrupts, const PinHint& pin_hint,
               std::ostream& out, std::ostream& err, const ScreenHooks* hooks = nullptr);

}  // namespace pinlink::app
