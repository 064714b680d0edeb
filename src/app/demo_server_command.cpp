// `pinlink demo-server`; see demo_server_command.hpp.
#include "app/demo_server_command.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string_view>
#include <thread>

#include "link/local_provider.hpp"

namespace pinlink::app {
namespace {

constexpr int kStoppedCleanly = 0;
constexpr int kCouldNotStart = 1;
constexpr int kUsageError = 2;

// `stop` is raised by the interrupt watcher without a notification, so it is polled; 50 ms
// keeps Ctrl+C feeling immediate at a negligible cost.
constexpr std::chrono::milliseconds kStopPoll{50};

}  // namespace

CLI::App* add_demo_server_command(CLI::App& parent, DemoServerArgs& args) {
    CLI::App* cmd = parent.add_subcommand(
        "demo-server",
        "Run the built-in local provider alone (a stand-in for X's PIN endpoints), for "
        "launchers' own tests. Prints one JSON line on stdout with api_base, consumer_key and "
        "consumer_secret (demo values, not secret), then serves until Ctrl+C or SIGTERM.");
    cmd->add_option("--host", args.host, "Address to listen on")->capture_default_str();
    cmd->add_option("--port", args.port, "Port to listen on; 0 picks a free one")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    CLI::Option* cert = cmd->add_option("--tls-cert", args.tls_cert,
                                        "PEM certificate: serve HTTPS (with --tls-key)")
                            ->check(CLI::ExistingFile);
    CLI::Option* key = cmd->add_option("--tls-key", args.tls_key, "PEM private key of --tls-cert")
                           ->check(CLI::ExistingFile);
    cert->needs(key);
    key->needs(cert);
    cmd->add_option("--clock-offset", args.clock_offset_seconds,
                    "Seconds added to this machine's clock, to exercise clock-skew handling")
        ->capture_default_str();
    cmd->add_option("--token-lifetime", args.token_lifetime_seconds,
                    "Seconds a request token (and its PIN) stays valid")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{86400}))
        ->capture_default_str();
    cmd->add_flag("--verbose", args.verbose,
                  "Print one line per request on stderr (method, path, status; never a secret)");
    cmd->add_option("--fault", args.faults,
                    "Start with ENDPOINT (request_token, authorize, access_token, users_me, all) "
                    "switched to fault MODE (never_answer, slow, reset, status_500, status_503, "
                    "rate_limited, not_a_token, oversized, wrong_certificate, date_far_off). "
                    "Repeatable. POST /_pinlink/fault (form: endpoint, mode) switches faults "
                    "at runtime, from this machine only.")
        ->type_name("ENDPOINT=MODE");
    cmd->footer("Exit codes: 0 stopped cleanly, 1 could not start, 2 usage error.");
    return cmd;
}

int run_demo_server(const DemoServerArgs& args, std::ostream& out, std::ostream& err,
                    const std::atomic<bool>& stop) {
    if (args.tls_cert.empty() != args.tls_key.empty()) {
        err << "pinlink demo-server: --tls-cert and --tls-key go together.\n";
        return kUsageError;
    }
    if (args.port < 0 || args.port > 65535) {
        err << "pinlink demo-server: --port must be between 0 and 65535.\n";
        return kUsageError;
    }
    if (args.token_lifetime_seconds < 1) {
        err << "pinlink demo-server: --token-lifetime must be at least 1 second.\n";
        return kUsageError;
    }

    std::mutex err_mutex;  // the request log writes from the server's threads
    link::LocalProviderOptions options;
    options.host = args.host;
    options.port = args.port;
    options.tls_cert_file = args.tls_cert;
    options.tls_key_file = args.tls_key;
    options.clock_offset_seconds = args.clock_offset_seconds;
    options.token_lifetime_seconds = args.token_lifetime_seconds;
    if (args.verbose) {
        options.log = [&err, &err_mutex](std::string_view line) {
            const std::lock_guard lock(err_mutex);
            err << "pinlink demo-server: " << line << '\n' << std::flush;
        };
    }

    options.fault_control = true;

    link::LocalProvider provider(std::move(options));
    for (const std::string& fault : args.faults) {
        const auto eq = fault.find('=');
        const auto endpoint =
            link::parse_endpoint(std::string_view(fault).substr(0, std::min(eq, fault.size())));
        const auto mode = eq == std::string::npos
                              ? std::nullopt
                              : link::parse_fault(std::string_view(fault).substr(eq + 1));
        std::string why;
        if (!endpoint || !mode) {
            why = "expected ENDPOINT=MODE, such as request_token=status_503 (see --help)";
        } else if (provider.set_fault(*endpoint, *mode, {}, &why)) {
            continue;
        }
        err << "pinlink demo-server: --fault " << fault << ": " << why << ".\n";
        return kUsageError;
    }
    std::string error;
    if (!provider.start(&error)) {
        err << "pinlink demo-server: could not start: " << error << "\n";
        return kCouldNotStart;
    }
    const nlohmann::json line = {{"api_base", provider.base_url()},
                                 {"consumer_key", link::kDemoConsumerKey},
                                 {"consumer_secret", link::kDemoConsumerSecret},
                                 {"fault_control", provider.base_url() + "/_pinlink/fault"}};
    out << line.dump() << '\n' << std::flush;
    {
        const std::lock_guard lock(err_mutex);
        err << "pinlink demo-server: serving at " << provider.base_url() << "; Ctrl+C stops it.\n"
            << std::flush;
    }
    while (!stop.load())
        std::this_thread::sleep_for(kStopPoll);
    provider.stop();  // joins the server's threads: nothing logs to `err` after this
    return kStoppedCleanly;
}

}  // namespace pinlink::app
