// The pinlink binary's terminal front end (--tty) against the local provider's fault modes, as
// a launcher runs it: for each fault, the plain-language message on stderr, exit code 1 (or 0
// where the link survives the fault), a bounded time, no secret on stderr (with --verbose too),
// and a run after the fault is switched off links.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <regex>

#include "link/local_provider.hpp"
#include "support/process.hpp"
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
    bool verbose;
    int exit_code;
    std::vector<std::string> expect;  // lines of the message on stderr
};

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
    return std::string(link::to_string(info.param.fault)) + "_at_" +
           std::string(link::to_string(info.param.endpoint)) +
           (info.param.verbose ? "_verbose" : "");
}

const std::vector<std::string> kTimedOut = {"X is taking too long to answer.",
                                            "Check the connection, then try again."};
const std::vector<std::string> kCantReach = {"Can't reach X.",
                                             "Check that this device is online, then try again."};
const std::vector<std::string> kUnreadable = {
    "X sent an answer pinlink can't read.",
    "Check that --api-base points at X or a compatible provider, then try again."};

std::vector<Case> cases() {
    std::vector<Case> out;
    for (const Endpoint at : {Endpoint::request_token, Endpoint::access_token}) {
        out.push_back({at, Fault::never_answer, false, 1, kTimedOut});
        out.push_back({at, Fault::slow, false, 1, kTimedOut});
        out.push_back({at, Fault::reset, false, 1, kCantReach});
        out.push_back({at,
                       Fault::status_500,
                       false,
                       1,
                       {"X is having trouble right now.", "Wait a moment, then try again.",
                        "(X error 131 · HTTP 500)"}});
        out.push_back({at,
                       Fault::status_503,
                       false,
                       1,
                       {"X is having trouble right now.", "Wait a moment, then try again.",
                        "(X error 130 · HTTP 503)"}});
        out.push_back({at,
                       Fault::rate_limited,
                       false,
                       1,
                       {"Too many tries for now.", "X asks to wait. Try again in about 15 minutes.",
                        "(X error 88 · HTTP 429)"}});
        out.push_back({at, Fault::not_a_token, false, 1, kUnreadable});
        out.push_back({at, Fault::oversized, false, 1, kUnreadable});
    }
    out.push_back(
        {Endpoint::all,
         Fault::wrong_certificate,
         false,
         1,
         {"The connection to X isn't secure.", "The server's certificate could not be verified."}});
    // A few again with --verbose: the same outcome, and libcurl's debug output leaks nothing.
    out.push_back({Endpoint::request_token, Fault::reset, true, 1, kCantReach});
    out.push_back({Endpoint::access_token, Fault::never_answer, true, 1, kTimedOut});
    out.push_back({Endpoint::access_token,
                   Fault::rate_limited,
                   true,
                   1,
                   {"Too many tries for now.", "Try again in about 15 minutes."}});
    out.push_back(
        {Endpoint::all, Fault::wrong_certificate, true, 1, {"The connection to X isn't secure."}});
    // Faults the link survives: users/me only adds the display name; a lying Date is ignored.
    out.push_back(
        {Endpoint::users_me, Fault::never_answer, false, 0, {"Linked as @pinlink_demo."}});
    out.push_back({Endpoint::users_me, Fault::status_503, true, 0, {"Linked as @pinlink_demo."}});
    out.push_back(
        {Endpoint::all, Fault::date_far_off, true, 0, {"Linked as @pinlink_demo (Demo Person)."}});
    return out;
}

struct TtyRun {
    std::optional<int> exit_code;
    std::string err;
    std::string out;
    std::string pin;  // typed, if the run got that far
    long long ms = 0;
};

// One `pinlink --tty` against `provider`; types the PIN the provider approves for the code.
TtyRun run_tty(link::LocalProvider& provider, const std::string& ca_file, bool verbose) {
    std::vector<std::string> argv{test::pinlink_binary(),
                                  "--tty",
                                  "--json",
                                  "--api-base",
                                  provider.base_url(),
                                  "--ca-file",
                                  ca_file,
                                  "--timeout",
                                  kTimeout};
    if (verbose) argv.emplace_back("--verbose");
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

}  // namespace

class CliFault : public ::testing::TestWithParam<Case> {};

TEST_P(CliFault, MessageExitCodeBoundedTimeNoSecretsAndRecovery) {
    const Case& c = GetParam();
    test::TlsFixture tls;
    ASSERT_TRUE(tls.ok()) << tls.error();
    link::LocalProviderOptions o;
    o.consumer_key = kKey;
    o.consumer_secret = kSecret;
    o.tls_cert_file = tls.server().cert;
    o.tls_key_file = tls.server().key;
    link::LocalProvider provider(o);
    std::string why;
    ASSERT_TRUE(provider.start(&why)) << why;
    ASSERT_TRUE(provider.set_fault(c.endpoint, c.fault, {}, &why)) << why;

    const TtyRun run = run_tty(provider, tls.ca_file(), c.verbose);
    ASSERT_EQ(run.exit_code, c.exit_code) << run.err;
    for (const std::string& line : c.expect) {
        EXPECT_NE(run.err.find(line), std::string::npos) << "missing: " << line << "\n" << run.err;
    }
    EXPECT_LT(std::chrono::milliseconds(run.ms), kBound);
    std::cout << "[ measured ] " << case_name({c, 0}) << ": exit " << *run.exit_code << " after "
              << run.ms << " ms\n";
    // stdout carries the credentials on success and nothing otherwise.
    EXPECT_EQ(run.out.empty(), c.exit_code != 0) << run.out;
    // No secret on stderr: not the consumer secret, not the PIN.
    EXPECT_EQ(run.err.find(kSecret), std::string::npos);
    if (!run.pin.empty()) {
        EXPECT_EQ(run.err.find(run.pin), std::string::npos) << "PIN leaked";
    }
    if (c.verbose) {
        EXPECT_NE(run.err.find("Connected to 127.0.0.1"), std::string::npos) << "verbose expected";
        // Every request that got past the handshake went out with its Authorization redacted.
        if (c.fault != Fault::wrong_certificate) {
            EXPECT_NE(run.err.find("Authorization: [redacted]"), std::string::npos);
        }
    }

    // Switched off, the next run links.
    provider.clear_faults();
    const TtyRun again = run_tty(provider, tls.ca_file(), false);
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.err.find("Linked as @pinlink_demo (Demo Person)."), std::string::npos)
        << again.err;
}

INSTANTIATE_TEST_SUITE_P(EveryFault, CliFault, ::testing::ValuesIn(cases()), case_name);
