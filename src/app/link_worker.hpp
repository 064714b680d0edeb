// Runs the PIN flow on its own thread for the screen front end, so the render loop never
// blocks on the network. Commands go in from the render thread; complete results come out
// through a queue, and `notify` (which pushes an SDL user event) wakes the loop. A new
// command supersedes the one in flight: it is cancelled and its result is dropped.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "app/tty_frontend.hpp"  // PinHint
#include "link/flow.hpp"
#include "net/http.hpp"

namespace pinlink::app {

struct WorkerEvent {
    enum class Kind { code_ready, linked, failed };
    Kind kind = Kind::failed;
    std::uint64_t generation = 0;  // the command this answers
    // code_ready
    std::string authorize_url;
    std::string pin_hint;        // demo only
    bool after_rejection = false;  // the previous code's PIN was rejected or the code had expired
    bool code_expired = false;     // with after_rejection: the code was dead (expired or spent)
    // linked
    link::AccessToken token;
    // failed
    link::LinkError error;
};

class LinkWorker {
public:
    // `notify` runs on the worker thread after each event is queued; it must be thread-safe.
    LinkWorker(link::PinFlow& flow, std::function<void()> notify, PinHint hint = {});
    ~LinkWorker();  // cancels whatever is in flight and joins within about 100 ms
    LinkWorker(const LinkWorker&) = delete;
    LinkWorker& operator=(const LinkWorker&) = delete;

    // Gets a fresh request token; answers code_ready or failed.
    void request_code();
    // Exchanges the PIN for the current code; answers linked, or code_ready with
    // after_rejection when the PIN was rejected (a new code is fetched at once), or failed.
    void submit_pin(std::string pin);
    // Aborts the command in flight; its result never arrives.
    void cancel();

    // The next complete event, if any. Render thread only.
    std::optional<WorkerEvent> poll();

    bool busy() const;

private:
    struct Command {
        enum class Kind { code, pin } kind;
        std::uint64_t generation;
        std::string pin;
    };
    void run();
    void enqueue(Command command);
    void publish(WorkerEvent event);
    WorkerEvent fetch_code(std::uint64_t generation, bool after_rejection);

    link::PinFlow& flow_;
    std::function<void()> notify_;
    PinHint hint_;
    net::Cancel cancel_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Command> commands_;
    std::deque<WorkerEvent> events_;
    std::uint64_t next_generation_ = 1;
    std::uint64_t cancelled_up_to_ = 0;  // commands with generation <= this are void
    bool running_command_ = false;
    bool stopping_ = false;
    std::optional<link::RequestToken> current_;  // worker thread only
    std::thread thread_;
};

}  // namespace pinlink::app
