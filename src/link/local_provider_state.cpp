// Token, PIN and nonce bookkeeping of the local provider; see local_provider_state.hpp.
#include "link/local_provider_state.hpp"

#include <utility>

#include "oauth/nonce.hpp"

namespace pinlink::link::detail {

ProviderState::ProviderState(std::int64_t token_lifetime_seconds, std::int64_t nonce_window_seconds,
                             int pin_digits)
    : token_lifetime_(token_lifetime_seconds),
      nonce_window_(nonce_window_seconds),
      pin_digits_(pin_digits) {}

bool ProviderState::remember_nonce(std::string_view consumer_key, std::int64_t timestamp,
                                   std::string_view nonce, std::int64_t now) {
    prune(now);
    return nonces_.emplace(timestamp, std::string(consumer_key), std::string(nonce)).second;
}

std::optional<TokenPair> ProviderState::issue_request_token(std::string access_type, bool approve,
                                                            std::int64_t now) {
    prune(now);
    auto token = oauth::make_nonce();
    auto secret = oauth::make_nonce();
    if (!token || !secret) return std::nullopt;
    RequestTokenRecord record;
    record.secret = *secret;
    record.expires_at = now + token_lifetime_;
    record.access_type = std::move(access_type);
    if (approve) {
        record.pin = oauth::random_digits(pin_digits_);
        if (!record.pin) return std::nullopt;
    }
    request_tokens_.insert_or_assign(*token, std::move(record));
    return TokenPair{std::move(*token), std::move(*secret)};
}

const RequestTokenRecord* ProviderState::request_token(std::string_view token,
                                                       std::int64_t now) const {
    const auto it = request_tokens_.find(token);
    if (it == request_tokens_.end() || now >= it->second.expires_at) return nullptr;
    return &it->second;
}

std::optional<std::string> ProviderState::approve(std::string_view token, std::int64_t now) {
    prune(now);
    const auto it = request_tokens_.find(token);
    if (it == request_tokens_.end()) return std::nullopt;
    if (!it->second.pin) {
        it->second.pin = oauth::random_digits(pin_digits_);
        if (!it->second.pin) return std::nullopt;
    }
    return it->second.pin;
}

void ProviderState::burn(std::string_view token) {
    if (const auto it = request_tokens_.find(token); it != request_tokens_.end()) {
        request_tokens_.erase(it);
    }
}

std::optional<TokenPair> ProviderState::exchange(std::string_view request_token,
                                                 std::string_view user_id, std::int64_t now) {
    prune(now);
    const auto it = request_tokens_.find(request_token);
    if (it == request_tokens_.end()) return std::nullopt;
    request_tokens_.erase(it);  // single use, whatever happens next
    auto random = oauth::make_nonce();
    auto secret = oauth::make_nonce();
    if (!random || !secret) return std::nullopt;
    // X's access tokens start with the user id; clients sometimes rely on that shape.
    TokenPair pair{std::string(user_id) + "-" + *random, std::move(*secret)};
    access_tokens_.insert_or_assign(pair.token, AccessTokenRecord{pair.secret});
    return pair;
}

const AccessTokenRecord* ProviderState::access_token(std::string_view token) const {
    const auto it = access_tokens_.find(token);
    return it == access_tokens_.end() ? nullptr : &it->second;
}

void ProviderState::prune(std::int64_t now) {
    for (auto it = request_tokens_.begin(); it != request_tokens_.end();) {
        it = now >= it->second.expires_at ? request_tokens_.erase(it) : std::next(it);
    }
    // A timestamp older than the window is refused before its nonce is looked at, so its
    // nonce no longer needs remembering.
    while (!nonces_.empty() && std::get<0>(*nonces_.begin()) < now - nonce_window_) {
        nonces_.erase(nonces_.begin());
    }
}

}  // namespace pinlink::link::detail
