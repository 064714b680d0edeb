// oauth::Signer: RFC 5849 HMAC-SHA1 signing kept between requests; see signer.hpp.
#include "oauth/signer.hpp"

#include <openssl/crypto.h>

#include "oauth/nonce.hpp"
#include "oauth/signing_core.hpp"
#include "oauth/url.hpp"

namespace pinlink::oauth {
namespace {

void wipe(std::string& secret) {
    OPENSSL_cleanse(secret.data(), secret.capacity());
    secret.clear();
}

}  // namespace

struct Signer::State {
    std::string consumer_key;
    std::string consumer_secret;
    std::string token;
    std::string token_secret;
    bool key_ready = false;  // the HMAC holds enc(consumer_secret)&enc(token_secret)

    core::HmacSha1 hmac;
    NonceSource nonces;
    core::BaseStringBuilder base;
    std::string signature;
    std::string header;

    ~State() {
        wipe(consumer_secret);
        wipe(token_secret);
    }
};

Signer::Signer(std::string consumer_key, std::string consumer_secret)
    : state_(std::make_unique<State>()) {
    state_->consumer_key = std::move(consumer_key);
    state_->consumer_secret = std::move(consumer_secret);
}

Signer::Signer(const ClientCredentials& creds) : Signer(creds.consumer_key, creds.consumer_secret) {
    set_token(creds.token, creds.token_secret);
}

Signer::~Signer() = default;
Signer::Signer(Signer&&) noexcept = default;
Signer& Signer::operator=(Signer&&) noexcept = default;

void Signer::set_token(std::string_view token, std::string_view token_secret) {
    State& s = *state_;
    s.token.assign(token);
    if (s.key_ready && token_secret == s.token_secret) return;
    wipe(s.token_secret);
    s.token_secret.assign(token_secret);
    s.key_ready = false;  // derived at the next sign(), once, however often this is called
}

std::optional<std::string> Signer::next_nonce() {
    return state_->nonces.next();
}

std::variant<SignedView, SignError> Signer::sign(const SignInput& in) {
    State& s = *state_;
    const auto url = parse_url(in.url);
    if (!url) return SignError::bad_url;

    // RFC 5849 3.4.1.3: the query, the form body and the protocol parameters, all signed.
    s.base.clear();
    if (!s.base.add_query(url->query)) return SignError::bad_url;
    for (const auto& [name, value] : in.form)
        s.base.add(name, value);
    const core::TimestampText timestamp(in.timestamp);
    core::for_each_protocol_param(
        s.consumer_key, s.token, in.nonce, timestamp.view(), in.include_version, in.extra_oauth,
        [&](std::string_view name, std::string_view value) { s.base.add_protocol(name, value); });
    const std::string_view base = s.base.compose(in.method, *url);

    if (!s.key_ready) {
        std::string key;
        core::append_signing_key(key, s.consumer_secret, s.token_secret);
        s.key_ready = s.hmac.set_key(key);
        wipe(key);  // the MAC context holds it now
        if (!s.key_ready) return SignError::crypto;
    }
    const auto mac = s.hmac.mac(base);
    if (!mac) return SignError::crypto;
    s.signature.clear();
    core::append_base64(s.signature, mac->data(), mac->size());

    // In wire order, oauth_signature last.
    core::AuthorizationWriter header(s.header);
    const auto add = [&](std::string_view name, std::string_view value) {
        header.add(name, value);
    };
    core::for_each_protocol_param(s.consumer_key, s.token, in.nonce, timestamp.view(),
                                  in.include_version, in.extra_oauth, add);
    header.add("oauth_signature", s.signature);
    return SignedView{base, s.signature, s.header};
}

}  // namespace pinlink::oauth
