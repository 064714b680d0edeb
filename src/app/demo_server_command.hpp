// `pinlink demo-server`: runs the local provider alone, so launchers can test their
// integration without X and without keys. Prints one JSON line with the base URL and the demo
// consumer credentials (public by design), then serves until asked to stop. Fault modes can be
// set at start (--fault) and switched at runtime from this machine (POST /_pinlink/fault).
#pragma once

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace pinlink::app {

struct DemoServerArgs {
    std::string host = "127.0.0.1";
    int port = 0;          // 0: a free port, reported in the JSON line
    std::string tls_cert;  // both set: HTTPS
    std::string tls_key;
    std::int64_t clock_offset_seconds = 0;  // the provider's clock = this machine's + offset
    std::int64_t token_lifetime_seconds = 900;
    bool verbose = false;             // one line per request on `err`: method, path, status
    std::vector<std::string> faults;  // "ENDPOINT=MODE" (link::parse_endpoint, parse_fault)
};

// Registers the `demo-server` subcommand on `parent`, bound to `args`.
CLI::App* add_demo_server_command(CLI::App& parent, DemoServerArgs& args);

// Starts the provider, prints {"api_base":..,"consumer_key":..,"consumer_secret":..,
// "fault_control":..} as one line to `out` (flushed), and serves until `stop` becomes true
// (checked every 50 ms). Returns 0 after a clean stop, 1 when the provider could not start, 2
// for a usage error (a certificate without a key or the reverse, a --fault that is not
// ENDPOINT=MODE or cannot apply). Messages for people go to `err`.
int run_demo_server(const DemoServerArgs& args, std::ostream& out, std::ostream& err,
                    const std::atomic<bool>& stop);

}  // namespace pinlink::app
