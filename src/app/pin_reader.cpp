// Line-oriented, digits-only PIN reading; see pin_reader.hpp.
#include "app/pin_reader.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace pinlink::app {

PinReader::Status PinReader::read(std::string& digits) {
    digits.clear();
    while (true) {
        const auto nl = pending_.find('\n');
        if (nl != std::string::npos || (eof_ && !pending_.empty())) {
            const std::size_t end = nl == std::string::npos ? pending_.size() : nl;
            std::size_t count = 0;
            for (std::size_t i = 0; i < end; ++i) {
                const char c = pending_[i];
                if (c >= '0' && c <= '9') {
                    ++count;
                    if (digits.size() < kMaxDigits) digits.push_back(c);
                }
            }
            pending_.erase(0, nl == std::string::npos ? end : end + 1);
            if (count == 0) return Status::no_digits;
            if (count > kMaxDigits) {
                digits.clear();
                return Status::too_long;
            }
            return Status::pin;
        }
        if (eof_) return Status::end;

        pollfd fds[2] = {{fd_, POLLIN, 0}, {interrupt_fd_, POLLIN, 0}};
        const int n = ::poll(fds, interrupt_fd_ >= 0 ? 2 : 1, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            return Status::error;
        }
        if (interrupt_fd_ >= 0 && (fds[1].revents & POLLIN)) return Status::interrupted;
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            char buf[1024];
            const ssize_t got = ::read(fd_, buf, sizeof buf);
            if (got < 0) {
                if (errno == EINTR || errno == EAGAIN) continue;
                return Status::error;
            }
            if (got == 0) {
                eof_ = true;
                continue;
            }
            pending_.append(buf, static_cast<std::size_t>(got));
            // A line longer than kMaxLine without a newline: keep only its digits so far,
            // so a flood of junk stays bounded.
            if (pending_.find('\n') == std::string::npos && pending_.size() > kMaxLine) {
                std::string kept;
                for (char c : pending_) {
                    if (c >= '0' && c <= '9' && kept.size() <= kMaxDigits) kept.push_back(c);
                }
                // Without a digit, keep one non-digit: an empty pending_ would make this line
                // vanish (read() would report `end`, not `no_digits`) if the input ends here.
                if (kept.empty()) kept.push_back(' ');
                pending_ = kept.size() > kMaxDigits ? std::string(kMaxDigits + 1, '0') : kept;
            }
        }
    }
}

}  // namespace pinlink::app
