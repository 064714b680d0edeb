// CPU per frame on the Code screen while it animates, at 1080p and 2160p:
//   BM_Build/<size>            ui::Screen::build alone, with the real GlyphAtlas, warm
//   BM_Frame/gl/<size>         build + GlBackend::render + glFinish
//   BM_Frame/software/<size>   build + SdlBackend::render + SDL_RenderFlush (software driver)
// "Animating" means what the app does then: the clock moves 16 ms a frame and the focus glides
// to the next key every 16 frames. The GL background stays off, as the app keeps it
// (presenter.cpp: the screen paints its own opaque backdrop over it). Each iteration is timed by
// hand (steady_clock around exactly the work named), so set-up and the action feeding are not
// counted; the CPU it took is reported beside it (build_cpu_us, frame_cpu_us). glFinish makes the
// GPU part (llvmpipe threads, here) land inside the figure; the SDL software renderer draws on the
// calling thread once its command queue is flushed. Neither swaps: presenting is the window
// system's cost, measured by the startup rows instead.
//
// Needs a display; run with SDL_VIDEODRIVER=offscreen for Mesa llvmpipe without one.
#include <SDL.h>
#include <benchmark/benchmark.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "render/gl/gl_backend.hpp"
#include "render/gl/gl_window.hpp"
#include "render/sdl/sdl_backend.hpp"
#include "render/text/glyph_atlas.hpp"
#include "ui/screen.hpp"

namespace {

using namespace std::chrono_literals;
namespace render = pinlink::render;
namespace ui = pinlink::ui;
using Clock = std::chrono::steady_clock;

// What the demo shows: a 43-character token in the address, and the PIN hint line.
constexpr const char* kUrl =
    "https://api.x.com/oauth/authorize?oauth_token=Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik";

struct Size {
    int width, height;
    const char* name;
};
constexpr Size kSizes[] = {{1920, 1080, "1080p"}, {3840, 2160, "2160p"}};

// The Code screen as the app drives it, with its own warm atlas at one drawable size.
class CodeScreen {
  public:
    CodeScreen(render::GlyphAtlas& atlas, Size size) : atlas_(atlas), size_(size) {
        ui::ScreenOptions options;
        options.pin_reveal = 0ms;  // as the app sets it
        screen_ = std::make_unique<ui::Screen>(options);
        screen_->show_connecting(now_);
        screen_->show_code({kUrl, "1234567", 7, ui::CodeNotice::none}, now_);
        // Warm: every glyph of every frame of a full focus cycle is in the atlas afterwards.
        for (int i = 0; i < 64; ++i)
            next_frame();
    }

    // Advances the clock one frame (and the focus now and then) and builds the draw list the
    // way ScreenLoop::draw does. Returns the seconds spent in build().
    double next_frame() {
        now_ += 16ms;
        if (++frame_ % 16 == 0) {
            screen_->handle(ui::Action::move(ui::Direction::right, ui::Device::xbox), now_);
        }
        const auto start = Clock::now();
        const auto generation = atlas_.layout_generation();
        screen_->build(list_, atlas_, size_.width, size_.height, now_);
        if (atlas_.layout_generation() != generation) {
            screen_->build(list_, atlas_, size_.width, size_.height, now_);
        }
        return std::chrono::duration<double>(Clock::now() - start).count();
    }

    const ui::DrawList& list() const { return list_; }
    double seconds() const { return std::chrono::duration<double>(now_ - start_).count(); }

  private:
    render::GlyphAtlas& atlas_;
    Size size_;
    std::unique_ptr<ui::Screen> screen_;
    ui::DrawList list_;
    ui::TimePoint start_ = ui::TimePoint{} + 1h;
    ui::TimePoint now_ = start_;
    long frame_ = 0;
};

std::unique_ptr<render::GlyphAtlas> make_atlas() {
    auto made = render::GlyphAtlas::create({});
    if (!made) std::fprintf(stderr, "bench_frame: atlas: %s\n", made.message.c_str());
    return std::move(made.atlas);
}

// CPU seconds of this thread or of the whole process (llvmpipe draws on its own threads).
// Read once before and once after the timed loop: reading a CPU clock is a system call, too
// slow to bracket each frame, and the loop does nothing else worth counting.
double cpu_seconds(clockid_t clock) {
    timespec t{};
    clock_gettime(clock, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Per-frame averages: build and whole frame in wall time (steady_clock around the work), and
// the CPU that cost (`cpu_seconds` over the loop; this thread for BM_Build, the process for
// whole frames).
void report(benchmark::State& state, double build_seconds, double total_seconds, double cpu_total,
            const char* cpu_name) {
    const auto n = static_cast<double>(state.iterations());
    if (n == 0) return;
    state.counters["build_us"] = build_seconds / n * 1e6;
    state.counters["frame_us"] = total_seconds / n * 1e6;
    state.counters[cpu_name] = cpu_total / n * 1e6;
}

void bm_build(benchmark::State& state, Size size) {
    auto atlas = make_atlas();
    if (!atlas) {
        state.SkipWithError("no glyph atlas");
        return;
    }
    CodeScreen screen(*atlas, size);
    double build = 0;
    const double cpu_start = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
    for (auto _ : state) {
        const double seconds = screen.next_frame();
        build += seconds;
        state.SetIterationTime(seconds);
        benchmark::DoNotOptimize(screen.list().vertices.data());
    }
    report(state, build, build, cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - cpu_start, "build_cpu_us");
    state.counters["vertices"] = static_cast<double>(screen.list().vertices.size());
    state.counters["commands"] = static_cast<double>(screen.list().commands.size());
}

void bm_frame_gl(benchmark::State& state, Size size) {
    render::GlWindowOptions options;
    options.title = "bench_frame";
    options.width = size.width;
    options.height = size.height;
    options.vsync = false;  // the figure is the work, not the wait for a refresh
    auto window = render::GlWindow::create(options);
    if (!window) {
        state.SkipWithError(("no GL window: " + window.status.message).c_str());
        return;
    }
    auto backend = render::GlBackend::create();
    if (!backend) {
        state.SkipWithError(("no GL backend: " + backend.status.message).c_str());
        return;
    }
    void* finish_address = SDL_GL_GetProcAddress("glFinish");
    void (*finish)() = nullptr;
    std::memcpy(&finish, &finish_address, sizeof finish);  // void* to function pointer (POSIX)
    auto atlas = make_atlas();
    if (!atlas || finish == nullptr) {
        state.SkipWithError("no glyph atlas or glFinish");
        return;
    }
    CodeScreen screen(*atlas, size);
    render::GlFrame frame;
    frame.background = false;  // as GlPresenter::animated_background() says
    // Warm the backend too: texture upload and buffer sizes settle in the first frames.
    for (int i = 0; i < 8; ++i) {
        screen.next_frame();
        (void)backend.backend->render(screen.list(), atlas.get(), frame);
        finish();
    }
    double build = 0, total = 0;
    const double cpu_start = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
    for (auto _ : state) {
        const auto start = Clock::now();
        build += screen.next_frame();
        frame.time_seconds = screen.seconds();
        const auto status = backend.backend->render(screen.list(), atlas.get(), frame);
        finish();
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        total += seconds;
        state.SetIterationTime(seconds);
        if (!status) {
            state.SkipWithError(status.message.c_str());
            break;
        }
    }
    report(state, build, total, cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start, "frame_cpu_us");
    state.SetLabel(backend.backend->description());
    window.window->make_current();
    backend.backend.reset();  // GL objects go while their context is current
}

void bm_frame_software(benchmark::State& state, Size size) {
    SDL_Window* window = SDL_CreateWindow("bench_frame", SDL_WINDOWPOS_UNDEFINED,
                                          SDL_WINDOWPOS_UNDEFINED, size.width, size.height, 0);
    SDL_Renderer* renderer =
        window != nullptr ? SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE) : nullptr;
    auto backend = render::SdlBackend::create(renderer);
    auto atlas = make_atlas();
    if (!backend || !atlas) {
        state.SkipWithError("no SDL software renderer or glyph atlas");
    } else {
        CodeScreen screen(*atlas, size);
        for (int i = 0; i < 8; ++i) {
            screen.next_frame();
            (void)backend.backend->render(screen.list(), atlas.get());
            SDL_RenderFlush(renderer);
        }
        double build = 0, total = 0;
        const double cpu_start = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
        for (auto _ : state) {
            const auto start = Clock::now();
            build += screen.next_frame();
            const auto status = backend.backend->render(screen.list(), atlas.get());
            SDL_RenderFlush(renderer);
            const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
            total += seconds;
            state.SetIterationTime(seconds);
            if (!status) {
                state.SkipWithError(status.message.c_str());
                break;
            }
        }
        report(state, build, total, cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start,
               "frame_cpu_us");
    }
    backend.backend.reset();
    if (renderer != nullptr) SDL_DestroyRenderer(renderer);
    if (window != nullptr) SDL_DestroyWindow(window);
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        std::fprintf(stderr, "bench_frame: SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    for (const Size& size : kSizes) {
        benchmark::RegisterBenchmark((std::string("BM_Build/") + size.name).c_str(), bm_build, size)
            ->UseManualTime()
            ->Unit(benchmark::kMicrosecond)
            ->MinTime(1.0);
    }
    for (const Size& size : kSizes) {
        benchmark::RegisterBenchmark((std::string("BM_Frame/gl/") + size.name).c_str(), bm_frame_gl,
                                     size)
            ->UseManualTime()
            ->Unit(benchmark::kMicrosecond)
            ->MinTime(1.0);
        benchmark::RegisterBenchmark((std::string("BM_Frame/software/") + size.name).c_str(),
                                     bm_frame_software, size)
            ->UseManualTime()
            ->Unit(benchmark::kMicrosecond)
            ->MinTime(1.0);
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    SDL_Quit();
    return 0;
}
