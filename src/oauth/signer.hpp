// oauth::Signer: RFC 5849 HMAC-SHA1 signing for one consumer, kept between requests. It holds
// the HMAC key ready (re-derived only when the token secret changes), draws nonces from a
// buffered CSPRNG source (NonceSource), and reuses its buffers, so signing a request costs no
// algorithm fetch, no key schedule, no RNG system call and (once its buffers have grown) no
// allocation.
// The free functions of signature.hpp give the same results; oauth::sign() is this class used
// once.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "oauth/signature.hpp"

namespace pinlink::oauth {

// A signed request, as views into the Signer's buffers: valid until the Signer's next sign(),
// set_token() or destruction. Copy what must outlive that (the Authorization header, usually).
struct SignedView {
    std::string_view base_string;
    std::string_view signature;      // base64 HMAC-SHA1
    std::string_view authorization;  // value of the Authorization header: OAuth k="v", ...
};

enum class SignError {
    bad_url,  // the URL cannot be parsed, or its query has a malformed escape
    crypto,   // OpenSSL could not compute the HMAC (out of memory; not seen in practice)
};

// Not thread-safe: one thread at a time. Each owner keeps its own (link::PinFlow has one, so
// the screen's worker thread, which alone runs the flow, is its only user). Movable; a
// moved-from Signer may only be assigned to or destroyed.
class Signer {
public:
    // The consumer (the app). No token until set_token().
    Signer(std::string consumer_key, std::string consumer_secret);
    // The consumer and, if creds.token is not empty, the token.
    explicit Signer(const ClientCredentials& creds);
    ~Signer();  // wipes the secrets and the signing key it derived
    Signer(Signer&&) noexcept;
    Signer& operator=(Signer&&) noexcept;
    Signer(const Signer&) = delete;
    Signer& operator=(const Signer&) = delete;

    // The token later requests are signed with, and its secret (the second half of the key).
    // An empty token means none: no oauth_token parameter (the request_token step); the
    // secret is then normally empty too. The key is derived again only if the secret changed.
    void set_token(std::string_view token, std::string_view token_secret);

    // A fresh nonce, 43 URL-safe characters as make_nonce(), from the buffered source. Returns
    // nullopt if the RNG fails. Draw one for every attempt, retries included.
    std::optional<std::string> next_nonce();

    // Signs `in` with its nonce and timestamp (fill them from next_nonce() and the clock) and
    // the current token; the same result as oauth::sign() with the same credentials.
    std::variant<SignedView, SignError> sign(const SignInput& in);

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace pinlink::oauth
