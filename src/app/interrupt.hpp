// Turns Ctrl+C / SIGTERM / SIGHUP into a cancellation: blocks those signals in every thread
// (construct it first in main, before any thread exists) and watches them on a signalfd from
// one small thread, which cancels the transfer in flight and raises an eventfd that the
// front ends poll alongside their input.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

#include "net/http.hpp"

namespace pinlink::app {

class InterruptWatcher {
public:
    // `on_interrupt` runs on the watcher thread (after `cancel` is cancelled); may be empty.
    InterruptWatcher(net::Cancel& cancel, std::function<void()> on_interrupt = {});
    ~InterruptWatcher();
    InterruptWatcher(const InterruptWatcher&) = delete;
    InterruptWatcher& operator=(const InterruptWatcher&) = delete;

    // Replaces the extra handler run on each interrupt (the screen sets one that pushes
    // SDL_QUIT while SDL is up, and clears it before SDL_Quit). Thread-safe.
    void set_handler(std::function<void()> handler);

    // Readable (poll POLLIN) once an interrupt arrived; -1 if the watcher could not start.
    int fd() const { return event_fd_; }
    bool interrupted() const { return interrupted_.load(); }

private:
    void run();
    net::Cancel& cancel_;
    std::function<void()> on_interrupt_;
    std::mutex handler_mutex_;
    std::function<void()> handler_;  // guarded by handler_mutex_
    int signal_fd_ = -1;
    int event_fd_ = -1;  // raised on interrupt
    int stop_fd_ = -1;   // raised by the destructor
    std::atomic<bool> interrupted_{false};
    std::thread thread_;
};

}  // namespace pinlink::app
