// The pinlink binary as launchers and people use it: the terminal front end end to end, exit
// codes, --json and --save, interrupts, usage errors, and secrets kept out of every output.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "link/local_provider.hpp"
#include "support/process.hpp"
#include "support/secrets.hpp"
#include "support/tls_fixture.hpp"

using namespace pinlink;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const std::regex kDemoPin("PIN for this code is ([0-9]+)");
const std::regex kToken("oauth_token=([A-Za-z0-9_%-]+)");
constexpr auto kStep = 20s;  // generous bound for one step; the real cost is milliseconds

constexpr const char* kKey = "cli-test-consumer-key";
constexpr const char* kSecret = "cli-test-consumer-SECRET-5f2a9";

struct Provider {
    explicit Provider(link::LocalProviderOptions o = {}) {
        o.consumer_key = kKey;
        o.consumer_secret = kSecret;
        o.on_issue = issued.callback();
        p = std::make_unique<link::LocalProvider>(std::move(o));
        std::string error;
        EXPECT_TRUE(p->start(&error)) << error;
    }
    test::IssuedSecrets issued;  // every token secret the provider hands out
    std::unique_ptr<link::LocalProvider> p;
};

std::map<std::string, std::optional<std::string>> keys_env() {
    return {{"PINLINK_CONSUMER_KEY", kKey}, {"PINLINK_CONSUMER_SECRET", kSecret}};
}

std::vector<std::string> args(std::initializer_list<std::string> rest) {
    std::vector<std::string> v{test::pinlink_binary()};
    v.insert(v.end(), rest);
    return v;
}

fs::path temp_dir(const std::string& name) {
    const auto dir = fs::temp_directory_path() / ("pinlink-cli-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

}  // namespace

TEST(Cli, TtyDemoLinksWhenTheDemoPinIsTyped) {
    test::Child child(args({"--tty", "--demo", "--json", "--verbose"}));
    ASSERT_TRUE(child.started());
    const auto pin = child.wait_stderr(kDemoPin, kStep);
    ASSERT_TRUE(pin) << child.err();
    child.write_stdin(*pin + "\n");
    ASSERT_EQ(child.wait_exit(kStep), 0) << child.err();
    const auto j = nlohmann::json::parse(child.out());
    EXPECT_EQ(j["screen_name"], "pinlink_demo");
    EXPECT_FALSE(j["oauth_token_secret"].get<std::string>().empty());
    // Exactly one JSON object and a newline on stdout, nothing else.
    EXPECT_EQ(std::count(child.out().begin(), child.out().end(), '\n'), 1);
    EXPECT_NE(child.err().find("Linked as @pinlink_demo"), std::string::npos);
    EXPECT_EQ(child.err().find(j["oauth_token_secret"].get<std::string>()), std::string::npos);
}

TEST(Cli, LinksAgainstAnyHttpsProviderAndKeepsSecretsOutOfOutput) {
    test::TlsFixture tls;
    ASSERT_TRUE(tls.ok()) << tls.error();
    link::LocalProviderOptions o;
    o.tls_cert_file = tls.server().cert;
    o.tls_key_file = tls.server().key;
    Provider prov(o);
    const auto dir = temp_dir("https");
    test::Child child(args({"--tty", "--json", "--verbose", "--api-base", prov.p->base_url(),
                            "--ca-file", tls.ca_file(), "--save", (dir / "creds.json").string()}),
                      keys_env());
    const auto token = child.wait_stderr(kToken, kStep);
    ASSERT_TRUE(token) << child.err();
    const auto pin = prov.p->approve(*token);
    ASSERT_TRUE(pin);
    child.write_stdin("PIN: " + pin->substr(0, 3) + " " + pin->substr(3) + "\n");
    ASSERT_EQ(child.wait_exit(kStep), 0) << child.err();
    const auto j = nlohmann::json::parse(child.out());
    const std::string token_secret = j["oauth_token_secret"];
    // The saved file is the same object, private to its owner.
    std::ifstream f(dir / "creds.json");
    const std::string saved{std::istreambuf_iterator<char>(f), {}};
    EXPECT_EQ(nlohmann::json::parse(saved), j);
    struct stat st {};
    ASSERT_EQ(::stat((dir / "creds.json").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    // Secrets never reach stderr, even with --verbose: not the consumer secret, not the PIN,
    // not the request token's secret nor the access token's; stdout carries only the latter.
    EXPECT_EQ(prov.issued.count(false), 1);
    EXPECT_TRUE(prov.issued.is_access_secret(token_secret));
    test::Secrets secrets{{"the consumer secret", kSecret}, {"the PIN", *pin}};
    for (test::Secret& s : prov.issued.secrets())
        secrets.push_back(std::move(s));
    test::expect_no_secrets(child.err(), secrets, "stderr");
    test::Secrets not_delivered;
    for (const test::Secret& s : secrets) {
        if (s.value != token_secret) not_delivered.push_back(s);
    }
    test::expect_no_secrets(child.out(), not_delivered, "stdout");
    EXPECT_NE(child.err().find("[redacted]"), std::string::npos) << "verbose output expected";
    fs::remove_all(dir);
}

TEST(Cli, WrongPinBringsANewCodeUpToThreeTimes) {
    Provider prov;
    test::Child child(args({"--tty", "--verbose", "--api-base", prov.p->base_url()}), keys_env());
    for (int i = 1; i <= 3; ++i) {
        // The i-th prompt, then a PIN that can never be right (X's PINs have 7 digits).
        ASSERT_TRUE(child.wait_stderr_count("Type the PIN", i, kStep)) << child.err();
        child.write_stdin("12\n");
    }
    EXPECT_EQ(child.wait_exit(kStep), 1) << child.err();
    EXPECT_NE(child.err().find("Three codes did not work"), std::string::npos);
    EXPECT_EQ(prov.p->stats().request_token, 3);
    EXPECT_EQ(prov.p->stats().access_token, 3);
    // Each attempt showed a different code.
    std::set<std::string> tokens;
    const std::string err = child.err();
    for (auto it = std::sregex_iterator(err.begin(), err.end(), kToken); it != std::sregex_iterator(); ++it) {
        tokens.insert((*it)[1]);
    }
    EXPECT_EQ(tokens.size(), 3u);
    EXPECT_TRUE(child.out().empty());
    // With --verbose: neither the consumer secret nor any of the three request token secrets.
    EXPECT_EQ(prov.issued.count(false), 3);
    test::Secrets secrets{{"the consumer secret", kSecret}};
    for (test::Secret& s : prov.issued.secrets())
        secrets.push_back(std::move(s));
    test::expect_no_secrets(child.err(), secrets, "stderr");
    EXPECT_NE(child.err().find("Authorization: [redacted]"), std::string::npos);
}

TEST(Cli, EndOfInputCancels) {
    test::Child child(args({"--tty", "--demo"}));
    ASSERT_TRUE(child.wait_stderr(kDemoPin, kStep)) << child.err();
    child.close_stdin();
    EXPECT_EQ(child.wait_exit(kStep), 3);
    EXPECT_NE(child.err().find("nothing was linked"), std::string::npos);
    EXPECT_TRUE(child.out().empty());
}

TEST(Cli, GarbageOnStdinIsIgnoredUntilAPin) {
    test::Child child(args({"--tty", "--demo", "--json"}));
    const auto pin = child.wait_stderr(kDemoPin, kStep);
    ASSERT_TRUE(pin);
    child.write_stdin("hello\n\x01\x02\xff\n" + std::string(100, '9') + "\n");
    child.write_stdin(*pin + "\n");
    ASSERT_EQ(child.wait_exit(kStep), 0) << child.err();
    EXPECT_NE(child.err().find("no digits"), std::string::npos);
    EXPECT_NE(child.err().find("too long"), std::string::npos);
}

TEST(Cli, InterruptWhileWaitingForThePinExits3) {
    test::Child child(args({"--tty", "--demo"}));
    ASSERT_TRUE(child.wait_stderr(kDemoPin, kStep)) << child.err();
    child.signal(SIGINT);
    EXPECT_EQ(child.wait_exit(kStep), 3);
    EXPECT_NE(child.err().find("Cancelled"), std::string::npos);
}

TEST(Cli, SaveToAnUnwritableFolderFailsButLosesNothing) {
    test::Child child(args({"--tty", "--demo", "--verbose", "--save", "/proc/pinlink-creds.json"}));
    const auto pin = child.wait_stderr(kDemoPin, kStep);
    ASSERT_TRUE(pin);
    child.write_stdin(*pin + "\n");
    EXPECT_EQ(child.wait_exit(kStep), 1);
    EXPECT_NE(child.err().find("Could not save the credentials to /proc/pinlink-creds.json"),
              std::string::npos)
        << child.err();
    // Without --json the credentials still arrive on stdout, so the link is not lost.
    const auto j = nlohmann::json::parse(child.out());
    EXPECT_EQ(j["screen_name"], "pinlink_demo");
    // Even then the token secret reaches stdout only (--verbose on).
    test::expect_no_secrets(
        child.err(), {{"the access token secret", j["oauth_token_secret"].get<std::string>()}},
        "stderr");
}

TEST(Cli, UsageAndConfigurationErrorsExit2) {
    struct Case {
        std::vector<std::string> argv;
        std::map<std::string, std::optional<std::string>> env;
        std::string expect;
    };
    const std::map<std::string, std::optional<std::string>> no_keys{
        {"PINLINK_CONSUMER_KEY", std::nullopt}, {"PINLINK_CONSUMER_SECRET", std::nullopt}};
    const Case cases[] = {
        {args({"--tty"}), no_keys, "PINLINK_CONSUMER_KEY"},
        {args({"--tty", "--api-base", "http://example.com"}), keys_env(), "only allowed for this machine"},
        {args({"--tty", "--api-base", "not a url"}), keys_env(), "not a valid"},
        {args({"--tty", "--demo", "--api-base", "https://api.x.com"}), {}, "--demo"},
        {args({"--tty", "--no-such-option"}), {}, "no-such-option"},
        {args({"--tty", "--access-type", "admin"}), keys_env(), "access-type"},
        {args({"--tty", "--consumer-key", "k", "--consumer-secret-file", "/nonexistent/secret"}), {}, "consumer secret file"},
        {args({"--tty", "--ca-file", "/nonexistent/ca.pem"}), keys_env(), "CA bundle"},
    };
    for (const auto& c : cases) {
        test::Child child(c.argv, c.env);
        EXPECT_EQ(child.wait_exit(kStep), 2) << c.expect << "\n" << child.err();
        EXPECT_NE(child.err().find(c.expect), std::string::npos) << child.err();
        EXPECT_TRUE(child.out().empty());
        test::expect_no_secrets(child.err() + child.out(), {{"the consumer secret", kSecret}},
                                "stderr and stdout");
    }
}

// libcurl is not linked: the first request loads it, on the link worker, so that a launch does
// not load it and its ~25 libraries before main (src/net/curl_api.hpp). LD_DEBUG=files makes the
// dynamic loader name every library it opens and why.
TEST(Cli, LibcurlIsLoadedByTheFirstRequestNotAtStart) {
    {
        test::Child child(args({"--tty", "--no-such-option"}), {{"LD_DEBUG", "files"}});
        EXPECT_EQ(child.wait_exit(kStep), 2) << child.err();
        ASSERT_NE(child.err().find("file=libSDL2"), std::string::npos)
            << "the loader did not report what it opened\n"
            << child.err();
        EXPECT_EQ(child.err().find("libcurl"), std::string::npos) << child.err();
    }
    test::Child child(args({"--tty", "--demo"}), {{"LD_DEBUG", "files"}});
    const auto pin = child.wait_stderr(kDemoPin, kStep);
    ASSERT_TRUE(pin) << child.err();
    child.write_stdin(*pin + "\n");
    ASSERT_EQ(child.wait_exit(kStep), 0) << child.err();
    EXPECT_TRUE(std::regex_search(child.err(),
                                  std::regex("file=libcurl\\.so\\.4 \\[0\\];  dynamically loaded by")))
        << child.err();
    // Nothing pinlink links names libcurl as a library it needs.
    EXPECT_FALSE(std::regex_search(child.err(), std::regex("file=libcurl[^\\n]*needed by")))
        << child.err();
}

TEST(Cli, ConsumerSecretNeverEchoed) {
    const auto dir = temp_dir("secretfile");
    { std::ofstream(dir / "secret") << kSecret << "\n"; }
    test::Child child(args({"--tty", "--verbose", "--consumer-key", kKey, "--consumer-secret-file",
                            (dir / "secret").string(), "--api-base", "http://127.0.0.1:1"}));
    EXPECT_EQ(child.wait_exit(kStep), 1);
    EXPECT_NE(child.err().find("Can't reach X"), std::string::npos) << child.err();
    EXPECT_EQ(child.err().find(kSecret), std::string::npos);
    fs::remove_all(dir);
}

TEST(Cli, HelpDocumentsEverything) {
    test::Child child(args({"--help"}));
    EXPECT_EQ(child.wait_exit(kStep), 0);
    for (const char* needle : {"--tty", "--demo", "--json", "--save", "--api-base", "--ca-file",
                               "--consumer-key", "--consumer-secret-file", "sign", "demo-server",
                               "Exit codes", "PINLINK_CONSUMER_SECRET"}) {
        EXPECT_NE(child.out().find(needle), std::string::npos) << needle;
    }
}

TEST(Cli, SignPrintsTheVectorSignature) {
    test::Child child(args({"sign", "POST", "https://api.x.com/oauth/request_token",
                            "--consumer-key", "xvz1evFS4wEEPTGEFPHBog", "--consumer-secret",
                            "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", "--oauth",
                            "oauth_callback=oob", "--nonce",
                            "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", "--timestamp",
                            "1318622958", "--show", "signature"}));
    EXPECT_EQ(child.wait_exit(kStep), 0) << child.err();
    EXPECT_EQ(child.out(), "jc/VgbxSHtvlecdtQHT0gEuVfe0=\n");
}
