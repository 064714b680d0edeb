// The PIN-based OAuth 1.0a flow against X (or anything that behaves like it):
// request_token -> authorize URL -> access_token -> users/me. Blocking calls, meant for a
// worker thread; each takes a Cancel so the person can back out at any moment.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "link/error.hpp"
#include "net/http.hpp"
#include "oauth/form.hpp"
#include "oauth/signer.hpp"

namespace pinlink::link {

inline constexpr std::string_view kDefaultApiBase = "https://api.x.com";

struct FlowConfig {
    std::string api_base{kDefaultApiBase};  // every step goes under this base
    std::string consumer_key;
    std::string consumer_secret;
    std::string access_type;  // "", "read" or "write" (x_auth_access_type)
    bool force_login = false;
    std::string screen_name;  // pre-fills the sign-in form
};

struct RequestToken {
    std::string token;
    std::string secret;  // never shown, never logged
};

struct AccessToken {
    std::string user_id;
    std::string screen_name;
    std::string token;
    std::string secret;  // never shown, never logged
    std::string name;    // display name from users/me, empty if that step failed
};

// A value or the LinkError that prevented it. Default-constructed: an error.
template <class T>
class Outcome {
public:
    Outcome(T value) : v_(std::move(value)) {}
    Outcome(LinkError error) : v_(std::move(error)) {}
    explicit operator bool() const { return std::holds_alternative<T>(v_); }
    const T& value() const { return std::get<T>(v_); }
    T& value() { return std::get<T>(v_); }
    const LinkError& error() const { return std::get<LinkError>(v_); }

private:
    std::variant<T, LinkError> v_;
};

// Seconds since the epoch, UTC. Injected so tests can skew the client's clock.
using Clock = std::function<std::int64_t()>;
std::int64_t system_clock_now();

// Checks an --api-base value: an absolute http(s) URL without query or fragment, and http://
// only for loopback hosts. Returns the error to report, or nullopt when it is usable.
std::optional<LinkError> validate_api_base(std::string_view api_base);

class PinFlow {
public:
    PinFlow(net::Client& http, FlowConfig config, Clock clock = system_clock_now);

    // Step 1. A fresh nonce and timestamp on every attempt; on code 135 (or a 401 naming no
    // other cause) with a Date header far from our clock, the clock offset is corrected from
    // it and the step retried once. The Date of a success is never used.
    Outcome<RequestToken> request_token(net::Cancel* cancel = nullptr);

    // Step 2: the address the person opens on a phone.
    std::string authorize_url(const RequestToken& token) const;

    // Step 3, with the PIN (digits only). Then step 4, best effort: fills `name` if users/me
    // answers within a few seconds, and never fails the link if it does not.
    Outcome<AccessToken> access_token(const RequestToken& token, std::string_view pin,
                                      net::Cancel* cancel = nullptr);

    // Seconds added to the local clock when signing, learned from the provider's Date header.
    std::int64_t clock_offset() const { return clock_offset_; }

private:
    // Signs and sends one request, correcting the clock and retrying once on skew.
    std::variant<net::Response, LinkError> send_signed(Step step, const std::string& method,
                                                       const std::string& url,
                                                       const std::string& token,
                                                       const std::string& token_secret,
                                                       const oauth::Params& extra_oauth,
                                                       const oauth::Params& form,
                                                       net::Cancel* cancel);
    // Adopts the provider's clock from a refusal's Date header when ours is far off.
    bool learn_clock(const net::Response& response);
    void fetch_display_name(AccessToken& token, net::Cancel* cancel);

    net::Client& http_;
    FlowConfig config_;
    // Signs every step (its token set per step). Used only by the thread running the flow.
    oauth::Signer signer_;
    Clock clock_;
    std::int64_t clock_offset_ = 0;
};

}  // namespace pinlink::link
