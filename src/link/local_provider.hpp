// A local stand-in for X's OAuth 1.0a PIN endpoints, on loopback: used in-process by --demo,
// standalone by `pinlink demo-server`, and by the integration tests. It verifies every
// signature, rejects replayed nonces, stale timestamps (code 135, with its Date header), wrong
// PINs (plain-text 401) and any reuse of a request token or PIN, and answers errors in X's shapes.
// Each endpoint can be switched to a fault mode at runtime (local_provider_faults.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "link/local_provider_faults.hpp"

namespace pinlink::link {

// The demo consumer: --demo and demo-server accept these (they are not secret).
inline constexpr std::string_view kDemoConsumerKey = "pinlink-demo-consumer";
inline constexpr std::string_view kDemoConsumerSecret = "pinlink-demo-secret";

struct LocalProviderOptions {
    std::string host = "127.0.0.1";
    int port = 0;               // 0: a free port chosen by the system
    std::string tls_cert_file;  // both set: HTTPS; both empty: HTTP
    std::string tls_key_file;
    std::string consumer_key{kDemoConsumerKey};
    std::string consumer_secret{kDemoConsumerSecret};
    bool auto_approve = false;              // demo: a token is approved as soon as it is issued
    std::int64_t clock_offset_seconds = 0;  // the provider's clock = system clock + offset
    // Seconds since the epoch, in place of the system clock (tests pin time with it). Called
    // from the server's threads. Empty: the system clock.
    std::function<std::int64_t()> clock;
    std::int64_t timestamp_window_seconds = 300;
    std::int64_t token_lifetime_seconds = 900;
    int pin_digits = 7;
    std::string user_id = "1000001";
    std::string screen_name = "pinlink_demo";
    std::string display_name = "Demo Person";
    std::string app_name = "pinlink demo";  // shown on the authorize and PIN pages
    // Called once per answered request with "METHOD /path STATUS" (no query, no headers, no
    // body, so never a secret), from the server's threads, with " fault=MODE" added when a fault
    // mode shaped the reply. Empty: the provider logs nothing.
    std::function<void(std::string_view line)> log;
    // Called with every token the provider issues (a request token, or with `access` an access
    // token) and its secret, before the reply goes out, from the server's threads with the
    // provider's lock held (do not call back into the provider). For tests that check no
    // secret reaches a log, an output or the screen. Empty: nothing is called.
    std::function<void(bool access, std::string_view token, std::string_view secret)> on_issue;
    // The certificate Fault::wrong_certificate serves (PEM, leaf first). Both empty: a
    // self-signed one for "wrong-host.invalid" is made at start.
    std::string wrong_tls_cert_file;
    std::string wrong_tls_key_file;
    // Serve GET and POST /_pinlink/fault (see set_fault) to loopback clients only; anyone else
    // gets 403. Off by default; `pinlink demo-server` turns it on.
    bool fault_control = false;
};

class LocalProvider {
public:
    explicit LocalProvider(LocalProviderOptions options);
    ~LocalProvider();  // stops the server
    LocalProvider(const LocalProvider&) = delete;
    LocalProvider& operator=(const LocalProvider&) = delete;

    // Binds and starts serving on a background thread; returns once the server accepts
    // connections. On failure returns false and says why in `error` (port in use, unreadable
    // certificate, ...; `error` may be null). False too when already running.
    bool start(std::string* error);
    // Stops serving and joins the server's threads. Idempotent. Returns within about a second
    // even when a client keeps an idle connection open (the keep-alive timeout), and within
    // about two when a client stalls mid-request (the read timeout).
    void stop();

    int port() const;  // the bound port (the real one when options.port was 0); 0 when stopped
    std::string base_url() const;  // "http://HOST:PORT" or "https://HOST:PORT" (HOST as bound)

    // What pressing Authorize on the page does: approves the request token and returns its PIN.
    // nullopt for an unknown, expired or already used token.
    std::optional<std::string> approve(std::string_view request_token);

    // The PIN of an approved token, for the demo's on-screen hint. nullopt otherwise.
    std::optional<std::string> pin_hint(std::string_view request_token) const;

    // Moves the provider's clock (clock-skew tests).
    void set_clock_offset(std::int64_t seconds);

    // Switches `endpoint` (or all of them) to `fault`; Fault::none switches it back. Thread-safe,
    // takes effect for the next request (wrong_certificate: the next TLS connection), and may
    // be called before start(). False, with `error` set when given, for wrong_certificate on one
    // endpoint or on a plain-HTTP provider; nothing changes then.
    bool set_fault(Endpoint endpoint, Fault fault, FaultOptions options = {},
                   std::string* error = nullptr);
    // Every endpoint back to Fault::none.
    void clear_faults();
    // The fault an endpoint is switched to (Endpoint::all: request_token's).
    Fault fault(Endpoint endpoint) const;

    // How many requests each endpoint has answered, for tests.
    struct Stats {
        int request_token = 0;
        int authorize = 0;
        int access_token = 0;
        int users_me = 0;
        int rejected = 0;  // requests answered with an error status
    };
    Stats stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace pinlink::link
