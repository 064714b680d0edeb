// The link screen end to end, headless and in-process, on both backends (OpenGL through Mesa
// and SDL_Renderer's software driver): whole links driven only by a virtual gamepad, only by
// the keyboard and only by the mouse, with the address read back from the QR code in the
// screenshot; the QR code at three resolutions; hint glyphs per controller type; a rejected
// PIN, a network failure and recovery; a controller unplugged mid-entry; one-frame response;
// the exit codes for cancelling; and on GL, the window made before the first code is asked for.
// The local provider stands in for X.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "link/local_provider.hpp"
#include "support/process.hpp"
#include "support/screen_harness.hpp"
#include "support/servers.hpp"
#include "ui/hints.hpp"
#include "ui/strings.hpp"
#include "ui/theme.hpp"

using namespace pinlink;
using namespace std::chrono_literals;
using test::kPlayStationPad;
using test::kStepTimeout;
using test::kSwitchProPad;
using test::kXboxPad;
using test::ScreenHarness;
using test::Snapshot;
using test::VirtualPad;
using ui::State;
using ui::Target;
namespace fs = std::filesystem;

namespace {

// --- The provider and the flow -----------------------------------------------------------------

struct Provider {
    explicit Provider(int port = 0) {
        link::LocalProviderOptions o;
        o.port = port;  // 0: any free port
        p = std::make_unique<link::LocalProvider>(std::move(o));
        std::string error;
        ok = p->start(&error);
        EXPECT_TRUE(ok) << error;
    }
    std::unique_ptr<link::LocalProvider> p;
    bool ok = false;
};

net::Options quick() {
    net::Options o;
    o.connect_timeout = 5s;
    o.total_timeout = 10s;
    return o;
}

// The network client and the PIN flow the screen's worker runs.
struct Link {
    explicit Link(const std::string& api_base) : http(quick()), flow(http, config(api_base)) {}
    static link::FlowConfig config(const std::string& api_base) {
        link::FlowConfig c;
        c.api_base = api_base;
        c.consumer_key = std::string(link::kDemoConsumerKey);
        c.consumer_secret = std::string(link::kDemoConsumerSecret);
        return c;
    }
    net::Client http;
    link::PinFlow flow;
};

std::string token_of(const std::string& url) {
    static const std::regex token("[?&]oauth_token=([^&]+)");
    std::smatch m;
    return std::regex_search(url, m, token) ? m[1].str() : std::string();
}

// --- QR codes ----------------------------------------------------------------------------------

std::string find_program(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        const std::size_t end = std::min(dirs.find(':', start), dirs.size());
        const fs::path candidate = fs::path(dirs.substr(start, end - start)) / name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
        start = end + 1;
    }
    return {};
}

// What zbarimg reads from the picture: the text of its one QR code, nullopt if none.
std::optional<std::string> decode_qr(const fs::path& png) {
    const std::string zbarimg = find_program("zbarimg");
    if (zbarimg.empty()) {
        ADD_FAILURE() << "zbarimg is missing (Debian package zbar-tools, see scripts/bootstrap)";
        return std::nullopt;
    }
    test::Child child({zbarimg, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", png.string()});
    const auto code = child.wait_exit(kStepTimeout);
    if (code != 0) return std::nullopt;
    std::string text = child.out();
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    return text;
}

std::optional<std::string> decode_qr(const render::Image& image, const fs::path& dir) {
    const fs::path png = dir / "frame.png";
    const auto written = render::write_png(image, png.string());
    if (!written) {
        ADD_FAILURE() << written.message;
        return std::nullopt;
    }
    return decode_qr(png);
}

// --- Pixels ------------------------------------------------------------------------------------

int channel_diff(ui::Color a, ui::Color b) {
    return std::max({std::abs(a.r - b.r), std::abs(a.g - b.g), std::abs(a.b - b.b)});
}

// Pixels inside `r` within a small tolerance of `c` (the core of a stroke or letter).
int count_colour(const render::Image& image, const ui::Rect& r, ui::Color c) {
    int n = 0;
    const int x0 = std::max(0, static_cast<int>(r.x)), y0 = std::max(0, static_cast<int>(r.y));
    const int x1 = std::min(image.width, static_cast<int>(r.right()));
    const int y1 = std::min(image.height, static_cast<int>(r.bottom()));
    for (int y = y0; y < y1; ++y) {
        for (int x = x0; x < x1; ++x) {
            if (channel_diff(image.pixel(x, y), c) <= 10) ++n;
        }
    }
    return n;
}

// --- Driving the screen ------------------------------------------------------------------------

bool in_state(const Snapshot& s, State state) {
    return s.state == state && !s.confirm_open;
}

// The D-pad presses from one pad key to another, shortest way round (focus wraps), with the
// focus expected after each.
std::vector<std::pair<SDL_GameControllerButton, Target>> dpad_path(Target from, Target to) {
    std::vector<std::pair<SDL_GameControllerButton, Target>> path;
    int row = ui::pad_index(from) / ui::pad_columns, col = ui::pad_index(from) % ui::pad_columns;
    const int to_row = ui::pad_index(to) / ui::pad_columns;
    const int to_col = ui::pad_index(to) % ui::pad_columns;
    const auto step = [&](SDL_GameControllerButton b, int dr, int dc) {
        row = (row + dr + ui::pad_rows) % ui::pad_rows;
        col = (col + dc + ui::pad_columns) % ui::pad_columns;
        path.emplace_back(b, ui::pad_target(row * ui::pad_columns + col));
    };
    const int down = (to_row - row + ui::pad_rows) % ui::pad_rows;
    for (int i = 0; i < (down <= ui::pad_rows / 2 ? down : 0); ++i)
        step(SDL_CONTROLLER_BUTTON_DPAD_DOWN, 1, 0);
    for (int i = 0; i < (down > ui::pad_rows / 2 ? ui::pad_rows - down : 0); ++i)
        step(SDL_CONTROLLER_BUTTON_DPAD_UP, -1, 0);
    const int right = (to_col - col + ui::pad_columns) % ui::pad_columns;
    if (right == 1) step(SDL_CONTROLLER_BUTTON_DPAD_RIGHT, 0, 1);
    if (right == 2) step(SDL_CONTROLLER_BUTTON_DPAD_LEFT, 0, -1);
    return path;
}

// Moves focus to `key` with the D-pad, one press per frame shown.
bool pad_focus(ScreenHarness& h, VirtualPad& pad, Target key) {
    for (const auto& [button, expected] : dpad_path(h.latest().focus, key)) {
        if (!h.tap(pad, button)) return false;
        if (!h.wait("focus to move", [&](const Snapshot& s) { return s.focus == expected; }))
            return false;
    }
    return true;
}

// Enters `digits` on the pad: D-pad to each key, A to press it.
bool pad_digits(ScreenHarness& h, VirtualPad& pad, const std::string& digits) {
    for (const char c : digits) {
        const int before = h.latest().digits;
        if (!pad_focus(h, pad, ui::digit_target(c - '0'))) return false;
        if (!h.tap(pad, SDL_CONTROLLER_BUTTON_A)) return false;
        if (!h.wait("a digit from A", [&](const Snapshot& s) { return s.digits == before + 1; }))
            return false;
    }
    return true;
}

bool key_digits(ScreenHarness& h, const std::string& digits) {
    for (const char c : digits) {
        const int before = h.latest().digits;
        h.key(SDLK_0 + (c - '0'));
        if (!h.wait("a typed digit", [&](const Snapshot& s) { return s.digits == before + 1; }))
            return false;
    }
    return true;
}

bool click_digits(ScreenHarness& h, const std::string& digits) {
    for (const char c : digits) {
        const Snapshot now = h.latest();
        const auto key = static_cast<std::size_t>(ui::pad_index(ui::digit_target(c - '0')));
        h.click(now, now.layout.keys[key]);
        if (!h.wait("a clicked digit",
                    [&](const Snapshot& s) { return s.digits == now.digits + 1; }))
            return false;
    }
    return true;
}

// The Code screen has been shown with a code in its screenshot: the URL zbarimg reads from it,
// checked against the one the screen shows.
std::optional<std::string> url_from_screenshot(ScreenHarness& h, const fs::path& dir) {
    const fs::path png = dir / "code.png";
    const auto shown = h.wait(
        "code.png", [&](const Snapshot& s) { return s.state == State::code && fs::exists(png); });
    if (!shown) return std::nullopt;
    const auto url = decode_qr(png);
    EXPECT_TRUE(url) << "no QR code found in " << png;
    if (!url) return std::nullopt;
    EXPECT_EQ(*url, shown->url);
    return url;
}

// The credentials on stdout: exactly one JSON object, for the demo account; no secret on stderr.
void expect_credentials(const ScreenHarness& h, const std::string& pin) {
    const std::string out = h.out();
    const auto json = nlohmann::json::parse(out, nullptr, false);
    ASSERT_FALSE(json.is_discarded()) << "stdout is not one JSON value: " << out;
    ASSERT_TRUE(json.is_object()) << out;
    EXPECT_EQ(json.value("screen_name", ""), "pinlink_demo");
    EXPECT_EQ(json.value("user_id", ""), "1000001");
    const std::string secret = json.value("oauth_token_secret", "");
    EXPECT_FALSE(json.value("oauth_token", "").empty());
    EXPECT_FALSE(secret.empty());
    if (!secret.empty()) {
        EXPECT_EQ(h.err().find(secret), std::string::npos) << "the token secret reached stderr";
    }
    if (!pin.empty()) {
        EXPECT_EQ(h.err().find(pin), std::string::npos) << "the PIN reached stderr";
    }
}

// A wrong PIN of the right length.
std::string wrong_pin(const std::string& pin) {
    std::string w = pin;
    w.back() = static_cast<char>('0' + (w.back() - '0' + 1) % 10);
    return w;
}

// --- Fixture -----------------------------------------------------------------------------------

class ScreenTest : public ::testing::TestWithParam<const char*> {
  protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::string name = std::string(info->name());
        std::replace(name.begin(), name.end(), '/', '-');
        dir_ = fs::temp_directory_path() /
               ("pinlink-screen-" + std::to_string(::getpid()) + "-" + name);
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        // Kept for a look when something failed, or on request (PINLINK_KEEP_SCREENSHOTS=1).
        if (HasFailure() || std::getenv("PINLINK_KEEP_SCREENSHOTS")) {
            std::cerr << "screenshots: " << dir_.string() << "\n";
        } else {
            fs::remove_all(dir_);
        }
    }
    ScreenHarness::Setup setup(std::string size = "1920x1080") const {
        ScreenHarness::Setup s;
        s.renderer = GetParam();
        s.size = std::move(size);
        s.screenshot_dir = dir_;
        return s;
    }
    fs::path dir_;
};

std::string backend_name(const ::testing::TestParamInfo<const char*>& info) {
    return info.param;
}

// --- 1. Whole links, one kind of input each ----------------------------------------------------

TEST_P(ScreenTest, LinksWithOnlyAVirtualGamepad) {
    Provider provider;
    ASSERT_TRUE(provider.ok);
    Link link(provider.p->base_url());
    ScreenHarness h(setup());
    std::string pin;
    const int code = h.run(link.flow, [&](ScreenHarness&) {
        VirtualPad* pad = h.plug(kXboxPad);
        if (!pad) return false;
        const auto url = url_from_screenshot(h, dir_);
        if (!url) return false;
        const auto approved = provider.p->approve(token_of(*url));
        if (!approved) return false;
        pin = *approved;
        if (!h.wait("focus on 5", [](const Snapshot& s) { return s.focus == Target::key_5; }))
            return false;
        if (!pad_digits(h, *pad, pin)) return false;
        // The last digit sends focus to ✓; Start links from anywhere.
        if (!h.wait("focus on the check key",
                    [](const Snapshot& s) { return s.focus == Target::key_submit; }))
            return false;
        if (!h.tap(*pad, SDL_CONTROLLER_BUTTON_START)) return false;
        const fs::path linked_png = dir_ / "linked.png";
        if (!h.wait("Linked, and its screenshot", [&](const Snapshot& s) {
                return in_state(s, State::linked) && fs::exists(linked_png);
            }))
            return false;
        EXPECT_EQ(h.latest().device, ui::Device::xbox);
        h.final_press(*pad, SDL_CONTROLLER_BUTTON_A);  // any button closes the Linked screen
        return true;
    });
    EXPECT_EQ(code, 0) << h.err();
    expect_credentials(h, pin);
}

TEST_P(ScreenTest, LinksWithOnlyTheKeyboard) {
    Provider provider;
    ASSERT_TRUE(provider.ok);
    Link link(provider.p->base_url());
    ScreenHarness h(setup());
    std::string pin;
    const int code = h.run(link.flow, [&](ScreenHarness&) {
        const auto url = url_from_screenshot(h, dir_);
        if (!url) return false;
        const auto approved = provider.p->approve(token_of(*url));
        if (!approved) return false;
        pin = *approved;
        if (!key_digits(h, pin)) return false;
        EXPECT_EQ(h.latest().device, ui::Device::keyboard);
        h.key(SDLK_RETURN);  // typing, Enter means done
        if (!h.wait("Linked", [](const Snapshot& s) { return in_state(s, State::linked); }))
            return false;
        h.final_key(SDLK_RETURN);
        return true;
    });
    EXPECT_EQ(code, 0) << h.err();
    expect_credentials(h, pin);
}

TEST_P(ScreenTest, LinksWithOnlyTheMouse) {
    Provider provider;
    ASSERT_TRUE(provider.ok);
    Link link(provider.p->base_url());
    ScreenHarness h(setup());
    std::string pin;
    const int code = h.run(link.flow, [&](ScreenHarness&) {
        const auto url = url_from_screenshot(h, dir_);
        if (!url) return false;
        const auto approved = provider.p->approve(token_of(*url));
        if (!approved) return false;
        pin = *approved;
        if (!click_digits(h, pin)) return false;
        const Snapshot now = h.latest();
        EXPECT_EQ(now.device, ui::Device::pointer);
        h.click(now, now.layout.keys[static_cast<std::size_t>(ui::pad_index(Target::key_submit))]);
        if (!h.wait("Linked", [](const Snapshot& s) { return in_state(s, State::linked); }))
            return false;
        h.final_click(h.latest());  // a click anywhere closes the Linked screen
        return true;
    });
    EXPECT_EQ(code, 0) << h.err();
    expect_credentials(h, pin);
}

// --- 2. The QR code at three resolutions --------------------------------------------------------

TEST_P(ScreenTest, QrCodeDecodesToTheAddressAt720p1080pAnd4K) {
    Provider provider;
    ASSERT_TRUE(provider.ok);
    for (const char* size : {"1280x720", "1920x1080", "3840x2160"}) {
        SCOPED_TRACE(size);
        const fs::path shots = dir_ / size;
        fs::create_directories(shots);
        Link link(provider.p->base_url());
        auto s = setup(size);
        s.screenshot_dir = shots;
        ScreenHarness h(s);
        const int code = h.run(link.flow, [&](ScreenHarness&) {
            const auto url = url_from_screenshot(h, shots);
            if (!url) return false;
            const Snapshot now = h.latest();
            EXPECT_EQ(std::to_string(now.layout.width) + "x" + std::to_string(now.layout.height),
                      size);
            // The exact address: this provider's authorize page for a token it issued.
            EXPECT_EQ(url->rfind(provider.p->base_url() + "/oauth/authorize?oauth_token=", 0), 0u)
                << *url;
            EXPECT_TRUE(provider.p->approve(token_of(*url))) << *url;
            h.quit();
            return true;
        });
        EXPECT_EQ(code, 3);
    }
}

// --- 3. Hint glyphs per controller type ------------------------------------------------------

// The first hint (Select, or Type PIN on a keyboard) is drawn with the glyph of `device`.
void expect_hints_for(const Snapshot& s, ui::Device device) {
    ASSERT_EQ(s.device, device);
    const ui::HintBar bar = ui::hint_bar(s.state, s.confirm_open, s.digits > 0, device);
    ASSERT_EQ(s.layout.hint_count, bar.count);
    for (int i = 0; i < bar.count; ++i) {
        EXPECT_EQ(s.layout.hint_actions[static_cast<std::size_t>(i)],
                  bar.items[static_cast<std::size_t>(i)].action);
    }
    ASSERT_FALSE(s.pixels.empty());
    const ui::Rect first = s.layout.hints[0];
    const ui::ButtonGlyph glyph = ui::action_glyph(device, bar.items[0].action);
    const int own = count_colour(s.pixels, first, glyph.color);
    EXPECT_GT(own, 20) << "the first hint's glyph is not drawn in its colour";
    // No other controller's colours there.
    if (device != ui::Device::xbox) {
        EXPECT_EQ(count_colour(s.pixels, first, ui::theme::xbox_a), 0);
    }
    if (device != ui::Device::playstation) {
        EXPECT_EQ(count_colour(s.pixels, first, ui::theme::ps_cross), 0);
    }
}

TEST_P(ScreenTest, HintGlyphsFollowTheControllerType) {
    // What the glyphs are meant to be: south button = Select.
    using ui::GlyphShape;
    EXPECT_EQ(ui::action_glyph(ui::Device::xbox, ui::ActionKind::activate).text, "A");
    EXPECT_EQ(ui::action_glyph(ui::Device::playstation, ui::ActionKind::activate).shape,
              GlyphShape::cross);
    EXPECT_EQ(ui::action_glyph(ui::Device::nintendo, ui::ActionKind::activate).text, "B");
    EXPECT_EQ(ui::action_glyph(ui::Device::keyboard, ui::ActionKind::digit).shape,
              GlyphShape::keycap);

    Provider provider;
    ASSERT_TRUE(provider.ok);
    Link link(provider.p->base_url());
    ScreenHarness h(setup());
    const int code = h.run(link.flow, [&](ScreenHarness&) {
        if (!h.wait("Code",
                    [](const Snapshot& s) { return in_state(s, State::code) && s.at_rest; }))
            return false;
        const auto shows = [&](ui::Device d, const char* what) {
            const auto frame = h.wait(
                what, [d](const Snapshot& s) { return s.device == d; }, true);
            if (!frame) return false;
            expect_hints_for(*frame, d);
            // For a person to look at (kept with PINLINK_KEEP_SCREENSHOTS=1).
            render::write_png(
                frame->pixels,
                (dir_ / ("hints-" + std::to_string(static_cast<int>(d)) + ".png")).string());
            return true;
        };
        // Plugging a controller in switches the glyphs at once.
        VirtualPad* xbox = h.plug(kXboxPad);
        if (!xbox || !shows(ui::Device::xbox, "Xbox glyphs")) return false;
        // Typing switches to keys; the pad's next press switches back.
        h.key(SDLK_4);
        if (!shows(ui::Device::keyboard, "keyboard keys")) return false;
        if (!h.tap(*xbox, SDL_CONTROLLER_BUTTON_DPAD_LEFT) ||
            !shows(ui::Device::xbox, "Xbox again"))
            return false;
        VirtualPad* ps = h.plug(kPlayStationPad);
        if (!ps || !shows(ui::Device::playstation, "PlayStation glyphs")) return false;
        if (!h.tap(*xbox, SDL_CONTROLLER_BUTTON_DPAD_RIGHT) || !shows(ui::Device::xbox, "Xbox"))
            return false;
        if (!h.tap(*ps, SDL_CONTROLLER_BUTTON_DPAD_RIGHT) ||
            !shows(ui::Device::playstation, "PlayStation after its press"))
            return false;
        VirtualPad* nintendo = h.plug(kSwitchProPad);
        if (!nintendo || !shows(ui::Device::nintendo, "Nintendo glyphs")) return false;
        // The Nintendo pad's south button (labelled B) selects: it enters the focused digit.
        const Snapshot before = h.latest();
        if (!h.tap(*nintendo, SDL_CONTROLLER_BUTTON_A)) return false;
        if (!h.wait("a digit from the Nintendo pad",
                    [&](const Snapshot& s) { return s.digits == before.digits + 1; }))
            return false;
        h.quit();
        return true;
    });
    EXPECT_EQ(code, 3);
}

// --- 4. A rejected PIN; a network failure -------------------------------------------------------

TEST_P(ScreenTest, RejectedPinBringsAFreshCodeAndSaysSo) {
    Provider provider;
    ASSERT_TRUE(provider.ok);
    Link link(provider.p->base_url());
    ScreenHarness h(setup());
    std::string pin;
    const int code = h.run(link.flow, [&](ScreenHarness&) {
        const auto first = url_from_screenshot(h, dir_);
        if (!first) return false;
        const auto approved = provider.p->approve(token_of(*first));
        if (!approved) return false;
        if (!key_digits(h, wrong_pin(*approved))) return false;
        h.key(SDLK_RETURN);
        // A fresh code, read back from the QR code the frame shows, and the plain message.
        const auto fresh = h.wait(
            "a fresh code",
            [&](const Snapshot& s) {
                return in_state(s, State::code) && s.url != *first && s.at_rest;
            },
            true);
        if (!fresh) return false;
        EXPECT_EQ(fresh->notice, ui::strings::notice_pin_rejected);
        EXPECT_EQ(fresh->digits, 0);
        const auto second = decode_qr(fresh->pixels, dir_);
        EXPECT_EQ(second, fresh->url);
        if (!second || *second == *first) return false;
        // The fresh code links.
        const auto again = provider.p->approve(token_of(*second));
        if (!again) return false;
        pin = *again;
        if (!key_digits(h, pin)) return false;
        h.key(SDLK_RETURN);
        if (!h.wait("Linked", [](const Snapshot& s) { return in_state(s, State::linked); }))
            return false;
        h.final_key(SDLK_RETURN);
        return true;
    });
    EXPECT_EQ(code, 0) << h.err();
    expect_credentials(h, pin);
    EXPECT_GE(provider.p->stats().rejected, 1);
}

TEST_P(ScreenTest, NetworkFailureShowsProblemAndTryAgainRecovers) {
    // Until the provider starts on its port, something there hangs up on every connection
    // (and counts them, so a retry can be told from nothing happening).
    auto down = std::make_unique<test::RawServer>([](test::RawConnection&) {});
    ASSERT_TRUE(down->ok());
    const int port = down->port();
    Link link("http://127.0.0.1:" + std::to_string(port));
    std::unique_ptr<Provider> provider;
    ScreenHarness h(setup());
    std::string pin;
    const int code = h.run(link.flow, [&](ScreenHarness&) {
        const auto shown = h.wait("the Problem screen", [&](const Snapshot& s) {
            return in_state(s, State::problem) && fs::exists(dir_ / "problem.png");
        });
        if (!shown) return false;
        EXPECT_EQ(shown->focus, Target::try_again);
        // Try again while the provider is still away: a new attempt, and Problem again.
        const int attempts = down->accepted();
        const std::uint64_t at = h.inject([&] { h.key(SDLK_RETURN); });
        if (at == 0) return false;
        if (!h.wait("the Problem screen after another attempt", [&](const Snapshot& s) {
                return s.index > at && in_state(s, State::problem) && down->accepted() > attempts;
            }))
            return false;
        // The provider answers again: Try again brings a code, and the code links.
        down.reset();
        provider = std::make_unique<Provider>(port);
        if (!provider->ok) return false;
        h.key(SDLK_RETURN);
        const auto url = url_from_screenshot(h, dir_);
        if (!url) return false;
        const auto approved = provider->p->approve(token_of(*url));
        if (!approved) return false;
        pin = *approved;
        if (!key_digits(h, pin)) return false;
        h.key(SDLK_RETURN);
        if (!h.wait("Linked", [](const Snapshot& s) { return in_state(s, State::linked); }))
            return false;
        h.final_key(SDLK_RETURN);
        return true;
    });
    EXPECT_EQ(code, 0) << h.err();
    expect_credentials(h, pin);
}

// --- 5. Hotplug mid-entry ------------------------------------------------------------------------

TEST_P(ScreenTest, UnpluggedControllerLosesNoDigitAndAnotherWorksAtOnce) {
    Provider provider;
    ASSERT_TRUE(provider.ok);
    Link link(provider.p->base_url());
    ScreenHarness h(setup());
    std::string pin;
    const int code = h.run(link.flow, [&](ScreenHarness&) {
        VirtualPad* xbox = h.plug(kXboxPad);
        if (!xbox) return false;
        const auto url = url_from_screenshot(h, dir_);
        if (!url) return false;
        const auto approved = provider.p->approve(token_of(*url));
        if (!approved) return false;
        pin = *approved;
        if (!pad_digits(h, *xbox, pin.substr(0, 3))) return false;
        // Unplugged while holding a direction: the first move happens, then nothing repeats.
        if (!h.hold(*xbox, SDL_CONTROLLER_BUTTON_DPAD_DOWN)) return false;
        if (!h.unplug(*xbox)) return false;
        const auto unplugged = h.fresh_frame();  // the removal has been handled
        if (!unplugged) return false;
        EXPECT_EQ(unplugged->digits, 3);
        EXPECT_TRUE(in_state(*unplugged, State::code));
        // Longer than the hold-to-repeat delay (400 ms) plus two repeats: a stuck direction
        // would have moved the focus by now. (Absence cannot be awaited; this bound is the test.)
        std::this_thread::sleep_for(600ms);
        const auto later = h.fresh_frame();
        if (!later) return false;
        EXPECT_EQ(later->focus, unplugged->focus) << "focus kept moving after the unplug";
        EXPECT_EQ(later->digits, 3);
        // Another controller: its glyphs at once, and its first press counts.
        VirtualPad* ps = h.plug(kPlayStationPad);
        if (!ps) return false;
        if (!h.wait("PlayStation hints",
                    [](const Snapshot& s) { return s.device == ui::Device::playstation; }))
            return false;
        if (!pad_digits(h, *ps, pin.substr(3))) return false;
        if (!h.wait("focus on the check key",
                    [](const Snapshot& s) { return s.focus == Target::key_submit; }))
            return false;
        if (!h.tap(*ps, SDL_CONTROLLER_BUTTON_A)) return false;  // A on ✓ links
        if (!h.wait("Linked", [](const Snapshot& s) { return in_state(s, State::linked); }))
            return false;
        h.final_press(*ps, SDL_CONTROLLER_BUTTON_B);
        return true;
    });
    // The provider took the PIN: every digit arrived, in order, none twice.
    EXPECT_EQ(code, 0) << h.err();
    expect_credentials(h, pin);
}

// --- 6. One frame from action to effect --------------------------------------------------------

TEST_P(ScreenTest, TheFrameAfterAnActionShowsItsEffect) {
    Provider provider;
    ASSERT_TRUE(provider.ok);
    Link link(provider.p->base_url());
    ScreenHarness h(setup());
    const int code = h.run(link.flow, [&](ScreenHarness&) {
        VirtualPad* pad = h.plug(kXboxPad);
        if (!pad) return false;
        if (!h.wait("Code with the Xbox pad", [](const Snapshot& s) {
                return in_state(s, State::code) && s.device == ui::Device::xbox &&
                       s.focus == Target::key_5;
            }))
            return false;
        // Each step runs between two frames; the very next frame must show its effect.
        const auto next_shows = [&](const char* what, const std::function<void()>& action,
                                    const std::function<bool(const Snapshot&)>& effect) {
            const std::uint64_t at = h.inject(action);
            if (at == 0) return false;
            const auto next = h.frame_after(at);
            if (!next) return false;
            EXPECT_TRUE(effect(*next)) << what << ": " << test::describe(*next);
            return effect(*next);
        };
        const auto press = [&](SDL_GameControllerButton b) {
            return [&h, pad, b] { h.press_and_release_soon(*pad, b); };
        };
        if (!next_shows("D-pad right", press(SDL_CONTROLLER_BUTTON_DPAD_RIGHT),
                        [](const Snapshot& s) { return s.focus == Target::key_6; }))
            return false;
        if (!next_shows("D-pad up", press(SDL_CONTROLLER_BUTTON_DPAD_UP),
                        [](const Snapshot& s) { return s.focus == Target::key_3; }))
            return false;
        if (!next_shows("D-pad up wraps to the bottom row", press(SDL_CONTROLLER_BUTTON_DPAD_UP),
                        [](const Snapshot& s) { return s.focus == Target::key_submit; }))
            return false;
        if (!next_shows("D-pad down wraps to the top row", press(SDL_CONTROLLER_BUTTON_DPAD_DOWN),
                        [](const Snapshot& s) { return s.focus == Target::key_3; }))
            return false;
        if (!next_shows("A", press(SDL_CONTROLLER_BUTTON_A),
                        [](const Snapshot& s) { return s.digits == 1; }))
            return false;
        if (!next_shows(
                "key 7", [&] { h.key(SDLK_7); },
                [](const Snapshot& s) {
                    return s.digits == 2 && s.device == ui::Device::keyboard;
                }))
            return false;
        const Snapshot now = h.latest();
        const ui::Rect zero =
            now.layout.keys[static_cast<std::size_t>(ui::pad_index(Target::key_0))];
        if (!next_shows(
                "a click on 0", [&] { h.click(now, zero); },
                [](const Snapshot& s) { return s.digits == 3 && s.device == ui::Device::pointer; }))
            return false;
        if (!next_shows("B deletes", press(SDL_CONTROLLER_BUTTON_B),
                        [](const Snapshot& s) { return s.digits == 2; }))
            return false;
        if (!next_shows(
                "Backspace deletes", [&] { h.key(SDLK_BACKSPACE); },
                [](const Snapshot& s) { return s.digits == 1; }))
            return false;
        if (!next_shows("X clears", press(SDL_CONTROLLER_BUTTON_X),
                        [](const Snapshot& s) { return s.digits == 0; }))
            return false;
        if (!next_shows("B on an empty field asks", press(SDL_CONTROLLER_BUTTON_B),
                        [](const Snapshot& s) { return s.confirm_open; }))
            return false;
        if (!next_shows("B again keeps linking", press(SDL_CONTROLLER_BUTTON_B),
                        [](const Snapshot& s) { return !s.confirm_open; }))
            return false;
        // Connecting, or already the new code when the provider answered before the frame.
        const std::string old_url = h.latest().url;
        if (!next_shows("Y gets a new code", press(SDL_CONTROLLER_BUTTON_Y),
                        [&](const Snapshot& s) {
                            return s.state == State::connecting ||
                                   (s.state == State::code && s.url != old_url);
                        }))
            return false;
        if (!h.wait("the new code", [&](const Snapshot& s) {
                return in_state(s, State::code) && s.url != old_url;
            }))
            return false;
        if (!key_digits(h, "1234567")) return false;
        // Linking, or already the fresh code after the rejection when the local provider
        // answered before the next frame was drawn.
        const std::string code_url = h.latest().url;
        if (!next_shows(
                "Start submits", press(SDL_CONTROLLER_BUTTON_START), [&](const Snapshot& s) {
                    return s.state == State::linking ||
                           (s.state == State::code && s.url != code_url && !s.notice.empty());
                }))
            return false;
        h.quit();
        return true;
    });
    EXPECT_EQ(code, 3);
}

// --- 7. Cancelling -------------------------------------------------------------------------------

TEST_P(ScreenTest, BackOnAnEmptyFieldThenStopExitsWithThree) {
    Provider provider;
    ASSERT_TRUE(provider.ok);
    Link link(provider.p->base_url());
    ScreenHarness h(setup());
    const int code = h.run(link.flow, [&](ScreenHarness&) {
        VirtualPad* pad = h.plug(kPlayStationPad);
        if (!pad) return false;
        if (!h.wait("Code", [](const Snapshot& s) { return in_state(s, State::code); }))
            return false;
        if (!h.tap(*pad, SDL_CONTROLLER_BUTTON_B)) return false;
        const auto asked =
            h.wait("Stop linking?", [](const Snapshot& s) { return s.confirm_open; });
        if (!asked) return false;
        EXPECT_EQ(asked->focus, Target::keep_linking);  // the safe choice first
        if (!h.tap(*pad, SDL_CONTROLLER_BUTTON_DPAD_RIGHT)) return false;
        if (!h.wait("Stop focused",
                    [](const Snapshot& s) { return s.focus == Target::stop_linking; }))
            return false;
        h.final_press(*pad, SDL_CONTROLLER_BUTTON_A);
        return true;
    });
    EXPECT_EQ(code, 3);
    EXPECT_EQ(h.out(), "");
}

TEST_P(ScreenTest, ClosingTheWindowExitsWithThree) {
    Provider provider;
    ASSERT_TRUE(provider.ok);
    Link link(provider.p->base_url());
    ScreenHarness h(setup());
    const int code = h.run(link.flow, [&](ScreenHarness&) {
        if (!h.wait("Code", [](const Snapshot& s) { return in_state(s, State::code); }))
            return false;
        h.quit();
        return true;
    });
    EXPECT_EQ(code, 3);
    EXPECT_EQ(h.out(), "");
}

INSTANTIATE_TEST_SUITE_P(Backends, ScreenTest, ::testing::Values("gl", "software"), backend_name);

// --- 7. What starts first ------------------------------------------------------------------------

// On GL the window is made before the first code is asked for: the driver's libraries and
// libcurl would otherwise wait on each other's loading (src/app/screen_frontend.cpp). The
// provider's log says when the request arrived; an SDL event watch, which SDL calls as it sends
// the window's first event from SDL_CreateWindow, says when the window existed.
int note_window(void* userdata, SDL_Event* event) {
    if (event->type == SDL_WINDOWEVENT) static_cast<std::atomic<bool>*>(userdata)->store(true);
    return 1;
}

TEST(ScreenStartup, OnGlTheFirstCodeIsAskedForOnceTheWindowExists) {
    std::atomic<bool> window_exists{false};
    std::atomic<int> before_window{0}, after_window{0};
    link::LocalProviderOptions options;
    options.log = [&](std::string_view line) {
        if (line.starts_with("POST /oauth/request_token")) {
            (window_exists.load() ? after_window : before_window).fetch_add(1);
        }
    };
    link::LocalProvider provider(std::move(options));
    std::string error;
    ASSERT_TRUE(provider.start(&error)) << error;
    Link link(provider.base_url());
    ScreenHarness::Setup setup;
    setup.renderer = "gl";
    ScreenHarness h(setup);
    // Before run_screen's SDL_Init: SDL keeps watches added before it; its SDL_Quit drops them.
    SDL_AddEventWatch(note_window, &window_exists);
    const int code = h.run(link.flow, [&](ScreenHarness&) {
        if (!h.wait("Code", [](const Snapshot& s) { return in_state(s, State::code); }))
            return false;
        h.quit();
        return true;
    });
    SDL_DelEventWatch(note_window, &window_exists);
    EXPECT_EQ(code, 3) << h.err();
    EXPECT_TRUE(window_exists.load());
    EXPECT_EQ(before_window.load(), 0);
    EXPECT_EQ(after_window.load(), 1);
}

}  // namespace
