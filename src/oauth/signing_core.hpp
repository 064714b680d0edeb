// Internal to src/oauth: the building blocks of RFC 5849 signing that oauth::Signer keeps
// between requests and that the free functions of signature.hpp use once. Not for callers
// outside src/oauth; they use signer.hpp and signature.hpp.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oauth/form.hpp"
#include "oauth/url.hpp"

struct evp_mac_ctx_st;  // OpenSSL's EVP_MAC_CTX

namespace pinlink::oauth::core {

// RFC 5849 3.4.1: the base string, built in buffers that are kept and reused.
class BaseStringBuilder {
public:
    // Forgets the parameters of the previous request; keeps the buffers.
    void clear();
    // One parameter to sign: name and value are percent-encoded into one shared buffer.
    void add(std::string_view name, std::string_view value);
    // A protocol parameter: as add(), but realm and oauth_signature are never signed (3.4.1.3.1).
    void add_protocol(std::string_view name, std::string_view value);
    // The pairs of a URL query, decoded as a form (3.4.1.3.1). False on a malformed escape.
    bool add_query(std::string_view query);
    // 3.4.1.3.2: sorted by encoded name, then encoded value, joined as name=value with '&'.
    std::string normalized();
    // METHOD&enc(base URI)&enc(normalized). The view stays valid until the next call on this
    // builder. The method is encoded too: a custom one may hold characters such as '!'.
    std::string_view compose(std::string_view method, const Url& url);

private:
    struct Entry {
        std::size_t name_at, name_size, value_at, value_size;
    };
    void sort();
    std::string encoded_;  // every encoded name and value, back to back
    std::vector<Entry> entries_;
    std::string uri_;  // scheme://host[:port]/path
    std::string base_;
};

// HMAC-SHA1 with the key set once (an OpenSSL 3 EVP_MAC context, fetched at construction and
// re-initialised for every MAC without fetching again or re-deriving the key's pads).
class HmacSha1 {
public:
    using Mac = std::array<unsigned char, 20>;
    HmacSha1();
    // Sets the key; false if OpenSSL fails (then mac() fails until a key is set).
    bool set_key(std::string_view key);
    std::optional<Mac> mac(std::string_view text);

private:
    struct CtxFree {
        void operator()(evp_mac_ctx_st* ctx) const noexcept;
    };
    std::unique_ptr<evp_mac_ctx_st, CtxFree> ctx_;
    bool keyed_ = false;
};

// Writes an Authorization header value, OAuth k="v", ..., into `out` (replacing what it held):
// keys and values percent-encoded, in the order added.
class AuthorizationWriter {
public:
    explicit AuthorizationWriter(std::string& out);
    void add(std::string_view name, std::string_view value);

private:
    std::string& out_;
    bool first_ = true;
};

// Appends base64 (with padding) of `size` bytes.
void append_base64(std::string& out, const unsigned char* data, std::size_t size);

// Appends enc(consumer_secret)&enc(token_secret), RFC 5849 3.4.2.
void append_signing_key(std::string& out, std::string_view consumer_secret,
                        std::string_view token_secret);

// The protocol parameters in wire order, without the signature: consumer key, nonce, method,
// timestamp, token (when there is one), version (when asked), then the extra ones. `timestamp`
// is the decimal form of in.timestamp. One list for the Signer and protocol_params().
template <class F>
void for_each_protocol_param(std::string_view consumer_key, std::string_view token,
                             std::string_view nonce, std::string_view timestamp,
                             bool include_version, const Params& extra, F&& f) {
    f(std::string_view("oauth_consumer_key"), consumer_key);
    f(std::string_view("oauth_nonce"), nonce);
    f(std::string_view("oauth_signature_method"), std::string_view("HMAC-SHA1"));
    f(std::string_view("oauth_timestamp"), timestamp);
    if (!token.empty()) f(std::string_view("oauth_token"), token);
    if (include_version) f(std::string_view("oauth_version"), std::string_view("1.0"));
    for (const auto& [name, value] : extra)
        f(std::string_view(name), std::string_view(value));
}

// The decimal form of a timestamp, in a buffer that needs no allocation.
struct TimestampText {
    explicit TimestampText(std::int64_t value);
    std::string_view view() const { return {chars.data(), size}; }
    std::array<char, 24> chars{};
    std::size_t size = 0;
};

}  // namespace pinlink::oauth::core
