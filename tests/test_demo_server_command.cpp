// `pinlink demo-server`: command-line parsing, exit codes, and the one JSON line a launcher
// reads before talking to the provider it announces.
#include <gtest/gtest.h>
#include <httplib.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

#include "app/demo_server_command.hpp"
#include "link/local_provider.hpp"

namespace {

using pinlink::app::DemoServerArgs;

// An output buffer another thread can wait on: the command writes from its own thread.
class SharedText : public std::streambuf {
  public:
    // Waits until the text holds `count` newlines; false on timeout.
    bool wait_for_lines(std::size_t count, std::chrono::seconds timeout) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] {
            return static_cast<std::size_t>(std::count(text_.begin(), text_.end(), '\n')) >= count;
        });
    }
    std::string text() {
        const std::lock_guard lock(mutex_);
        return text_;
    }

  protected:
    int_type overflow(int_type ch) override {
        if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
        const char c = traits_type::to_char_type(ch);
        append(&c, 1);
        return ch;
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        append(s, n);
        return n;
    }

  private:
    void append(const char* s, std::streamsize n) {
        {
            const std::lock_guard lock(mutex_);
            text_.append(s, static_cast<std::size_t>(n));
        }
        changed_.notify_all();
    }
    std::mutex mutex_;
    std::condition_variable changed_;
    std::string text_;
};

TEST(DemoServerCommand, ParsesItsOptions) {
    CLI::App app;
    DemoServerArgs args;
    CLI::App* cmd = pinlink::app::add_demo_server_command(app, args);
    app.parse("demo-server --port 8123 --clock-offset -400 --token-lifetime 60 --verbose", false);
    EXPECT_TRUE(cmd->parsed());
    EXPECT_EQ(args.port, 8123);
    EXPECT_EQ(args.clock_offset_seconds, -400);
    EXPECT_EQ(args.token_lifetime_seconds, 60);
    EXPECT_TRUE(args.verbose);
    EXPECT_EQ(args.host, "127.0.0.1");
}

TEST(DemoServerCommand, RejectsBadOptionsAtParseTime) {
    {
        CLI::App app;
        DemoServerArgs args;
        pinlink::app::add_demo_server_command(app, args);
        EXPECT_THROW(app.parse("demo-server --port 70000", false), CLI::ValidationError);
    }
    {
        CLI::App app;
        DemoServerArgs args;
        pinlink::app::add_demo_server_command(app, args);
        // An existing file, but no --tls-key to go with it.
        const std::string existing = PINLINK_SOURCE_DIR "/CMakeLists.txt";
        EXPECT_THROW(app.parse("demo-server --tls-cert " + existing, false), CLI::RequiresError);
    }
}

TEST(DemoServerCommand, CertificateWithoutKeyIsAUsageError) {
    DemoServerArgs args;
    args.tls_cert = "cert.pem";
    std::ostringstream out;
    std::ostringstream err;
    const std::atomic<bool> stop{true};
    EXPECT_EQ(pinlink::app::run_demo_server(args, out, err, stop), 2);
    EXPECT_EQ(out.str(), "");
    EXPECT_NE(err.str().find("--tls-key"), std::string::npos);
}

TEST(DemoServerCommand, PortInUseCannotStart) {
    pinlink::link::LocalProvider holder(pinlink::link::LocalProviderOptions{});
    std::string error;
    ASSERT_TRUE(holder.start(&error)) << error;
    DemoServerArgs args;
    args.port = holder.port();
    std::ostringstream out;
    std::ostringstream err;
    const std::atomic<bool> stop{true};
    EXPECT_EQ(pinlink::app::run_demo_server(args, out, err, stop), 1);
    EXPECT_EQ(out.str(), "");
    EXPECT_NE(err.str().find("could not start"), std::string::npos) << err.str();
}

TEST(DemoServerCommand, AnnouncesItselfServesAndStopsCleanly) {
    SharedText out_text;
    SharedText err_text;
    std::ostream out(&out_text);
    std::ostream err(&err_text);
    std::atomic<bool> stop{false};
    DemoServerArgs args;
    args.verbose = true;
    int code = -1;
    std::thread server([&] { code = pinlink::app::run_demo_server(args, out, err, stop); });

    ASSERT_TRUE(out_text.wait_for_lines(1, std::chrono::seconds(10))) << err_text.text();
    const std::string line = out_text.text();
    const auto announced = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(announced.is_object()) << line;
    EXPECT_EQ(announced["consumer_key"], pinlink::link::kDemoConsumerKey);
    EXPECT_EQ(announced["consumer_secret"], pinlink::link::kDemoConsumerSecret);
    const std::string api_base = announced.value("api_base", "");
    EXPECT_EQ(api_base.rfind("http://127.0.0.1:", 0), 0u) << api_base;

    httplib::Client client(api_base);
    const auto res = client.Get("/nothing-here");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
    EXPECT_EQ(nlohmann::json::parse(res->body)["errors"][0]["code"], 34);

    stop.store(true);
    server.join();
    EXPECT_EQ(code, 0);
    EXPECT_EQ(out_text.text(), line) << "stdout carries the one JSON line only";
    EXPECT_NE(err_text.text().find("GET /nothing-here 404"), std::string::npos) << err_text.text();
}

TEST(DemoServerCommand, ParsesFaults) {
    CLI::App app;
    DemoServerArgs args;
    pinlink::app::add_demo_server_command(app, args);
    app.parse("demo-server --fault request_token=status_503 --fault users_me=slow", false);
    EXPECT_EQ(args.faults, (std::vector<std::string>{"request_token=status_503", "users_me=slow"}));
}

TEST(DemoServerCommand, FaultThatCannotApplyIsAUsageError) {
    for (const std::string& fault :
         {std::string("request_token=melt"), std::string("everywhere=reset"),
          std::string("status_503"), std::string("all=wrong_certificate")}) {
        DemoServerArgs args;
        args.faults = {fault};
        std::ostringstream out;
        std::ostringstream err;
        const std::atomic<bool> stop{true};
        EXPECT_EQ(pinlink::app::run_demo_server(args, out, err, stop), 2) << fault;
        EXPECT_EQ(out.str(), "");
        EXPECT_NE(err.str().find("--fault " + fault), std::string::npos) << err.str();
    }
}

// Faults set with --fault apply from the first request; the announced control endpoint switches
// them at runtime; the request log names the fault.
TEST(DemoServerCommand, FaultsAtStartAndAtRuntime) {
    SharedText out_text;
    SharedText err_text;
    std::ostream out(&out_text);
    std::ostream err(&err_text);
    std::atomic<bool> stop{false};
    DemoServerArgs args;
    args.verbose = true;
    args.faults = {"request_token=status_503"};
    int code = -1;
    std::thread server([&] { code = pinlink::app::run_demo_server(args, out, err, stop); });

    ASSERT_TRUE(out_text.wait_for_lines(1, std::chrono::seconds(10))) << err_text.text();
    const auto announced = nlohmann::json::parse(out_text.text(), nullptr, false);
    ASSERT_TRUE(announced.is_object());
    const std::string api_base = announced.value("api_base", "");
    EXPECT_EQ(announced.value("fault_control", ""), api_base + "/_pinlink/fault");

    httplib::Client client(api_base);
    auto res = client.Post("/oauth/request_token", "", "application/x-www-form-urlencoded");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 503);
    res = client.Post("/_pinlink/fault", "endpoint=all&mode=none",
                      "application/x-www-form-urlencoded");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    res = client.Post("/oauth/request_token", "", "application/x-www-form-urlencoded");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << "unsigned, so X's 215 once the fault is off";

    stop.store(true);
    server.join();
    EXPECT_EQ(code, 0);
    EXPECT_NE(err_text.text().find("POST /oauth/request_token 503 fault=status_503"),
              std::string::npos)
        << err_text.text();
}

}  // namespace
