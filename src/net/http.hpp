// One HTTP request in, one response out, over libcurl. No OAuth knowledge: the link layer
// signs and classifies; this layer moves bytes safely and says plainly what went wrong.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pinlink::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
    std::string method = "GET";  // GET or POST
    std::string url;
    Headers headers;   // sent as given; never logged unredacted
    std::string body;  // sent for POST with Content-Type from `headers`
};

struct Response {
    long status = 0;
    Headers headers;  // names lowercased, in arrival order (final response only)
    std::string body;

    // The first header named `name` (case-insensitive), if any.
    std::optional<std::string> header(std::string_view name) const;
};

enum class Error {
    none,
    bad_url,         // not an absolute http(s) URL
    insecure_url,    // plain http:// to a host that is not loopback
    dns,             // the host name could not be resolved
    connect,         // no connection (refused, unreachable)
    tls,             // TLS handshake or certificate verification failed
    timeout,         // connect or overall timeout reached
    cancelled,       // Cancel::cancel() was called
    too_large,       // the response body exceeded the size cap
    protocol,        // the peer broke HTTP: cut off mid-body, garbage, reset
    internal,        // libcurl could not be set up
};

// Short English description of the error class, for messages and logs.
std::string_view to_string(Error e);

struct Result {
    Error error = Error::internal;
    Response response;   // meaningful only when error == Error::none
    std::string detail;  // libcurl's own words, for debug output; never shown as the main message

    explicit operator bool() const { return error == Error::none; }
};

// Cancels an in-flight request from another thread. Cheap to share; reset() re-arms it.
class Cancel {
public:
    void cancel();
    void reset() { cancelled_.store(false, std::memory_order_release); }
    bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }

private:
    friend class Client;
    std::atomic<bool> cancelled_{false};
    std::atomic<void*> waker_{nullptr};  // the CURLM* of the request in flight, to wake its poll
};

struct Options {
    std::string ca_file;  // extra CA bundle (PEM); the system store stays trusted too
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds total_timeout{30'000};
    std::size_t max_body_bytes = 1024 * 1024;
    bool verbose = false;  // libcurl debug output to stderr, Authorization redacted
};

// True for localhost, 127.0.0.0/8 and ::1: the only hosts plain http:// may reach.
bool is_loopback_host(std::string_view host);

// Owns one libcurl easy handle and one multi handle so that the steps of one link reuse one
// connection (and one TLS session). Not thread-safe: one thread performs, any thread cancels.
class Client {
public:
    explicit Client(Options options);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // Performs the request. Redirects are never followed (a 3xx comes back as a response).
    // Returns within about 100 ms of cancel->cancel() being called from any thread.
    Result perform(const Request& request, Cancel* cancel = nullptr);

    // Number of TLS handshakes (new TLS connections) made so far by this client.
    int tls_handshakes() const { return tls_handshakes_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    Options options_;
    int tls_handshakes_ = 0;
};

// Parses an HTTP-date (RFC 9110 IMF-fixdate, plus the obsolete RFC 850 and asctime forms) to
// seconds since the epoch (UTC). nullopt for anything malformed.
std::optional<std::int64_t> parse_http_date(std::string_view text);

// Formats seconds since the epoch as an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
std::string format_http_date(std::int64_t epoch_seconds);

}  // namespace pinlink::net
