// The building blocks of RFC 5849 signing shared by oauth::Signer and signature.hpp's free
// functions; see signing_core.hpp.
#include "oauth/signing_core.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <charconv>

#include "oauth/percent.hpp"

namespace pinlink::oauth::core {

void BaseStringBuilder::clear() {
    encoded_.clear();
    entries_.clear();
}

void BaseStringBuilder::add(std::string_view name, std::string_view value) {
    Entry e{};
    e.name_at = encoded_.size();
    append_percent_encoded(encoded_, name);
    e.name_size = encoded_.size() - e.name_at;
    e.value_at = encoded_.size();
    append_percent_encoded(encoded_, value);
    e.value_size = encoded_.size() - e.value_at;
    entries_.push_back(e);
}

void BaseStringBuilder::add_protocol(std::string_view name, std::string_view value) {
    if (name == "oauth_signature" || name == "realm") return;
    add(name, value);
}

bool BaseStringBuilder::add_query(std::string_view query) {
    if (query.empty()) return true;
    const auto pairs = parse_form(query);
    if (!pairs) return false;
    for (const auto& [name, value] : *pairs)
        add(name, value);
    return true;
}

void BaseStringBuilder::sort() {
    // Byte order of the encoded forms, as the RFC asks (char_traits<char> compares as unsigned
    // char); offsets, not views, because encoded_ may have moved while it grew.
    const std::string_view text = encoded_;
    std::sort(entries_.begin(), entries_.end(), [text](const Entry& a, const Entry& b) {
        const int by_name =
            text.substr(a.name_at, a.name_size).compare(text.substr(b.name_at, b.name_size));
        if (by_name != 0) return by_name < 0;
        return text.substr(a.value_at, a.value_size) < text.substr(b.value_at, b.value_size);
    });
}

std::string BaseStringBuilder::normalized() {
    sort();
    std::string out;
    out.reserve(encoded_.size() + 2 * entries_.size());
    const std::string_view text = encoded_;
    for (const Entry& e : entries_) {
        if (!out.empty()) out.push_back('&');
        out += text.substr(e.name_at, e.name_size);
        out.push_back('=');
        out += text.substr(e.value_at, e.value_size);
    }
    return out;
}

std::string_view BaseStringBuilder::compose(std::string_view method, const Url& url) {
    sort();
    base_.clear();
    // enc(METHOD): uppercasing after encoding is the same as before it, since letters are
    // written as they are and escapes already use uppercase hex.
    append_percent_encoded(base_, method);
    for (char& c : base_) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    base_.push_back('&');
    uri_.clear();
    append_base_string_uri(uri_, url);
    append_percent_encoded(base_, uri_);
    base_.push_back('&');
    // enc(normalized), written straight from the encoded pairs: a second encoding only turns
    // '%' into %25 and the separators into %3D and %26.
    const std::string_view text = encoded_;
    bool first = true;
    for (const Entry& e : entries_) {
        if (!first) base_ += "%26";
        first = false;
        append_percent_encoded(base_, text.substr(e.name_at, e.name_size));
        base_ += "%3D";
        append_percent_encoded(base_, text.substr(e.value_at, e.value_size));
    }
    return base_;
}

void HmacSha1::CtxFree::operator()(evp_mac_ctx_st* ctx) const noexcept {
    EVP_MAC_CTX_free(ctx);
}

HmacSha1::HmacSha1() {
    // The fetch is OpenSSL 3's costly name lookup: once per object, not once per MAC.
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
    if (mac == nullptr) return;
    ctx_.reset(EVP_MAC_CTX_new(mac));
    EVP_MAC_free(mac);  // the context keeps its own reference
}

bool HmacSha1::set_key(std::string_view key) {
    keyed_ = false;
    if (!ctx_) return false;
    char digest[] = "SHA1";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    // An empty key still needs a non-null pointer, or OpenSSL keeps the previous key.
    static constexpr unsigned char kEmpty = 0;
    const auto* data = key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
    keyed_ = EVP_MAC_init(ctx_.get(), data, key.size(), params) == 1;
    return keyed_;
}

std::optional<HmacSha1::Mac> HmacSha1::mac(std::string_view text) {
    if (!keyed_) return std::nullopt;
    // A null key re-initialises with the key already set (the pads are not derived again).
    Mac out{};
    std::size_t size = 0;
    if (EVP_MAC_init(ctx_.get(), nullptr, 0, nullptr) != 1 ||
        EVP_MAC_update(ctx_.get(), reinterpret_cast<const unsigned char*>(text.data()),
                       text.size()) != 1 ||
        EVP_MAC_final(ctx_.get(), out.data(), &size, out.size()) != 1 || size != out.size()) {
        return std::nullopt;
    }
    return out;
}

AuthorizationWriter::AuthorizationWriter(std::string& out) : out_(out) {
    out_.assign("OAuth ");
}

void AuthorizationWriter::add(std::string_view name, std::string_view value) {
    if (!first_) out_ += ", ";
    first_ = false;
    append_percent_encoded(out_, name);
    out_ += "=\"";
    append_percent_encoded(out_, value);
    out_.push_back('"');
}

void append_base64(std::string& out, const unsigned char* data, std::size_t size) {
    const std::size_t start = out.size();
    out.resize(start + 4 * ((size + 2) / 3) + 1);  // EVP_EncodeBlock writes a NUL
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data() + start), data,
                                  static_cast<int>(size));
    out.resize(start + static_cast<std::size_t>(n));
}

void append_signing_key(std::string& out, std::string_view consumer_secret,
                        std::string_view token_secret) {
    append_percent_encoded(out, consumer_secret);
    out.push_back('&');
    append_percent_encoded(out, token_secret);
}

TimestampText::TimestampText(std::int64_t value) {
    const auto [end, ec] = std::to_chars(chars.data(), chars.data() + chars.size(), value);
    (void)ec;  // 24 characters hold any int64
    size = static_cast<std::size_t>(end - chars.data());
}

}  // namespace pinlink::oauth::core
