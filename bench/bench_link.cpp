// One whole link against the local provider, the way the screen runs it: a LinkWorker (the
// screen's worker thread) over one net::Client and one PinFlow, per link:
//   request_code -> code_ready (not timed) -> submit_pin -> linked (timed: PIN submitted to the
//   Linked event, i.e. access_token + users/me and the hand-over to the render thread).
// Counters: TLS handshakes per whole link (net::Client::tls_handshakes(), smallest and largest
// over all links of the run; the target is exactly one) over HTTPS with a throwaway CA
// (tests/support TlsFixture), and the same timing over plain HTTP, which --demo uses.
// The Linked *screen* appears on the render loop's next wake after the event: one frame more,
// measured by bench_frame.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "app/link_worker.hpp"
#include "link/local_provider.hpp"
#include "support/tls_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using namespace pinlink;
using Clock = std::chrono::steady_clock;
using Kind = app::WorkerEvent::Kind;

// Stands in for the SDL event queue: the worker's notify wakes the waiting thread.
class Waker {
  public:
    void notify() {
        {
            std::lock_guard lock(mutex_);
            ++count_;
        }
        cv_.notify_all();
    }
    // Waits for the next notification after `seen`; false on timeout.
    bool wait_past(int& seen, std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        const bool ok = cv_.wait_for(lock, timeout, [&] { return count_ > seen; });
        seen = count_;
        return ok;
    }

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    int count_ = 0;
};

// The next event from the worker, waiting for its notification if none is queued yet.
std::optional<app::WorkerEvent> next_event(app::LinkWorker& worker, Waker& waker, int& seen) {
    while (true) {
        if (auto e = worker.poll()) return e;
        if (!waker.wait_past(seen, 10s)) return std::nullopt;
    }
}

struct Provider {
    explicit Provider(const test::TlsFixture* tls) : provider(options(tls)) {
        ok = provider.start(&error);
    }
    static link::LocalProviderOptions options(const test::TlsFixture* tls) {
        link::LocalProviderOptions o;
        o.auto_approve = true;  // as --demo: the PIN is known as soon as the code is issued
        if (tls != nullptr) {
            o.tls_cert_file = tls->server().cert;
            o.tls_key_file = tls->server().key;
        }
        return o;
    }
    link::LocalProvider provider;
    std::string error;
    bool ok = false;
};

// One link per iteration, each with a fresh client (so each pays exactly its own handshakes).
void bm_pin_to_linked(benchmark::State& state, bool https) {
    std::unique_ptr<test::TlsFixture> tls;
    if (https) {
        tls = std::make_unique<test::TlsFixture>();
        if (!tls->ok()) {
            state.SkipWithError(("TLS fixture: " + tls->error()).c_str());
            return;
        }
    }
    Provider local(tls.get());
    if (!local.ok) {
        state.SkipWithError(("provider: " + local.error).c_str());
        return;
    }
    link::FlowConfig config;
    config.api_base = local.provider.base_url();
    config.consumer_key = std::string(link::kDemoConsumerKey);
    config.consumer_secret = std::string(link::kDemoConsumerSecret);
    const app::PinHint hint = [&local](const std::string& token) {
        return local.provider.pin_hint(token);
    };

    int min_handshakes = 1 << 30, max_handshakes = 0, links = 0;
    for (auto _ : state) {
        net::Options options;
        if (tls) options.ca_file = tls->ca_file();
        net::Client http(options);
        link::PinFlow flow(http, config);
        Waker waker;
        int seen = 0;
        app::LinkWorker worker(
            flow, [&waker] { waker.notify(); }, hint);

        worker.request_code();
        const auto code = next_event(worker, waker, seen);
        if (!code || code->kind != Kind::code_ready || code->pin_hint.empty()) {
            state.SkipWithError("no code from the provider");
            break;
        }
        const auto start = Clock::now();
        worker.submit_pin(code->pin_hint);
        const auto linked = next_event(worker, waker, seen);
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        if (!linked || linked->kind != Kind::linked) {
            state.SkipWithError("the link did not complete");
            break;
        }
        state.SetIterationTime(seconds);
        min_handshakes = std::min(min_handshakes, http.tls_handshakes());
        max_handshakes = std::max(max_handshakes, http.tls_handshakes());
        ++links;
    }
    if (links > 0) {
        state.counters["links"] = links;
        state.counters["tls_handshakes_min"] = min_handshakes;
        state.counters["tls_handshakes_max"] = max_handshakes;
    }
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
    benchmark::RegisterBenchmark("BM_PinToLinked/https", bm_pin_to_linked, true)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond)
        ->Iterations(30);
    benchmark::RegisterBenchmark("BM_PinToLinked/http", bm_pin_to_linked, false)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond)
        ->Iterations(30);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
