// The local provider's bookkeeping, apart from HTTP: request tokens with their PINs, access
// tokens, and the nonces seen inside the timestamp window. Private to the local provider.
// Not thread-safe (LocalProvider holds its lock around every call). Every call that depends on
// time takes the provider's clock as `now`, so clock-offset tests move expiry too.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>

namespace pinlink::link::detail {

struct TokenPair {
    std::string token;
    std::string secret;
};

struct RequestTokenRecord {
    std::string secret;
    std::int64_t expires_at = 0;     // provider clock, seconds
    std::string access_type;         // "", "read" or "write", as requested
    std::optional<std::string> pin;  // set once approved
};

struct AccessTokenRecord {
    std::string secret;
};

class ProviderState {
  public:
    ProviderState(std::int64_t token_lifetime_seconds, std::int64_t nonce_window_seconds,
                  int pin_digits);

    // Records (consumer, timestamp, nonce). False when that triple was already seen inside the
    // window: a replay. Forgets triples whose timestamp has left the window.
    bool remember_nonce(std::string_view consumer_key, std::int64_t timestamp,
                        std::string_view nonce, std::int64_t now);

    // A fresh request token, approved at once when `approve` is set (demo auto-approve).
    // nullopt only when the RNG fails.
    std::optional<TokenPair> issue_request_token(std::string access_type, bool approve,
                                                 std::int64_t now);

    // The live record of a request token: nullptr when unknown, expired or already spent.
    const RequestTokenRecord* request_token(std::string_view token, std::int64_t now) const;

    // Approves a live request token and returns its PIN; approving again returns the same PIN
    // (the person may reload the page). nullopt for a dead token or an RNG failure.
    std::optional<std::string> approve(std::string_view token, std::int64_t now);

    // Spends a request token without issuing anything (a wrong PIN burns it).
    void burn(std::string_view token);

    // Spends a live request token and issues the access token for `user_id`. nullopt for a
    // dead token or an RNG failure.
    std::optional<TokenPair> exchange(std::string_view request_token, std::string_view user_id,
                                      std::int64_t now);

    // The record of an access token (they do not expire), or nullptr.
    const AccessTokenRecord* access_token(std::string_view token) const;

  private:
    void prune(std::int64_t now);

    std::int64_t token_lifetime_;
    std::int64_t nonce_window_;
    int pin_digits_;
    std::map<std::string, RequestTokenRecord, std::less<>> request_tokens_;
    std::map<std::string, AccessTokenRecord, std::less<>> access_tokens_;
    // Ordered by timestamp first, so forgetting old nonces is a walk from the front.
    std::set<std::tuple<std::int64_t, std::string, std::string>> nonces_;
};

}  // namespace pinlink::link::detail
