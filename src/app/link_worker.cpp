// The PIN flow's worker thread; see link_worker.hpp.
#include "app/link_worker.hpp"

namespace pinlink::app {

LinkWorker::LinkWorker(link::PinFlow& flow, std::function<void()> notify, PinHint hint)
    : flow_(flow), notify_(std::move(notify)), hint_(std::move(hint)) {
    thread_ = std::thread([this] { run(); });
}

LinkWorker::~LinkWorker() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        cancelled_up_to_ = next_generation_;
        cancel_.cancel();
    }
    wake_.notify_all();
    thread_.join();
}

void LinkWorker::enqueue(Command command) {
    {
        std::lock_guard lock(mutex_);
        // Supersede: whatever is queued or running is void from now on.
        cancelled_up_to_ = command.generation - 1;
        cancel_.cancel();
        commands_.clear();
        commands_.push_back(std::move(command));
    }
    wake_.notify_all();
}

void LinkWorker::request_code() {
    std::uint64_t gen;
    {
        std::lock_guard lock(mutex_);
        gen = next_generation_++;
    }
    enqueue({Command::Kind::code, gen, {}});
}

void LinkWorker::submit_pin(std::string pin) {
    std::uint64_t gen;
    {
        std::lock_guard lock(mutex_);
        gen = next_generation_++;
    }
    enqueue({Command::Kind::pin, gen, std::move(pin)});
}

void LinkWorker::cancel() {
    std::lock_guard lock(mutex_);
    cancelled_up_to_ = next_generation_ - 1;
    commands_.clear();
    cancel_.cancel();
}

bool LinkWorker::busy() const {
    std::lock_guard lock(mutex_);
    return running_command_ || !commands_.empty();
}

std::optional<WorkerEvent> LinkWorker::poll() {
    std::lock_guard lock(mutex_);
    while (!events_.empty()) {
        WorkerEvent e = std::move(events_.front());
        events_.pop_front();
        if (e.generation > cancelled_up_to_) return e;
    }
    return std::nullopt;
}

void LinkWorker::publish(WorkerEvent event) {
    {
        std::lock_guard lock(mutex_);
        running_command_ = false;  // every command ends with exactly one publish
        // The payload is complete before it becomes visible; a superseded result is dropped.
        if (event.generation <= cancelled_up_to_) return;
        events_.push_back(std::move(event));
    }
    if (notify_) notify_();
}

WorkerEvent LinkWorker::fetch_code(std::uint64_t generation, bool after_rejection) {
    WorkerEvent e;
    e.generation = generation;
    auto rt = flow_.request_token(&cancel_);
    if (!rt) {
        current_.reset();
        e.kind = WorkerEvent::Kind::failed;
        e.error = rt.error();
        return e;
    }
    current_ = rt.value();
    e.kind = WorkerEvent::Kind::code_ready;
    e.authorize_url = flow_.authorize_url(*current_);
    e.after_rejection = after_rejection;
    if (hint_) e.pin_hint = hint_(current_->token).value_or("");
    return e;
}

void LinkWorker::run() {
    while (true) {
        Command command;
        {
            std::unique_lock lock(mutex_);
            running_command_ = false;
            wake_.wait(lock, [this] { return stopping_ || !commands_.empty(); });
            if (stopping_) return;
            command = std::move(commands_.front());
            commands_.pop_front();
            if (command.generation <= cancelled_up_to_) continue;
            // Re-arm under the lock: a cancel() after this point cancels this command.
            cancel_.reset();
            running_command_ = true;
        }

        if (command.kind == Command::Kind::code) {
            publish(fetch_code(command.generation, false));
            continue;
        }

        WorkerEvent e;
        e.generation = command.generation;
        if (!current_) {
            // No live code (the last request failed): get one; the PIN cannot belong to it.
            publish(fetch_code(command.generation, true));
            continue;
        }
        auto at = flow_.access_token(*current_, command.pin, &cancel_);
        if (at) {
            current_.reset();
            e.kind = WorkerEvent::Kind::linked;
            e.token = std::move(at.value());
            publish(std::move(e));
        } else if (at.error().needs_new_code()) {
            // A rejected PIN or a dead code: say so and bring a fresh code without asking.
            WorkerEvent fresh = fetch_code(command.generation, true);
            fresh.code_expired = at.error().kind == link::ErrorKind::code_expired;
            publish(std::move(fresh));
        } else {
            e.kind = WorkerEvent::Kind::failed;
            e.error = at.error();
            publish(std::move(e));
        }
    }
}

}  // namespace pinlink::app
