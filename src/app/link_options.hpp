// The command-line options shared by both front ends (--tty and the screen), how they become
// a FlowConfig, and how the credentials are handed over at the end (--json, --save).
#pragma once

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <map>
#include <optional>
#include <string>

#include "link/flow.hpp"
#include "net/http.hpp"

namespace pinlink::app {

enum ExitCode : int { kLinked = 0, kFailed = 1, kUsage = 2, kCancelled = 3 };

struct LinkOptions {
    bool tty = false;
    bool demo = false;
    bool json = false;
    bool verbose = false;
    int timeout_seconds = 30;  // overall limit per network step (net::Options::total_timeout)
    std::string save_path;
    std::string api_base;
    std::string ca_file;
    std::string consumer_key;
    std::string consumer_secret_file;
    std::string access_type;
    bool force_login = false;
    std::string screen_name;
};

// Registers the options on the top-level app.
void add_link_options(CLI::App& app, LinkOptions& options);

// Builds the flow configuration from options and the environment (PINLINK_CONSUMER_KEY,
// PINLINK_CONSUMER_SECRET). Returns a message for a person on failure (exit code 2). Never
// puts the secret into the message.
struct ConfigOrError {
    link::FlowConfig config;
    std::string error;  // empty on success
};
using Environment = std::map<std::string, std::string>;
ConfigOrError make_flow_config(const LinkOptions& options, const Environment& env);

// The network options for these link options: --ca-file, --verbose, and --timeout as the
// overall limit per step (connecting gets at most 10 s of it).
net::Options make_net_options(const LinkOptions& options);

// The end of a successful link: prints the JSON object to `out` when --json, saves it when
// --save (reporting on `err`). Returns 0, or 1 if the save failed; then the JSON is printed
// to `out` even without --json, so nothing is lost.
int deliver_credentials(const LinkOptions& options, const link::AccessToken& token,
                        std::ostream& out, std::ostream& err);

// Exit code for a failed link.
int exit_code_for(const link::LinkError& error);

}  // namespace pinlink::app
