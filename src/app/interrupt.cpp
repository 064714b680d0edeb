// Signal watching on a signalfd; see interrupt.hpp.
#include "app/interrupt.hpp"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cstdint>

namespace pinlink::app {
namespace {

sigset_t watched_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    return set;
}

void raise_fd(int fd) {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(fd, &one, sizeof one);
}

}  // namespace

InterruptWatcher::InterruptWatcher(net::Cancel& cancel, std::function<void()> on_interrupt)
    : cancel_(cancel), on_interrupt_(std::move(on_interrupt)) {
    const sigset_t set = watched_signals();
    // Threads made later inherit this mask, so the signals only ever arrive at the signalfd.
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    signal_fd_ = ::signalfd(-1, &set, SFD_CLOEXEC);
    event_fd_ = ::eventfd(0, EFD_CLOEXEC);
    stop_fd_ = ::eventfd(0, EFD_CLOEXEC);
    if (signal_fd_ < 0 || event_fd_ < 0 || stop_fd_ < 0) return;
    thread_ = std::thread([this] { run(); });
}

InterruptWatcher::~InterruptWatcher() {
    if (thread_.joinable()) {
        raise_fd(stop_fd_);
        thread_.join();
    }
    for (int fd : {signal_fd_, event_fd_, stop_fd_}) {
        if (fd >= 0) ::close(fd);
    }
}

void InterruptWatcher::set_handler(std::function<void()> handler) {
    std::lock_guard lock(handler_mutex_);
    handler_ = std::move(handler);
}

void InterruptWatcher::run() {
    pollfd fds[2] = {{signal_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    while (true) {
        if (::poll(fds, 2, -1) < 0) continue;  // EINTR
        if (fds[1].revents & POLLIN) return;
        if (fds[0].revents & POLLIN) {
            signalfd_siginfo info{};
            [[maybe_unused]] const auto n = ::read(signal_fd_, &info, sizeof info);
            interrupted_.store(true);
            cancel_.cancel();
            raise_fd(event_fd_);
            if (on_interrupt_) on_interrupt_();
            std::lock_guard lock(handler_mutex_);
            if (handler_) handler_();
        }
    }
}

}  // namespace pinlink::app
