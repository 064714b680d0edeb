// The terminal front end (--tty): the address and a QR code on stderr, the PIN from stdin
// (a terminal or a launcher's pipe), the result on stdout. Runs the flow on the calling thread;
// an interrupt fd and a Cancel make Ctrl+C return promptly with exit code 3.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "app/link_options.hpp"
#include "link/flow.hpp"
#include "net/http.hpp"

namespace pinlink::app {

struct TtyIo {
    int in_fd = 0;          // PIN input
    int interrupt_fd = -1;  // readable when the person pressed Ctrl+C
    std::ostream* out;      // credentials (stdout)
    std::ostream* err;      // everything for a person (stderr)
    bool ansi = false;      // stderr is a terminal: colour the QR code explicitly
};

// For --demo: the PIN of a request token, shown so a newcomer can finish alone.
using PinHint = std::function<std::optional<std::string>(const std::string& request_token)>;

inline constexpr int kMaxCodes = 3;  // a rejected PIN brings a new code, up to three codes

int run_tty(link::PinFlow& flow, const LinkOptions& options, const TtyIo& io, net::Cancel& cancel,
            const PinHint& pin_hint = {});

}  // namespace pinlink::app
