// Shared link options, configuration and credential delivery; see link_options.hpp.
#include "app/link_options.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <ostream>
#include <sstream>

#include "link/credentials.hpp"

namespace pinlink::app {
namespace {

constexpr std::size_t kMaxSecretFile = 4096;

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
    std::size_t start = 0;
    while (start < s.size() && (s[start] == ' ' || s[start] == '\t')) ++start;
    return s.substr(start);
}

}  // namespace

void add_link_options(CLI::App& app, LinkOptions& o) {
    app.add_flag("--tty", o.tty,
                 "Terminal front end: the address and a QR code on stderr, the PIN from stdin");
    app.add_flag("--demo", o.demo,
                 "Link against the built-in local provider (no keys needed; shows the PIN)");
    app.add_flag("--json", o.json,
                 "On success print one JSON object to stdout: user_id, screen_name, "
                 "oauth_token, oauth_token_secret (and name when known)");
    app.add_option("--save", o.save_path,
                   "Also write that JSON object to PATH, atomically, mode 0600")
        ->type_name("PATH");
    app.add_option("--api-base", o.api_base,
                   "Base URL for every step (default https://api.x.com); http:// only for "
                   "loopback hosts")
        ->type_name("URL");
    app.add_option("--ca-file", o.ca_file, "Extra CA bundle (PEM) to trust besides the system's")
        ->type_name("FILE");
    app.add_option("--consumer-key", o.consumer_key,
                   "The app's consumer key (default: $PINLINK_CONSUMER_KEY)")
        ->type_name("KEY");
    app.add_option("--consumer-secret-file", o.consumer_secret_file,
                   "File holding the app's consumer secret (default: $PINLINK_CONSUMER_SECRET)")
        ->type_name("FILE");
    app.add_option("--access-type", o.access_type, "Ask for read or write access")
        ->check(CLI::IsMember({"read", "write"}))
        ->type_name("read|write");
    app.add_flag("--force-login", o.force_login, "Make X ask for the password even if signed in");
    app.add_option("--screen-name", o.screen_name, "Pre-fill this account name on X's sign-in page")
        ->type_name("NAME");
    app.add_flag("--verbose", o.verbose,
                 "Debug output of the HTTP exchange on stderr (Authorization redacted)");
    app.add_option("--timeout", o.timeout_seconds,
                   "Give up on a network step that takes longer than SECONDS (connecting alone "
                   "gets at most 10)")
        ->check(CLI::Range(1, 600))
        ->type_name("SECONDS")
        ->capture_default_str();
}

ConfigOrError make_flow_config(const LinkOptions& o, const Environment& env) {
    ConfigOrError out;
    auto& c = out.config;
    c.access_type = o.access_type;
    c.force_login = o.force_login;
    c.screen_name = o.screen_name;
    if (!o.api_base.empty()) c.api_base = o.api_base;

    if (o.demo) {
        if (!o.api_base.empty()) {
            out.error = "--demo runs its own local provider; leave out --api-base.";
        }
        // The caller fills in the provider's address and demo keys.
        return out;
    }

    if (const auto err = link::validate_api_base(c.api_base)) {
        out.error = err->kind == link::ErrorKind::insecure_url
                        ? "--api-base " + c.api_base +
                              ": plain http:// is only allowed for this machine "
                              "(localhost, 127.0.0.1, ::1). Use https://."
                        : "--api-base " + c.api_base +
                              " is not a valid http(s) address without query or fragment.";
        return out;
    }

    c.consumer_key = o.consumer_key;
    if (c.consumer_key.empty()) {
        if (auto it = env.find("PINLINK_CONSUMER_KEY"); it != env.end()) c.consumer_key = trim(it->second);
    }
    if (!o.consumer_secret_file.empty()) {
        std::ifstream f(o.consumer_secret_file, std::ios::binary);
        if (!f) {
            out.error = "Cannot read the consumer secret file " + o.consumer_secret_file + ".";
            return out;
        }
        std::string secret(kMaxSecretFile + 1, '\0');
        f.read(secret.data(), static_cast<std::streamsize>(secret.size()));
        secret.resize(static_cast<std::size_t>(f.gcount()));
        if (secret.size() > kMaxSecretFile) {
            out.error = "The consumer secret file " + o.consumer_secret_file +
                        " is too large to be a secret.";
            return out;
        }
        c.consumer_secret = trim(secret);
    } else if (auto it = env.find("PINLINK_CONSUMER_SECRET"); it != env.end()) {
        c.consumer_secret = trim(it->second);
    }
    if (c.consumer_key.empty() || c.consumer_secret.empty()) {
        out.error =
            "pinlink needs the app's consumer key and secret: set PINLINK_CONSUMER_KEY and "
            "PINLINK_CONSUMER_SECRET (or use --consumer-key and --consumer-secret-file), "
            "or try it out with --demo.";
    }
    return out;
}

int deliver_credentials(const LinkOptions& o, const link::AccessToken& token, std::ostream& out,
                        std::ostream& err) {
    const std::string json = link::credentials_json(token);
    int code = kLinked;
    if (!o.save_path.empty()) {
        const auto saved = link::save_atomically(o.save_path, json + "\n");
        err << saved.message << (saved.ok ? "." : ". The account was linked; nothing was lost.")
            << "\n";
        if (!saved.ok) code = kFailed;
    }
    // A failed save still hands the credentials over on stdout, the result channel, so a
    // link that X has already made is never lost.
    if (o.json || code != kLinked) out << json << "\n" << std::flush;
    return code;
}

net::Options make_net_options(const LinkOptions& options) {
    net::Options n;
    n.ca_file = options.ca_file;
    n.verbose = options.verbose;
    n.total_timeout = std::chrono::seconds(options.timeout_seconds);
    n.connect_timeout = std::min(n.connect_timeout, n.total_timeout);
    return n;
}

int exit_code_for(const link::LinkError& error) {
    return error.kind == link::ErrorKind::cancelled ? kCancelled : kFailed;
}

}  // namespace pinlink::app
