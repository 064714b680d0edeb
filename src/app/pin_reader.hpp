// Reads PINs from a file descriptor (a terminal or a launcher's pipe) a line at a time,
// keeping digits only, with a hard cap so garbage on stdin can never grow memory, and
// returning promptly when an interrupt fd becomes readable.
#pragma once

#include <string>

namespace pinlink::app {

class PinReader {
public:
    static constexpr std::size_t kMaxDigits = 32;   // a PIN is about 7; anything longer is junk
    static constexpr std::size_t kMaxLine = 4096;   // bytes considered per line

    enum class Status {
        pin,        // a line with 1..kMaxDigits digits (other characters dropped)
        no_digits,  // a line without a single digit
        too_long,   // a line with more than kMaxDigits digits
        end,        // end of input (no partial line pending)
        interrupted,
        error       // read error
    };

    // `interrupt_fd` may be -1.
    PinReader(int fd, int interrupt_fd) : fd_(fd), interrupt_fd_(interrupt_fd) {}

    Status read(std::string& digits);

private:
    int fd_;
    int interrupt_fd_;
    std::string pending_;  // bytes read past the last newline
    bool eof_ = false;
};

}  // namespace pinlink::app
