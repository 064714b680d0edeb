// The pinlink binary's terminal front end (--tty) against the local provider's fault modes, as
// a launcher runs it: for each fault, the plain-language message on stderr, exit code 1 (or 0
// where the link survives the fault), a bounded time, no secret (consumer secret, PIN, any token
// secret the provider issued) on stderr or, apart from the credentials object, on stdout, with
// --verbose on every run, and a run after the fault is switched off links.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <ostream>
#include <regex>

#include "link/local_provider.hpp"
#include "support/process.hpp"
#include "support/secrets.hpp"
#include "support/tls_fixture.hpp"

using namespace pinlink;
using namespace std::chrono_literals;
using link::Endpoint;
using link::Fault;
using Clock = std::chrono::steady_clock;

namespace {

const std::regex kToken("oauth_token=([A-Za-z0-9_%-]+)");
constexpr auto kStep = 20s;            // bound on waiting for the child; the real cost is far less
constexpr auto kBound = 10s;           // a faulted run with --timeout 2 ends well within this
constexpr const char* kTimeout = "2";  // --timeout for every faulted run

constexpr const char* kKey = "cli-faults-consumer-key";
constexpr const char* kSecret = "cli-faults-consumer-SECRET-93c1e";

struct Case {
    Endpoint endpoint;
    Fault fault;
    int exit_code;
    std::vector<std::string> expect;  // lines of the message on stderr
};

// GoogleTest prints GetParam() with this instead of the struct's raw bytes.
void PrintTo(const Case& c, std::ostream* os) {
    *os << link::to_string(c.fault) << " at " << link::to_string(c.endpoint) << ", exit "
        << c.exit_code;
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
    return std::string(link::to_string(info.param.fault)) + "_at_" +
           std::string(link::to_string(info.param.endpoint));
}

const std::vector<std::string> kTimedOut = {"X is taking too long to answer.",
                                            "Check the connection, then try again."};
const std::vector<std::string> kCantReach = {"Can't reach X.",
                                             "Check that this device is online, then try again."};
const std::vector<std::string> kUnreadable = {
    "X sent an answer pinlink can't read.",
    "A network sign-in page may be in the way (hotel or public Wi-Fi). Complete it in this device's network settings, then try again."};

std::vector<Case> cases() {
    std::vector<Case> out;
    for (const Endpoint at : {Endpoint::request_token, Endpoint::access_token}) {
        out.push_back({at, Fault::never_answer, 1, kTimedOut});
        out.push_back({at, Fault::slow, 1, kTimedOut});
        out.push_back({at, Fault::reset, 1, kCantReach});
        out.push_back({at,
                       Fault::status_500,
                       1,
                       {"X is having trouble right now.", "Wait a moment, then try again.",
                        "(X error 131 · HTTP 500)"}});
        out.push_back({at,
                       Fault::status_503,
                       1,
                       {"X is having trouble right now.", "Wait a moment, then try again.",
                        "(X error 130 · HTTP 503)"}});
        out.push_back({at,
                       Fault::rate_limited,
                       1,
                       {"Too many tries for now.", "X asks to wait. Try again in about 15 minutes.",
                        "(X error 88 · HTTP 429)"}});
        out.push_back({at, Fault::not_a_token, 1, kUnreadable});
        out.push_back({at, Fault::oversized, 1, kUnreadable});
    }
    out.push_back(
        {Endpoint::all,
         Fault::wrong_certificate,
         1,
         {"The connection to X isn't secure.", "The server's certificate could not be verified."}});
    // Faults the link survives: users/me only adds the display name; a lying Date is ignored.
    out.push_back({Endpoint::users_me, Fault::never_answer, 0, {"Linked as @pinlink_demo."}});
    out.push_back({Endpoint::users_me, Fault::status_503, 0, {"Linked as @pinlink_demo."}});
    out.push_back(
        {Endpoint::all, Fault::date_far_off, 0, {"Linked as @pinlink_demo (Demo Person)."}});
    return out;
}

struct TtyRun {
    std::optional<int> exit_code;
    std::string err;
    std::string out;
    std::string pin;  // typed, if the run got that far
    long long ms = 0;
};

// One `pinlink --tty --verbose` against `provider`; types the PIN the provider approves for the
// code.
TtyRun run_tty(link::LocalProvider& provider, const std::string& ca_file) {
    std::vector<std::string> argv{test::pinlink_binary(),
                                  "--tty",
                                  "--json",
                                  "--api-base",
                                  provider.base_url(),
                                  "--ca-file",
                                  ca_file,
                                  "--timeout",
                                  kTimeout,
                                  "--verbose"};
    TtyRun run;
    const auto start = Clock::now();
    test::Child child(argv, {{"PINLINK_CONSUMER_KEY", kKey}, {"PINLINK_CONSUMER_SECRET", kSecret}});
    if (const auto token = child.wait_stderr(kToken, kStep)) {
        if (const auto pin = provider.approve(*token)) {
            run.pin = *pin;
            child.write_stdin(*pin + "\n");
        }
    }
    run.exit_code = child.wait_exit(kStep);
    run.ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    run.err = child.err();
    run.out = child.out();
    return run;
}

// No secret on stderr: not the consumer secret, not the PIN, not any token secret `issued` so
// far. stdout is empty or, after a link, one line carrying the latest access token's secret and
// no other secret.
void expect_no_secrets(const TtyRun& run, const test::IssuedSecrets& issued) {
    test::Secrets secrets{{"the consumer secret", kSecret}};
    if (!run.pin.empty()) secrets.push_back({"the PIN", run.pin});
    for (test::Secret& s : issued.secrets())
        secrets.push_back(std::move(s));
    test::expect_no_secrets(run.err, secrets, "stderr");
    if (run.out.empty()) return;
    EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1) << "one line on stdout";
    const auto all = issued.all();
    const auto delivered =
        std::find_if(all.rbegin(), all.rend(), [](const auto& i) { return i.access; });
    ASSERT_NE(delivered, all.rend()) << "credentials on stdout, but no access token was issued";
    EXPECT_NE(run.out.find(delivered->secret), std::string::npos) << "not the latest access token";
    test::Secrets others;
    for (const test::Secret& s : secrets) {
        if (s.value != delivered->secret) others.push_back(s);
    }
    test::expect_no_secrets(run.out, others, "stdout");
}

}  // namespace

class CliFault : public ::testing::TestWithParam<Case> {};

TEST_P(CliFault, MessageExitCodeBoundedTimeNoSecretsAndRecovery) {
    const Case& c = GetParam();
    test::TlsFixture tls;
    ASSERT_TRUE(tls.ok()) << tls.error();
    test::IssuedSecrets issued;
    link::LocalProviderOptions o;
    o.consumer_key = kKey;
    o.consumer_secret = kSecret;
    o.on_issue = issued.callback();
    o.tls_cert_file = tls.server().cert;
    o.tls_key_file = tls.server().key;
    link::LocalProvider provider(o);
    std::string why;
    ASSERT_TRUE(provider.start(&why)) << why;
    ASSERT_TRUE(provider.set_fault(c.endpoint, c.fault, {}, &why)) << why;

    const TtyRun run = run_tty(provider, tls.ca_file());
    ASSERT_EQ(run.exit_code, c.exit_code) << run.err;
    for (const std::string& line : c.expect) {
        EXPECT_NE(run.err.find(line), std::string::npos) << "missing: " << line << "\n" << run.err;
    }
    EXPECT_LT(std::chrono::milliseconds(run.ms), kBound);
    std::cout << "[ measured ] " << case_name({c, 0}) << ": exit " << *run.exit_code << " after "
              << run.ms << " ms\n";
    // stdout carries the credentials on success and nothing otherwise.
    EXPECT_EQ(run.out.empty(), c.exit_code != 0) << run.out;
    expect_no_secrets(run, issued);
    EXPECT_NE(run.err.find("Connected to 127.0.0.1"), std::string::npos) << "verbose expected";
    // Every request that got past the handshake went out with its Authorization redacted.
    if (c.fault != Fault::wrong_certificate) {
        EXPECT_NE(run.err.find("Authorization: [redacted]"), std::string::npos);
    }

    // Switched off, the next run links, and leaks nothing either.
    provider.clear_faults();
    const TtyRun again = run_tty(provider, tls.ca_file());
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.err.find("Linked as @pinlink_demo (Demo Person)."), std::string::npos)
        << again.err;
    EXPECT_GE(issued.count(false), 1) << "no request token secret to look for";
    expect_no_secrets(again, issued);
}

INSTANTIATE_TEST_SUITE_P(EveryFault, CliFault, ::testing::ValuesIn(cases()), case_name);
