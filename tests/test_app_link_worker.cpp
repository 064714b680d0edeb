// The worker thread that runs the flow for the screen: results arrive whole, in order, and
// only for the latest command; cancelling and destroying it never waits on the network.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "app/link_worker.hpp"
#include "link/local_provider.hpp"
#include "support/servers.hpp"

using namespace pinlink;
using namespace std::chrono_literals;
using Kind = app::WorkerEvent::Kind;

namespace {

// Stands in for the SDL event queue: counts wake-ups and lets the test wait for one.
struct Waker {
    std::mutex m;
    std::condition_variable cv;
    int count = 0;
    void notify() {
        {
            std::lock_guard lock(m);
            ++count;
        }
        cv.notify_all();
    }
    bool wait_for(int n, std::chrono::milliseconds timeout) {
        std::unique_lock lock(m);
        return cv.wait_for(lock, timeout, [&] { return count >= n; });
    }
};

struct Fixture {
    Fixture() : provider(options()) {
        std::string error;
        EXPECT_TRUE(provider.start(&error)) << error;
        config.api_base = provider.base_url();
        config.consumer_key = std::string(link::kDemoConsumerKey);
        config.consumer_secret = std::string(link::kDemoConsumerSecret);
    }
    static link::LocalProviderOptions options() {
        link::LocalProviderOptions o;
        o.auto_approve = true;
        return o;
    }
    link::LocalProvider provider;
    link::FlowConfig config;
};

net::Options quick() {
    net::Options o;
    o.connect_timeout = 2s;
    o.total_timeout = 5s;
    return o;
}

}  // namespace

TEST(LinkWorker, CodeThenWrongPinThenRightPin) {
    Fixture f;
    net::Client http(quick());
    link::PinFlow flow(http, f.config);
    Waker waker;
    app::LinkWorker worker(flow, [&] { waker.notify(); },
                           [&](const std::string& t) { return f.provider.pin_hint(t); });

    worker.request_code();
    ASSERT_TRUE(waker.wait_for(1, 10s));
    auto code = worker.poll();
    ASSERT_TRUE(code);
    EXPECT_EQ(code->kind, Kind::code_ready);
    EXPECT_EQ(code->authorize_url.rfind(f.provider.base_url() + "/oauth/authorize?oauth_token=", 0), 0u);
    ASSERT_FALSE(code->pin_hint.empty());
    EXPECT_FALSE(worker.poll());

    worker.submit_pin("12");
    ASSERT_TRUE(waker.wait_for(2, 10s));
    auto fresh = worker.poll();
    ASSERT_TRUE(fresh);
    EXPECT_EQ(fresh->kind, Kind::code_ready);
    EXPECT_TRUE(fresh->after_rejection);
    EXPECT_NE(fresh->authorize_url, code->authorize_url);

    worker.submit_pin(fresh->pin_hint);
    ASSERT_TRUE(waker.wait_for(3, 10s));
    auto linked = worker.poll();
    ASSERT_TRUE(linked);
    ASSERT_EQ(linked->kind, Kind::linked) << link::to_string(linked->error.kind);
    EXPECT_EQ(linked->token.screen_name, "pinlink_demo");
    EXPECT_FALSE(worker.busy());
}

TEST(LinkWorker, FailureIsReportedAsAnEvent) {
    test::RefusingPort port;
    link::FlowConfig config;
    config.api_base = "http://127.0.0.1:" + std::to_string(port.port());
    config.consumer_key = "k";
    config.consumer_secret = "s";
    net::Client http(quick());
    link::PinFlow flow(http, config);
    Waker waker;
    app::LinkWorker worker(flow, [&] { waker.notify(); });
    worker.request_code();
    ASSERT_TRUE(waker.wait_for(1, 10s));
    auto e = worker.poll();
    ASSERT_TRUE(e);
    EXPECT_EQ(e->kind, Kind::failed);
    EXPECT_EQ(e->error.kind, link::ErrorKind::network);
}

TEST(LinkWorker, CancelDropsTheResultAndDestructionIsPrompt) {
    test::RawServer silent([](test::RawConnection& c) {
        c.read_head();
        c.wait_closed();
    });
    ASSERT_TRUE(silent.ok());
    link::FlowConfig config;
    config.api_base = silent.url("");
    config.consumer_key = "k";
    config.consumer_secret = "s";
    net::Options o = quick();
    o.total_timeout = 60s;
    net::Client http(o);
    link::PinFlow flow(http, config);
    Waker waker;
    auto worker = std::make_unique<app::LinkWorker>(flow, [&] { waker.notify(); });
    worker->request_code();
    // Wait until the request is really in flight at the silent server.
    for (int i = 0; i < 200 && silent.accepted() == 0; ++i) std::this_thread::sleep_for(10ms);
    ASSERT_EQ(silent.accepted(), 1);
    worker->cancel();
    EXPECT_FALSE(waker.wait_for(1, 300ms));  // a cancelled command never answers
    EXPECT_FALSE(worker->poll());

    worker->request_code();
    for (int i = 0; i < 200 && silent.accepted() < 2; ++i) std::this_thread::sleep_for(10ms);
    const auto start = std::chrono::steady_clock::now();
    worker.reset();  // the person closed the window mid-request
    EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms);
}

TEST(LinkWorker, NewCommandSupersedesTheOneInFlight) {
    Fixture f;
    net::Client http(quick());
    link::PinFlow flow(http, f.config);
    Waker waker;
    app::LinkWorker worker(flow, [&] { waker.notify(); });
    for (int i = 0; i < 5; ++i) worker.request_code();
    ASSERT_TRUE(waker.wait_for(1, 10s));
    // Let any straggler arrive, then check only one code is delivered.
    std::this_thread::sleep_for(200ms);
    int codes = 0;
    while (auto e = worker.poll()) {
        EXPECT_EQ(e->kind, Kind::code_ready);
        ++codes;
    }
    EXPECT_EQ(codes, 1);
}
