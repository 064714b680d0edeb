// RFC 5849 HMAC-SHA1 signing; see signature.hpp for the contract.
#include "oauth/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>

#include "oauth/percent.hpp"
#include "oauth/url.hpp"

namespace pinlink::oauth {
namespace {

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

std::string base64(const unsigned char* data, std::size_t len) {
    std::string out(4 * ((len + 2) / 3), '\0');
    const int n =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(len));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

// Encoded (name, value) pairs on their way to the normalized parameter string.
using EncodedParams = std::vector<std::pair<std::string, std::string>>;

void add_encoded(EncodedParams& out, const Params& params) {
    for (const auto& [name, value] : params) {
        out.emplace_back(percent_encode(name), percent_encode(value));
    }
}

// RFC 5849 3.4.1.3.2: sort by encoded name, then encoded value; join as name=value with '&'.
std::string join_sorted(EncodedParams& encoded) {
    // Byte order of the encoded forms, as the RFC asks: std::string compares as unsigned char.
    std::sort(encoded.begin(), encoded.end());
    std::size_t length = 0;
    for (const auto& [name, value] : encoded) {
        length += name.size() + value.size() + 2;
    }
    std::string out;
    out.reserve(length);
    for (const auto& [name, value] : encoded) {
        if (!out.empty()) out.push_back('&');
        out += name;
        out.push_back('=');
        out += value;
    }
    return out;
}

// RFC 5849 3.4.1.1: METHOD&enc(base URI)&enc(params). The method is encoded too, because a
// custom method may hold characters such as '!' that 3.6 does not leave literal.
std::string compose_base_string(std::string_view method, const Url& url,
                                const std::string& normalized) {
    const std::string uri = base_string_uri(url);
    std::string out;
    out.reserve(3 * (method.size() + uri.size() + normalized.size()) + 2);
    append_percent_encoded(out, upper(method));
    out.push_back('&');
    append_percent_encoded(out, uri);
    out.push_back('&');
    append_percent_encoded(out, normalized);
    return out;
}

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
    p.emplace_back("oauth_consumer_key", creds.consumer_key);
    p.emplace_back("oauth_nonce", in.nonce);
    p.emplace_back("oauth_signature_method", "HMAC-SHA1");
    p.emplace_back("oauth_timestamp", std::to_string(in.timestamp));
    if (!creds.token.empty()) p.emplace_back("oauth_token", creds.token);
    if (in.include_version) p.emplace_back("oauth_version", "1.0");
    for (const auto& extra : in.extra_oauth)
        p.push_back(extra);
    return p;
}

std::string normalize_params(const Params& params) {
    EncodedParams encoded;
    encoded.reserve(params.size());
    add_encoded(encoded, params);
    return join_sorted(encoded);
}

std::optional<std::string> base_string(std::string_view method, std::string_view url,
                                       const Params& form, const Params& oauth_params) {
    const auto parsed = parse_url(url);
    if (!parsed) return std::nullopt;
    const auto query = parse_form(parsed->query);
    if (!query) return std::nullopt;
    // Encoded straight from the three sources, without copying the decoded pairs together
    // first: signing runs for every request (docs/performance.md).
    EncodedParams encoded;
    encoded.reserve(query->size() + form.size() + oauth_params.size());
    add_encoded(encoded, *query);
    add_encoded(encoded, form);
    for (const auto& [name, value] : oauth_params) {
        if (name == "oauth_signature" || name == "realm") continue;
        encoded.emplace_back(percent_encode(name), percent_encode(value));
    }
    return compose_base_string(method, *parsed, join_sorted(encoded));
}

std::string signing_key(std::string_view consumer_secret, std::string_view token_secret) {
    return percent_encode(consumer_secret) + "&" + percent_encode(token_secret);
}

std::string hmac_sha1_base64(std::string_view key, std::string_view text) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int mac_len = 0;
    HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac.data(), &mac_len);
    return base64(mac.data(), mac_len);
}

std::string authorization_header(const Params& oauth_params, std::string_view realm) {
    // Appended in place, sized once: this runs for every signed request.
    std::size_t length = 6 + 3 * realm.size() + 9;
    for (const auto& [name, value] : oauth_params) {
        length += 3 * (name.size() + value.size()) + 5;
    }
    std::string out;
    out.reserve(length);
    out += "OAuth ";
    bool first = true;
    if (!realm.empty()) {
        out += "realm=\"";
        append_percent_encoded(out, realm);
        out.push_back('"');
        first = false;
    }
    for (const auto& [name, value] : oauth_params) {
        if (!first) out += ", ";
        first = false;
        append_percent_encoded(out, name);
        out += "=\"";
        append_percent_encoded(out, value);
        out.push_back('"');
    }
    return out;
}

std::optional<Signed> sign(const ClientCredentials& creds, const SignInput& in) {
    Signed out;
    out.oauth_params = protocol_params(creds, in);
    auto base = base_string(in.method, in.url, in.form, out.oauth_params);
    if (!base) return std::nullopt;
    out.base_string = std::move(*base);
    out.signature =
        hmac_sha1_base64(signing_key(creds.consumer_secret, creds.token_secret), out.base_string);
    out.oauth_params.emplace_back("oauth_signature", out.signature);
    out.authorization = authorization_header(out.oauth_params);
    return out;
}

bool verify_signature(std::string_view method, std::string_view base_uri_url, const Params& params,
                      std::string_view consumer_secret, std::string_view token_secret) {
    const auto received = find_param(params, "oauth_signature");
    if (!received) return false;
    // Only the base URI of the URL is used; its query parameters must already be in `params`.
    const auto parsed = parse_url(base_uri_url);
    if (!parsed) return false;
    Params rest;
    for (const auto& p : params) {
        if (p.first == "oauth_signature" || p.first == "realm") continue;
        rest.push_back(p);
    }
    const std::string base = compose_base_string(method, *parsed, normalize_params(rest));
    const std::string expected = hmac_sha1_base64(signing_key(consumer_secret, token_secret), base);
    return expected.size() == received->size() &&
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
