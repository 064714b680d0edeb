// The link screen (app::run_screen, headless, in-process) against the local provider's fault
// modes (issue 5), as test_app_cli_faults does for --tty: for each fault where it matters
// (request_token at start, access_token after the PIN, users_me, and every endpoint for
// wrong_certificate and date_far_off), the plain-language text the Problem screen draws, read
// back from the frames and compared with link::LinkError's and ui::strings' wording; the Problem
// screen within the client timeout plus a margin; a loop that keeps drawing and answering input
// while a request is held; Try again with the pad recovering once the fault is off; the exit
// codes of giving up instead. Every run has the most verbose logging the app has (--verbose HTTP
// tracing, PINLINK_TRACE), and no consumer secret, token secret or PIN may appear on stderr, on
// stdout apart from the credentials object, or in any text drawn on screen.
#include <SDL.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "app/link_options.hpp"
#include "link/error.hpp"
#include "link/local_provider.hpp"
#include "support/drawn_text.hpp"
#include "support/screen_harness.hpp"
#include "support/secrets.hpp"
#include "support/tls_fixture.hpp"
#include "ui/strings.hpp"

using namespace pinlink;
using namespace std::chrono_literals;
using link::Endpoint;
using link::ErrorKind;
using link::Fault;
using test::kXboxPad;
using test::ScreenHarness;
using test::Snapshot;
using test::squeezed;
using test::VirtualPad;
using ui::State;
using ui::Target;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kKey = "screen-faults-consumer-key";
constexpr const char* kConsumerSecret = "screen-faults-consumer-SECRET-4d7e1";
// LinkOptions::timeout_seconds (--timeout): short, so the suite stays fast. Held requests get a
// longer one, so the input checks made while they are held fit inside the hold on a loaded
// machine under ASan (window start-up included: the first request goes out before the window).
constexpr int kTimeout = 2;
constexpr int kHeldTimeout = 10;
// slow: one body byte per this, so no reply (about 150 bytes) completes within kHeldTimeout.
constexpr auto kSlowInterval = 250ms;
// The Problem screen must be up within the timeout plus this (window and GL start-up included).
constexpr auto kMargin = 8s;
// rate_limited: x-rate-limit-reset this far ahead; not the provider's default, so the minutes on
// screen can only come from the header.
constexpr std::int64_t kResetIn = 7 * 60;

bool holds(Fault f) {
    return f == Fault::never_answer || f == Fault::slow;
}

// --- The world of one run ------------------------------------------------------------------------

// The network options main() makes from LinkOptions, with the test CA when over HTTPS.
net::Options net_options(app::LinkOptions o, const std::string& ca_file) {
    o.ca_file = ca_file;
    return app::make_net_options(o);
}

// Everything written to this process's stderr (fd 2) while it lives: libcurl's --verbose
// trace goes there, not to run_screen's `err`.
class StderrCapture {
  public:
    StderrCapture() {
        std::fflush(stderr);
        file_ = std::tmpfile();
        saved_ = ::dup(2);
        ok_ = file_ && saved_ >= 0 && ::dup2(::fileno(file_), 2) >= 0;
    }
    ~StderrCapture() { finish(); }
    StderrCapture(const StderrCapture&) = delete;
    StderrCapture& operator=(const StderrCapture&) = delete;

    // Restores stderr and returns what was written meanwhile.
    std::string finish() {
        if (!file_) return text_;
        std::fflush(stderr);
        if (saved_ >= 0) {
            ::dup2(saved_, 2);
            ::close(saved_);
            saved_ = -1;
        }
        std::rewind(file_);
        char buf[4096];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, file_)) > 0;)
            text_.append(buf, n);
        std::fclose(file_);
        file_ = nullptr;
        return text_;
    }
    bool ok() const { return ok_; }

  private:
    std::FILE* file_ = nullptr;
    int saved_ = -1;
    bool ok_ = false;
    std::string text_;
};

std::string token_of(const std::string& url) {
    static const std::regex token("[?&]oauth_token=([^&]+)");
    std::smatch m;
    return std::regex_search(url, m, token) ? m[1].str() : std::string();
}

// A provider with its own consumer keys (HTTPS through a throwaway CA when asked), the client
// and flow the screen's worker runs, built as main() builds them, and the harness.
struct World {
    World(bool https, int timeout_seconds, const char* backend, link::FaultOptions faults = {})
        : fault_options(faults), h(setup(backend)) {
        link::LocalProviderOptions o;
        o.consumer_key = kKey;
        o.consumer_secret = kConsumerSecret;
        o.on_issue = issued.callback();
        if (https) {
            tls = std::make_unique<test::TlsFixture>();
            EXPECT_TRUE(tls->ok()) << tls->error();
            o.tls_cert_file = tls->server().cert;
            o.tls_key_file = tls->server().key;
            // A certificate from the trusted CA for another name: the handshake completes and
            // only the name check fails (the case that once stuck in the session cache).
            const auto other = tls->issue("other-host", {"other-host.example"}, {});
            EXPECT_TRUE(other) << tls->error();
            if (other) {
                o.wrong_tls_cert_file = other->cert;
                o.wrong_tls_key_file = other->key;
            }
        }
        provider = std::make_unique<link::LocalProvider>(std::move(o));
        std::string why;
        ok = provider->start(&why) && (!https || tls->ok());
        EXPECT_TRUE(ok) << why;

        options.json = true;
        options.verbose = true;
        options.timeout_seconds = timeout_seconds;
        http = std::make_unique<net::Client>(net_options(options, https ? tls->ca_file() : ""));
        link::FlowConfig c;
        c.api_base = provider->base_url();
        c.consumer_key = kKey;
        c.consumer_secret = kConsumerSecret;
        flow = std::make_unique<link::PinFlow>(*http, c);
    }

    static ScreenHarness::Setup setup(const char* backend) {
        ScreenHarness::Setup s;
        s.renderer = backend;
        s.size = "1280x720";
        s.json = true;
        s.verbose = true;
        s.read_text = true;
        return s;
    }

    bool fault(Endpoint endpoint, Fault f) {
        std::string why;
        const bool set = provider->set_fault(endpoint, f, fault_options, &why);
        EXPECT_TRUE(set) << why;
        return set;
    }

    // Runs the screen with stderr captured; returns run_screen's exit code.
    int run(const ScreenHarness::Script& script) {
        StderrCapture capture;
        EXPECT_TRUE(capture.ok()) << "cannot capture stderr";
        const int code = h.run(*flow, script);
        stderr_text = capture.finish();
        return code;
    }

    // Approves the code `url` shows, as the person does on the phone; the PIN, if any.
    std::optional<std::string> approve(const std::string& url) {
        auto pin = provider->approve(token_of(url));
        EXPECT_TRUE(pin) << "the provider would not approve " << url;
        if (pin) pins.push_back(*pin);
        return pin;
    }

    test::Secrets secrets() const {
        test::Secrets s{{"the consumer secret", kConsumerSecret}};
        for (std::size_t i = 0; i < pins.size(); ++i)
            s.push_back({"PIN #" + std::to_string(i + 1), pins[i]});
        for (auto& issued_secret : issued.secrets())
            s.push_back(std::move(issued_secret));
        return s;
    }

    link::FaultOptions fault_options;
    test::IssuedSecrets issued;
    std::unique_ptr<test::TlsFixture> tls;
    std::unique_ptr<link::LocalProvider> provider;
    bool ok = false;
    app::LinkOptions options;
    std::unique_ptr<net::Client> http;
    std::unique_ptr<link::PinFlow> flow;
    ScreenHarness h;
    std::vector<std::string> pins;  // approved on the script thread; read after run() joined it
    std::string stderr_text;
};

// --- Checks --------------------------------------------------------------------------------------

// After a run: the most verbose logging was on; no secret in `err`, on stderr, in any text any
// frame drew, or on stdout apart from the credentials object, which (when `linked`) is the one
// thing on stdout and carries an access token secret the provider issued and no other secret.
void expect_verbose_and_no_secrets(World& w, bool linked, bool tokens_issued = true) {
    const test::Secrets all = w.secrets();
    if (tokens_issued) {
        EXPECT_GE(w.issued.count(false), 1) << "no request token secret to look for";
    }
    // PINLINK_TRACE=1 and --verbose were in force (so the checks below are not vacuous).
    EXPECT_NE(w.h.err().find("pinlink: trace first-frame"), std::string::npos) << w.h.err();
    EXPECT_NE(w.stderr_text.find("Authorization: [redacted]"), std::string::npos)
        << "no verbose HTTP trace on stderr";
    test::expect_no_secrets(w.h.err(), all, "run_screen's err");
    test::expect_no_secrets(w.stderr_text, all, "stderr (verbose HTTP trace)");

    std::set<std::string> texts;
    for (const Snapshot& s : w.h.frames())
        texts.insert(s.text.all);
    EXPECT_FALSE(texts.empty() || (texts.size() == 1 && texts.begin()->empty()))
        << "no text was read from the frames";
    for (const std::string& t : texts)
        test::expect_no_secrets(t, all, "the text a frame drew");

    const std::string out = w.h.out();
    if (!linked) {
        EXPECT_EQ(out, "") << "stdout must stay empty without a link";
        return;
    }
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out.back(), '\n');
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << "one JSON object and nothing else";
    const auto json = nlohmann::json::parse(out, nullptr, false);
    ASSERT_TRUE(json.is_object()) << "stdout is not one JSON object";
    EXPECT_EQ(json.value("screen_name", ""), "pinlink_demo");
    EXPECT_EQ(json.value("user_id", ""), "1000001");
    const std::string secret = json.value("oauth_token_secret", "");
    EXPECT_TRUE(w.issued.is_access_secret(secret)) << "not an access token secret it issued";
    const auto issued = w.issued.all();
    const auto last_access =
        std::find_if(issued.rbegin(), issued.rend(), [](const auto& i) { return i.access; });
    ASSERT_NE(last_access, issued.rend());
    EXPECT_EQ(json.value("oauth_token", ""), last_access->token) << "not the latest access token";
    EXPECT_EQ(secret, last_access->secret) << "not the latest access token's secret";
    test::Secrets others;
    for (const test::Secret& s : all) {
        if (s.value != secret) others.push_back(s);
    }
    test::expect_no_secrets(out, others, "stdout's credentials object");
}

// The failure a fault at a step must end in, as link::LinkError words it.
struct Failure {
    ErrorKind kind;
    int http_status;
    int provider_code;
};

std::optional<Failure> failure_for(Fault f) {
    switch (f) {
        case Fault::never_answer:
        case Fault::slow:
            return Failure{ErrorKind::timeout, 0, 0};
        case Fault::reset:
            return Failure{ErrorKind::network, 0, 0};
        case Fault::status_500:
            return Failure{ErrorKind::server_error, 500, 131};
        case Fault::status_503:
            return Failure{ErrorKind::server_error, 503, 130};
        case Fault::rate_limited:
            return Failure{ErrorKind::rate_limited, 429, 88};
        case Fault::not_a_token:
            return Failure{ErrorKind::malformed_reply, 200, 0};
        case Fault::oversized:
            return Failure{ErrorKind::malformed_reply, 0, 0};
        case Fault::wrong_certificate:
            return Failure{ErrorKind::tls, 0, 0};
        case Fault::none:
        case Fault::date_far_off:
            break;
    }
    return std::nullopt;
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The Problem screen as drawn says what link::LinkError says for `f`, with its buttons.
void expect_problem_text(const Snapshot& s, const Failure& f) {
    link::LinkError e;
    e.kind = f.kind;
    e.http_status = f.http_status;
    e.provider.code = f.provider_code;
    const std::int64_t now = link::system_clock_now();
    if (f.kind == ErrorKind::rate_limited) e.retry_at = now + kResetIn;
    EXPECT_EQ(s.text.headline, squeezed(e.title())) << link::to_string(f.kind);
    EXPECT_EQ(s.text.body, squeezed(e.next_step(now))) << link::to_string(f.kind);
    if (f.kind == ErrorKind::rate_limited) {
        // When to try again, from x-rate-limit-reset.
        EXPECT_NE(s.text.body.find(std::to_string(kResetIn / 60) + "minutes"), std::string::npos)
            << s.text.body;
    }
    // The small line: the provider's words, then the code and status (nothing without them).
    if (e.detail().empty()) {
        EXPECT_EQ(s.text.detail, "") << link::to_string(f.kind);
    } else {
        EXPECT_TRUE(ends_with(s.text.detail, squeezed(e.detail()))) << s.text.detail;
    }
    for (const std::string_view label :
         {ui::strings::try_again, ui::strings::new_code, ui::strings::quit}) {
        EXPECT_NE(s.text.all.find(squeezed(label)), std::string::npos) << label;
    }
    EXPECT_EQ(s.focus, Target::try_again);
}

bool in_state(const Snapshot& s, State state) {
    return s.state == state && !s.confirm_open;
}

std::chrono::milliseconds left(Clock::time_point deadline) {
    return std::max(0ms,
                    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

// The Problem screen, settled, by `deadline`.
std::optional<Snapshot> problem_by(ScreenHarness& h, Clock::time_point deadline) {
    return h.wait(
        "the Problem screen within the timeout plus the margin",
        [](const Snapshot& s) { return in_state(s, State::problem) && s.at_rest; }, false,
        left(deadline));
}

// --- Driving ---------------------------------------------------------------------------------

bool key_digits(ScreenHarness& h, const std::string& digits) {
    for (const char c : digits) {
        const int before = h.latest().digits;
        h.key(SDLK_0 + (c - '0'));
        if (!h.wait("a typed digit", [&](const Snapshot& s) { return s.digits == before + 1; }))
            return false;
    }
    return true;
}

// The first code (the fault is not at request_token): approves it and types its PIN.
std::optional<std::string> code_and_pin(World& w) {
    const auto code = w.h.wait("the Code screen", [](const Snapshot& s) {
        return in_state(s, State::code) && !s.url.empty();
    });
    if (!code) return std::nullopt;
    const auto pin = w.approve(code->url);
    if (!pin || !key_digits(w.h, *pin)) return std::nullopt;
    return code->url;
}

// While a request is held (the spinner of `state` on screen), input shows on the very next
// frame and frames keep coming: B opens "Stop linking?", the D-pad moves its focus there and
// back, B closes it; then more frames of the same state.
bool stays_live_while_held(ScreenHarness& h, VirtualPad& pad, State state) {
    const auto next_shows = [&](const char* what, SDL_GameControllerButton b,
                                const std::function<bool(const Snapshot&)>& effect) {
        const std::uint64_t at = h.inject([&h, &pad, b] { h.press_and_release_soon(pad, b); });
        if (at == 0) return false;
        const auto next = h.frame_after(at);
        if (!next) return false;
        EXPECT_EQ(next->state, state) << what << ": the request was no longer held";
        EXPECT_TRUE(effect(*next)) << what << ": " << test::describe(*next);
        return next->state == state && effect(*next);
    };
    if (!h.wait("the spinner while the request is held",
                [&](const Snapshot& s) { return in_state(s, state); }))
        return false;
    if (!next_shows("B asks to stop", SDL_CONTROLLER_BUTTON_B, [](const Snapshot& s) {
            return s.confirm_open && s.focus == Target::keep_linking;
        }))
        return false;
    if (!next_shows("D-pad right moves to Stop", SDL_CONTROLLER_BUTTON_DPAD_RIGHT,
                    [](const Snapshot& s) { return s.focus == Target::stop_linking; }))
        return false;
    if (!next_shows("D-pad left moves back", SDL_CONTROLLER_BUTTON_DPAD_LEFT,
                    [](const Snapshot& s) { return s.focus == Target::keep_linking; }))
        return false;
    if (!next_shows("B keeps linking", SDL_CONTROLLER_BUTTON_B,
                    [](const Snapshot& s) { return !s.confirm_open; }))
        return false;
    const std::uint64_t from = h.latest().index;
    const auto more = h.wait("more frames, or the end of the hold", [&](const Snapshot& s) {
        return s.index >= from + 3 || !in_state(s, state);
    });
    if (!more) return false;
    EXPECT_TRUE(in_state(*more, state)) << "the hold ended: " << test::describe(*more);
    return in_state(*more, state);
}

// From a settled Code screen whose PIN is typed: Start on the pad, then Linked; `deadline`
// bounds the wait. The Linked frame.
std::optional<Snapshot> start_until_linked(ScreenHarness& h, VirtualPad& pad,
                                           Clock::time_point deadline) {
    if (!h.tap(pad, SDL_CONTROLLER_BUTTON_START)) return std::nullopt;
    return h.wait(
        "Linked", [](const Snapshot& s) { return in_state(s, State::linked) && s.settled; }, false,
        left(deadline));
}

// After a fault is switched off: Try again with the pad, then a whole link. `fault_url` is the
// code on screen when the step failed (empty when none). Ends the screen from the Linked screen.
bool try_again_links(World& w, VirtualPad& pad, const std::string& fault_url, bool expect_expired) {
    ScreenHarness& h = w.h;
    if (!h.tap(pad, SDL_CONTROLLER_BUTTON_A)) return false;  // focus is on Try again
    const auto next = h.wait("Linked or a code after Try again", [&](const Snapshot& s) {
        return (in_state(s, State::linked) && s.settled) ||
               (in_state(s, State::code) && !s.url.empty() && s.url != fault_url && s.at_rest);
    });
    if (!next) return false;
    if (next->state == State::code) {
        if (fault_url.empty()) {
            EXPECT_EQ(next->notice, "") << "the first code after a failed first step";
        } else {
            // The code was spent by a reply that never arrived: a fresh one, and it says why.
            EXPECT_TRUE(expect_expired) << "a new code after Try again, said: " << next->notice;
            EXPECT_EQ(next->notice, ui::strings::notice_code_expired);
            EXPECT_NE(next->text.all.find(squeezed(ui::strings::notice_code_expired)),
                      std::string::npos);
        }
        const auto pin = w.approve(next->url);
        if (!pin || !key_digits(h, *pin)) return false;
        if (!start_until_linked(h, pad, Clock::now() + test::kStepTimeout)) return false;
    } else {
        EXPECT_FALSE(expect_expired) << "the spent code linked again";
    }
    EXPECT_EQ(h.latest().text.headline,
              squeezed(std::string(ui::strings::linked_prefix) + "pinlink_demo"));
    h.final_press(pad, SDL_CONTROLLER_BUTTON_A);  // any button closes Linked
    return true;
}

// --- Fault cases -------------------------------------------------------------------------------

struct FaultCase {
    Endpoint endpoint;
    Fault fault;
    const char* backend;  // "software" | "gl"
};

// GoogleTest prints GetParam() with this instead of the struct's raw bytes.
void PrintTo(const FaultCase& c, std::ostream* os) {
    *os << link::to_string(c.fault) << " at " << link::to_string(c.endpoint) << " on "
        << c.backend;
}

std::string case_name(const ::testing::TestParamInfo<FaultCase>& info) {
    return std::string(link::to_string(info.param.fault)) + "_at_" +
           std::string(link::to_string(info.param.endpoint)) + "_" + info.param.backend;
}

std::vector<FaultCase> fault_cases() {
    std::vector<FaultCase> out;
    for (const Endpoint at : {Endpoint::request_token, Endpoint::access_token}) {
        for (const Fault f :
             {Fault::never_answer, Fault::slow, Fault::reset, Fault::status_500, Fault::status_503,
              Fault::rate_limited, Fault::not_a_token, Fault::oversized}) {
            out.push_back({at, f, "software"});
        }
    }
    // users/me is best effort: the link goes through without the display name.
    out.push_back({Endpoint::users_me, Fault::never_answer, "software"});
    out.push_back({Endpoint::users_me, Fault::status_503, "software"});
    out.push_back({Endpoint::all, Fault::wrong_certificate, "software"});
    out.push_back({Endpoint::all, Fault::date_far_off, "software"});
    // OpenGL: a held request, a refusal with words and a wait, a transport failure.
    out.push_back({Endpoint::request_token, Fault::never_answer, "gl"});
    out.push_back({Endpoint::access_token, Fault::rate_limited, "gl"});
    out.push_back({Endpoint::all, Fault::wrong_certificate, "gl"});
    return out;
}

class ScreenFault : public ::testing::TestWithParam<FaultCase> {
  protected:
    // Before any thread of the suite exists: the screen's trace lines (docs/performance.md).
    static void SetUpTestSuite() { setenv("PINLINK_TRACE", "1", 1); }
};

TEST_P(ScreenFault, PlainMessageBoundedLiveRecoversAndNoSecrets) {
    const FaultCase& c = GetParam();
    // users/me is best effort: no fault there fails the link.
    const auto failure = c.endpoint == Endpoint::users_me ? std::nullopt : failure_for(c.fault);
    const bool https = c.fault == Fault::wrong_certificate;
    const int timeout = holds(c.fault) ? kHeldTimeout : kTimeout;
    link::FaultOptions faults;
    faults.rate_limit_reset_in = kResetIn;
    faults.slow_interval = kSlowInterval;
    World w(https, timeout, c.backend, faults);
    ASSERT_TRUE(w.ok);
    ScreenHarness& h = w.h;
    const std::chrono::seconds bound = std::chrono::seconds(timeout) + kMargin;
    // A fault at the first step or on every endpoint is on from the start.
    const bool from_start = c.endpoint == Endpoint::request_token || c.endpoint == Endpoint::all;
    if (from_start) {
        ASSERT_TRUE(w.fault(c.endpoint, c.fault));
    }

    const auto start = Clock::now();
    const int code = w.run([&](ScreenHarness&) {
        VirtualPad* pad = h.plug(kXboxPad);
        if (!pad) return false;
        std::string fault_url;  // the code on screen when a later step failed
        auto deadline = start + bound;
        if (!from_start) {
            const auto url = code_and_pin(w);
            if (!url) return false;
            fault_url = *url;
            if (!w.fault(c.endpoint, c.fault)) return false;
            deadline = Clock::now() + bound;
            if (!h.tap(*pad, SDL_CONTROLLER_BUTTON_START)) return false;
        }
        if (holds(c.fault) &&
            !stays_live_while_held(h, *pad, from_start ? State::connecting : State::linking))
            return false;

        if (!failure) {
            // Survived: users/me leaves out only the display name; a lying Date changes nothing.
            if (from_start) {
                // date_far_off: the first code links as usual.
                const auto url = code_and_pin(w);
                if (!url) return false;
                const auto done = start_until_linked(h, *pad, Clock::now() + bound);
                if (!done) return false;
                EXPECT_EQ(done->text.headline,
                          squeezed(std::string(ui::strings::linked_prefix) + "pinlink_demo"));
                EXPECT_EQ(done->text.body, squeezed("Demo Person"));
            } else {
                const auto linked = h.wait(
                    "Linked within the timeout plus the margin",
                    [](const Snapshot& s) { return in_state(s, State::linked) && s.settled; },
                    false, left(deadline));
                if (!linked) return false;
                EXPECT_EQ(linked->text.headline,
                          squeezed(std::string(ui::strings::linked_prefix) + "pinlink_demo"));
                EXPECT_EQ(linked->text.body, "") << "no display name without users/me";
            }
            h.final_press(*pad, SDL_CONTROLLER_BUTTON_A);
            return true;
        }

        const auto problem = problem_by(h, deadline);
        if (!problem) return false;
        expect_problem_text(*problem, *failure);
        w.provider->clear_faults();
        // slow spent the code (its reply was the real one, cut off by the timeout); every
        // other fault replaced the reply, so the same PIN still links.
        return try_again_links(w, *pad, fault_url,
                               c.endpoint == Endpoint::access_token && c.fault == Fault::slow);
    });
    EXPECT_EQ(code, 0) << w.h.err();
    expect_verbose_and_no_secrets(w, true);
    if (failure || c.endpoint == Endpoint::users_me) {
        const auto json = nlohmann::json::parse(w.h.out(), nullptr, false);
        // After recovery users/me answers again; with it faulted the name is left out.
        EXPECT_EQ(json.is_object() && json.contains("name"), c.endpoint != Endpoint::users_me)
            << w.h.out();
    }
    std::cout << "[ measured ] " << case_name({c, 0}) << ": whole run "
              << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count()
              << " ms\n";
}

INSTANTIATE_TEST_SUITE_P(EveryFault, ScreenFault, ::testing::ValuesIn(fault_cases()), case_name);

// --- Giving up ---------------------------------------------------------------------------------

enum class GiveUp { quit_button, pad_back, escape, close_window };

struct GiveUpCase {
    GiveUp how;
    const char* name;
    int exit_code;  // docs/screens.md (Problem), docs/launcher-integration.md, DESIGN.md
};

void PrintTo(const GiveUpCase& c, std::ostream* os) {
    *os << c.name << ", exit " << c.exit_code;
}

std::string give_up_name(const ::testing::TestParamInfo<GiveUpCase>& info) {
    return info.param.name;
}

class ScreenGiveUp : public ::testing::TestWithParam<GiveUpCase> {
  protected:
    static void SetUpTestSuite() { setenv("PINLINK_TRACE", "1", 1); }
};

// Leaving from the Problem screen: Quit, B and Escape leave after a failure, which is exit 1
// ("failed: network, provider refusal"), not a cancel; closing the window is the person
// cancelling (3), as anywhere else. Nothing on stdout either way.
TEST_P(ScreenGiveUp, LeavingTheProblemScreen) {
    const GiveUpCase& c = GetParam();
    World w(false, kTimeout, "software");
    ASSERT_TRUE(w.ok);
    ASSERT_TRUE(w.fault(Endpoint::request_token, Fault::status_503));
    ScreenHarness& h = w.h;
    const int code = w.run([&](ScreenHarness&) {
        VirtualPad* pad = h.plug(kXboxPad);
        if (!pad) return false;
        const auto problem = problem_by(h, Clock::now() + test::kStepTimeout);
        if (!problem) return false;
        expect_problem_text(*problem, *failure_for(Fault::status_503));
        switch (c.how) {
            case GiveUp::quit_button:
                // Try again, New code, Quit: left wraps round to Quit.
                if (!h.tap(*pad, SDL_CONTROLLER_BUTTON_DPAD_LEFT)) return false;
                if (!h.wait("Quit focused",
                            [](const Snapshot& s) { return s.focus == Target::quit; }))
                    return false;
                h.final_press(*pad, SDL_CONTROLLER_BUTTON_A);
                break;
            case GiveUp::pad_back:
                h.final_press(*pad, SDL_CONTROLLER_BUTTON_B);
                break;
            case GiveUp::escape:
                h.final_key(SDLK_ESCAPE);
                break;
            case GiveUp::close_window:
                h.quit();
                break;
        }
        return true;
    });
    EXPECT_EQ(code, c.exit_code) << c.name;
    EXPECT_EQ(w.issued.count(false), 0) << "the fault replaced the reply: no token was issued";
    expect_verbose_and_no_secrets(w, false, false);
}

INSTANTIATE_TEST_SUITE_P(Ways, ScreenGiveUp,
                         ::testing::Values(GiveUpCase{GiveUp::quit_button, "quit_button", 1},
                                           GiveUpCase{GiveUp::pad_back, "pad_back", 1},
                                           GiveUpCase{GiveUp::escape, "escape", 1},
                                           GiveUpCase{GiveUp::close_window, "close_window", 3}),
                         give_up_name);

// Stop while the provider holds the PIN's request: exit 3 (cancelled by the person), at once,
// long before the 30 s client timeout; nothing on stdout.
TEST(ScreenGiveUpWhileHeld, StopDuringAHeldRequestExitsWithThreeAtOnce) {
    setenv("PINLINK_TRACE", "1", 1);
    World w(false, 30, "software");
    ASSERT_TRUE(w.ok);
    ScreenHarness& h = w.h;
    std::atomic<Clock::rep> stop_pressed{0};
    const int code = w.run([&](ScreenHarness&) {
        VirtualPad* pad = h.plug(kXboxPad);
        if (!pad) return false;
        if (!code_and_pin(w)) return false;
        if (!w.fault(Endpoint::access_token, Fault::never_answer)) return false;
        if (!h.tap(*pad, SDL_CONTROLLER_BUTTON_START)) return false;
        if (!stays_live_while_held(h, *pad, State::linking)) return false;
        if (!h.tap(*pad, SDL_CONTROLLER_BUTTON_B)) return false;
        if (!h.wait("Stop linking?", [](const Snapshot& s) { return s.confirm_open; }))
            return false;
        if (!h.tap(*pad, SDL_CONTROLLER_BUTTON_DPAD_RIGHT)) return false;
        if (!h.wait("Stop focused",
                    [](const Snapshot& s) { return s.focus == Target::stop_linking; }))
            return false;
        stop_pressed = Clock::now().time_since_epoch().count();
        h.final_press(*pad, SDL_CONTROLLER_BUTTON_A);
        return true;
    });
    const auto returned = Clock::now();
    EXPECT_EQ(code, 3);
    ASSERT_NE(stop_pressed.load(), 0);
    const auto took = returned - Clock::time_point(Clock::duration(stop_pressed.load()));
    EXPECT_LT(took, 10s) << "the held request was not cancelled";
    EXPECT_EQ(w.provider->stats().access_token, 1);
    expect_verbose_and_no_secrets(w, false);
}

}  // namespace
