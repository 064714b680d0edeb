// The screen gallery (see screen_gallery.hpp): a table of shots, each a short script of what the
// app and the person do, played against a real ui::Screen on simulated time and drawn by a real
// render backend.
#include "screen_gallery.hpp"

#include <SDL.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <utility>

#include "link/error.hpp"
#include "net/http.hpp"
#include "render/common/image.hpp"
#include "render/gl/gl_backend.hpp"
#include "render/gl/gl_window.hpp"
#include "render/sdl/sdl_backend.hpp"
#include "render/text/glyph_atlas.hpp"
#include "ui/screen.hpp"

namespace pinlink::tools {

namespace {

using namespace std::chrono_literals;
using ui::Action;
using ui::ActionKind;
using ui::Device;
using ui::TimePoint;

// --- Backends ----------------------------------------------------------------------------------

// Draws a list and gives the picture back.
class Canvas {
  public:
    virtual ~Canvas() = default;
    virtual int max_texture_size() const = 0;
    // Empty on success.
    virtual std::string draw(const ui::DrawList& list, render::GlyphAtlas& atlas,
                             render::Image& out) = 0;
};

class GlCanvas final : public Canvas {
  public:
    static std::unique_ptr<GlCanvas> create(int width, int height, std::string& error) {
        render::GlWindowOptions options;
        options.title = "pinlink screens";
        options.width = width;
        options.height = height;
        options.window_flags = SDL_WINDOW_HIDDEN;
        options.vsync = false;
        render::GlWindowResult window = render::GlWindow::create(options);
        if (!window) {
            error = "no OpenGL context: " + window.status.message;
            return nullptr;
        }
        int dw = 0, dh = 0;
        window.window->drawable_size(&dw, &dh);
        if (dw != width || dh != height) {
            error = "the GL drawable is " + std::to_string(dw) + "x" + std::to_string(dh) +
                    ", not " + std::to_string(width) + "x" + std::to_string(height);
            return nullptr;
        }
        render::GlBackendResult backend = render::GlBackend::create();
        if (!backend) {
            error = "GL backend: " + std::string(render::to_string(backend.status.error)) + ": " +
                    backend.status.message;
            return nullptr;
        }
        return std::unique_ptr<GlCanvas>(
            new GlCanvas(std::move(window.window), std::move(backend.backend)));
    }
    ~GlCanvas() override {
        window_->make_current();
        backend_.reset();  // GL objects go while their context is current
    }

    int max_texture_size() const override { return backend_->max_texture_size(); }
    std::string draw(const ui::DrawList& list, render::GlyphAtlas& atlas,
                     render::Image& out) override {
        // As the app draws it: the animated background on, at its resting phase.
        render::GlFrame frame;
        frame.background = true;
        const render::GlStatus status = backend_->render(list, &atlas, frame);
        if (!status) return "GL: " + status.message;
        out = backend_->read_pixels();
        window_->swap();
        return {};
    }

  private:
    GlCanvas(std::unique_ptr<render::GlWindow> window, std::unique_ptr<render::GlBackend> backend)
        : window_(std::move(window)), backend_(std::move(backend)) {}

    std::unique_ptr<render::GlWindow> window_;
    std::unique_ptr<render::GlBackend> backend_;
};

// SDL's software renderer on a plain surface: the same rasteriser `--renderer software` uses,
// without needing a window of the requested size.
class SoftwareCanvas final : public Canvas {
  public:
    static std::unique_ptr<SoftwareCanvas> create(int width, int height, std::string& error) {
        SDL_Surface* surface =
            SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_RGBA32);
        if (surface == nullptr) {
            error = std::string("cannot make a surface: ") + SDL_GetError();
            return nullptr;
        }
        SDL_Renderer* renderer = SDL_CreateSoftwareRenderer(surface);
        if (renderer == nullptr) {
            error = std::string("cannot make a software renderer: ") + SDL_GetError();
            SDL_FreeSurface(surface);
            return nullptr;
        }
        render::SdlBackendResult backend = render::SdlBackend::create(renderer);
        if (!backend) {
            error = "SDL backend: " + backend.status.message;
            SDL_DestroyRenderer(renderer);
            SDL_FreeSurface(surface);
            return nullptr;
        }
        return std::unique_ptr<SoftwareCanvas>(
            new SoftwareCanvas(surface, renderer, std::move(backend.backend)));
    }
    ~SoftwareCanvas() override {
        backend_.reset();
        SDL_DestroyRenderer(renderer_);
        SDL_FreeSurface(surface_);
    }
    SoftwareCanvas(const SoftwareCanvas&) = delete;
    SoftwareCanvas& operator=(const SoftwareCanvas&) = delete;

    int max_texture_size() const override { return backend_->max_texture_size(); }
    std::string draw(const ui::DrawList& list, render::GlyphAtlas& atlas,
                     render::Image& out) override {
        const render::SdlStatus status = backend_->render(list, &atlas);
        if (!status) return "SDL_Renderer: " + status.message;
        render::SdlReadResult read = backend_->read_pixels();
        if (!read) return "SDL_Renderer read-back: " + read.status.message;
        out = std::move(read.image);
        return {};
    }

  private:
    SoftwareCanvas(SDL_Surface* surface, SDL_Renderer* renderer,
                   std::unique_ptr<render::SdlBackend> backend)
        : surface_(surface), renderer_(renderer), backend_(std::move(backend)) {}

    SDL_Surface* surface_;
    SDL_Renderer* renderer_;
    std::unique_ptr<render::SdlBackend> backend_;
};

// --- Playing a script against the screen -------------------------------------------------------

constexpr auto frame_interval = 16ms;
constexpr auto between_presses = 250ms;  // a person's pace: every press animation has ended
constexpr auto settle_limit = 10s;

// One screen on simulated time, built every frame like the app's loop does.
class Stage {
  public:
    Stage(ui::Screen& screen, std::chrono::milliseconds pin_reveal, render::GlyphAtlas& atlas,
          int width, int height, TimePoint start)
        : screen_(screen),
          pin_reveal_(pin_reveal),
          atlas_(atlas),
          width_(width),
          height_(height),
          now_(start) {}

    ui::Screen& screen() { return screen_; }
    TimePoint now() const { return now_; }
    const ui::DrawList& list() const { return list_; }

    void frame() {
        screen_.tick(now_);
        const auto generation = atlas_.layout_generation();
        screen_.build(list_, atlas_, width_, height_, now_);
        // The atlas grew during the build: earlier uvs are stale; a second pass finds them all.
        if (atlas_.layout_generation() != generation)
            screen_.build(list_, atlas_, width_, height_, now_);
    }
    void wait(std::chrono::milliseconds length) {
        const TimePoint until = now_ + length;
        while (now_ < until) {
            now_ += frame_interval;
            frame();
        }
    }
    void press(const Action& action) {
        screen_.handle(action, now_);
        last_input_ = now_;
        frame();
        wait(between_presses);
    }
    void press(ActionKind kind, Device device) { press(Action::make(kind, device)); }

    // Moves the focus ring to the key of `digit` the way a thumb would (no wrapping), then
    // presses it.
    void pad_digit(int digit, Device device) {
        const int from = ui::pad_index(screen_.focus());
        const int to = ui::pad_index(ui::digit_target(digit));
        int row = from / ui::pad_columns, col = from % ui::pad_columns;
        const int to_row = to / ui::pad_columns, to_col = to % ui::pad_columns;
        for (; row < to_row; ++row)
            press(ActionKind::down, device);
        for (; row > to_row; --row)
            press(ActionKind::up, device);
        for (; col < to_col; ++col)
            press(ActionKind::right, device);
        for (; col > to_col; --col)
            press(ActionKind::left, device);
        press(ActionKind::activate, device);
    }
    void pad_digits(std::string_view digits, Device device) {
        for (const char c : digits)
            pad_digit(c - '0', device);
    }

    // Mouse or touch: a move onto `t`, then a click on it (a move alone when `click` is false).
    void point_at(ui::Target t, bool click) {
        const ui::Vec2 c = screen_.layout().rect_of(t).center();
        press(Action::pointer(ActionKind::pointer_move, c.x, c.y));
        if (!click) return;
        screen_.handle(Action::pointer(ActionKind::pointer_press, c.x, c.y), now_);
        wait(80ms);
        press(Action::pointer(ActionKind::pointer_release, c.x, c.y));
    }

    // Runs frames until the state has faded in; with `still`, also until nothing moves and
    // the newest PIN digit has turned into a dot. The spinner never stops: Connecting and
    // Linking are taken as soon as they have settled.
    bool settle(bool still) {
        const TimePoint limit = now_ + settle_limit;
        frame();
        while (now_ < limit) {
            const bool calm =
                !still || (!screen_.animating(now_) && now_ >= last_input_ + pin_reveal_);
            if (screen_.settled(now_) && calm) return true;
            now_ += frame_interval;
            frame();
        }
        return false;
    }

  private:
    ui::Screen& screen_;
    std::chrono::milliseconds pin_reveal_;
    render::GlyphAtlas& atlas_;
    int width_, height_;
    TimePoint now_;
    TimePoint last_input_{};
    ui::DrawList list_;
};

// The app's Problem view of a LinkError (mirrors problem_view() in src/app/screen_frontend.cpp,
// which is private to that file): title, next step, the provider's words with code and status.
ui::ProblemView problem_view(const link::LinkError& e, std::int64_t now) {
    ui::ProblemView v;
    v.title = e.title();
    v.next_step = e.next_step(now);
    std::string detail = e.detail();
    if (!e.provider.message.empty())
        detail = detail.empty() ? e.provider.message : e.provider.message + " \u00b7 " + detail;
    v.detail = std::move(detail);
    v.retry_allowed =
        e.kind != link::ErrorKind::app_suspended && e.kind != link::ErrorKind::save_failed;
    return v;
}

// A fixed wall clock for messages that count minutes (1 Jan 2026, 12:00 UTC).
constexpr std::int64_t wall_now = 1767268800;

ui::CodeView code_view(std::string_view url, ui::CodeNotice notice = ui::CodeNotice::none) {
    ui::CodeView v;
    v.authorize_url = std::string(url);
    v.pin_length = 7;
    v.notice = notice;
    return v;
}

// Each script leaves the screen where the picture should be taken; settle() follows.
struct Shot {
    ShotInfo info;
    bool still;  // wait for every animation to end (everything but the spinners)
    void (*play)(Stage&);
};

const std::array<Shot, 12> shot_table{{
    {{"connecting.png", "Connecting: fetching a request token, Xbox controller", ""},
     false,
     [](Stage& s) {
         s.screen().set_device(Device::xbox);
         s.screen().show_connecting(s.now());
     }},
    {{"code.png", "Code: Xbox controller, 2 and 7 typed on the pad, focus on 8", authorize_url},
     true,
     [](Stage& s) {
         s.screen().set_device(Device::xbox);
         s.screen().show_code(code_view(authorize_url), s.now());
         s.wait(300ms);
         s.pad_digits("27", Device::xbox);
         s.press(ActionKind::right, Device::xbox);
     }},
    {{"code_playstation.png", "Code: PlayStation controller, five digits typed", authorize_url},
     true,
     [](Stage& s) {
         s.screen().set_device(Device::playstation);
         s.screen().show_code(code_view(authorize_url), s.now());
         s.wait(300ms);
         s.pad_digits("48159", Device::playstation);
     }},
    {{"code_nintendo.png",
      "Code: Nintendo controller, all seven digits typed, focus moved to the submit key",
      authorize_url},
     true,
     [](Stage& s) {
         s.screen().set_device(Device::nintendo);
         s.screen().show_code(code_view(authorize_url), s.now());
         s.wait(300ms);
         s.pad_digits("4815926", Device::nintendo);
     }},
    {{"code_keyboard.png", "Code: three digits typed on a keyboard (typing mode: no focus ring)",
      authorize_url},
     true,
     [](Stage& s) {
         s.screen().set_device(Device::xbox);
         s.screen().show_code(code_view(authorize_url), s.now());
         s.wait(300ms);
         for (const int d : {3, 0, 9})
             s.press(Action::enter_digit(d, Device::keyboard));
     }},
    {{"code_mouse.png", "Code: two keys clicked with the mouse, pointer resting on 5",
      authorize_url},
     true,
     [](Stage& s) {
         s.screen().set_device(Device::xbox);
         s.screen().show_code(code_view(authorize_url), s.now());
         s.wait(300ms);
         s.point_at(ui::Target::key_6, true);
         s.point_at(ui::Target::key_1, true);
         s.point_at(ui::Target::key_5, false);
     }},
    {{"code_pin_rejected.png", "Code after a rejected PIN: a fresh code and a notice, Xbox",
      fresh_authorize_url},
     true,
     [](Stage& s) {
         s.screen().set_device(Device::xbox);
         s.screen().show_code(code_view(fresh_authorize_url, ui::CodeNotice::pin_rejected),
                              s.now());
     }},
    {{"confirm_stop.png",
      "\"Stop linking?\": B pressed on an empty PIN field, Xbox (the code dimmed behind)", ""},
     true,
     [](Stage& s) {
         s.screen().set_device(Device::xbox);
         s.screen().show_code(code_view(authorize_url), s.now());
         s.wait(300ms);
         s.press(ActionKind::back, Device::xbox);
     }},
    {{"linking.png", "Linking: the PIN is being checked with X, Xbox controller", ""},
     false,
     [](Stage& s) {
         s.screen().set_device(Device::xbox);
         s.screen().show_linking(s.now());
     }},
    {{"linked.png", "Linked as @couch_gamer (Couch Gamer); closes itself after 4 s", ""},
     false,
     [](Stage& s) {
         s.screen().set_device(Device::xbox);
         s.screen().show_linked({"couch_gamer", "Couch Gamer"}, s.now());
     }},
    {{"problem_network.png", "Problem: X could not be reached (connection refused), Xbox", ""},
     true,
     [](Stage& s) {
         s.screen().set_device(Device::xbox);
         s.screen().show_problem(problem_view(link::from_transport(net::Error::connect), wall_now),
                                 s.now());
     }},
    {{"problem_rate_limit.png",
      "Problem: X's rate limit (429, code 88, resets in 13 minutes), Xbox", ""},
     true,
     [](Stage& s) {
         net::Response reply;
         reply.status = 429;
         reply.headers = {{"content-type", "application/json; charset=utf-8"},
                          {"x-rate-limit-reset", std::to_string(wall_now + 13 * 60)}};
         reply.body = R"({"errors":[{"code":88,"message":"Rate limit exceeded"}]})";
         s.screen().set_device(Device::xbox);
         s.screen().show_problem(
             problem_view(link::from_response(link::Step::request_token, reply), wall_now),
             s.now());
     }},
}};

}  // namespace

std::string_view to_string(Renderer r) {
    switch (r) {
        case Renderer::gl:
            return "gl";
        case Renderer::software:
            return "software";
    }
    return "?";
}

std::optional<Renderer> parse_renderer(std::string_view text) {
    if (text == "gl") return Renderer::gl;
    if (text == "software") return Renderer::software;
    return std::nullopt;
}

const std::vector<ShotInfo>& shots() {
    static const std::vector<ShotInfo> infos = [] {
        std::vector<ShotInfo> out;
        for (const Shot& s : shot_table)
            out.push_back(s.info);
        return out;
    }();
    return infos;
}

GalleryResult render_screens(const GalleryOptions& options) {
    GalleryResult result;
    if (options.width < 16 || options.height < 16 || options.width > 8192 ||
        options.height > 8192) {
        result.error = "size " + std::to_string(options.width) + "x" +
                       std::to_string(options.height) + " is out of range (16..8192)";
        return result;
    }
    std::unique_ptr<Canvas> canvas;
    if (options.renderer == Renderer::gl) {
        canvas = GlCanvas::create(options.width, options.height, result.error);
    } else {
        canvas = SoftwareCanvas::create(options.width, options.height, result.error);
    }
    if (!canvas) return result;

    render::AtlasOptions atlas_options;
    atlas_options.max_height = std::min(atlas_options.max_height, canvas->max_texture_size());
    render::AtlasResult atlas = render::GlyphAtlas::create(atlas_options);
    if (!atlas) {
        result.error = "fonts: " + atlas.message;
        return result;
    }

    // Each shot starts from a fresh screen an hour into the clock, like an app that has run.
    const TimePoint start = TimePoint{} + 1h;
    for (const Shot& shot : shot_table) {
        const ui::ScreenOptions screen_options;  // the app's defaults
        ui::Screen screen(screen_options);
        Stage stage(screen, screen_options.pin_reveal, *atlas.atlas, options.width, options.height,
                    start);
        shot.play(stage);
        if (!stage.settle(shot.still)) {
            result.error = std::string(shot.info.file) + ": the screen never settled";
            return result;
        }
        render::Image image;
        if (std::string e = canvas->draw(stage.list(), *atlas.atlas, image); !e.empty()) {
            result.error = std::string(shot.info.file) + ": " + e;
            return result;
        }
        const std::filesystem::path path = options.out_dir / shot.info.file;
        if (const render::PngResult written = render::write_png(image, path.string()); !written) {
            result.error = written.message;
            return result;
        }
        result.written.push_back(path);
    }
    return result;
}

}  // namespace pinlink::tools
