// OAuth 1.0a request signing, HMAC-SHA1, exactly as RFC 5849 section 3.4 describes it:
// collect and encode the parameters, sort them, build the base string, sign, and format the
// Authorization header. Every function is pure; nonce and timestamp come in from the caller.
// These are one-off calls; a caller that signs request after request keeps an oauth::Signer
// (signer.hpp), which gives the same results without redoing the per-consumer work.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "oauth/form.hpp"

namespace pinlink::oauth {

// Who signs: the consumer (the app) and, once there is one, the token. Secrets stay in here
// and in the signing key; nothing below ever prints them.
struct ClientCredentials {
    std::string consumer_key;
    std::string consumer_secret;
    std::string token;         // empty: no oauth_token parameter (request_token step)
    std::string token_secret;  // empty is valid: the key then ends in '&'
};

// The request being signed. `url` may carry a query; its parameters are signed. `form` holds
// the decoded pairs of an application/x-www-form-urlencoded body, also signed.
struct SignInput {
    std::string method;  // uppercased and percent-encoded for the base string
    std::string url;
    Params form;
    Params extra_oauth;  // further protocol parameters: oauth_callback, oauth_verifier, ...
    std::string nonce;
    std::int64_t timestamp = 0;
    bool include_version = true;  // adds oauth_version=1.0
};

struct Signed {
    Params oauth_params;  // every oauth_* parameter, oauth_signature last
    std::string base_string;
    std::string signature;      // base64 HMAC-SHA1
    std::string authorization;  // value of the Authorization header: OAuth k="v", ...
};

// The protocol parameters that go on the wire, without the signature.
Params protocol_params(const ClientCredentials& creds, const SignInput& in);

// RFC 5849 3.4.1.3.2: encode every name and value, sort by encoded name then encoded value,
// join as name=value with '&'.
std::string normalize_params(const Params& params);

// METHOD&enc(base URI)&enc(normalized params). Returns nullopt if the URL cannot be parsed or its
// query has a malformed escape.
std::optional<std::string> base_string(std::string_view method, std::string_view url,
                                       const Params& form, const Params& oauth_params);

// enc(consumer_secret)&enc(token_secret).
std::string signing_key(std::string_view consumer_secret, std::string_view token_secret);

// base64(HMAC-SHA1(key, text)); empty if OpenSSL fails.
std::string hmac_sha1_base64(std::string_view key, std::string_view text);

// OAuth k="v", ... with keys and values percent-encoded, in the order given.
std::string authorization_header(const Params& oauth_params, std::string_view realm = {});

// The whole signing step: oauth::Signer used once. Returns nullopt for an unparseable URL (or
// if OpenSSL fails to compute the HMAC).
std::optional<Signed> sign(const ClientCredentials& creds, const SignInput& in);

// Recomputes the signature of a received request (the local provider's check). `params` are all
// received parameters (query, form and Authorization header) including oauth_signature, which
// is left out of the base string, as is realm. Constant-time comparison.
bool verify_signature(std::string_view method, std::string_view base_uri_url, const Params& params,
                      std::string_view consumer_secret, std::string_view token_secret);

// Parses an Authorization header value `OAuth k="v", ...` into decoded pairs. Returns nullopt
// when it is not an OAuth header or is malformed.
std::optional<Params> parse_authorization_header(std::string_view value);

}  // namespace pinlink::oauth
