// `pinlink sign`; see sign_command.hpp.
#include "app/sign_command.hpp"

#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <ostream>
#include <string_view>
#include <variant>

#include "oauth/signer.hpp"

namespace pinlink::app {
namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;  // no random nonce, or OpenSSL could not compute the HMAC
constexpr int kUsageError = 2;
constexpr std::string_view kPrefix = "pinlink sign: ";

// Protocol parameters the command sets itself; a second copy via --oauth would be ambiguous.
constexpr std::array<std::string_view, 7> kManagedOauthNames = {
    "oauth_consumer_key", "oauth_nonce",   "oauth_signature_method", "oauth_timestamp",
    "oauth_token",        "oauth_version", "oauth_signature"};

// RFC 9110 token characters: what an HTTP method may consist of.
bool is_method(std::string_view method) {
    constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
    if (method.empty()) return false;
    for (char c : method) {
        const bool alnum =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && kExtra.find(c) == std::string_view::npos) return false;
    }
    return true;
}

// Splits NAME=VALUE on the first '='. NAME must not be empty; VALUE may be.
std::optional<oauth::Param> split_pair(std::string_view text) {
    const auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0) return std::nullopt;
    return oauth::Param{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
    if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

int usage_error(std::ostream& err, std::string_view message) {
    err << kPrefix << message << '\n';
    return kUsageError;
}

}  // namespace

CLI::App* add_sign_command(CLI::App& parent, SignArgs& args) {
    CLI::App* cmd = parent.add_subcommand(
        "sign",
        "Sign one request with OAuth 1.0a HMAC-SHA1 and print its Authorization header (or base "
        "string, or signature), to debug signatures. Sends nothing.");
    cmd->add_option("METHOD", args.method, "HTTP method, e.g. GET or POST")->required();
    cmd->add_option("URL", args.url, "Absolute http(s) URL; its query parameters are signed")
        ->required();
    cmd->add_option("--data", args.data,
                    "Form-body parameter to sign, taken literally (no %-decoding); repeatable")
        ->type_name("NAME=VALUE")
        ->allow_extra_args(false);
    cmd->add_option("--consumer-key", args.consumer_key, "Consumer (API) key")->required();
    cmd->add_option("--consumer-secret", args.consumer_secret,
                    "Consumer (API) secret; never printed")
        ->required();
    cmd->add_option("--token", args.token, "Request or access token (omit for request_token)");
    cmd->add_option("--token-secret", args.token_secret, "Secret of --token; never printed");
    cmd->add_option("--oauth", args.oauth,
                    "Extra protocol parameter such as oauth_callback=oob or oauth_verifier=PIN; "
                    "repeatable")
        ->type_name("NAME=VALUE")
        ->allow_extra_args(false);
    cmd->add_option("--nonce", args.nonce, "oauth_nonce to use (default: a fresh random one)");
    cmd->add_option("--timestamp", args.timestamp,
                    "oauth_timestamp in seconds since 1970 (default: now)");
    cmd->add_flag("--no-version", args.no_version, "Leave oauth_version=1.0 out");
    cmd->add_option("--show", args.show, "What to print")
        ->check(CLI::IsMember({"header", "base", "signature"}))
        ->capture_default_str();
    cmd->footer(
        "Exit codes: 0 signed, 1 no random nonce available (or another OpenSSL failure), 2 "
        "usage error.");
    return cmd;
}

int run_sign(const SignArgs& args, std::ostream& out, std::ostream& err) {
    if (!is_method(args.method)) {
        return usage_error(err, "METHOD must be an HTTP method such as GET or POST.");
    }
    if (args.consumer_key.empty()) return usage_error(err, "--consumer-key must not be empty.");
    if (!args.token_secret.empty() && args.token.empty()) {
        return usage_error(err, "--token-secret needs --token.");
    }
    if (args.show != "header" && args.show != "base" && args.show != "signature") {
        return usage_error(err, "--show must be header, base or signature.");
    }

    oauth::SignInput in;
    in.method = args.method;
    in.url = args.url;
    in.include_version = !args.no_version;
    for (std::size_t i = 0; i < args.data.size(); ++i) {
        auto pair = split_pair(args.data[i]);
        if (!pair) {
            return usage_error(err, "--data #" + std::to_string(i + 1) +
                                        " is not NAME=VALUE (NAME must not be empty).");
        }
        in.form.push_back(std::move(*pair));
    }
    for (std::size_t i = 0; i < args.oauth.size(); ++i) {
        // Only names are ever echoed: an --oauth value may be a PIN.
        auto pair = split_pair(args.oauth[i]);
        if (!pair) {
            return usage_error(err, "--oauth #" + std::to_string(i + 1) +
                                        " is not NAME=VALUE (NAME must not be empty).");
        }
        const std::string& name = pair->first;
        if (name.rfind("oauth_", 0) != 0) {
            return usage_error(err, "--oauth " + name + ": the name must start with oauth_.");
        }
        for (std::string_view managed : kManagedOauthNames) {
            if (name == managed) {
                return usage_error(err, "--oauth " + name +
                                            ": set by the command itself (see --token, --nonce, "
                                            "--timestamp, --no-version).");
            }
        }
        if (oauth::find_param(in.extra_oauth, name)) {
            return usage_error(err, "--oauth " + name + " is given twice.");
        }
        in.extra_oauth.push_back(std::move(*pair));
    }

    if (args.timestamp) {
        const auto ts = parse_timestamp(*args.timestamp);
        if (!ts) {
            return usage_error(err,
                               "--timestamp must be whole seconds since 1970 (digits only), "
                               "not '" +
                                   *args.timestamp + "'.");
        }
        in.timestamp = *ts;
    } else {
        in.timestamp = now_seconds();
    }
    oauth::Signer signer(oauth::ClientCredentials{args.consumer_key, args.consumer_secret,
                                                  args.token, args.token_secret});
    if (args.nonce) {
        if (args.nonce->empty()) return usage_error(err, "--nonce must not be empty.");
        in.nonce = *args.nonce;
    } else {
        auto nonce = signer.next_nonce();
        if (!nonce) {
            err << kPrefix << "no random nonce available (RNG failure); pass --nonce.\n";
            return kFailed;
        }
        in.nonce = std::move(*nonce);
    }

    const auto result = signer.sign(in);
    if (const auto* failed = std::get_if<oauth::SignError>(&result)) {
        if (*failed == oauth::SignError::crypto) {
            err << kPrefix << "OpenSSL could not compute the HMAC-SHA1 signature.\n";
            return kFailed;
        }
        return usage_error(err,
                           "URL '" + args.url +
                               "' is not an absolute http:// or https:// URL with a host, a "
                               "port from 1 to 65535 and well-formed %XX escapes in its query.");
    }
    const auto& s = std::get<oauth::SignedView>(result);
    if (args.show == "base") {
        out << s.base_string << '\n';
    } else if (args.show == "signature") {
        out << s.signature << '\n';
    } else {
        out << s.authorization << '\n';
    }
    return kOk;
}

}  // namespace pinlink::app
