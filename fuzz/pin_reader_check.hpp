// Properties of the PIN reader (stdin of `pinlink --tty`, or a launcher's pipe), fed the input
// through a real pipe: every read returns what a line-by-line model predicts (the line's digits
// when 1..kMaxDigits, no_digits, too_long), only digits ever come out, never more than
// kMaxDigits, and the reader reaches `end` after at most one result per line.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/pin_reader.hpp"
#include "fuzz/check.hpp"

namespace pinlink::fuzz {

struct ExpectedRead {
    app::PinReader::Status status;
    std::string digits;
};

// The reader's contract, line by line; a last line without '\n' still counts.
inline std::vector<ExpectedRead> expected_pin_reads(std::string_view input) {
    using Status = app::PinReader::Status;
    std::vector<ExpectedRead> out;
    std::size_t start = 0;
    while (start < input.size()) {
        std::size_t nl = input.find('\n', start);
        if (nl == std::string_view::npos) nl = input.size();
        std::string digits;
        for (std::size_t i = start; i < nl; ++i) {
            if (input[i] >= '0' && input[i] <= '9') digits.push_back(input[i]);
        }
        if (digits.empty()) {
            out.push_back({Status::no_digits, {}});
        } else if (digits.size() > app::PinReader::kMaxDigits) {
            out.push_back({Status::too_long, {}});
        } else {
            out.push_back({Status::pin, digits});
        }
        start = nl + 1;
    }
    return out;
}

// Closes a descriptor when it goes out of scope.
class Fd {
  public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

  private:
    int fd_;
};

inline Failure check_pin_reader(std::string_view input) {
    using Status = app::PinReader::Status;
    int data_fds[2];
    int interrupt_fds[2];
    if (::pipe(data_fds) != 0) return fail("pipe() failed", input);
    Fd data_read(data_fds[0]);
    Fd data_write(data_fds[1]);
    if (::pipe(interrupt_fds) != 0) return fail("pipe() failed", input);
    Fd interrupt_read(interrupt_fds[0]);
    Fd interrupt_write(interrupt_fds[1]);  // never written: no interrupt, but polled as in --tty

    // Writes the whole input, then closes the write end (end of input).
    const auto write_all = [&data_write, input] {
        std::size_t done = 0;
        while (done < input.size()) {
            const ssize_t n = ::write(data_write.get(), input.data() + done, input.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
        data_write.reset();
    };
    // An input that fits the pipe's buffer is written up front; a larger one by a thread, so
    // it cannot deadlock the reader. (Most fuzz inputs fit: no thread, many more runs.)
    const int capacity = ::fcntl(data_write.get(), F_GETPIPE_SZ);
    std::thread writer;
    if (capacity > 0 && input.size() <= static_cast<std::size_t>(capacity)) {
        write_all();
    } else {
        writer = std::thread(write_all);
    }

    app::PinReader reader(data_read.get(), interrupt_read.get());
    const std::vector<ExpectedRead> expected = expected_pin_reads(input);
    Failure failure;
    std::string digits;
    for (std::size_t i = 0; i <= expected.size() && !failure; ++i) {
        const Status status = reader.read(digits);
        if (digits.size() > app::PinReader::kMaxDigits) {
            failure = fail("more than kMaxDigits digits", input);
        } else if (digits.find_first_not_of("0123456789") != std::string::npos) {
            failure = fail("a non-digit in the result", input);
        } else if (i == expected.size()) {
            if (status != Status::end) failure = fail("no end after the last line", input);
        } else if (status != expected[i].status || digits != expected[i].digits) {
            failure =
                fail("read #" + std::to_string(i + 1) + " differs from the line model", input);
        }
    }
    // After `end`, it stays at the end.
    if (!failure && reader.read(digits) != Status::end) failure = fail("end is not sticky", input);
    // Drain what a failed check left unread so the writer finishes (closing the read end instead
    // would raise SIGPIPE in it).
    char sink[4096];
    while (true) {
        const ssize_t n = ::read(data_read.get(), sink, sizeof sink);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
    }
    if (writer.joinable()) writer.join();
    return failure;
}

}  // namespace pinlink::fuzz
