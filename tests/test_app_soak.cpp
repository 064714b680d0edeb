// Soak of the link screen (issue 5): the real screen (app::run_screen, in-process, headless) for
// tens of thousands of frames of random input (virtual pads of several models pressed, tilted,
// plugged and unplugged; keys, pastes, fullscreen; mouse moves, clicks, wheel; touch; window
// events) while the local provider's endpoints switch between fault modes and back. Checks:
// no crash or leak (ASan, UBSan and LeakSanitizer at exit), no stuck state (frames keep coming,
// probe inputs show in the very next frame, every busy spell ends within a bound), nothing in the
// PIN field but what the inputs typed, a flat heap after warm-up, a full link once the faults
// stop, and no secret in any output or on screen. On SDL_Renderer's software driver; shorter
// on OpenGL.
//
// Reproducing: the seed is printed first; PINLINK_SOAK_SEED=N repeats the same random choices
// (thread timing still varies), PINLINK_SOAK_FRAMES=N sets the length (default 20000). The
// process's stderr (libcurl's --verbose trace) goes to a file, kept when the test fails or with
// PINLINK_SOAK_KEEP_TRACE=1; PINLINK_SOAK_HEAP_PROFILE=1 (ASan) adds the live heap by stack at
// each measurement.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/link_options.hpp"
#include "link/local_provider.hpp"
#include "support/drawn_text.hpp"
#include "support/fake_glyphs.hpp"
#include "support/screen_harness.hpp"
#include "ui/painter.hpp"  // ui::next_codepoint

#if defined(__SANITIZE_ADDRESS__)
#define PINLINK_SOAK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PINLINK_SOAK_ASAN 1
#endif
#endif
#if defined(PINLINK_SOAK_ASAN)
#if __has_include(<sanitizer/allocator_interface.h>)
#include <sanitizer/allocator_interface.h>
#else
// Debian's GCC ships the runtime (libasan) without its headers: the one function used here, as
// compiler-rt's sanitizer/allocator_interface.h declares it.
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
extern "C" void __sanitizer_print_memory_profile(std::size_t top_percent, std::size_t max_contexts);
#endif
#endif

using namespace pinlink;
using namespace std::chrono_literals;
using test::ScreenHarness;
using test::Snapshot;
using test::VirtualPad;
using ui::State;
using ui::Target;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// --- Parameters ------------------------------------------------------------------------------

constexpr int kDefaultFrames = 20000;
// The heap is measured once this many frames are done (and kWarmupTime has passed: the
// provider's nonce bookkeeping fills up over its timestamp window, then stays level).
constexpr int kWarmupFrames = 2000;
constexpr auto kWarmupTime = 12s;
constexpr std::int64_t kProviderWindowSeconds = 10;  // timestamp window (and nonce memory)
constexpr std::int64_t kTokenLifetimeSeconds = 30;   // codes expire during the soak too
// The client's overall limit per network step (LinkOptions::timeout_seconds, as --timeout).
constexpr int kTimeoutSeconds = 2;
// A busy spell (Connecting or Linking) is at most: access_token and request_token, each
// possibly signed twice (clock correction), each within kTimeoutSeconds; the rest is margin for
// a loaded machine under ASan. Longer than this is a stuck state.
constexpr auto kSettleBound = std::chrono::seconds(4 * kTimeoutSeconds + 20);
// Heap growth allowed from the end of warm-up to the end of the soak (see measure_heap() for
// what is measured when). Under ASan the count is exact (live bytes); 20,000-frame runs grew by
// 2-25 KiB, the wobble of the provider's nonce memory and a few live request tokens. A leak of
// 8 bytes a frame, 128 bytes a request or 1 KiB a hotplug crosses 128 KiB. glibc's count also
// takes in blocks parked in per-thread caches and moved by -260 to +110 KiB between runs, hence
// the wider bound without ASan.
#if defined(PINLINK_SOAK_ASAN)
constexpr std::size_t kHeapGrowthBound = 128 * 1024;
#else
constexpr std::size_t kHeapGrowthBound = 1024 * 1024;
#endif
constexpr std::size_t kHistory = 64;  // snapshots the harness keeps
constexpr const char* kConsumerSecret = "soak-consumer-secret-4d7a1f";

int env_int(const char* name, int fallback) {
    const char* v = std::getenv(name);
    if (!v || !*v) return fallback;
    char* end = nullptr;
    const long n = std::strtol(v, &end, 10);
    return (end && *end == '\0' && n > 0 && n < 100'000'000) ? static_cast<int>(n) : fallback;
}

std::uint64_t seed_from_env() {
    if (const char* v = std::getenv("PINLINK_SOAK_SEED"); v && *v) {
        char* end = nullptr;
        const unsigned long long n = std::strtoull(v, &end, 10);
        if (end && *end == '\0') return n;
        ADD_FAILURE() << "PINLINK_SOAK_SEED is not a number: " << v;
    }
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

// Bytes of heap in use: ASan's own count under ASan (its allocator replaces malloc), glibc's
// otherwise (in-use chunks in every arena plus mmapped ones).
std::size_t heap_in_use() {
#if defined(PINLINK_SOAK_ASAN)
    return __sanitizer_get_current_allocated_bytes();
#else
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
#endif
}

// --- SDL's large blocks under ASan --------------------------------------------------------------

// SDL's software renderer draws each blended triangle through a temporary surface the size of
// the triangle's bounding box, and ASan serves every block over 128 KiB with a fresh mmap (and
// unmaps it after its quarantine): page faults and shadow poisoning then take most of a frame's
// time, several times what the drawing costs. So SDL gets malloc and free with a small cache of
// large freed blocks in between, reused for the next temporary surface. Every block still comes
// from malloc and goes back to free (ASan and LeakSanitizer see them all); the cache is emptied
// before each heap measurement and at the end. Without ASan, glibc reuses such blocks anyway.
class SdlBlockCache {
  public:
    static void install() {
#if defined(PINLINK_SOAK_ASAN)
        SDL_SetMemoryFunctions(&take, &take_zeroed, &resize, &give_back);
#endif
    }
    static void flush() {
        std::lock_guard lock(mutex());
        for (Slot& s : slots()) {
            std::free(s.block);
            s = {};
        }
    }

  private:
    static constexpr std::size_t kLarge = 64 * 1024;
    struct Slot {
        void* block = nullptr;
        std::size_t size = 0;
    };
    static std::mutex& mutex() {
        static std::mutex m;
        return m;
    }
    static std::array<Slot, 16>& slots() {
        static std::array<Slot, 16> s;
        return s;
    }
    static void* SDLCALL take(std::size_t n) {
        if (n >= kLarge) {
            std::lock_guard lock(mutex());
            for (Slot& s : slots()) {
                if (s.block && s.size >= n && s.size <= 2 * n) {
                    void* block = s.block;
                    s = {};
                    return block;
                }
            }
        }
        return std::malloc(n);
    }
    static void* SDLCALL take_zeroed(std::size_t count, std::size_t size) {
        if (size != 0 && count > SIZE_MAX / size) return nullptr;
        if (count * size < kLarge) return std::calloc(count, size);
        void* block = take(count * size);
        if (block) std::memset(block, 0, count * size);
        return block;
    }
    static void* SDLCALL resize(void* block, std::size_t n) {
        return std::realloc(block, n);
    }
    static void SDLCALL give_back(void* block) {
        if (!block) return;
        const std::size_t size = malloc_usable_size(block);
        if (size >= kLarge) {
            std::lock_guard lock(mutex());
            for (Slot& s : slots()) {
                if (!s.block) {
                    s = {block, size};
                    return;
                }
            }
        }
        std::free(block);
    }
};

// --- Secrets ---------------------------------------------------------------------------------

// A set of string hashes with a fixed capacity: allocates only when made, so tracking every
// secret and PIN of the soak does not itself grow the heap being measured.
class HashSet {
  public:
    explicit HashSet(std::size_t slots) : slots_(slots, 0) {}  // a power of two
    static std::uint64_t hash(std::string_view s) {
        const std::uint64_t h = std::hash<std::string_view>{}(s);
        return h == 0 ? 1 : h;
    }
    bool insert(std::string_view s) {
        if (2 * (count_ + 1) > slots_.size()) return false;
        const std::uint64_t h = hash(s);
        for (std::size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
            if (slots_[i] == h) return true;
            if (slots_[i] == 0) {
                slots_[i] = h;
                ++count_;
                return true;
            }
        }
    }
    bool contains(std::string_view s) const {
        const std::uint64_t h = hash(s);
        for (std::size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
            if (slots_[i] == h) return true;
            if (slots_[i] == 0) return false;
        }
    }
    std::size_t size() const { return count_; }

  private:
    std::vector<std::uint64_t> slots_;
    std::size_t count_ = 0;
};

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_token_char(char c) {  // oauth::make_nonce's alphabet: URL-safe base64
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '_';
}

// Calls f(offset) for every stretch of `len` characters of class `in` in `text`: every window
// inside longer runs too, or with `exact` only runs of exactly `len`.
template <class In, class F>
void for_each_run(std::string_view text, In in, std::size_t len, bool exact, F f) {
    std::size_t i = 0;
    while (i < text.size()) {
        if (!in(text[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < text.size() && in(text[j]))
            ++j;
        if (exact) {
            if (j - i == len) f(i);
        } else {
            for (std::size_t k = i; k + len <= j; ++k)
                f(k);
        }
        i = j;
    }
}

// Every secret the soak knows of: the consumer secret, each token secret the provider issued
// (LocalProviderOptions::on_issue), each PIN the screen submitted. Thread-safe.
class SecretBook {
  public:
    static constexpr std::size_t kSecretLength = 43;  // make_nonce(): 32 bytes, base64url

    void add_secret(std::string_view s) {
        std::lock_guard lock(mutex_);
        if (s.size() != kSecretLength) ++odd_secrets_;  // checked below
        if (!secrets_.insert(s)) full_ = true;
    }
    void add_pin(std::string_view pin) {
        std::lock_guard lock(mutex_);
        if (!pins_.insert(pin)) full_ = true;
    }

    // A test failure for each secret in `text`, named by kind and place, never by value.
    // `exact_pins`: only digit runs of exactly the PIN's length count (logs, where longer numbers
    // such as timestamps would otherwise match by chance); otherwise every 7-digit stretch does
    // (screen text, read back without spaces).
    int check(std::string_view text, std::string_view where, bool exact_pins) {
        std::lock_guard lock(mutex_);
        int found = 0;
        const auto report = [&](const char* what, std::size_t at) {
            if (++found <= 5) {
                ADD_FAILURE() << what << " in " << where << " at byte " << at << " of "
                              << text.size();
            }
        };
        if (const auto at = text.find(kConsumerSecret); at != std::string_view::npos) {
            report("the consumer secret", at);
        }
        for_each_run(text, is_token_char, kSecretLength, false, [&](std::size_t at) {
            if (secrets_.contains(text.substr(at, kSecretLength))) report("a token secret", at);
        });
        for_each_run(text, is_digit, 7, exact_pins, [&](std::size_t at) {
            if (pins_.contains(text.substr(at, 7))) report("a submitted PIN", at);
        });
        return found;
    }

    bool has_secret(std::string_view s) const {
        std::lock_guard lock(mutex_);
        return secrets_.contains(s);
    }
    std::size_t secrets() const {
        std::lock_guard lock(mutex_);
        return secrets_.size();
    }
    std::size_t pins() const {
        std::lock_guard lock(mutex_);
        return pins_.size();
    }
    bool full() const {
        std::lock_guard lock(mutex_);
        return full_;
    }
    int odd_secrets() const {
        std::lock_guard lock(mutex_);
        return odd_secrets_;
    }

  private:
    mutable std::mutex mutex_;
    HashSet secrets_{1u << 17};
    HashSet pins_{1u << 16};
    bool full_ = false;
    int odd_secrets_ = 0;
};

// --- The stderr of the whole process (libcurl's --verbose trace goes there) -------------------

class StderrCapture {
  public:
    explicit StderrCapture(fs::path path) : path_(std::move(path)) {
        std::fflush(stderr);
        saved_ = ::dup(STDERR_FILENO);
        const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        EXPECT_GE(fd, 0) << path_;
        if (fd >= 0) {
            ::dup2(fd, STDERR_FILENO);
            ::close(fd);
        }
    }
    ~StderrCapture() { restore(); }
    StderrCapture(const StderrCapture&) = delete;
    StderrCapture& operator=(const StderrCapture&) = delete;

    // Puts stderr back and returns what was written meanwhile.
    std::string finish() {
        restore();
        std::ifstream in(path_, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    const fs::path& path() const { return path_; }

  private:
    void restore() {
        if (saved_ < 0) return;
        std::fflush(stderr);
        ::dup2(saved_, STDERR_FILENO);
        ::close(saved_);
        saved_ = -1;
    }
    fs::path path_;
    int saved_ = -1;
};

// --- Counters --------------------------------------------------------------------------------

enum class Input {
    pad_button,
    pad_dpad,
    pad_stick,
    key_digit,
    key_nav,
    key_command,
    key_other,
    paste,
    fullscreen,
    mouse_move,
    mouse_click,
    mouse_wheel,
    touch,
    window_event,
    probe,
    count
};
constexpr std::array<const char*, static_cast<std::size_t>(Input::count)> kInputNames{
    "pad_button",  "pad_dpad",    "pad_stick", "key_digit",  "key_nav",
    "key_command", "key_other",   "paste",     "fullscreen", "mouse_move",
    "mouse_click", "mouse_wheel", "touch",     "window",     "probe"};

constexpr std::array<link::Fault, 9> kFaults{
    link::Fault::never_answer, link::Fault::slow,       link::Fault::reset,
    link::Fault::status_500,   link::Fault::status_503, link::Fault::rate_limited,
    link::Fault::not_a_token,  link::Fault::oversized,  link::Fault::date_far_off};
constexpr std::array<link::Endpoint, 5> kEndpoints{
    link::Endpoint::request_token, link::Endpoint::access_token, link::Endpoint::users_me,
    link::Endpoint::authorize, link::Endpoint::all};

constexpr std::array<test::PadModel, 3> kModels{test::kXboxPad, test::kPlayStationPad,
                                                test::kSwitchProPad};

// Clipboard contents for Ctrl+V: digits in odd company (only digits may reach the field).
const std::array<std::string, 10>& clipboard_samples() {
    static const std::array<std::string, 10> samples{
        "1234567",
        "PIN: 765 4321",
        "\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93\xEF\xBC\x94",  // full-width 1234
        "\xFF\xFE\x31\x32\xC3\x33",                          // not UTF-8: FF FE "12" C3 "3"
        "",
        "no digits here \xF0\x9F\x98\x80",
        std::string(4000, '9'),
        "12\n34\t56\r\n7",
        "-1e9+0x42",
        "\xD9\xA1\xD9\xA2 0"};  // Arabic-Indic digits (not taken) and one ASCII 0
    return samples;
}

// The digits the screen takes from a paste, in order (ASCII and full-width; at most `max`).
std::string pasted_digits(std::string_view text, int max) {
    std::string out;
    for (std::size_t i = 0; i < text.size() && static_cast<int>(out.size()) < max;) {
        const char32_t cp = ui::next_codepoint(text, i);
        if (cp >= U'0' && cp <= U'9') out.push_back(static_cast<char>(cp));
        if (cp >= 0xFF10 && cp <= 0xFF19) out.push_back(static_cast<char>('0' + (cp - 0xFF10)));
    }
    return out;
}

Target moved(Target from, SDL_GameControllerButton b) {
    const int index = std::max(0, ui::pad_index(from));
    int row = index / ui::pad_columns, col = index % ui::pad_columns;
    if (b == SDL_CONTROLLER_BUTTON_DPAD_UP) row = (row + ui::pad_rows - 1) % ui::pad_rows;
    if (b == SDL_CONTROLLER_BUTTON_DPAD_DOWN) row = (row + 1) % ui::pad_rows;
    if (b == SDL_CONTROLLER_BUTTON_DPAD_LEFT) col = (col + ui::pad_columns - 1) % ui::pad_columns;
    if (b == SDL_CONTROLLER_BUTTON_DPAD_RIGHT) col = (col + 1) % ui::pad_columns;
    return ui::pad_target(row * ui::pad_columns + col);
}

bool busy(State s) {
    return s == State::connecting || s == State::linking;
}

std::string token_of(const std::string& url) {
    static const std::regex token("[?&]oauth_token=([^&]+)");
    std::smatch m;
    return std::regex_search(url, m, token) ? m[1].str() : std::string();
}

// --- The soak --------------------------------------------------------------------------------

class Soak {
  public:
    Soak(ScreenHarness& h, link::LocalProvider& provider, SecretBook& book, std::uint64_t seed,
         int frames)
        : h_(h),
          provider_(provider),
          book_(book),
          input_rng_(seed),
          script_rng_(seed ^ 0x5eed),
          target_frames_(frames) {
        h_.set_frame_step([this](const ui::Screen& screen, app::Presenter& presenter,
                                 const Snapshot& s) { on_frame(screen, presenter, s); });
    }

    // The script thread: the random phase, the two heap measurements, then a whole link.
    bool script() {
        start_ = Clock::now();
        for (const auto& m : kModels) {
            if (!plug(m)) return false;
        }
        if (!h_.wait("the first code", [](const Snapshot& s) { return s.state == State::code; }))
            return false;
        driving_ = true;
        h_.force_frame();  // starts the chain: each frame's step forces the next
        if (!random_phase()) return false;
        random_seconds_ = std::chrono::duration<double>(Clock::now() - start_).count();
        if (!quiesce()) return false;
        heap_end_ = measure_heap();
        return final_link();
    }

    // After run_screen returned, on the thread that ran it (where the reader was made).
    void finish() { reader_.reset(); }

    std::string summary(double wall_seconds) const {
        std::ostringstream o;
        o << "soak summary: seed=" << seed_for_summary_ << " frames=" << frames_driven_.load()
          << " (all drawn: " << last_index_ << ")";
        o << " inputs{";
        for (std::size_t i = 0; i < inputs_.size(); ++i)
            o << (i ? " " : "") << kInputNames[i] << "=" << inputs_[i];
        o << "} probes=" << probes_ << " hotplugs{plug=" << plugs_ << " unplug=" << unplugs_
          << "} fault_switches{";
        for (std::size_t i = 0; i < kFaults.size(); ++i)
            o << (i ? " " : "") << link::to_string(kFaults[i]) << "=" << fault_counts_[i];
        o << " none=" << fault_clears_ << " clear_all=" << fault_clear_alls_ << "}";
        o << " problems=" << problems_ << " busy_spells=" << settles_
          << " longest_busy_ms=" << longest_busy_ms_
          << " pins_submitted=" << pins_known_ + pins_unknown_ << " (" << pins_unknown_
          << " not followed) secrets_tracked=" << book_.secrets() << " text_checks=" << text_checks_
          << " links=" << links_ << " heap_warmup=" << heap_warm_ << " heap_end=" << heap_end_
          << " growth=" << (static_cast<long long>(heap_end_) - static_cast<long long>(heap_warm_))
          << " random_phase=" << random_seconds_ << "s ("
          << (random_seconds_ > 0 ? frames_driven_.load() / random_seconds_ : 0.0)
          << " frames/s) wall=" << wall_seconds << "s";
        return o.str();
    }
    std::string problem_titles() const {
        std::string s;
        for (std::size_t i = 0; i < titles_count_; ++i)
            s += (i ? " | " : "") + titles_[i];
        return s;
    }

    std::uint64_t seed_for_summary_ = 0;
    std::size_t heap_warm_ = 0, heap_end_ = 0;
    double random_seconds_ = 0;
    int links_ = 0;

  private:
    // --- Script thread -------------------------------------------------------------------

    template <class T>
    T pick(std::mt19937_64& rng, T lo, T hi) {  // inclusive
        return std::uniform_int_distribution<T>(lo, hi)(rng);
    }

    bool random_phase() {
        std::uint64_t seen = 0;
        // (A short or fast run goes on until the warm-up has been measured, and for 1,000 frames
        // after that at least.)
        int warm_frames = 0;
        while ((frames_driven_.load() < target_frames_ || heap_warm_ == 0 ||
                frames_driven_.load() < warm_frames + 1000) &&
               !failed_.load()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(pick(script_rng_, 50, 400)));
            // Frames keep coming: each frame's step forces the next, so a pause this long means
            // the loop itself is stuck.
            const auto next = h_.wait(
                "the next frame", [seen](const Snapshot& s) { return s.index > seen; }, false,
                test::kStepTimeout);
            if (!next) return false;
            seen = next->index;
            if (heap_warm_ == 0 && frames_driven_.load() >= kWarmupFrames &&
                Clock::now() - start_ >= kWarmupTime) {
                if (!quiesce()) return false;
                heap_warm_ = measure_heap();
                warm_frames = frames_driven_.load();
                if (!resume()) return false;
            }
            if (pick(script_rng_, 0, 99) < 60) switch_fault();
            if (pick(script_rng_, 0, 99) < 25 && !hotplug()) return false;
        }
        return !failed_.load();
    }

    void switch_fault() {
        const int r = pick(script_rng_, 0, 99);
        if (r < 8) {
            provider_.clear_faults();
            ++fault_clear_alls_;
            return;
        }
        const link::Endpoint endpoint = kEndpoints[pick<std::size_t>(script_rng_, 0, 4)];
        if (r < 30) {
            provider_.set_fault(endpoint, link::Fault::none);
            ++fault_clears_;
            return;
        }
        const std::size_t i = pick<std::size_t>(script_rng_, 0, kFaults.size() - 1);
        // Small enough that every fault resolves within kSettleBound: the client gives up after
        // kTimeoutSeconds on never_answer and slow bodies; the rest answer at once.
        link::FaultOptions o;
        o.slow_interval = std::chrono::milliseconds(pick(script_rng_, 1, 25));
        o.rate_limit_reset_in = pick<std::int64_t>(script_rng_, 1, 5);
        o.date_offset = pick<std::int64_t>(script_rng_, 0, 1) ? 3 * 3600 : -2 * 3600;
        o.oversized_bytes = 1024 * 1024 + pick<std::size_t>(script_rng_, 1, 64 * 1024);
        std::string error;
        EXPECT_TRUE(provider_.set_fault(endpoint, kFaults[i], o, &error)) << error;
        ++fault_counts_[i];
    }

    bool plug(const test::PadModel& model) {
        VirtualPad* pad = h_.plug(model);
        if (!pad) return false;
        std::lock_guard lock(pads_mutex_);
        live_.push_back(pad);
        ++plugs_;
        return true;
    }

    bool unplug_one(std::size_t i) {
        VirtualPad* pad = nullptr;
        {
            std::lock_guard lock(pads_mutex_);
            pad = live_[i];
            live_.erase(live_.begin() + static_cast<std::ptrdiff_t>(i));
            if (tilted_ == pad) tilted_ = nullptr;  // unplugged with the stick held
        }
        if (!h_.unplug(*pad)) return false;
        h_.forget(*pad);
        ++unplugs_;
        return true;
    }

    bool hotplug() {
        std::size_t n = 0;
        {
            std::lock_guard lock(pads_mutex_);
            n = live_.size();
        }
        if (n == 0 || (n < 4 && pick(script_rng_, 0, 1) == 0)) {
            return plug(kModels[pick<std::size_t>(script_rng_, 0, kModels.size() - 1)]);
        }
        return unplug_one(pick<std::size_t>(script_rng_, 0, n - 1));
    }

    // Stops the input, the faults and the pads, and waits until the worker is idle.
    bool quiesce() {
        driving_ = false;
        measuring_ = true;
        provider_.clear_faults();
        // One more frame so the step lets go of a tilted stick, then no pads at all.
        if (!h_.fresh_frame()) return false;
        for (;;) {
            std::size_t n = 0;
            {
                std::lock_guard lock(pads_mutex_);
                n = live_.size();
            }
            if (n == 0) break;
            if (!unplug_one(n - 1)) return false;
        }
        // The window back at its size (the step pressed F11 if it was fullscreen), the
        // clipboard empty (a paste may have left 4 KB there).
        const int windowed = windowed_width_.load();
        if (!h_.wait("the window at its size (" + std::to_string(windowed) + " wide)",
                     [&](const Snapshot& s) { return s.layout.width == windowed; })) {
            const Snapshot last = h_.latest();
            ADD_FAILURE() << "the window is " << last.window_w << "x" << last.window_h
                          << ", the drawable " << last.layout.width << "x" << last.layout.height;
            return false;
        }
        // The test's own text reader goes too (it is made again when needed): its glyph cache
        // grows with every new text size it is shown, which is not the app's heap.
        if (h_.inject([this] {
                SDL_SetClipboardText("");
                reader_.reset();
            }) == 0)
            return false;
        // The same screen at both measurements: Code, no confirm, an empty field.
        for (int i = 0;; ++i) {
            if (i == 8) {
                ADD_FAILURE() << "cannot bring the Code screen back: "
                              << test::describe(h_.latest());
                return false;
            }
            const Snapshot now = h_.latest();
            const auto after = [&](const char* what, const ScreenHarness::Predicate& pred) {
                return h_
                    .wait(
                        what, [&](const Snapshot& s) { return s.index > now.index && pred(s); },
                        false, kSettleBound)
                    .has_value();
            };
            if (busy(now.state)) {
                if (!after("the worker idle", [](const Snapshot& s) { return !busy(s.state); }))
                    return false;
            } else if (now.confirm_open) {
                h_.key(SDLK_BACKSPACE);  // closes it, in every state
                if (!after("the confirm closed", [](const Snapshot& s) { return !s.confirm_open; }))
                    return false;
            } else if (now.state == State::problem) {
                h_.key(SDLK_F5);     // New code
                bool asked = false;  // the request went out (Connecting was shown)
                if (!after("an answer", [&asked](const Snapshot& s) {
                        asked = asked || s.state == State::connecting;
                        return s.state == State::code || (asked && s.state == State::problem);
                    }))
                    return false;
            } else if (now.digits > 0 || now.device != ui::Device::keyboard) {
                // Delete empties the field, and makes the hints show keys: which glyphs (and
                // so which fallback fonts) the hint bar needs depends on the device in use.
                h_.key(SDLK_DELETE);
                if (!after("the field cleared", [](const Snapshot& s) {
                        return s.digits == 0 && s.device == ui::Device::keyboard;
                    }))
                    return false;
            } else {
                break;
            }
        }
        // The glyph atlas made afresh (a resize does that), so that it holds the glyphs of this
        // screen only: what it holds otherwise depends on what was shown since the last resize.
        const std::uint64_t at = h_.inject([this] {
            const Snapshot now = h_.latest();
            SDL_Event e{};
            e.type = SDL_WINDOWEVENT;
            e.window.windowID = now.window_id;
            e.window.event = SDL_WINDOWEVENT_SIZE_CHANGED;
            e.window.data1 = now.window_w;
            e.window.data2 = now.window_h;
            SDL_PushEvent(&e);
        });
        return at != 0 && h_.wait(
                                "the Code screen at rest",
                                [at](const Snapshot& s) {
                                    return s.index > at && s.state == State::code && s.at_rest;
                                },
                                false, kSettleBound)
                              .has_value();
    }

    bool resume() {
        measuring_ = false;
        warmed_up_ = true;
        for (const auto& m : kModels) {
            if (!plug(m)) return false;
        }
        driving_ = true;
        h_.force_frame();
        return true;
    }

    // The heap in use after quiesce(): input, faults and pads gone, the worker idle, the Code
    // screen with an empty field, the glyph atlas fresh, the test's text reader and SDL's block
    // cache emptied, the provider's connections closed. The least of a few samples, so that a
    // straggling transient (a provider thread finishing) does not count. What still differs
    // between the two measurements is small: the provider's nonces of the last
    // kProviderWindowSeconds and its unspent request tokens, the text of the code shown.
    // (PINLINK_SOAK_HEAP_PROFILE=1 under ASan: the live allocations by stack, on stderr.)
    std::size_t measure_heap() {
        // Past the provider's keep-alive timeout (1 s): its connection threads are done.
        std::this_thread::sleep_for(1500ms);
        (void)h_.fresh_frame();
        std::size_t least = SIZE_MAX;
        for (int i = 0; i < 6; ++i) {
            if (i > 0) std::this_thread::sleep_for(100ms);
            SdlBlockCache::flush();
            least = std::min(least, heap_in_use());
        }
#if defined(PINLINK_SOAK_ASAN)
        if (std::getenv("PINLINK_SOAK_HEAP_PROFILE")) __sanitizer_print_memory_profile(90, 30);
#endif
        return least;
    }

    // Faults off, input off: a fresh code, its PIN typed with the pad, Start; the credentials
    // go to `out`. A Problem on the way (a request timing out on a very loaded machine) is met
    // with Try again, a rejected or expired code with another round.
    bool final_link() {
        measuring_ = false;
        provider_.clear_faults();
        VirtualPad* pad = h_.plug(test::kXboxPad);
        if (!pad) return false;
        for (int round = 0; round < 4; ++round) {
            const auto code = fresh_code(*pad);
            if (!code) return false;
            const auto pin = provider_.approve(token_of(code->url));
            if (!pin) return false;
            book_.add_pin(*pin);
            if (!pad_digits(*pad, *pin)) return false;
            if (!h_.wait("focus on the check key",
                         [](const Snapshot& s) { return s.focus == Target::key_submit; }))
                return false;
            // Start, then (after a Problem) Try again, which sends the same PIN again.
            SDL_GameControllerButton button = SDL_CONTROLLER_BUTTON_START;
            for (int attempt = 0; attempt < 3; ++attempt) {
                const std::uint64_t before = h_.latest().index;
                if (!h_.tap(*pad, button)) return false;
                const auto done = h_.wait(
                    "Linked, or another answer",
                    [&](const Snapshot& s) {
                        return s.index > before &&
                               (s.state == State::linked || s.state == State::problem ||
                                (s.state == State::code && s.url != code->url));
                    },
                    false, kSettleBound);
                if (!done) return false;
                if (done->state == State::linked) {
                    links_ = 1;
                    h_.final_press(*pad, SDL_CONTROLLER_BUTTON_A);
                    return true;
                }
                if (done->state == State::code) break;  // rejected or expired: another round
                button = SDL_CONTROLLER_BUTTON_A;       // Problem: Try again is focused
            }
        }
        ADD_FAILURE() << "no link after four rounds with the faults off";
        return false;
    }

    // Brings a code the provider issued just now (Y for a new one), with the field empty.
    std::optional<Snapshot> fresh_code(VirtualPad& pad) {
        for (int i = 0; i < 8; ++i) {
            const Snapshot now = h_.latest();
            if (now.confirm_open) {
                h_.key(SDLK_BACKSPACE);  // closes the confirm in every state
                if (!h_.wait("the confirm closed", [&](const Snapshot& s) {
                        return s.index > now.index && !s.confirm_open;
                    }))
                    return std::nullopt;
                continue;
            }
            if (busy(now.state)) {
                if (!h_.wait(
                        "an answer", [](const Snapshot& s) { return !busy(s.state); }, false,
                        kSettleBound))
                    return std::nullopt;
                continue;
            }
            if (!h_.tap(pad, SDL_CONTROLLER_BUTTON_Y)) return std::nullopt;
            const auto fresh = h_.wait(
                "a fresh code",
                [&](const Snapshot& s) {
                    return s.index > now.index && !s.confirm_open &&
                           ((s.state == State::code && s.url != now.url) ||
                            s.state == State::problem);
                },
                false, kSettleBound);
            if (!fresh) return std::nullopt;
            if (fresh->state == State::code) return fresh;
        }
        ADD_FAILURE() << "no fresh code with the faults off";
        return std::nullopt;
    }

    bool pad_digits(VirtualPad& pad, const std::string& digits) {
        for (const char c : digits) {
            const int before = h_.latest().digits;
            const Target key = ui::digit_target(c - '0');
            for (int moves = 0; h_.latest().focus != key; ++moves) {
                if (moves > 8) {
                    ADD_FAILURE() << "focus never reached the key";
                    return false;
                }
                const Target from = h_.latest().focus;
                const int dr =
                    ui::pad_index(key) / ui::pad_columns - ui::pad_index(from) / ui::pad_columns;
                const auto b = dr != 0 ? (dr > 0 ? SDL_CONTROLLER_BUTTON_DPAD_DOWN
                                                 : SDL_CONTROLLER_BUTTON_DPAD_UP)
                                       : (ui::pad_index(key) > ui::pad_index(from)
                                              ? SDL_CONTROLLER_BUTTON_DPAD_RIGHT
                                              : SDL_CONTROLLER_BUTTON_DPAD_LEFT);
                const Target expected = moved(from, b);
                if (!h_.tap(pad, b)) return false;
                if (!h_.wait("focus to move",
                             [&](const Snapshot& s) { return s.focus == expected; }))
                    return false;
            }
            if (!h_.tap(pad, SDL_CONTROLLER_BUTTON_A)) return false;
            if (!h_.wait("a digit from A",
                         [&](const Snapshot& s) { return s.digits == before + 1; }))
                return false;
        }
        return true;
    }

    // --- Render thread: after every frame ------------------------------------------------

    void on_frame(const ui::Screen& screen, app::Presenter& presenter, const Snapshot& s) {
        const auto now = Clock::now();
        if (driving_.load()) frames_driven_.fetch_add(1);
        last_index_ = s.index;
        if (windowed_width_.load() == 0) {
            windowed_width_ = s.layout.width;
            window_w_ = s.window_w;
            window_h_ = s.window_h;
        }
        // SDL's offscreen driver leaves the window at the display's size when fullscreen ends;
        // a window manager would restore it, so the test does (the app sees a resize either way).
        if (restore_size_ &&
            (SDL_GetWindowFlags(presenter.window()) & SDL_WINDOW_FULLSCREEN) == 0) {
            SDL_SetWindowSize(presenter.window(), window_w_, window_h_);
            restore_size_ = false;
            layout_settles_at_ = s.index + 20;
        }
        observe(screen, presenter, s, now);
        prev_ = s;
        have_prev_ = true;
        if (!driving_.load() || failed_.load()) {
            release_stick();
            if (fullscreen_ && !failed_.load()) toggle_fullscreen(s, 0);  // back to the window
            return;
        }
        sent_ = Input::count;
        sent_arg_ = 0;
        drive(screen, presenter, s);
        trace_[trace_at_++ % trace_.size()] = {s.index,  s.state, s.confirm_open, s.focus,
                                               s.digits, sent_,   sent_arg_};
        h_.force_frame();
    }

    void fail(const std::string& why) {
        if (!failed_.exchange(true)) ADD_FAILURE() << why << "\n" << recent();
    }

  public:
    // The last steps (frame shown, then the input sent after it), oldest first.
    std::string recent() const {
        std::ostringstream o;
        o << "last steps:";
        for (std::size_t i = 0; i < trace_.size(); ++i) {
            const Trace& t = trace_[(trace_at_ + i) % trace_.size()];
            if (t.index == 0) continue;
            o << "\n  frame " << t.index << " " << test::state_name(t.state)
              << (t.confirm ? "+confirm" : "") << " focus " << static_cast<int>(t.focus) << " "
              << t.digits << " digits -> "
              << (t.input == Input::count ? "-" : kInputNames[static_cast<std::size_t>(t.input)])
              << " " << t.arg;
        }
        return o.str();
    }

  private:
    void observe(const ui::Screen& screen, app::Presenter& presenter, const Snapshot& s,
                 Clock::time_point now) {
        // Every busy spell ends within kSettleBound.
        if (busy(s.state)) {
            if (!busy_since_) busy_since_ = now;
            if (now - *busy_since_ > kSettleBound) {
                fail("stuck: " + std::string(test::state_name(s.state)) + " for longer than " +
                     std::to_string(kSettleBound.count()) + " s; " + test::describe(s));
            }
        } else if (busy_since_) {
            longest_busy_ms_ = std::max<long long>(
                longest_busy_ms_,
                std::chrono::duration_cast<std::chrono::milliseconds>(now - *busy_since_).count());
            ++settles_;
            busy_since_.reset();
        }
        if (s.state == State::linked && driving_.load()) {
            fail("linked during the random phase (no code was approved): " + test::describe(s));
        }
        // The probe of the last step shows in this very frame.
        if (probe_) {
            if (s.index == probe_->after + 1 &&
                (s.digits != probe_->digits ||
                 (probe_->focus != Target::none && s.focus != probe_->focus))) {
                fail(std::string("probe (") + probe_->what +
                     ") not shown in the next frame: " + test::describe(s));
            }
            probe_.reset();
        }
        track_pin(screen, s);
        // The text on screen: whenever what is shown changes, and every so often anyway.
        const bool changed = !have_prev_ || s.state != prev_.state ||
                             s.confirm_open != prev_.confirm_open || s.notice != prev_.notice ||
                             s.url != prev_.url;
        if (have_prev_ && s.state == State::problem && prev_.state != State::problem) ++problems_;
        if ((changed || s.index % 50 == 0) && !measuring_.load()) {
            if (!reader_) {
                std::string error;
                reader_ = test::TextReader::create(&error);
                if (!reader_) fail("cannot read text back: " + error);
            }
            if (reader_) {
                int w = 0, hgt = 0;
                presenter.drawable_size(w, hgt);
                const test::DrawnText text = reader_->read(screen, w, hgt);
                ++text_checks_;
                if (book_.check(text.all, "the text on screen", false) > 0) {
                    fail("a secret on screen: " + test::describe(s));
                }
                if (s.state == State::problem && changed) note_title(text.headline);
            }
        }
    }

    void note_title(const std::string& title) {
        for (std::size_t i = 0; i < titles_count_; ++i)
            if (titles_[i] == title) return;
        if (titles_count_ < titles_.size()) titles_[titles_count_++] = title;
    }

    // Follows the PIN field through the inputs sent, so that every PIN the screen submits is
    // known (and can be looked for in the logs and on screen), and checks that nothing enters
    // the field but what those inputs typed. (Found this way: a click on the keyboard hint
    // "0-9 Type" typed a 0.) Outside the random phase nothing predicts the inputs: there the
    // model is only given up, until the field is empty again.
    void track_pin(const ui::Screen& screen, const Snapshot& s) {
        const int length = screen.pin_length();
        const Prediction pred = pred_;
        pred_ = {};
        // (The last link's PIN is not followed but known: final_link() adds it.)
        if (driving_.load() && have_prev_ && prev_.state == State::code && !prev_.confirm_open &&
            prev_.digits == length && s.state == State::linking) {
            if (field_known_ && static_cast<int>(field_.size()) == length) {
                book_.add_pin(field_);
                ++pins_known_;
            } else {
                ++pins_unknown_;
            }
        }
        if (s.state != State::code || s.digits == 0) {
            field_.clear();
            field_known_ = true;
            return;
        }
        if (have_prev_ && s.url != prev_.url) {  // a new code: the field started empty
            field_.clear();
            field_known_ = true;
        }
        if (!field_known_) return;
        std::string grown = field_;
        if (pred.replace) {
            grown = pred.digits;
        } else {
            for (const char c : pred.digits)
                if (static_cast<int>(grown.size()) < length) grown.push_back(c);
        }
        const auto n = static_cast<std::size_t>(s.digits);
        if (n == grown.size() && grown != field_) {
            field_ = grown;
        } else if (n == field_.size()) {
            // unchanged
        } else if (n + 1 == field_.size()) {
            field_.pop_back();
        } else {
            field_known_ = false;
            if (driving_.load()) {
                fail("the PIN field shows " + std::to_string(n) + " digits where the inputs sent " +
                     "make " + std::to_string(grown.size()) + " (or " +
                     std::to_string(field_.size()) +
                     " if the last was not taken): " + test::describe(s));
            }
        }
    }

    // --- Render thread: the input of one step ----------------------------------------------

    struct Prediction {
        std::string digits;  // what a digit-entering input adds (or, with replace, becomes)
        bool replace = false;
    };
    struct Probe {
        const char* what;
        std::uint64_t after;  // the frame the probe was sent after
        int digits;           // expected in the next frame
        Target focus;         // expected in the next frame; none: any
    };

    int roll(int lo, int hi) {
        return pick(input_rng_, lo, hi);
    }
    void count(Input i, int arg = 0) {
        ++inputs_[static_cast<std::size_t>(i)];
        sent_ = i;
        sent_arg_ = arg;
    }

    void release_stick() {
        std::lock_guard lock(pads_mutex_);
        if (tilted_) {
            h_.tilt(*tilted_, tilted_axis_, 0);
            tilted_ = nullptr;
        }
    }

    // Pads whose last press has been reported released (pressing again before that is unseen).
    VirtualPad* ready_pad() {
        std::lock_guard lock(pads_mutex_);
        if (live_.empty()) return nullptr;
        VirtualPad* pad =
            live_[static_cast<std::size_t>(roll(0, static_cast<int>(live_.size()) - 1))];
        return h_.released(*pad) ? pad : nullptr;
    }
    bool all_released() {
        std::lock_guard lock(pads_mutex_);
        if (tilted_) return false;
        return std::all_of(live_.begin(), live_.end(),
                           [this](VirtualPad* p) { return h_.released(*p); });
    }

    // Whether the screen is at a point where the input of this step is handled in the state
    // the snapshot shows. Code and Problem wait on the person only (the worker is idle);
    // Connecting and Linking can change under any input, so nothing that would be harmful
    // in the state they turn into (Problem: Back quits, a click may land on Quit) is sent then.
    static bool stable(const Snapshot& s) {
        return s.state == State::code || s.state == State::problem;
    }

    bool activate_allowed(const Snapshot& s) {
        if (s.confirm_open) return s.focus == Target::keep_linking;
        if (s.state == State::problem) return s.focus != Target::quit;
        return s.state != State::linked;  // Code: a key; Connecting/Linking: ignored (or Try
                                          // again, focused first, when Problem comes first)
    }
    static bool back_allowed(const Snapshot& s) {
        return s.state == State::code;
    }

    // A point to click or touch, nullopt when no click is safe now.
    std::optional<ui::Vec2> click_point(const Snapshot& s, app::Presenter& presenter) {
        int w = 0, hgt = 0;
        presenter.drawable_size(w, hgt);
        if (!stable(s) || w != s.layout.width || hgt != s.layout.height ||
            s.index < layout_settles_at_ || !all_released())
            return std::nullopt;
        const ui::Layout& l = s.layout;
        const auto random_point = [&] {
            return ui::Vec2{static_cast<float>(roll(0, w - 1)),
                            static_cast<float>(roll(0, hgt - 1))};
        };
        const auto center = [](const ui::Rect& r) { return r.center(); };
        if (s.state == State::code && !s.confirm_open) {
            if (roll(0, 1) == 0) return center(l.keys[static_cast<std::size_t>(roll(0, 11))]);
            if (l.hint_count > 0 && roll(0, 2) == 0)
                return center(l.hints[static_cast<std::size_t>(roll(0, l.hint_count - 1))]);
            return random_point();
        }
        if (s.state == State::code && s.confirm_open) {
            if (roll(0, 1) == 0) return center(l.confirm_buttons[0]);
            const ui::Vec2 p = random_point();
            if (l.confirm_buttons[1].contains(p.x, p.y)) return std::nullopt;
            return p;
        }
        // Problem: anywhere but Quit and the hint bar (its Back quits too).
        if (roll(0, 1) == 0 && l.button_count > 0) {
            const auto i = static_cast<std::size_t>(roll(0, l.button_count - 1));
            if (l.button_targets[i] != Target::quit) return center(l.buttons[i]);
        }
        const ui::Vec2 p = random_point();
        if (l.rect_of(Target::quit).contains(p.x, p.y)) return std::nullopt;
        for (int i = 0; i < l.hint_count; ++i)
            if (l.hints[static_cast<std::size_t>(i)].contains(p.x, p.y)) return std::nullopt;
        return p;
    }

    // What a press or click at a point of the Code screen adds to the field (hint items first,
    // as Screen::hit_test looks).
    std::string digit_at(const Snapshot& s, ui::Vec2 p) {
        if (s.state != State::code || s.confirm_open) return {};
        for (int i = 0; i < s.layout.hint_count; ++i) {
            if (s.layout.hints[static_cast<std::size_t>(i)].contains(p.x, p.y)) {
                const bool activates =
                    s.layout.hint_actions[static_cast<std::size_t>(i)] == ui::ActionKind::activate;
                return activates ? focus_digit(s) : std::string();
            }
        }
        for (int i = 0; i < ui::pad_keys; ++i) {
            if (s.layout.keys[static_cast<std::size_t>(i)].contains(p.x, p.y)) {
                const int d = ui::pad_digit(ui::pad_target(i));
                return d >= 0 ? std::string(1, static_cast<char>('0' + d)) : std::string();
            }
        }
        return {};
    }
    // What activating the focus adds to the field. While busy, nothing unless the answer is a
    // code and comes first: then the fresh code's focus, 5, takes the press.
    static std::string focus_digit(const Snapshot& s) {
        if (s.confirm_open) return {};
        if (busy(s.state)) return "5";
        const int d = ui::pad_digit(s.focus);
        return (s.state == State::code && d >= 0) ? std::string(1, static_cast<char>('0' + d))
                                                  : std::string();
    }

    void push_mouse_click(const Snapshot& s, ui::Vec2 p) {
        h_.click(s, p.x, p.y);  // motion, press, release
    }
    void push_touch(const Snapshot& s, ui::Vec2 p, bool tap) {
        SDL_Event e{};
        e.tfinger.touchId = 1;
        e.tfinger.fingerId = 1;
        e.tfinger.x = p.x / static_cast<float>(std::max(1, s.layout.width));
        e.tfinger.y = p.y / static_cast<float>(std::max(1, s.layout.height));
        e.tfinger.pressure = 1.0f;
        e.tfinger.windowID = s.window_id;
        if (!tap) {
            e.type = SDL_FINGERMOTION;
            SDL_PushEvent(&e);
            return;
        }
        e.type = SDL_FINGERDOWN;
        SDL_PushEvent(&e);
        e.type = SDL_FINGERUP;
        SDL_PushEvent(&e);
    }
    void push_mouse_move(const Snapshot& s, ui::Vec2 p) {
        SDL_Event e{};
        e.type = SDL_MOUSEMOTION;
        e.motion.windowID = s.window_id;
        const float sx =
            static_cast<float>(s.window_w) / static_cast<float>(std::max(1, s.layout.width));
        const float sy =
            static_cast<float>(s.window_h) / static_cast<float>(std::max(1, s.layout.height));
        e.motion.x = static_cast<int>(p.x * sx);
        e.motion.y = static_cast<int>(p.y * sy);
        SDL_PushEvent(&e);
    }

    // One step's input (or none), chosen at random among those safe in the state shown.
    void drive(const ui::Screen& screen, app::Presenter& presenter, const Snapshot& s) {
        // A tilted stick is held for a random number of frames (hold-to-repeat), then let go.
        {
            std::lock_guard lock(pads_mutex_);
            if (tilted_ && --tilt_frames_ <= 0) {
                h_.tilt(*tilted_, tilted_axis_, 0);
                tilted_ = nullptr;
                return;
            }
        }
        if (s.state == State::linked) return;
        // Fullscreen for a while, then back: once early on for sure, more at random until the
        // warm-up ends (see key_input).
        if (fullscreen_ && s.index >= fullscreen_until_) {
            toggle_fullscreen(s, 0);
            return;
        }
        if (!fullscreen_ && inputs_[static_cast<std::size_t>(Input::fullscreen)] == 0 &&
            frames_driven_.load() >= 300) {
            toggle_fullscreen(s, 100);
            return;
        }
        const int length = screen.pin_length();
        // A probe now and then: an input whose effect the very next frame must show.
        if (s.state == State::code && !s.confirm_open && s.digits < length &&
            s.index >= next_probe_at_ && all_released()) {
            if (send_probe(s, presenter, length)) {
                next_probe_at_ = s.index + static_cast<std::uint64_t>(roll(20, 80));
                return;
            }
        }
        const int r = roll(0, 99);
        if (r < 35) {
            pad_input(s);
        } else if (r < 63) {
            key_input(s, length);
        } else if (r < 85) {
            mouse_input(s, presenter);
        } else if (r < 92) {
            touch_input(s, presenter);
        } else if (r < 93) {
            window_input(s);
        }  // else: no input this frame
    }

    bool send_probe(const Snapshot& s, app::Presenter& presenter, int length) {
        const int kind = roll(0, 3);
        switch (kind) {
            case 0: {  // a key
                const int d = roll(0, 9);
                h_.key(SDLK_0 + d);
                pred_.digits = std::string(1, static_cast<char>('0' + d));
                probe_ = Probe{"key", s.index, s.digits + 1, Target::none};
                break;
            }
            case 1: {  // the pad: a D-pad move
                VirtualPad* pad = ready_pad();
                if (!pad) return false;
                const auto b = static_cast<SDL_GameControllerButton>(SDL_CONTROLLER_BUTTON_DPAD_UP +
                                                                     roll(0, 3));
                h_.press_and_release_soon(*pad, b);
                probe_ = Probe{"D-pad", s.index, s.digits, moved(s.focus, b)};
                break;
            }
            case 2: {  // the pad: A on a digit key
                VirtualPad* pad = ready_pad();
                if (!pad || ui::pad_digit(s.focus) < 0) return false;
                h_.press_and_release_soon(*pad, SDL_CONTROLLER_BUTTON_A);
                pred_.digits = focus_digit(s);
                probe_ = Probe{"pad A", s.index, s.digits + 1, Target::none};
                break;
            }
            default: {  // a click or a tap on a digit key
                int w = 0, hgt = 0;
                presenter.drawable_size(w, hgt);
                if (w != s.layout.width || hgt != s.layout.height || s.index < layout_settles_at_)
                    return false;
                const int d = roll(0, 9);
                const Target key = ui::digit_target(d);
                const ui::Vec2 p =
                    s.layout.keys[static_cast<std::size_t>(ui::pad_index(key))].center();
                if (roll(0, 1) == 0) {
                    push_mouse_click(s, p);
                } else {
                    push_touch(s, p, true);
                }
                pred_.digits = std::string(1, static_cast<char>('0' + d));
                // The last digit sends focus on to the check key.
                probe_ = Probe{"click or tap", s.index, s.digits + 1,
                               s.digits + 1 == length ? Target::key_submit : key};
                break;
            }
        }
        ++probes_;
        count(Input::probe, kind);
        return true;
    }

    void pad_input(const Snapshot& s) {
        VirtualPad* pad = ready_pad();
        if (!pad) return;
        const int r = roll(0, 99);
        if (r < 40) {
            const auto b =
                static_cast<SDL_GameControllerButton>(SDL_CONTROLLER_BUTTON_DPAD_UP + roll(0, 3));
            h_.press_and_release_soon(*pad, b);
            count(Input::pad_dpad, b);
            return;
        }
        if (r < 50) {
            std::lock_guard lock(pads_mutex_);
            if (tilted_) return;
            tilted_ = pad;
            tilted_axis_ = roll(0, 1) ? SDL_CONTROLLER_AXIS_LEFTX : SDL_CONTROLLER_AXIS_LEFTY;
            tilt_frames_ = roll(0, 3) == 0 ? roll(20, 120) : 1;  // a hold, or a flick
            h_.tilt(*pad, tilted_axis_, roll(0, 1) ? 32767 : -32768);
            count(Input::pad_stick);
            return;
        }
        static constexpr std::array<SDL_GameControllerButton, 8> kButtons{
            SDL_CONTROLLER_BUTTON_A,    SDL_CONTROLLER_BUTTON_A,
            SDL_CONTROLLER_BUTTON_B,    SDL_CONTROLLER_BUTTON_X,
            SDL_CONTROLLER_BUTTON_Y,    SDL_CONTROLLER_BUTTON_START,
            SDL_CONTROLLER_BUTTON_BACK, SDL_CONTROLLER_BUTTON_LEFTSHOULDER};
        const auto b =
            kButtons[static_cast<std::size_t>(roll(0, static_cast<int>(kButtons.size()) - 1))];
        if (b == SDL_CONTROLLER_BUTTON_A && (!activate_allowed(s) || !all_released())) return;
        if (b == SDL_CONTROLLER_BUTTON_B && !back_allowed(s)) return;
        // Y in Code throws the code away: only now and then, so codes get typed into too.
        if (b == SDL_CONTROLLER_BUTTON_Y && s.state == State::code && roll(0, 3) != 0) return;
        if (b == SDL_CONTROLLER_BUTTON_A) pred_.digits = focus_digit(s);
        h_.press_and_release_soon(*pad, b);
        count(Input::pad_button, b);
    }

    void key_input(const Snapshot& s, int length) {
        const int r = roll(0, 99);
        if (r < 40) {
            const int d = roll(0, 9);
            const bool keypad = roll(0, 1) == 0;
            h_.key(keypad ? (d == 0 ? SDLK_KP_0 : SDLK_KP_1 + (d - 1)) : SDLK_0 + d);
            pred_.digits = std::string(1, static_cast<char>('0' + d));
            count(Input::key_digit);
        } else if (r < 55) {
            static constexpr std::array<SDL_Keycode, 4> kArrows{SDLK_UP, SDLK_DOWN, SDLK_LEFT,
                                                                SDLK_RIGHT};
            h_.key(kArrows[static_cast<std::size_t>(roll(0, 3))]);
            count(Input::key_nav);
        } else if (r < 75) {
            // Enter, Escape, Backspace, Delete, F5.
            const int k = roll(0, 4);
            if (k == 0) {
                if (!activate_allowed(s) || !all_released()) return;
                pred_.digits = focus_digit(s);  // unless typing: then Enter submits
                h_.key(roll(0, 1) ? SDLK_RETURN : SDLK_KP_ENTER);
            } else if (k == 1) {
                if (!back_allowed(s)) return;
                h_.key(SDLK_ESCAPE);
            } else if (k == 2) {
                h_.key(SDLK_BACKSPACE);
            } else if (k == 3) {
                h_.key(SDLK_DELETE);
            } else {
                if (s.state == State::code && roll(0, 3) != 0) return;
                h_.key(SDLK_F5);
            }
            count(Input::key_command, k);
        } else if (r < 88) {
            const auto& samples = clipboard_samples();
            const std::string& text =
                samples[static_cast<std::size_t>(roll(0, static_cast<int>(samples.size()) - 1))];
            SDL_SetClipboardText(text.c_str());
            h_.key(SDLK_v, static_cast<Uint16>(KMOD_LCTRL));
            const std::string found = pasted_digits(text, length);
            pred_.digits = found;
            pred_.replace = static_cast<int>(found.size()) == length;
            count(Input::paste);
        } else if (r < 99) {
            // Keys the screen does not use.
            static constexpr std::array<SDL_Keycode, 8> kOther{
                SDLK_a,    SDLK_SPACE,    SDLK_TAB,    SDLK_F1,
                SDLK_HOME, SDLK_PAGEDOWN, SDLK_LSHIFT, SDLK_q};
            h_.key(kOther[static_cast<std::size_t>(roll(0, static_cast<int>(kOther.size()) - 1))],
                   static_cast<Uint16>(roll(0, 3) == 0 ? KMOD_LCTRL : KMOD_NONE));
            count(Input::key_other);
        } else if (!warmed_up_.load() && roll(0, 9) == 0) {
            // Fullscreen during warm-up only: the bigger glyphs make the glyph atlas and the SDL
            // backend's upload buffer grow, and they keep that capacity afterwards (a high-water
            // mark, not a leak), which after warm-up would read as growth.
            toggle_fullscreen(s, roll(30, 300));
        }
    }

    // F11: into fullscreen for `frames` frames, or back (the window, the atlas and the layout
    // start over each time).
    void toggle_fullscreen(const Snapshot& s, int frames) {
        h_.key(SDLK_F11);
        fullscreen_ = !fullscreen_;
        restore_size_ = !fullscreen_;
        fullscreen_until_ = s.index + static_cast<std::uint64_t>(frames);
        layout_settles_at_ = s.index + 20;
        count(Input::fullscreen);
    }

    void mouse_input(const Snapshot& s, app::Presenter& presenter) {
        const int r = roll(0, 99);
        int w = 0, hgt = 0;
        presenter.drawable_size(w, hgt);
        if (r < 45) {
            push_mouse_move(s, {static_cast<float>(roll(0, std::max(1, w) - 1)),
                                static_cast<float>(roll(0, std::max(1, hgt) - 1))});
            count(Input::mouse_move);
        } else if (r < 90) {
            const auto p = click_point(s, presenter);
            if (!p) return;
            pred_.digits = digit_at(s, *p);
            push_mouse_click(s, *p);
            count(Input::mouse_click);
        } else {
            SDL_Event e{};
            e.type = SDL_MOUSEWHEEL;
            e.wheel.windowID = s.window_id;
            e.wheel.y = roll(0, 1) ? 1 : -1;
            SDL_PushEvent(&e);
            count(Input::mouse_wheel);
        }
    }

    void touch_input(const Snapshot& s, app::Presenter& presenter) {
        if (roll(0, 2) == 0) {
            int w = 0, hgt = 0;
            presenter.drawable_size(w, hgt);
            push_touch(s,
                       {static_cast<float>(roll(0, std::max(1, w) - 1)),
                        static_cast<float>(roll(0, std::max(1, hgt) - 1))},
                       false);
            count(Input::touch);
            return;
        }
        const auto p = click_point(s, presenter);
        if (!p) return;
        pred_.digits = digit_at(s, *p);
        push_touch(s, *p, true);
        count(Input::touch);
    }

    void window_input(const Snapshot& s) {
        static constexpr std::array<Uint8, 4> kEvents{
            SDL_WINDOWEVENT_FOCUS_LOST, SDL_WINDOWEVENT_FOCUS_GAINED, SDL_WINDOWEVENT_EXPOSED,
            SDL_WINDOWEVENT_SIZE_CHANGED};
        SDL_Event e{};
        e.type = SDL_WINDOWEVENT;
        e.window.windowID = s.window_id;
        e.window.event = kEvents[static_cast<std::size_t>(roll(0, 3))];
        e.window.data1 = s.window_w;
        e.window.data2 = s.window_h;
        SDL_PushEvent(&e);
        if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) layout_settles_at_ = s.index + 20;
        count(Input::window_event);
    }

    ScreenHarness& h_;
    link::LocalProvider& provider_;
    SecretBook& book_;
    std::mt19937_64 input_rng_;   // render thread
    std::mt19937_64 script_rng_;  // script thread
    const int target_frames_;
    Clock::time_point start_;
    std::atomic<bool> driving_{false};
    std::atomic<bool> measuring_{false};  // no text reading: its glyph cache is not the app's
    std::atomic<bool> warmed_up_{false};
    std::atomic<bool> failed_{false};
    std::atomic<int> frames_driven_{0};

    // Pads: the script thread plugs and unplugs, the render thread presses.
    std::mutex pads_mutex_;
    std::vector<VirtualPad*> live_;
    VirtualPad* tilted_ = nullptr;
    SDL_GameControllerAxis tilted_axis_ = SDL_CONTROLLER_AXIS_LEFTX;
    int tilt_frames_ = 0;

    // Render thread.
    std::unique_ptr<test::TextReader> reader_;
    Snapshot prev_;
    bool have_prev_ = false;
    std::uint64_t last_index_ = 0;
    std::optional<Clock::time_point> busy_since_;
    std::optional<Probe> probe_;
    Prediction pred_;
    std::string field_;
    bool field_known_ = true;
    std::uint64_t next_probe_at_ = 0;
    std::uint64_t layout_settles_at_ = 0;
    std::atomic<bool> fullscreen_{false};
    std::uint64_t fullscreen_until_ = 0;
    bool restore_size_ = false;
    int window_w_ = 0, window_h_ = 0;     // the window's size before any fullscreen
    std::atomic<int> windowed_width_{0};  // the drawable's width in a window: the first frame's
    std::array<std::uint64_t, static_cast<std::size_t>(Input::count)> inputs_{};
    std::uint64_t probes_ = 0, text_checks_ = 0;
    int problems_ = 0, settles_ = 0, pins_known_ = 0, pins_unknown_ = 0;
    long long longest_busy_ms_ = 0;
    std::array<std::string, 16> titles_{};
    struct Trace {
        std::uint64_t index = 0;
        State state = State::connecting;
        bool confirm = false;
        Target focus = Target::none;
        int digits = 0;
        Input input = Input::count;
        int arg = 0;
    };
    std::array<Trace, 24> trace_{};  // a ring: no allocation per step
    std::size_t trace_at_ = 0;
    Input sent_ = Input::count;
    int sent_arg_ = 0;
    std::size_t titles_count_ = 0;

    // Script thread.
    std::array<int, kFaults.size()> fault_counts_{};
    int fault_clears_ = 0, fault_clear_alls_ = 0, plugs_ = 0, unplugs_ = 0;
};

// `check_heap`: whether the heap must stay flat. Not for OpenGL here: Mesa's llvmpipe keeps
// caches of its own, which in some runs moved by 5 to 25 MB either way between the two
// measurements (in others by a few KiB); the software run is the heap check.
void run_soak(const char* renderer, const char* size, int frames, bool check_heap) {
    const auto started = Clock::now();
    SdlBlockCache::install();  // before SDL's first allocation (run_screen's first hint)
    // The offscreen driver would otherwise show each software frame through an OpenGL texture
    // (Mesa's llvmpipe), which costs more than drawing it; a real display has its own path.
    setenv("SDL_FRAMEBUFFER_ACCELERATION", "0", 1);
    const std::uint64_t seed = seed_from_env();
    std::cout << "soak: renderer=" << renderer << " seed=" << seed << " frames=" << frames
              << " (PINLINK_SOAK_SEED and PINLINK_SOAK_FRAMES override)" << std::endl;

    SecretBook book;
    link::LocalProviderOptions po;
    po.consumer_secret = kConsumerSecret;
    po.timestamp_window_seconds = kProviderWindowSeconds;
    po.token_lifetime_seconds = kTokenLifetimeSeconds;
    po.on_issue = [&book](bool, std::string_view, std::string_view secret) {
        book.add_secret(secret);
    };
    link::LocalProvider provider(std::move(po));
    std::string error;
    ASSERT_TRUE(provider.start(&error)) << error;

    // The client as main() makes it from the command line: --verbose --timeout 2.
    app::LinkOptions options;
    options.verbose = true;
    options.timeout_seconds = kTimeoutSeconds;
    net::Options net_options;
    net_options.verbose = options.verbose;
    net_options.total_timeout = std::chrono::seconds(options.timeout_seconds);
    net_options.connect_timeout = std::min(net_options.connect_timeout, net_options.total_timeout);
    net::Client http(net_options);
    link::FlowConfig config;
    config.api_base = provider.base_url();
    config.consumer_key = std::string(link::kDemoConsumerKey);
    config.consumer_secret = kConsumerSecret;
    link::PinFlow flow(http, config);

    ScreenHarness::Setup setup;
    setup.renderer = renderer;
    setup.size = size;
    setup.verbose = options.verbose;
    setup.history_limit = kHistory;
    ScreenHarness h(setup);
    Soak soak(h, provider, book, seed, frames);
    soak.seed_for_summary_ = seed;

    // Everything the process writes to stderr meanwhile (libcurl's trace from the worker thread
    // included) goes to a file, kept when the test fails.
    const fs::path trace =
        fs::temp_directory_path() / ("pinlink-soak-" + std::to_string(::getpid()) + ".stderr");
    std::cout << "soak: stderr of the run goes to " << trace.string() << std::endl;
    int code = -1;
    std::string captured;
    {
        StderrCapture capture(trace);
        code = h.run(flow, [&](ScreenHarness&) { return soak.script(); });
        soak.finish();
        captured = capture.finish();
    }
    provider.stop();
    SdlBlockCache::flush();
    const double wall = std::chrono::duration<double>(Clock::now() - started).count();

    // The link completed, and its credentials are right.
    EXPECT_EQ(code, 0) << "run_screen's exit code";
    EXPECT_EQ(soak.links_, 1);
    const std::string out = h.out();
    const auto json = nlohmann::json::parse(out, nullptr, false);
    EXPECT_TRUE(json.is_object()) << "stdout is not exactly one JSON object (" << out.size()
                                  << " bytes)";
    if (json.is_object()) {
        EXPECT_EQ(json.value("screen_name", ""), "pinlink_demo");
        EXPECT_EQ(json.value("user_id", ""), "1000001");
        EXPECT_FALSE(json.value("oauth_token", "").empty());
        const std::string secret = json.value("oauth_token_secret", "");
        EXPECT_EQ(secret.size(), SecretBook::kSecretLength);
        // The secret the provider issued with the access token (on_issue saw every one).
        EXPECT_TRUE(book.has_secret(secret)) << "oauth_token_secret is not one the provider issued";
    }
    // No secret anywhere else: not in what run_screen wrote to err, not in the process's stderr
    // (libcurl's --verbose trace), not in stdout beside the one JSON object.
    EXPECT_GT(book.secrets(), 0u);
    EXPECT_GT(book.pins(), 0u);
    EXPECT_FALSE(book.full()) << "more secrets than SecretBook holds";
    EXPECT_EQ(book.odd_secrets(), 0) << "token secrets not of make_nonce's shape";
    book.check(h.err(), "run_screen's err", true);
    book.check(captured, "the process's stderr (" + trace.string() + ")", true);
    EXPECT_NE(captured.find("Connected to 127.0.0.1"), std::string::npos)
        << "no libcurl trace: was --verbose on?";
    EXPECT_EQ(out.find(kConsumerSecret), std::string::npos);

    // A flat heap after warm-up.
    EXPECT_GT(soak.heap_warm_, 0u) << "warm-up never measured";
    if (check_heap && soak.heap_warm_ > 0 && soak.heap_end_ > soak.heap_warm_) {
        EXPECT_LT(soak.heap_end_ - soak.heap_warm_, kHeapGrowthBound)
            << "heap grew from " << soak.heap_warm_ << " to " << soak.heap_end_ << " bytes";
    }

    std::cout << soak.summary(wall) << std::endl;
    std::cout << "soak problems shown: " << soak.problem_titles() << std::endl;
    if (::testing::Test::HasFailure()) std::cout << soak.recent() << std::endl;
    if (!::testing::Test::HasFailure() && !std::getenv("PINLINK_SOAK_KEEP_TRACE")) {
        fs::remove(trace);
    }
}

// The smallest window the app accepts (4:3, so the 16:9 canvas is letterboxed): SDL's software
// renderer costs about what its pixels cost, and 20,000 frames must fit the time a test gets.
TEST(AppSoak, SoftwareRendererRandomInputAndFaults) {
    run_soak("software", "320x240", env_int("PINLINK_SOAK_FRAMES", kDefaultFrames), true);
}

// The same on the OpenGL presenter (Mesa's llvmpipe here), shorter: a fifth of the frames
// (PINLINK_SOAK_GL_FRAMES overrides).
TEST(AppSoak, OpenGlShorterRun) {
    const int frames = env_int("PINLINK_SOAK_FRAMES", kDefaultFrames) / 5;
    run_soak("gl", "427x240", env_int("PINLINK_SOAK_GL_FRAMES", std::max(frames, 1)), false);
}

// Found by the soak: with the keyboard's hint bar on screen, a tap (or a click) on "0-9 Type",
// a hint that names keys rather than an action, typed a 0 into the PIN field.
TEST(AppSoakFindings, TappingTheTypeHintTypesNothing) {
    const ui::TimePoint t0 = ui::TimePoint{} + 1h;
    ui::Screen screen;
    screen.show_code(ui::CodeView{"https://api.x.com/oauth/authorize?oauth_token=abc", "", 7,
                                  ui::CodeNotice::none},
                     t0);
    screen.handle(ui::Action::enter_digit(4, ui::Device::keyboard), t0);  // keyboard hints now
    test::FakeGlyphs glyphs;
    ui::DrawList list;
    screen.build(list, glyphs, 1920, 1080, t0);
    const ui::Layout& l = screen.layout();
    int type_hint = -1;
    for (int i = 0; i < l.hint_count; ++i) {
        if (l.hint_actions[static_cast<std::size_t>(i)] == ui::ActionKind::digit) type_hint = i;
    }
    ASSERT_GE(type_hint, 0) << "no \"Type\" hint while typing on a keyboard";
    const ui::Vec2 c = l.hints[static_cast<std::size_t>(type_hint)].center();
    // A tap: press and release where the hint is, no move before.
    screen.handle(ui::Action::pointer(ui::ActionKind::pointer_press, c.x, c.y), t0);
    screen.handle(ui::Action::pointer(ui::ActionKind::pointer_release, c.x, c.y), t0);
    EXPECT_EQ(screen.digits_entered(), 1);
    EXPECT_TRUE(screen.take_commands().empty());
}

}  // namespace
