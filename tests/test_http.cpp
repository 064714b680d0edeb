// Tests for pinlink::net::Client against real servers on loopback: httplib servers (HTTP and
// HTTPS with a throwaway CA from support/tls_fixture) for well-behaved peers, raw sockets for
// peers that misbehave on purpose. Covers round trips, TLS trust and host checks, the loopback
// rule for plain http, URL checks, timeouts, truncation, the size cap, redirects, refused
// connections, loading libcurl (and failing to), cancellation from another thread, connection
// reuse and redacted verbose output.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/http.hpp"
#include "support/servers.hpp"
#include "support/tls_fixture.hpp"

namespace pinlink::net {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test::RawConnection;
using test::RawServer;
using test::ServerThread;
using test::TlsFixture;

// Short enough that a broken test fails instead of hanging, long enough for a loaded machine.
Options test_options() {
    Options o;
    o.connect_timeout = 5s;
    o.total_timeout = 10s;
    return o;
}

Request get(std::string url) {
    Request r;
    r.url = std::move(url);
    return r;
}

// A one-shot event another thread can wait for.
class Signal {
  public:
    void set() {
        std::lock_guard lock(mutex_);
        set_ = true;
        cv_.notify_all();
    }
    void wait() {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [this] { return set_; });
    }

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool set_ = false;
};

// Routes shared by the HTTP and HTTPS servers: echo what was received, and a few fixed replies.
void add_echo_routes(httplib::Server& server) {
    auto echo = [](const httplib::Request& req, httplib::Response& res) {
        res.set_header("X-Got-Method", req.method);
        res.set_header("X-Got-Test", req.get_header_value("X-Test"));
        res.set_header("X-Got-Type", req.get_header_value("Content-Type"));
        res.set_header("X-Got-Authorization", req.get_header_value("Authorization"));
        res.set_content(req.method == "POST" ? req.body : "hello " + req.path, "text/plain");
    };
    server.Get("/echo", echo);
    server.Post("/echo", echo);
}

// ---------------------------------------------------------------------------------------------
// Round trips

TEST(HttpClient, GetRoundTripOverHttp) {
    httplib::Server server;
    add_echo_routes(server);
    ServerThread thread(server);
    ASSERT_TRUE(thread.ok());

    Client client(test_options());
    Request req = get(thread.url("http", "/echo"));
    req.headers = {{"X-Test", "value with spaces"}};
    const Result r = client.perform(req);
    ASSERT_EQ(r.error, Error::none) << r.detail;
    EXPECT_TRUE(r);
    EXPECT_EQ(r.response.status, 200);
    EXPECT_EQ(r.response.body, "hello /echo");
    EXPECT_EQ(r.response.header("x-got-method"), "GET");
    EXPECT_EQ(r.response.header("x-got-test"), "value with spaces");
    EXPECT_EQ(r.response.header("content-type"), "text/plain");
}

TEST(HttpClient, PostRoundTripOverHttp) {
    httplib::Server server;
    add_echo_routes(server);
    ServerThread thread(server);
    ASSERT_TRUE(thread.ok());

    Client client(test_options());
    Request req;
    req.method = "POST";
    req.url = thread.url("http", "/echo");
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                   {"Authorization", "OAuth oauth_consumer_key=\"k\""}};
    // Larger than libcurl's Expect: 100-continue threshold, to check the body goes out at once.
    req.body = "a=1&b=" + std::string(5000, 'x');
    const Result r = client.perform(req);
    ASSERT_EQ(r.error, Error::none) << r.detail;
    EXPECT_EQ(r.response.status, 200);
    EXPECT_EQ(r.response.body, req.body);
    EXPECT_EQ(r.response.header("x-got-method"), "POST");
    EXPECT_EQ(r.response.header("x-got-type"), "application/x-www-form-urlencoded");
    EXPECT_EQ(r.response.header("x-got-authorization"), "OAuth oauth_consumer_key=\"k\"");
}

TEST(HttpClient, GetAndPostOverHttpsWithExtraCa) {
    TlsFixture tls;
    ASSERT_TRUE(tls.ok()) << tls.error();
    httplib::SSLServer server(tls.server().cert.c_str(), tls.server().key.c_str());
    ASSERT_TRUE(server.is_valid());
    add_echo_routes(server);
    ServerThread thread(server);
    ASSERT_TRUE(thread.ok());

    Options options = test_options();
    options.ca_file = tls.ca_file();
    Client client(options);

    Request get_req = get(thread.url("https", "/echo"));
    get_req.headers = {{"X-Test", "over tls"}};
    const Result g = client.perform(get_req);
    ASSERT_EQ(g.error, Error::none) << g.detail;
    EXPECT_EQ(g.response.status, 200);
    EXPECT_EQ(g.response.body, "hello /echo");
    EXPECT_EQ(g.response.header("x-got-test"), "over tls");

    Request post_req;
    post_req.method = "POST";
    post_req.url = thread.url("https", "/echo");
    post_req.headers = {{"Content-Type", "text/plain"}};
    post_req.body = "oauth_verifier=0123456";
    const Result p = client.perform(post_req);
    ASSERT_EQ(p.error, Error::none) << p.detail;
    EXPECT_EQ(p.response.body, "oauth_verifier=0123456");
    EXPECT_EQ(p.response.header("x-got-type"), "text/plain");
}

TEST(HttpClient, HttpsByHostNameLocalhost) {
    TlsFixture tls;
    ASSERT_TRUE(tls.ok()) << tls.error();
    httplib::SSLServer server(tls.server().cert.c_str(), tls.server().key.c_str());
    add_echo_routes(server);
    ServerThread thread(server);
    ASSERT_TRUE(thread.ok());

    Options options = test_options();
    options.ca_file = tls.ca_file();
    Client client(options);
    const Result r =
        client.perform(get("https://localhost:" + std::to_string(thread.port()) + "/echo"));
    ASSERT_EQ(r.error, Error::none) << r.detail;
    EXPECT_EQ(r.response.body, "hello /echo");
}

// pinlink's main sets GNUTLS_NO_IMPLICIT_INIT before libcurl loads (GnuTLS only comes in through
// librtmp and libldap); a value the person set is kept, and HTTPS still works with it set. CTest
// runs each test in a process of its own, so there libcurl is loaded here, with the variable set.
TEST(HttpClient, GnutlsWaitsForItsUsersAndHttpsStillWorks) {
    unsetenv("GNUTLS_NO_IMPLICIT_INIT");
    skip_implicit_gnutls_init();
    ASSERT_NE(std::getenv("GNUTLS_NO_IMPLICIT_INIT"), nullptr);
    EXPECT_STREQ(std::getenv("GNUTLS_NO_IMPLICIT_INIT"), "1");
    setenv("GNUTLS_NO_IMPLICIT_INIT", "0", 1);
    skip_implicit_gnutls_init();
    EXPECT_STREQ(std::getenv("GNUTLS_NO_IMPLICIT_INIT"), "0");
    unsetenv("GNUTLS_NO_IMPLICIT_INIT");
    skip_implicit_gnutls_init();

    TlsFixture tls;
    ASSERT_TRUE(tls.ok()) << tls.error();
    httplib::SSLServer server(tls.server().cert.c_str(), tls.server().key.c_str());
    add_echo_routes(server);
    ServerThread thread(server);
    ASSERT_TRUE(thread.ok());
    Options options = test_options();
    options.ca_file = tls.ca_file();
    Client client(options);
    const Result r = client.perform(get(thread.url("https", "/echo")));
    ASSERT_EQ(r.error, Error::none) << r.detail;
    EXPECT_EQ(r.response.body, "hello /echo");
}

TEST(HttpClient, HeaderLookupIsCaseInsensitive) {
    httplib::Server server;
    server.Get("/limits", [](const httplib::Request&, httplib::Response& res) {
        res.set_header("X-Rate-Limit-Reset", "1700000000");
        res.set_header("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
        res.set_content("{}", "application/json");
    });
    ServerThread thread(server);
    ASSERT_TRUE(thread.ok());

    Client client(test_options());
    const Result r = client.perform(get(thread.url("http", "/limits")));
    ASSERT_EQ(r.error, Error::none) << r.detail;
    EXPECT_EQ(r.response.header("x-rate-limit-reset"), "1700000000");
    EXPECT_EQ(r.response.header("X-RATE-LIMIT-RESET"), "1700000000");
    EXPECT_EQ(r.response.header("X-Rate-Limit-Reset"), "1700000000");
    EXPECT_EQ(r.response.header("date"), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(r.response.header("x-rate-limit"), std::nullopt);
    // Stored names are lowercased.
    bool found = false;
    for (const auto& [name, value] : r.response.headers) {
        found = found || (name == "x-rate-limit-reset" && value == "1700000000");
    }
    EXPECT_TRUE(found);
}

TEST(HttpClient, HeaderLookupOnAResponseValue) {
    Response response;
    response.headers = {{"content-type", "text/plain"}, {"x-dup", "first"}, {"x-dup", "second"}};
    EXPECT_EQ(response.header("Content-Type"), "text/plain");
    EXPECT_EQ(response.header("X-DUP"), "first");
    EXPECT_EQ(response.header("content-typ"), std::nullopt);
    EXPECT_EQ(response.header(""), std::nullopt);
}

// ---------------------------------------------------------------------------------------------
// TLS trust

TEST(HttpClient, UntrustedCertificateIsRefused) {
    TlsFixture tls;
    ASSERT_TRUE(tls.ok()) << tls.error();
    httplib::SSLServer server(tls.server().cert.c_str(), tls.server().key.c_str());
    add_echo_routes(server);
    ServerThread thread(server);
    ASSERT_TRUE(thread.ok());

    Client client(test_options());  // no ca_file: the test CA is not trusted
    const Result r = client.perform(get(thread.url("https", "/echo")));
    EXPECT_EQ(r.error, Error::tls) << r.detail;
    EXPECT_FALSE(r);
}

TEST(HttpClient, HostnameMismatchIsRefused) {
    TlsFixture tls;
    ASSERT_TRUE(tls.ok()) << tls.error();
    const auto other = tls.issue("other", {"example.com"}, {});
    ASSERT_TRUE(other) << tls.error();
    httplib::SSLServer server(other->cert.c_str(), other->key.c_str());
    add_echo_routes(server);
    ServerThread thread(server);
    ASSERT_TRUE(thread.ok());

    Options options = test_options();
    options.ca_file = tls.ca_file();  // trusted CA, but the name does not match 127.0.0.1
    Client client(options);
    const Result r = client.perform(get(thread.url("https", "/echo")));
    EXPECT_EQ(r.error, Error::tls) << r.detail;
}

TEST(HttpClient, UnusableCaFileFailsHttpsButNotLoopbackHttp) {
    TlsFixture tls;
    ASSERT_TRUE(tls.ok()) << tls.error();
    httplib::SSLServer tls_server(tls.server().cert.c_str(), tls.server().key.c_str());
    add_echo_routes(tls_server);
    ServerThread tls_thread(tls_server);
    httplib::Server plain_server;
    add_echo_routes(plain_server);
    ServerThread plain_thread(plain_server);
    ASSERT_TRUE(tls_thread.ok() && plain_thread.ok());

    for (const std::string& ca_file : {tls.dir() + "/missing.pem", tls.server().key}) {
        Options options = test_options();
        options.ca_file = ca_file;  // a missing file, then a file with no certificate
        Client client(options);
        const Result r = client.perform(get(tls_thread.url("https", "/echo")));
        EXPECT_EQ(r.error, Error::tls) << ca_file;
        EXPECT_NE(r.detail.find(ca_file), std::string::npos) << r.detail;
        const Result plain = client.perform(get(plain_thread.url("http", "/echo")));
        EXPECT_EQ(plain.error, Error::none) << plain.detail;
    }
}

// ---------------------------------------------------------------------------------------------
// What may be requested at all

TEST(HttpClient, LoopbackHosts) {
    for (const char* host : {"localhost", "LocalHost", "127.0.0.1", "127.1.2.3", "127.255.255.255",
                             "::1", "[::1]", "0:0:0:0:0:0:0:1", "[::ffff:127.0.0.1]"}) {
        EXPECT_TRUE(is_loopback_host(host)) << host;
    }
    for (const char* host :
         {"", "example.com", "localhost.", "localhost.example.com", "mylocalhost", "128.0.0.1",
          "126.255.255.255", "10.0.0.1", "0.0.0.0", "127.0.0.1.nip.io", "127.1", "0x7f000001",
          "::", "::2", "[::1", "::ffff:10.0.0.1", "[fe80::1]", "127.0.0.1:80"}) {
        EXPECT_FALSE(is_loopback_host(host)) << host;
    }
}

TEST(HttpClient, PlainHttpToANonLoopbackHostIsRefusedBeforeConnecting) {
    // No network is needed: the check comes before name resolution or any socket.
    Client client(test_options());
    for (const char* url : {"http://example.com/", "http://api.x.com/oauth/request_token",
                            "HTTP://EXAMPLE.COM/", "http://10.0.0.1:8080/", "http://[2001:db8::1]/",
                            "http://localhost.example.com/", "http://127.0.0.1.nip.io/"}) {
        const auto start = Clock::now();
        const Result r = client.perform(get(url));
        EXPECT_EQ(r.error, Error::insecure_url) << url << ": " << r.detail;
        EXPECT_LT(Clock::now() - start, 1s) << url;
    }
    EXPECT_EQ(client.tls_handshakes(), 0);
}

TEST(HttpClient, BadUrlsAreRefused) {
    Client client(test_options());
    for (const char* url :
         {"", "not a url", "example.com/path", "//example.com/", "ftp://example.com/",
          "file:///etc/passwd", "gopher://127.0.0.1/", "https://", "http:///path",
          "https:/example.com/", "https://exa mple.com/", "https://[::1/",
          "https://example.com:99999/", "javascript:alert(1)"}) {
        const Result r = client.perform(get(url));
        EXPECT_EQ(r.error, Error::bad_url) << '"' << url << "\": " << r.detail;
    }
    // An embedded NUL must not turn into a shorter, different URL.
    using namespace std::string_literals;
    const std::string with_nul = "http://127.0.0.1:1/\0https://example.com/"s;
    ASSERT_EQ(with_nul.size(), 40u);
    EXPECT_EQ(client.perform(get(with_nul)).error, Error::bad_url);
}

TEST(HttpClient, RequestsThatCannotBeSentSafelyAreRefused) {
    std::atomic<int> hits{0};
    httplib::Server server;
    server.Get("/", [&](const httplib::Request&, httplib::Response& res) {
        ++hits;
        res.set_content("ok", "text/plain");
    });
    ServerThread thread(server);
    ASSERT_TRUE(thread.ok());
    Client client(test_options());

    Request injected = get(thread.url("http", "/"));
    injected.headers = {{"X-Test", "a\r\nX-Injected: yes"}};
    EXPECT_EQ(client.perform(injected).error, Error::internal);
    Request bad_name = get(thread.url("http", "/"));
    bad_name.headers = {{"X-Te:st", "v"}};
    EXPECT_EQ(client.perform(bad_name).error, Error::internal);
    Request bad_method = get(thread.url("http", "/"));
    bad_method.method = "DELETE";
    EXPECT_EQ(client.perform(bad_method).error, Error::internal);
    EXPECT_EQ(hits.load(), 0);

    // The same client still works for a proper request.
    const Result ok = client.perform(get(thread.url("http", "/")));
    EXPECT_EQ(ok.error, Error::none) << ok.detail;
    EXPECT_EQ(hits.load(), 1);
}

// ---------------------------------------------------------------------------------------------
// Misbehaving and absent peers

TEST(HttpClient, ServerThatNeverAnswersTimesOut) {
    RawServer server([](RawConnection& c) {
        c.read_head();
        c.wait_closed();
    });
    ASSERT_TRUE(server.ok());
    Options options = test_options();
    options.total_timeout = 1s;
    Client client(options);

    const auto start = Clock::now();
    const Result r = client.perform(get(server.url("/")));
    const auto elapsed = Clock::now() - start;
    EXPECT_EQ(r.error, Error::timeout) << r.detail;
    EXPECT_GE(elapsed, 900ms);
    EXPECT_LT(elapsed, 5s);
}

TEST(HttpClient, ZeroTimeoutStillTimesOut) {
    RawServer server([](RawConnection& c) {
        c.read_head();
        c.wait_closed();
    });
    ASSERT_TRUE(server.ok());
    Options options = test_options();
    options.total_timeout = 0ms;  // must not mean "wait forever"
    Client client(options);

    const auto start = Clock::now();
    const Result r = client.perform(get(server.url("/")));
    EXPECT_EQ(r.error, Error::timeout) << r.detail;
    EXPECT_LT(Clock::now() - start, 5s);
}

TEST(HttpClient, ReplyCutOffMidBodyIsAProtocolError) {
    RawServer server([](RawConnection& c) {
        if (c.read_head().empty()) return;
        c.send(
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nContent-Type: text/plain\r\n\r\nonly "
            "twenty bytes");
        // Returning closes the connection with 80 bytes still owed.
    });
    ASSERT_TRUE(server.ok());
    Client client(test_options());
    const Result r = client.perform(get(server.url("/")));
    EXPECT_EQ(r.error, Error::protocol) << r.detail;
}

TEST(HttpClient, GarbageReplyIsAProtocolError) {
    RawServer server([](RawConnection& c) {
        if (c.read_head().empty()) return;
        c.send("this is not HTTP at all\r\n\r\n");
    });
    ASSERT_TRUE(server.ok());
    Client client(test_options());
    const Result r = client.perform(get(server.url("/")));
    EXPECT_EQ(r.error, Error::protocol) << r.detail;
}

TEST(HttpClient, OversizedReplyIsTooLarge) {
    httplib::Server server;
    server.Get("/big", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(2 * 1024 * 1024, 'x'), "application/octet-stream");
    });
    ServerThread thread(server);
    ASSERT_TRUE(thread.ok());
    Client client(test_options());  // default cap: 1 MiB
    const Result r = client.perform(get(thread.url("http", "/big")));
    EXPECT_EQ(r.error, Error::too_large) << r.detail;
}

TEST(HttpClient, EndlessReplyIsStoppedAtTheCapWhileReceiving) {
    // No Content-Length and no end: only stopping while receiving can finish this in time.
    std::atomic<std::size_t> sent{0};
    RawServer server([&](RawConnection& c) {
        if (c.read_head().empty()) return;
        if (!c.send("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                    "Connection: close\r\n\r\n")) {
            return;
        }
        const std::string chunk(64 * 1024, 'y');
        while (c.send(chunk))
            sent += chunk.size();
    });
    ASSERT_TRUE(server.ok());
    Options options = test_options();
    options.max_body_bytes = 256 * 1024;
    Client client(options);

    const Result r = client.perform(get(server.url("/")));
    EXPECT_EQ(r.error, Error::too_large) << r.detail;
}

TEST(HttpClient, BodyExactlyAtTheCapIsAccepted) {
    httplib::Server server;
    server.Get("/1000", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(1000, 'a'), "text/plain");
    });
    server.Get("/1001", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(1001, 'a'), "text/plain");
    });
    ServerThread thread(server);
    ASSERT_TRUE(thread.ok());
    Options options = test_options();
    options.max_body_bytes = 1000;
    Client client(options);

    const Result at_cap = client.perform(get(thread.url("http", "/1000")));
    ASSERT_EQ(at_cap.error, Error::none) << at_cap.detail;
    EXPECT_EQ(at_cap.response.body.size(), 1000u);
    EXPECT_EQ(client.perform(get(thread.url("http", "/1001"))).error, Error::too_large);
}

TEST(HttpClient, RedirectIsReturnedNotFollowed) {
    std::atomic<int> target_hits{0};
    httplib::Server server;
    server.Get("/from", [](const httplib::Request&, httplib::Response& res) {
        res.set_redirect("/to", 302);
    });
    server.Get("/to", [&](const httplib::Request&, httplib::Response& res) {
        ++target_hits;
        res.set_content("followed", "text/plain");
    });
    ServerThread thread(server);
    ASSERT_TRUE(thread.ok());
    Client client(test_options());

    const Result r = client.perform(get(thread.url("http", "/from")));
    ASSERT_EQ(r.error, Error::none) << r.detail;
    EXPECT_EQ(r.response.status, 302);
    EXPECT_EQ(r.response.header("location"), "/to");
    EXPECT_NE(r.response.body, "followed");
    EXPECT_EQ(target_hits.load(), 0);
}

TEST(HttpClient, RefusedConnectionIsAConnectError) {
    test::RefusingPort refusing;
    ASSERT_GT(refusing.port(), 0);
    Client client(test_options());
    const Result r =
        client.perform(get("http://127.0.0.1:" + std::to_string(refusing.port()) + "/"));
    EXPECT_EQ(r.error, Error::connect) << r.detail;
}

TEST(HttpClient, UnresolvableNameIsADnsError) {
    // .invalid never resolves (RFC 6761), with or without a network.
    Client client(test_options());
    const Result r = client.perform(get("https://pinlink-test.invalid/"));
    EXPECT_EQ(r.error, Error::dns) << r.detail;
}

// ---------------------------------------------------------------------------------------------
// Loading libcurl (it is not linked; the first perform() loads Options::curl_library)

TEST(HttpClient, MissingLibcurlFailsEveryRequestWithTheReason) {
    httplib::Server server;
    add_echo_routes(server);
    ServerThread thread(server);
    ASSERT_TRUE(thread.ok());
    Options options = test_options();
    options.curl_library = "libpinlink-test-no-such-curl.so.4";
    Client client(options);
    for (int attempt = 0; attempt < 2; ++attempt) {
        const Result r = client.perform(get(thread.url("http", "/echo")));
        EXPECT_EQ(r.error, Error::internal);
        EXPECT_NE(r.detail.find("libcurl could not be loaded"), std::string::npos) << r.detail;
        EXPECT_NE(r.detail.find("libpinlink-test-no-such-curl.so.4"), std::string::npos)
            << r.detail;
    }
}

TEST(HttpClient, ALibraryThatIsNotLibcurlIsRefused) {
    Options options = test_options();
    options.curl_library = "libm.so.6";  // loads fine, has none of libcurl's functions
    Client client(options);
    const Result r = client.perform(get("http://127.0.0.1:1/"));
    EXPECT_EQ(r.error, Error::internal);
    EXPECT_NE(r.detail.find("libm.so.6 is not a usable libcurl: it has no curl_"),
              std::string::npos)
        << r.detail;
}

TEST(HttpClient, ClientsShareTheLoadedLibcurl) {
    httplib::Server server;
    add_echo_routes(server);
    ServerThread thread(server);
    ASSERT_TRUE(thread.ok());
    // Each client loads libcurl on its first request; the loader hands the second the library
    // the first already opened, and both work side by side and after the other is gone.
    auto first = std::make_unique<Client>(test_options());
    Client second(test_options());
    ASSERT_EQ(first->perform(get(thread.url("http", "/echo"))).error, Error::none);
    ASSERT_EQ(second.perform(get(thread.url("http", "/echo"))).error, Error::none);
    first.reset();
    const Result r = second.perform(get(thread.url("http", "/echo")));
    ASSERT_EQ(r.error, Error::none) << r.detail;
    EXPECT_EQ(r.response.body, "hello /echo");
}

// ---------------------------------------------------------------------------------------------
// Cancellation

TEST(HttpClient, CancelFromAnotherThreadReturnsWithin100ms) {
    Signal request_seen;
    RawServer server([&](RawConnection& c) {
        if (!c.read_head().empty()) request_seen.set();
        c.wait_closed();
    });
    ASSERT_TRUE(server.ok());
    Options options = test_options();
    options.total_timeout = 30s;  // far beyond the bound asserted below
    Client client(options);
    Cancel cancel;

    Clock::time_point cancelled_at;
    std::thread canceller([&] {
        request_seen.wait();  // the request is in flight and the server sits on it
        cancelled_at = Clock::now();
        cancel.cancel();
    });
    const Result r = client.perform(get(server.url("/")), &cancel);
    const auto returned_at = Clock::now();
    canceller.join();

    EXPECT_EQ(r.error, Error::cancelled) << r.detail;
    EXPECT_LT(returned_at - cancelled_at, 100ms);
}

TEST(HttpClient, CancelBeforeStartReturnsAtOnceWithoutConnecting) {
    std::atomic<int> hits{0};
    httplib::Server server;
    server.Get("/", [&](const httplib::Request&, httplib::Response& res) {
        ++hits;
        res.set_content("ok", "text/plain");
    });
    ServerThread thread(server);
    ASSERT_TRUE(thread.ok());
    Client client(test_options());
    Cancel cancel;
    cancel.cancel();

    const Result r = client.perform(get(thread.url("http", "/")), &cancel);
    EXPECT_EQ(r.error, Error::cancelled);
    EXPECT_EQ(hits.load(), 0);

    // reset() re-arms the same Cancel; the client is still usable.
    cancel.reset();
    const Result again = client.perform(get(thread.url("http", "/")), &cancel);
    EXPECT_EQ(again.error, Error::none) << again.detail;
    EXPECT_EQ(hits.load(), 1);
}

TEST(HttpClient, ClientWorksAgainAfterACancelledTransfer) {
    Signal request_seen;
    RawServer stalling([&](RawConnection& c) {
        if (!c.read_head().empty()) request_seen.set();
        c.wait_closed();
    });
    httplib::Server healthy;
    add_echo_routes(healthy);
    ServerThread thread(healthy);
    ASSERT_TRUE(stalling.ok() && thread.ok());
    Client client(test_options());
    Cancel cancel;

    std::thread canceller([&] {
        request_seen.wait();
        cancel.cancel();
    });
    EXPECT_EQ(client.perform(get(stalling.url("/")), &cancel).error, Error::cancelled);
    canceller.join();

    cancel.reset();
    const Result r = client.perform(get(thread.url("http", "/echo")), &cancel);
    ASSERT_EQ(r.error, Error::none) << r.detail;
    EXPECT_EQ(r.response.body, "hello /echo");
}

// ---------------------------------------------------------------------------------------------
// Connection reuse

TEST(HttpClient, RequestsToOneServerShareOneTlsConnection) {
    TlsFixture tls;
    ASSERT_TRUE(tls.ok()) << tls.error();
    httplib::SSLServer server(tls.server().cert.c_str(), tls.server().key.c_str());
    add_echo_routes(server);
    ServerThread thread(server);
    ASSERT_TRUE(thread.ok());
    Options options = test_options();
    options.ca_file = tls.ca_file();
    Client client(options);
    EXPECT_EQ(client.tls_handshakes(), 0);

    Request post;
    post.method = "POST";
    post.url = thread.url("https", "/echo");
    post.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    post.body = "step=1";
    for (const Request& req : {post, get(thread.url("https", "/echo")), post}) {
        const Result r = client.perform(req);
        ASSERT_EQ(r.error, Error::none) << r.detail;
        EXPECT_EQ(r.response.status, 200);
    }
    EXPECT_EQ(client.tls_handshakes(), 1);

    // A second client does not share the first one's connection.
    Client other(options);
    ASSERT_EQ(other.perform(get(thread.url("https", "/echo"))).error, Error::none);
    EXPECT_EQ(other.tls_handshakes(), 1);
    EXPECT_EQ(client.tls_handshakes(), 1);
}

TEST(HttpClient, PlainHttpMakesNoTlsHandshakes) {
    httplib::Server server;
    add_echo_routes(server);
    ServerThread thread(server);
    ASSERT_TRUE(thread.ok());
    Client client(test_options());
    for (int i = 0; i < 2; ++i) {
        ASSERT_EQ(client.perform(get(thread.url("http", "/echo"))).error, Error::none);
    }
    EXPECT_EQ(client.tls_handshakes(), 0);
}

// ---------------------------------------------------------------------------------------------
// Verbose output

TEST(HttpClient, VerboseOutputRedactsCredentialsAndBodies) {
    httplib::Server server;
    server.Post("/token", [](const httplib::Request&, httplib::Response& res) {
        res.set_header("Set-Cookie", "session=COOKIE-SECRET");
        res.set_content("oauth_token=t&oauth_token_secret=TOKEN-SECRET", "text/plain");
    });
    ServerThread thread(server);
    ASSERT_TRUE(thread.ok());
    Options options = test_options();
    options.verbose = true;
    Client client(options);

    Request req;
    req.method = "POST";
    req.url = thread.url("http", "/token");
    req.headers = {{"Authorization", "OAuth oauth_signature=\"SIGNATURE-SECRET\""},
                   {"Content-Type", "application/x-www-form-urlencoded"}};
    req.body = "oauth_verifier=7654321";
    testing::internal::CaptureStderr();
    const Result r = client.perform(req);
    const std::string log = testing::internal::GetCapturedStderr();

    ASSERT_EQ(r.error, Error::none) << r.detail;
    EXPECT_EQ(r.response.body, "oauth_token=t&oauth_token_secret=TOKEN-SECRET");
    EXPECT_NE(log.find("POST /token"), std::string::npos) << log;  // verbose output happened
    EXPECT_NE(log.find("Authorization: [redacted]"), std::string::npos) << log;
    for (const char* secret : {"SIGNATURE-SECRET", "7654321", "TOKEN-SECRET", "COOKIE-SECRET"}) {
        EXPECT_EQ(log.find(secret), std::string::npos) << secret << " leaked:\n" << log;
    }
}

}  // namespace
}  // namespace pinlink::net
