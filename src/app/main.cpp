// pinlink's entry point: parses the command line, builds the objects (interrupt watcher, HTTP
// client, flow, optional local provider, front end) and passes them down. Nothing else.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "app/demo_server_command.hpp"
#include "app/interrupt.hpp"
#include "app/link_options.hpp"
#include "app/screen_frontend.hpp"
#include "app/sign_command.hpp"
#include "app/tty_frontend.hpp"
#include "link/local_provider.hpp"
#include "render/sdl/sdl_memory.hpp"

namespace {

using namespace pinlink;

constexpr const char* kFooter = R"(Exit codes: 0 linked, 1 failed, 2 usage or configuration error, 3 cancelled.

Environment:
  PINLINK_CONSUMER_KEY, PINLINK_CONSUMER_SECRET   the app's X consumer credentials

Everything meant for a person goes to stderr; stdout carries only the --json result.
See docs/launcher-integration.md for the contract with launchers.)";

app::Environment read_environment() {
    app::Environment env;
    for (const char* name : {"PINLINK_CONSUMER_KEY", "PINLINK_CONSUMER_SECRET"}) {
        if (const char* v = std::getenv(name)) env[name] = v;
    }
    return env;
}

int run_link(const app::LinkOptions& options, const app::ScreenArgs& screen_args,
             net::Cancel& cancel, app::InterruptWatcher& interrupts) {
    auto made = app::make_flow_config(options, read_environment());
    if (!made.error.empty()) {
        std::cerr << "pinlink: " << made.error << "\n";
        return app::kUsage;
    }
    const auto screen_config = app::make_screen_config(screen_args);
    if (!options.tty && !screen_config.error.empty()) {
        std::cerr << "pinlink: " << screen_config.error << "\n";
        return app::kUsage;
    }
    if (!options.ca_file.empty() && ::access(options.ca_file.c_str(), R_OK) != 0) {
        std::cerr << "pinlink: cannot read the CA bundle " << options.ca_file << ".\n";
        return app::kUsage;
    }

    std::unique_ptr<link::LocalProvider> provider;
    if (options.demo) {
        link::LocalProviderOptions popts;
        popts.auto_approve = true;
        provider = std::make_unique<link::LocalProvider>(popts);
        std::string error;
        if (!provider->start(&error)) {
            std::cerr << "pinlink: the demo provider could not start: " << error << "\n";
            return app::kFailed;
        }
        made.config.api_base = provider->base_url();
        made.config.consumer_key = std::string(link::kDemoConsumerKey);
        made.config.consumer_secret = std::string(link::kDemoConsumerSecret);
        std::cerr << "Demo: linking against the built-in local provider at "
                  << provider->base_url() << "\n";
    }

    net::Client http(app::make_net_options(options));
    link::PinFlow flow(http, made.config);

    app::PinHint hint;
    if (provider) {
        hint = [&provider](const std::string& token) { return provider->pin_hint(token); };
    }
    if (!options.tty) {
        return app::run_screen(flow, options, screen_config, screen_args, &interrupts, hint,
                               std::cout, std::cerr);
    }
    const app::TtyIo io{STDIN_FILENO, interrupts.fd(), &std::cout, &std::cerr,
                        ::isatty(STDERR_FILENO) == 1};
    return app::run_tty(flow, options, io, cancel, hint);
}

}  // namespace

int main(int argc, char** argv) {
    // Before anything touches SDL: its large blocks (a software window's surface) then fault in
    // huge pages, a few traps instead of thousands before the first frame. If SDL refuses, it
    // keeps malloc, which works the same, only slower to start.
    render::install_sdl_memory();
    // Before any thread exists, as it sets an environment variable (see net/http.hpp).
    net::skip_implicit_gnutls_init();
    net::Cancel cancel;
    std::atomic<bool> stop_requested{false};
    // First, before any thread exists: signals go to the watcher only.
    app::InterruptWatcher interrupts(cancel, [&stop_requested] { stop_requested.store(true); });

    CLI::App cli{"pinlink: link an X account to a device that has no browser and no keyboard.",
                 "pinlink"};
    cli.footer(kFooter);
    cli.require_subcommand(0, 1);
    app::LinkOptions link_options;
    app::add_link_options(cli, link_options);
    app::ScreenArgs screen_args;
    app::add_screen_options(cli, screen_args);
    app::SignArgs sign_args;
    CLI::App* sign = app::add_sign_command(cli, sign_args);
    app::DemoServerArgs server_args;
    CLI::App* server = app::add_demo_server_command(cli, server_args);

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = cli.exit(e);
        return code == 0 ? 0 : app::kUsage;
    }

    if (sign->parsed()) return app::run_sign(sign_args, std::cout, std::cerr);
    if (server->parsed()) {
        return app::run_demo_server(server_args, std::cout, std::cerr, stop_requested);
    }
    return run_link(link_options, screen_args, cancel, interrupts);
}
