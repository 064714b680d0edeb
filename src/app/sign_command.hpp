// `pinlink sign`: signs one request with the given credentials and prints its Authorization
// header, base string or signature, to debug signatures against another implementation.
// Nothing is sent anywhere.
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace pinlink::app {

// What `sign` was given, as typed; run_sign validates it.
struct SignArgs {
    std::string method;             // any HTTP method token; uppercased for signing
    std::string url;                // absolute http(s) URL; its query parameters are signed
    std::vector<std::string> data;  // NAME=VALUE form-body pairs, taken literally (not decoded)
    std::string consumer_key;
    std::string consumer_secret;       // given explicitly; never printed, not even in errors
    std::string token;                 // empty: no oauth_token (the request_token step)
    std::string token_secret;          // needs a token; never printed
    std::vector<std::string> oauth;    // NAME=VALUE protocol parameters, NAME starting with oauth_
    std::optional<std::string> nonce;  // unset: a fresh random one
    std::optional<std::string> timestamp;  // unset: now; else whole seconds since 1970, digits
    bool no_version = false;               // leave oauth_version=1.0 out
    std::string show = "header";           // header | base | signature
};

// Adds the `sign` subcommand and its options to `parent`; returns the subcommand.
// Missing METHOD, URL, --consumer-key or --consumer-secret, or an unknown --show value, make
// CLI::App::parse throw a CLI::ParseError; everything else is checked by run_sign.
CLI::App* add_sign_command(CLI::App& parent, SignArgs& args);

// Runs it: prints the chosen output plus a newline to `out`, messages to `err`; returns the
// exit code: 0 ok, 2 usage or configuration error (bad method, URL, NAME=VALUE, --oauth name,
// timestamp or nonce; a token secret without a token), 1 when the RNG gives no fresh nonce.
// Error messages never contain a secret or an --oauth value (oauth_verifier carries the PIN).
int run_sign(const SignArgs& args, std::ostream& out, std::ostream& err);

}  // namespace pinlink::app
