// RFC 5849 HMAC-SHA1 signing; see signature.hpp for the contract. Each function here is a
// one-off use of the pieces oauth::Signer keeps (signing_core.hpp): one signing path.
#include "oauth/signature.hpp"

#include <openssl/crypto.h>

#include <variant>

#include "oauth/percent.hpp"
#include "oauth/signer.hpp"
#include "oauth/signing_core.hpp"
#include "oauth/url.hpp"

namespace pinlink::oauth {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

}  // namespace

Params protocol_params(const ClientCredentials& creds, const SignInput& in) {
    Params p;
    p.reserve(7 + in.extra_oauth.size());
    const core::TimestampText timestamp(in.timestamp);
    core::for_each_protocol_param(creds.consumer_key, creds.token, in.nonce, timestamp.view(),
                                  in.include_version, in.extra_oauth,
                                  [&p](std::string_view name, std::string_view value) {
                                      p.emplace_back(std::string(name), std::string(value));
                                  });
    return p;
}

std::string normalize_params(const Params& params) {
    core::BaseStringBuilder builder;
    for (const auto& [name, value] : params)
        builder.add(name, value);
    return builder.normalized();
}

std::optional<std::string> base_string(std::string_view method, std::string_view url,
                                       const Params& form, const Params& oauth_params) {
    const auto parsed = parse_url(url);
    if (!parsed) return std::nullopt;
    core::BaseStringBuilder builder;
    if (!builder.add_query(parsed->query)) return std::nullopt;
    for (const auto& [name, value] : form)
        builder.add(name, value);
    for (const auto& [name, value] : oauth_params)
        builder.add_protocol(name, value);
    return std::string(builder.compose(method, *parsed));
}

std::string signing_key(std::string_view consumer_secret, std::string_view token_secret) {
    std::string out;
    core::append_signing_key(out, consumer_secret, token_secret);
    return out;
}

std::string hmac_sha1_base64(std::string_view key, std::string_view text) {
    core::HmacSha1 hmac;
    if (!hmac.set_key(key)) return {};
    const auto mac = hmac.mac(text);
    if (!mac) return {};
    std::string out;
    core::append_base64(out, mac->data(), mac->size());
    return out;
}

std::string authorization_header(const Params& oauth_params, std::string_view realm) {
    std::string out;
    core::AuthorizationWriter writer(out);
    if (!realm.empty()) writer.add("realm", realm);
    for (const auto& [name, value] : oauth_params)
        writer.add(name, value);
    return out;
}

std::optional<Signed> sign(const ClientCredentials& creds, const SignInput& in) {
    Signer signer(creds);
    const auto result = signer.sign(in);
    const auto* view = std::get_if<SignedView>(&result);
    if (view == nullptr) return std::nullopt;
    Signed out;
    out.oauth_params = protocol_params(creds, in);
    out.oauth_params.emplace_back("oauth_signature", std::string(view->signature));
    out.base_string = std::string(view->base_string);
    out.signature = std::string(view->signature);
    out.authorization = std::string(view->authorization);
    return out;
}

bool verify_signature(std::string_view method, std::string_view base_uri_url, const Params& params,
                      std::string_view consumer_secret, std::string_view token_secret) {
    const auto received = find_param(params, "oauth_signature");
    if (!received) return false;
    // Only the base URI of the URL is used; its query parameters must already be in `params`.
    const auto parsed = parse_url(base_uri_url);
    if (!parsed) return false;
    core::BaseStringBuilder builder;
    for (const auto& [name, value] : params)
        builder.add_protocol(name, value);  // leaves out oauth_signature and realm
    const std::string expected = hmac_sha1_base64(signing_key(consumer_secret, token_secret),
                                                  builder.compose(method, *parsed));
    return !expected.empty() && expected.size() == received->size() &&
           CRYPTO_memcmp(expected.data(), received->data(), expected.size()) == 0;
}

std::optional<Params> parse_authorization_header(std::string_view value) {
    value = trim(value);
    constexpr std::string_view kScheme = "OAuth";
    if (value.size() < kScheme.size()) return std::nullopt;
    for (std::size_t i = 0; i < kScheme.size(); ++i) {
        const char a =
            value[i] >= 'A' && value[i] <= 'Z' ? static_cast<char>(value[i] + 32) : value[i];
        const char b = kScheme[i] >= 'A' && kScheme[i] <= 'Z' ? static_cast<char>(kScheme[i] + 32)
                                                              : kScheme[i];
        if (a != b) return std::nullopt;
    }
    std::string_view rest = value.substr(kScheme.size());
    if (!rest.empty() && rest.front() != ' ' && rest.front() != '\t') return std::nullopt;
    Params out;
    while (true) {
        rest = trim(rest);
        if (rest.empty()) break;
        const auto eq = rest.find('=');
        if (eq == std::string_view::npos) return std::nullopt;
        const auto raw_name = trim(rest.substr(0, eq));
        rest = trim(rest.substr(eq + 1));
        if (rest.empty() || rest.front() != '"') return std::nullopt;
        const auto close = rest.find('"', 1);
        if (close == std::string_view::npos) return std::nullopt;
        const auto raw_value = rest.substr(1, close - 1);
        rest = trim(rest.substr(close + 1));
        auto name = percent_decode(raw_name);
        auto val = percent_decode(raw_value);
        if (!name || !val || name->empty()) return std::nullopt;
        out.emplace_back(std::move(*name), std::move(*val));
        if (rest.empty()) break;
        if (rest.front() != ',') return std::nullopt;
        rest.remove_prefix(1);
    }
    return out;
}

}  // namespace pinlink::oauth
