// Properties of the command line and the configuration values, with pinlink's real option set
// (link options, `sign`, `demo-server`). Input layout: the arguments separated by NUL, then
// optionally 0x1E and NAME=VALUE environment entries separated by NUL. The entry
// PINLINK_FUZZ_SECRET_FILE=<content> is not passed on: it is the content of the file a
// --consumer-secret-file option reads (the path given is replaced by a private temporary file,
// which does not exist when that entry is absent), so no input can make the check read a real
// file.
// Properties: parsing either succeeds or throws CLI::ParseError, nothing else; `sign` returns
// 0, 1 or 2 with its output on the right stream; make_flow_config's success means usable
// credentials and a valid base URL; and no message depends on a secret's value (consumer
// secret, token secret, --oauth values such as the PIN), so none can leak one.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "app/demo_server_command.hpp"
#include "app/link_options.hpp"
#include "app/sign_command.hpp"
#include "fuzz/check.hpp"
#include "link/flow.hpp"

namespace pinlink::fuzz {

struct CliInput {
    std::vector<std::string> args;  // without the program name
    app::Environment env;
    std::optional<std::string> secret_file_content;
};

inline CliInput split_cli_input(std::string_view input) {
    CliInput out;
    const std::size_t rs = input.find('\x1e');
    for (std::string_view arg : split_nul(input.substr(0, rs)))
        out.args.emplace_back(arg);
    if (rs == std::string_view::npos) return out;
    for (std::string_view entry : split_nul(input.substr(rs + 1))) {
        const std::size_t eq = entry.find('=');
        const std::string name(entry.substr(0, eq));
        std::string value(eq == std::string_view::npos ? std::string_view{} : entry.substr(eq + 1));
        if (name == "PINLINK_FUZZ_SECRET_FILE") {
            out.secret_file_content = std::move(value);
        } else {
            out.env.insert_or_assign(name, std::move(value));
        }
    }
    return out;
}

// A private file for --consumer-secret-file, removed on destruction.
class ScratchFile {
  public:
    ScratchFile() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "pinlink-fuzz-XXXXXX").string();
        const int fd = ::mkstemp(pattern.data());
        if (fd >= 0) {
            ::close(fd);
            path_ = pattern;
        }
    }
    ~ScratchFile() { unlink(); }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;

    const std::string& path() const { return path_; }
    bool ok() const { return !path_.empty(); }

    // Puts `content` at the path; nullopt leaves no file there.
    bool write(const std::optional<std::string>& content) {
        unlink();
        if (!content) return true;
        std::ofstream f(path_, std::ios::binary | std::ios::trunc);
        f.write(content->data(), static_cast<std::streamsize>(content->size()));
        return static_cast<bool>(f.flush());
    }

  private:
    void unlink() {
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    std::string path_;
};

// A stand-in for a secret that keeps what the code may legitimately react to (empty after
// trimming; too large for a secret file) and changes everything else.
inline std::string masked_secret(const std::string& secret) {
    if (secret.size() > 4096) return secret;
    if (secret.find_first_not_of(" \t\r\n") == std::string::npos) return secret;
    return secret == "Z" ? "Y" : "Z";
}

inline Failure check_sign(const app::SignArgs& args, std::string_view input) {
    std::ostringstream out;
    std::ostringstream err;
    int code = 0;
    try {
        code = app::run_sign(args, out, err);
    } catch (const std::exception& e) {
        return fail(std::string("run_sign threw: ") + e.what(), input);
    }
    if (code != 0 && code != 1 && code != 2) return fail("run_sign: unknown exit code", input);
    const std::string printed = out.str();
    const std::string said = err.str();
    if (code == 0) {
        if (!said.empty()) return fail("run_sign succeeded with a message", input);
        if (printed.empty() || printed.find('\n') != printed.size() - 1) {
            return fail("run_sign success is not exactly one line", input);
        }
    } else {
        if (!printed.empty()) return fail("run_sign failed but printed a result", input);
        if (!said.starts_with("pinlink sign: ")) return fail("run_sign error unprefixed", input);
    }

    // The same command with every secret replaced: the messages must not change.
    app::SignArgs masked = args;
    if (!masked.consumer_secret.empty()) masked.consumer_secret = "Z";
    if (!masked.token_secret.empty()) masked.token_secret = "Z";
    for (std::string& pair : masked.oauth) {
        const std::size_t eq = pair.find('=');
        if (eq != std::string::npos && eq + 1 < pair.size()) pair = pair.substr(0, eq + 1) + "Z";
    }
    std::ostringstream masked_out;
    std::ostringstream masked_err;
    const int masked_code = app::run_sign(masked, masked_out, masked_err);
    if (masked_code != code || masked_err.str() != said) {
        return fail("run_sign's messages depend on a secret or --oauth value", input);
    }
    return std::nullopt;
}

inline Failure check_flow_config(app::LinkOptions options, const CliInput& in,
                                 std::string_view input) {
    std::optional<ScratchFile> secret_file;
    std::optional<std::string> content;
    if (!options.consumer_secret_file.empty()) {
        secret_file.emplace();
        if (!secret_file->ok()) return fail("no temporary file", input);
        options.consumer_secret_file = secret_file->path();
        content = in.secret_file_content;
        if (!secret_file->write(content)) return fail("cannot write the temporary file", input);
    }
    app::ConfigOrError made;
    try {
        made = app::make_flow_config(options, in.env);
    } catch (const std::exception& e) {
        return fail(std::string("make_flow_config threw: ") + e.what(), input);
    }
    if (made.error.empty()) {
        if (options.demo && !options.api_base.empty()) {
            return fail("--demo with --api-base accepted", input);
        }
        if (!options.demo) {
            if (made.config.consumer_key.empty() || made.config.consumer_secret.empty()) {
                return fail("accepted without a consumer key and secret", input);
            }
            if (link::validate_api_base(made.config.api_base)) {
                return fail("accepted an invalid --api-base", input);
            }
        }
    }

    // The same configuration with the secret replaced: the message must not change.
    app::Environment masked_env = in.env;
    if (auto it = masked_env.find("PINLINK_CONSUMER_SECRET"); it != masked_env.end()) {
        it->second = masked_secret(it->second);
    }
    if (content) content = masked_secret(*content);
    if (secret_file && !secret_file->write(content)) {
        return fail("cannot write the temporary file", input);
    }
    if (app::make_flow_config(options, masked_env).error != made.error) {
        return fail("make_flow_config's message depends on the consumer secret", input);
    }
    return std::nullopt;
}

inline Failure check_cli(std::string_view input) {
    const CliInput in = split_cli_input(input);

    // As main() builds it.
    CLI::App cli{"pinlink: link an X account to a device that has no browser and no keyboard.",
                 "pinlink"};
    cli.require_subcommand(0, 1);
    app::LinkOptions link_options;
    app::add_link_options(cli, link_options);
    app::SignArgs sign_args;
    CLI::App* sign = app::add_sign_command(cli, sign_args);
    app::DemoServerArgs server_args;
    CLI::App* server = app::add_demo_server_command(cli, server_args);

    std::vector<const char*> argv{"pinlink"};
    for (const std::string& arg : in.args)
        argv.push_back(arg.c_str());
    try {
        cli.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
        // Expected for bad input: what main() does with it must work too (help, messages).
        std::ostringstream out;
        std::ostringstream err;
        cli.exit(e, out, err);
        return std::nullopt;
    } catch (const std::exception& e) {
        return fail(std::string("parsing threw something else than CLI::ParseError: ") + e.what(),
                    input);
    }

    if (sign->parsed()) return check_sign(sign_args, input);
    if (server->parsed()) return std::nullopt;  // run_demo_server starts a server: not here
    return check_flow_config(link_options, in, input);
}

}  // namespace pinlink::fuzz
