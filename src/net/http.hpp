// One HTTP request in, one response out, over libcurl. No OAuth knowledge: the link layer
// signs and classifies; this layer moves bytes safely and says plainly what went wrong.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pinlink::net {

namespace detail {
struct CurlApi;
}

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
    std::string method = "GET";  // GET, HEAD or POST; anything else is Error::internal
    std::string url;             // absolute http(s) URL; http only to loopback hosts
    Headers headers;   // sent as given; never logged unredacted. CR, LF or NUL in a name or
                       // value, or ':' in a name, is refused (Error::internal), never sent
    std::string body;  // sent for POST only, with Content-Type from `headers`
    // A shorter overall timeout for this request alone (an optional step that must not hold up
    // the rest). Options::total_timeout still caps it; nullopt: the client's.
    std::optional<std::chrono::milliseconds> total_timeout;
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
    bad_url,       // not an absolute http(s) URL
    insecure_url,  // plain http:// to a host that is not loopback
    dns,           // the host name could not be resolved
    connect,       // no connection (refused, unreachable)
    tls,           // TLS handshake or certificate verification failed
    timeout,       // connect or overall timeout reached
    cancelled,     // Cancel::cancel() was called
    too_large,     // the response body exceeded the size cap
    protocol,      // the peer broke HTTP: cut off mid-body, garbage, reset
    internal,      // libcurl could not be set up, or the Request itself is malformed
};

// Short English description of the error class, for messages and logs.
std::string_view to_string(Error e);

struct Result {
    Error error = Error::internal;
    Response response;   // meaningful only when error == Error::none
    std::string detail;  // libcurl's own words, for debug output; never shown as the main message

    explicit operator bool() const { return error == Error::none; }
};

// Cancels an in-flight request from another thread; reset() re-arms it. A Cancel serves one
// perform() at a time (share it between threads, not between concurrent requests). Once
// cancelled, every perform() given it returns Error::cancelled until reset().
class Cancel {
  public:
    Cancel() = default;
    Cancel(const Cancel&) = delete;
    Cancel& operator=(const Cancel&) = delete;

    // Thread-safe. The perform() in flight returns Error::cancelled within about 100 ms.
    void cancel();
    void reset() { cancelled_.store(false, std::memory_order_release); }
    bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }

  private:
    friend class Client;
    std::atomic<bool> cancelled_{false};
    // Guards waker_: the Client sets and clears it under the lock, cancel() wakes under the
    // lock, so a wakeup never reaches a multi handle that has finished its request.
    std::mutex mutex_;
    void* waker_ = nullptr;  // the CURLM* of the request in flight, to wake its poll
    const detail::CurlApi* waker_api_ = nullptr;  // the libcurl that handle came from
};

struct Options {
    // Extra CA bundle (PEM), trusted in addition to the system store, never instead of it.
    // Read once by the Client constructor; if it cannot be read or holds no certificate, every
    // https request fails with Error::tls (detail says why) rather than silently dropping it.
    std::string ca_file;
    // Both timeouts are always in force: values below 1 ms are raised to 1 ms (libcurl would
    // read 0 as "no timeout").
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds total_timeout{30'000};
    // Cap on the response body, and separately on the response header block. Enforced while
    // receiving: the transfer stops as soon as the cap would be passed (Error::too_large).
    std::size_t max_body_bytes = 1024 * 1024;
    // libcurl debug output to stderr. Authorization, Proxy-Authorization and cookie header
    // values are redacted; bodies are never printed, only their sizes.
    bool verbose = false;
    // The libcurl to load (a file name the dynamic loader searches for, or a path). It is
    // loaded by the first perform(), not linked, so that loading it stays off the start of the
    // process (see curl_api.hpp). If it cannot be loaded, every perform() fails with
    // Error::internal and says why in Result::detail.
    std::string curl_library = "libcurl.so.4";
};

// Debian's libcurl brings in GnuTLS through librtmp and libldap, protocols pinlink never enables
// (only http and https are spoken). GnuTLS initialises itself as it loads, on the link worker at
// the first request: about 0.7 MiB more resident on the Code screen (docs/performance.md).
// With GNUTLS_NO_IMPLICIT_INIT set it waits instead for a gnutls_global_init(), which librtmp and
// libldap make before they use it. Sets the variable unless the environment already has it (a
// person's choice wins). It changes the process environment: call it in main, before any thread.
void skip_implicit_gnutls_init();

// True for localhost, 127.0.0.0/8 and ::1: the only hosts plain http:// may reach.
// Case-insensitive; an IPv6 literal may come with or without brackets, in any spelling
// (::1, 0:0:0:0:0:0:0:1, ::ffff:127.0.0.1). Nothing else, not even "localhost.".
bool is_loopback_host(std::string_view host);

// Owns one libcurl easy handle and one multi handle so that the steps of one link reuse one
// connection (and one TLS session). Not thread-safe: one thread performs, any thread cancels.
// Constructing one is cheap: libcurl is loaded and the handles made by the first perform().
// TLS peer and host verification are always on; only http and https are spoken; proxies from
// the environment are honoured except for loopback hosts, which are always reached directly.
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
// seconds since the epoch (UTC). nullopt for anything malformed: exact spacing and case as in
// RFC 9110 section 5.6.7, no surrounding whitespace, year 1900-9999, day valid for its month,
// hour 0-23, minute 0-59, second 0-60 (a leap second counts as the next minute's :00), and the
// day name must match the date. RFC 850's two-digit year is read as 1970-2069, a fixed pivot
// so the result never depends on the clock. No locale or time zone is consulted.
std::optional<std::int64_t> parse_http_date(std::string_view text);

// Formats seconds since the epoch as an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
// Returns an empty string outside years 1900-9999 (the range parse_http_date accepts).
std::string format_http_date(std::int64_t epoch_seconds);

}  // namespace pinlink::net
