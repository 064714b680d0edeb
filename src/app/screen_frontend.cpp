// The link screen's event loop; see screen_frontend.hpp.
#include "app/screen_frontend.hpp"

#include <SDL.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <future>

#include "app/event_wait.hpp"
#include "app/input.hpp"
#include "app/link_worker.hpp"
#include "app/prewarm.hpp"
#include "link/credentials.hpp"
#include "render/common/image.hpp"
#include "ui/screen.hpp"
#include "ui/theme.hpp"

namespace pinlink::app {
namespace {

using namespace std::chrono_literals;
using ui::TimePoint;

// The GL background moves for this long after the last input, then holds still, so a kiosk
// left on the Code screen costs almost nothing.
constexpr auto kBackgroundActive = 10s;
constexpr auto kFrameInterval = 16ms;  // a cap when the driver offers no vsync
// Request tokens expire; a code left on screen this long without digits is replaced silently.
constexpr auto kCodeRefresh = 10min;

const char* state_file(ui::State s) {
    switch (s) {
        case ui::State::connecting: return "connecting.png";
        case ui::State::code: return "code.png";
        case ui::State::linking: return "linking.png";
        case ui::State::linked: return "linked.png";
        case ui::State::problem: return "problem.png";
    }
    return "screen.png";
}

// The drawable size the window will most likely have: the desktop's for fullscreen, else the
// asked-for size (HiDPI scaling is only known once the window exists). {0, 0} if unknown.
std::pair<int, int> expected_drawable(const WindowSpec& spec) {
    if (!spec.fullscreen) return {spec.width, spec.height};
    SDL_DisplayMode mode{};
    if (SDL_GetDesktopDisplayMode(0, &mode) != 0) return {0, 0};
    return {mode.w, mode.h};
}

ui::ProblemView problem_view(const link::LinkError& e) {
    ui::ProblemView v;
    v.title = e.title();
    v.next_step = e.next_step(link::system_clock_now());
    std::string detail = e.detail();
    if (!e.provider.message.empty()) {
        detail = detail.empty() ? e.provider.message : e.provider.message + " · " + detail;
    }
    v.detail = detail;
    v.retry_allowed = e.kind != link::ErrorKind::app_suspended &&
                      e.kind != link::ErrorKind::save_failed;
    return v;
}

class ScreenLoop {
public:
    // `worker` has been asked for the first code already (run_screen does it before the window
    // exists) and outlives the loop.
    ScreenLoop(LinkWorker& worker, const LinkOptions& options, const ScreenArgs& args,
               Presenter& presenter, render::GlyphAtlas& atlas, EventWaiter& waiter,
               Uint32 wake_event, std::ostream& out, std::ostream& err, const ScreenHooks* hooks)
        : options_(options),
          out_(out),
          err_(err),
          hooks_(hooks),
          args_(args),
          presenter_(presenter),
          atlas_(atlas),
          waiter_(waiter),
          wake_event_(wake_event),
          screen_(screen_options()),
          worker_(worker) {
        // Hints for the controller already connected; keyboard keys when there is none.
        screen_.set_device(input_.open_existing().value_or(ui::Device::keyboard));
    }

    int run();
    // The first frame was the backdrop make_presenter presented at `when`.
    void trace_first_frame(std::chrono::steady_clock::time_point when) {
        if (traced_first_) return;
        trace_mark("first-frame", when);
        traced_first_ = true;
    }

private:
    static ui::ScreenOptions screen_options() {
        ui::ScreenOptions o;
        o.pin_reveal = 0ms;  // the PIN never appears on screen: dots only
        return o;
    }

    void handle_event(const SDL_Event& e, TimePoint now);
    void handle_worker(TimePoint now);
    void carry_out_commands(TimePoint now);
    void draw(TimePoint now);
    std::optional<TimePoint> next_wake(TimePoint now) const;
    bool background_moving(TimePoint now) const {
        return presenter_.animated_background() && now - last_input_ < kBackgroundActive;
    }

    void trace_presented();
    // "pinlink: trace <what> <steady_clock ns>" on stderr, with PINLINK_TRACE only.
    void trace_mark(const char* what,
                    std::chrono::steady_clock::time_point when = std::chrono::steady_clock::now()) {
        if (!trace_) return;
        err_ << "pinlink: trace " << what << " "
             << std::chrono::duration_cast<std::chrono::nanoseconds>(when.time_since_epoch())
                    .count()
             << std::endl;
    }

    const LinkOptions& options_;
    std::ostream& out_;
    std::ostream& err_;
    const ScreenHooks* hooks_;
    // PINLINK_TRACE=1: one stderr line each when the first frame is presented, the loop is
    // ready, the first code comes in and the first Code frame (the QR code) is presented, with
    // steady_clock in ns, for scripts/bench (docs/performance.md).
    const bool trace_ = std::getenv("PINLINK_TRACE") != nullptr;
    bool traced_first_ = false, traced_code_ = false, traced_code_in_ = false;
    const ScreenArgs& args_;
    Presenter& presenter_;
    render::GlyphAtlas& atlas_;
    EventWaiter& waiter_;
    Uint32 wake_event_;
    ui::Screen screen_;
    InputTranslator input_;
    ui::DrawList list_;
    std::vector<ui::Action> actions_;

    TimePoint start_ = ui::Clock::now();
    TimePoint last_input_ = start_;
    TimePoint last_frame_{};
    TimePoint code_shown_{};
    bool force_redraw_ = true;
    std::array<bool, 5> captured_{};

    enum class Step { code, pin } pending_ = Step::code;
    std::string last_pin_;
    bool linked_ = false;
    int linked_exit_ = kLinked;
    std::optional<int> exit_code_;
    LinkWorker& worker_;
};

void ScreenLoop::handle_worker(TimePoint now) {
    while (auto e = worker_.poll()) {
        switch (e->kind) {
            case WorkerEvent::Kind::code_ready: {
                ui::CodeView v;
                v.authorize_url = e->authorize_url;
                v.pin_hint = e->pin_hint;
                v.notice = !e->after_rejection ? ui::CodeNotice::none
                           : e->code_expired   ? ui::CodeNotice::code_expired
                                               : ui::CodeNotice::pin_rejected;
                if (!traced_code_in_) trace_mark("code");
                traced_code_in_ = true;
                screen_.show_code(std::move(v), now);
                code_shown_ = now;
                pending_ = Step::pin;
                break;
            }
            case WorkerEvent::Kind::linked: {
                linked_ = true;
                // Hand the credentials over at once: a launcher may read them before we close.
                linked_exit_ = deliver_credentials(options_, e->token, out_, err_);
                if (linked_exit_ != kLinked) {
                    link::LinkError save_error;
                    save_error.kind = link::ErrorKind::save_failed;
                    screen_.show_problem(problem_view(save_error), now);
                } else {
                    screen_.show_linked({e->token.screen_name, e->token.name}, now);
                }
                break;
            }
            case WorkerEvent::Kind::failed:
                if (e->error.kind == link::ErrorKind::cancelled) break;
                screen_.show_problem(problem_view(e->error), now);
                break;
        }
    }
}

void ScreenLoop::carry_out_commands(TimePoint now) {
    for (auto& c : screen_.take_commands()) {
        switch (c.kind) {
            case ui::Command::Kind::submit_pin:
                last_pin_ = c.pin;
                worker_.submit_pin(std::move(c.pin));
                break;
            case ui::Command::Kind::new_code:
                pending_ = Step::code;
                worker_.request_code();
                break;
            case ui::Command::Kind::retry:
                // Repeat the step that failed: the PIN may still be good if it never arrived.
                if (pending_ == Step::pin && !last_pin_.empty()) {
                    screen_.show_linking(now);
                    worker_.submit_pin(last_pin_);
                } else {
                    worker_.request_code();
                }
                break;
            case ui::Command::Kind::cancel_link: worker_.cancel(); break;
            case ui::Command::Kind::quit:
                worker_.cancel();
                exit_code_ = linked_ ? linked_exit_ : c.exit_code;
                break;
        }
    }
}

void ScreenLoop::handle_event(const SDL_Event& e, TimePoint now) {
    if (e.type == wake_event_) {
        handle_worker(now);
        return;
    }
    switch (e.type) {
        case SDL_QUIT:
            worker_.cancel();
            exit_code_ = linked_ ? linked_exit_ : kCancelled;
            return;
        case SDL_WINDOWEVENT:
            if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) atlas_.reset();
            if (e.window.event == SDL_WINDOWEVENT_FOCUS_LOST) input_.release_all();
            force_redraw_ = true;
            return;
        case SDL_RENDER_TARGETS_RESET:
        case SDL_RENDER_DEVICE_RESET: force_redraw_ = true; return;
        case SDL_KEYDOWN:
            if (e.key.keysym.sym == SDLK_F11 && !e.key.repeat) {
                const bool fs = (SDL_GetWindowFlags(presenter_.window()) & SDL_WINDOW_FULLSCREEN) != 0;
                SDL_SetWindowFullscreen(presenter_.window(), fs ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
                force_redraw_ = true;
                return;
            }
            break;
        default: break;
    }

    int dw = 0, dh = 0, ww = 0, wh = 0;
    presenter_.drawable_size(dw, dh);
    SDL_GetWindowSize(presenter_.window(), &ww, &wh);
    const float sx = ww > 0 ? static_cast<float>(dw) / static_cast<float>(ww) : 1.0f;
    const float sy = wh > 0 ? static_cast<float>(dh) / static_cast<float>(wh) : 1.0f;
    actions_.clear();
    input_.translate(e, now, sx, sy, dw, dh, actions_);
    if (auto plugged = input_.take_hotplug()) screen_.set_device(*plugged);
    for (const auto& a : actions_) {
        if (a.kind != ui::ActionKind::pointer_move) last_input_ = now;
        screen_.handle(a, now);
    }
}

void ScreenLoop::draw(TimePoint now) {
    int w = 0, h = 0;
    presenter_.drawable_size(w, h);
    if (w <= 0 || h <= 0) return;
    const auto layout_before = atlas_.layout_generation();
    screen_.build(list_, atlas_, w, h, now);
    // The atlas grew or started over during the build: uvs handed out earlier are stale, and a
    // second pass finds every glyph cached.
    if (atlas_.layout_generation() != layout_before) screen_.build(list_, atlas_, w, h, now);

    const TimePoint frozen = std::min(now, last_input_ + kBackgroundActive);
    std::optional<double> background;
    if (presenter_.animated_background()) {
        background = std::chrono::duration<double>(frozen - start_).count();
    }
    if (auto error = presenter_.draw(list_, atlas_, background); !error.empty()) {
        err_ << "pinlink: drawing failed: " << error << "\n";
    }
    const auto state = static_cast<std::size_t>(screen_.state());
    if (!args_.screenshot_dir.empty() && !captured_[state] && screen_.settled(now) &&
        !screen_.confirm_open()) {
        captured_[state] = true;
        const auto path = std::filesystem::path(args_.screenshot_dir) / state_file(screen_.state());
        const auto image = presenter_.read_pixels();
        const auto written = render::write_png(image, path.string());
        if (!written) err_ << "pinlink: screenshot failed: " << written.message << "\n";
    }
    if (hooks_ && hooks_->frame) hooks_->frame(screen_, presenter_);
    presenter_.present();
    if (trace_) trace_presented();
    last_frame_ = now;
    force_redraw_ = false;
}

void ScreenLoop::trace_presented() {
    const auto now = std::chrono::steady_clock::now();
    trace_first_frame(now);
    if (!traced_code_ && screen_.state() == ui::State::code) {
        trace_mark("qr", now);
        traced_code_ = true;
    }
}

std::optional<TimePoint> ScreenLoop::next_wake(TimePoint now) const {
    std::optional<TimePoint> wake = screen_.next_wake(now);
    auto earliest = [&wake](TimePoint t) { wake = wake ? std::min(*wake, t) : t; };
    if (const auto r = input_.next_deadline()) earliest(*r);
    if (background_moving(now)) earliest(now);
    if (screen_.state() == ui::State::code && screen_.digits_entered() == 0) {
        earliest(code_shown_ + kCodeRefresh);
    }
    // Never faster than the frame cap.
    if (wake && *wake < last_frame_ + kFrameInterval && (screen_.needs_redraw() || background_moving(now))) {
        wake = last_frame_ + kFrameInterval;
    }
    return wake;
}

int ScreenLoop::run() {
    if (hooks_ && hooks_->started) hooks_->started();
    trace_mark("ready");
    TimePoint now = ui::Clock::now();
    screen_.show_connecting(now);  // the code requested by run_screen may already be waiting
    while (!exit_code_) {
        now = ui::Clock::now();
        const auto wake = next_wake(now);
        SDL_Event e;
        bool got = false;
        if (!wake) {
            got = waiter_.wait(e, std::nullopt);
        } else {
            const auto ms = std::chrono::ceil<std::chrono::milliseconds>(*wake - now);
            got = ms.count() <= 0 ? SDL_PollEvent(&e) == 1 : waiter_.wait(e, std::min(ms, 1000ms));
        }
        now = ui::Clock::now();
        if (got) {
            handle_event(e, now);
            while (!exit_code_ && SDL_PollEvent(&e)) handle_event(e, now);
        }
        actions_.clear();
        input_.repeats(now, actions_);
        for (const auto& a : actions_) {
            last_input_ = now;
            screen_.handle(a, now);
        }
        screen_.tick(now);
        if (screen_.state() == ui::State::code && screen_.digits_entered() == 0 &&
            now - code_shown_ >= kCodeRefresh && !worker_.busy()) {
            code_shown_ = now;  // the fresh code replaces this one without asking
            worker_.request_code();
        }
        carry_out_commands(now);
        if (exit_code_) break;
        if (force_redraw_ || screen_.needs_redraw() || background_moving(now)) {
            if (now - last_frame_ >= kFrameInterval || force_redraw_ || !screen_.animating(now)) draw(now);
        }
    }
    return *exit_code_;
}

bool parse_size(const std::string& text, int& w, int& h) {
    const auto x = text.find_first_of("xX");
    if (x == std::string::npos) return false;
    try {
        std::size_t used = 0;
        w = std::stoi(text.substr(0, x), &used);
        if (used != x) return false;
        const std::string rest = text.substr(x + 1);
        h = std::stoi(rest, &used);
        if (used != rest.size()) return false;
    } catch (const std::exception&) {
        return false;
    }
    return w >= 320 && h >= 240 && w <= 16384 && h <= 16384;
}

}  // namespace

void add_screen_options(CLI::App& app, ScreenArgs& args) {
    app.add_option("--windowed", args.windowed,
                   "Run in a window instead of fullscreen, optionally of size WxH (default 1280x720)")
        ->expected(0, 1)
        ->default_str("")
        ->type_name("[WxH]");
    app.add_option("--renderer", args.renderer,
                   "auto (OpenGL, falling back to SDL_Renderer), gl, or software (SDL_Renderer's "
                   "software driver)")
        ->check(CLI::IsMember({"auto", "gl", "software"}))
        ->type_name("auto|gl|software");
    app.add_option("--font", args.font, "Use this TTF/OTF file for the interface text")
        ->type_name("PATH");
    app.add_option("--screenshot", args.screenshot_dir,
                   "Save a PNG of each screen the first time it is fully shown into DIR "
                   "(connecting.png, code.png, linking.png, linked.png, problem.png)")
        ->type_name("DIR");
}

ScreenConfig make_screen_config(const ScreenArgs& args) {
    ScreenConfig c;
    if (args.windowed) {
        c.window.fullscreen = false;
        if (!args.windowed->empty() && !parse_size(*args.windowed, c.window.width, c.window.height)) {
            c.error = "--windowed " + *args.windowed +
                      ": give the size as WIDTHxHEIGHT, e.g. 1920x1080 (at least 320x240).";
        }
    }
    if (args.renderer == "gl") c.renderer = RendererChoice::gl;
    if (args.renderer == "software") c.renderer = RendererChoice::software;
    if (!args.screenshot_dir.empty() && !std::filesystem::is_directory(args.screenshot_dir)) {
        c.error = "--screenshot " + args.screenshot_dir + " is not a folder.";
    }
    return c;
}

int run_screen(link::PinFlow& flow, const LinkOptions& options, const ScreenConfig& config,
               const ScreenArgs& args, InterruptWatcher* interrupts, const PinHint& pin_hint,
               std::ostream& out, std::ostream& err, const ScreenHooks* hooks) {
    // Buttons by position, so one binding table serves every controller (see ui/actions.hpp).
    SDL_SetHint(SDL_HINT_GAMECONTROLLER_USE_BUTTON_LABELS, "0");
    // Signals belong to the interrupt watcher, which turns them into SDL_QUIT below.
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    // Controllers are opened once the window shows its backdrop (below): enumerating them
    // (udev, hidraw) is a few ms the first frame need not wait for.
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        err << "pinlink: no display is available (" << SDL_GetError()
                  << "). Use --tty for the terminal front end.\n";
        return kFailed;
    }
    int code = kFailed;
    {
        // On a Steam Deck, text input would open the system keyboard over the digit pad.
        SDL_StopTextInput();
        const Uint32 wake_event = SDL_RegisterEvents(1);
        EventWaiter waiter;  // outlives the worker and the interrupt handler, which wake it
        // Destroyed before SDL_Quit (it wakes the loop with SDL events).
        auto worker = std::make_unique<LinkWorker>(
            flow,
            [&waiter, wake_event] {
                SDL_Event e{};
                e.type = wake_event;
                waiter.push(e);
            },
            pin_hint);
        // The code request and the prewarm overlap the making of the window, except where that
        // loads a GL driver (Mesa and LLVM: 26 ms of one core here). There the first frame goes
        // first: libcurl's load would wait on the dynamic loader's lock the driver holds, and
        // the driver loads slower with the prewarm beside it on a small machine. The QR code
        // comes a little later for it (docs/performance.md, startup).
        const bool window_first = config.renderer != RendererChoice::software;
        if (!window_first) worker->request_code();
        // The fonts load and the first screen's glyphs rasterise on a helper thread; FreeType is
        // only touched by that thread until get().
        render::AtlasOptions atlas_options;
        atlas_options.ui_font_path = args.font;
        auto start_prewarm = [&] {
            return std::async(std::launch::async,
                              [atlas_options, size = expected_drawable(config.window),
                               text = prewarm_text(flow, static_cast<bool>(pin_hint))] {
                                  auto made_atlas = render::GlyphAtlas::create(atlas_options);
                                  if (made_atlas) {
                                      prewarm_atlas(*made_atlas.atlas, size.first, size.second,
                                                    text);
                                  }
                                  return made_atlas;
                              });
        };
        std::future<render::AtlasResult> atlas_job;
        if (!window_first) atlas_job = start_prewarm();
        WindowSpec window = config.window;
        window.first_clear = ui::Color{
            static_cast<std::uint8_t>((ui::theme::bg_top.r + ui::theme::bg_bottom.r) / 2),
            static_cast<std::uint8_t>((ui::theme::bg_top.g + ui::theme::bg_bottom.g) / 2),
            static_cast<std::uint8_t>((ui::theme::bg_top.b + ui::theme::bg_bottom.b) / 2), 255};
        auto made = make_presenter(config.renderer, window);
        if (!made.presenter) {
            err << "pinlink: cannot open the screen: " << made.error
                      << ". Use --tty for the terminal front end.\n";
            worker.reset();
            if (atlas_job.valid()) atlas_job.wait();
            SDL_Quit();
            return kFailed;
        }
        if (window_first) {
            worker->request_code();
            atlas_job = start_prewarm();
        }
        if (!made.notice.empty()) err << made.notice << "\n";
        if (SDL_InitSubSystem(SDL_INIT_GAMECONTROLLER) != 0) {
            err << "pinlink: controllers are not available (" << SDL_GetError()
                << "); the keyboard still works.\n";
        }
        auto atlas = atlas_job.get();
        if (atlas && made.presenter->max_texture_size() < atlas_options.max_height) {
            // A driver with small textures (GLES 3 promises only 2048): start again within them.
            atlas_options.max_height = made.presenter->max_texture_size();
            atlas = render::GlyphAtlas::create(atlas_options);
        }
        if (!atlas) {
            err << "pinlink: " << atlas.message << "\n";
            worker.reset();
            made.presenter.reset();
            SDL_Quit();
            return kUsage;
        }
        if (interrupts) {
            interrupts->set_handler([&waiter] {
                SDL_Event e{};
                e.type = SDL_QUIT;
                waiter.push(e);
            });
        }
        {
            ScreenLoop loop(*worker, options, args, *made.presenter, *atlas.atlas, waiter,
                            wake_event, out, err, hooks);
            if (made.first_clear_presented) loop.trace_first_frame(*made.first_clear_presented);
            code = loop.run();
        }
        worker.reset();  // cancels what is in flight and joins within about 100 ms
        if (interrupts) interrupts->set_handler({});
        made.presenter.reset();
    }
    SDL_Quit();
    return code;
}

}  // namespace pinlink::app
