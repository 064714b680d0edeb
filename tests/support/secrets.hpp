// Test support: looks for secrets (consumer secret, token secrets, PIN) in text a person or a
// log could see, and reports which secret was found and where without ever printing its value,
// so a failing test does not leak what it guards. Also collects the token secrets a local
// provider issues (LocalProviderOptions::on_issue), from the provider's threads.
// Header-only; include as "support/secrets.hpp".
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace pinlink::test {

struct Secret {
    std::string what;   // "the consumer secret", "the PIN", ... (printed)
    std::string value;  // never printed
};
using Secrets = std::vector<Secret>;

// RFC 3986 percent-encoding (what a secret looks like inside a URL, a form or a header).
inline std::string percent_encoded(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

// One line per occurrence of any secret (as is, or percent-encoded) in `text`, naming the
// secret, `where` and the byte offset. Empty when nothing was found. Empty secrets are skipped
// (callers check that the secrets they guard are known).
inline std::vector<std::string> find_secrets(std::string_view text, const Secrets& secrets,
                                             std::string_view where) {
    std::vector<std::string> found;
    for (const Secret& s : secrets) {
        if (s.value.empty()) continue;
        std::vector<std::string> forms{s.value};
        if (const std::string enc = percent_encoded(s.value); enc != s.value) forms.push_back(enc);
        for (const std::string& form : forms) {
            for (std::size_t at = text.find(form); at != std::string_view::npos;
                 at = text.find(form, at + 1)) {
                found.push_back(s.what + (form == s.value ? "" : " (percent-encoded)") + " in " +
                                std::string(where) + " at byte " + std::to_string(at) + " of " +
                                std::to_string(text.size()));
            }
        }
    }
    return found;
}

// A test failure for every secret found in `text`; true when there was none.
inline bool expect_no_secrets(std::string_view text, const Secrets& secrets,
                              std::string_view where) {
    const auto found = find_secrets(text, secrets, where);
    for (const std::string& f : found)
        ADD_FAILURE() << "secret leaked: " << f;
    return found.empty();
}

// The token secrets a local provider issued, in order; hand `callback()` to
// LocalProviderOptions::on_issue. Thread-safe: the provider calls from its server threads.
class IssuedSecrets {
  public:
    struct Issued {
        bool access = false;  // an access token's secret; otherwise a request token's
        std::string token;
        std::string secret;
    };

    std::function<void(bool, std::string_view, std::string_view)> callback() {
        return [this](bool access, std::string_view token, std::string_view secret) {
            std::lock_guard lock(mutex_);
            issued_.push_back({access, std::string(token), std::string(secret)});
        };
    }

    std::vector<Issued> all() const {
        std::lock_guard lock(mutex_);
        return issued_;
    }
    int count(bool access) const {
        std::lock_guard lock(mutex_);
        int n = 0;
        for (const Issued& i : issued_)
            n += i.access == access ? 1 : 0;
        return n;
    }
    // Every issued secret, named by kind and order ("request token secret #2").
    Secrets secrets() const {
        std::lock_guard lock(mutex_);
        Secrets out;
        int requests = 0, accesses = 0;
        for (const Issued& i : issued_) {
            out.push_back({i.access ? "access token secret #" + std::to_string(++accesses)
                                    : "request token secret #" + std::to_string(++requests),
                           i.secret});
        }
        return out;
    }
    // True when `secret` is the secret of an access token the provider issued.
    bool is_access_secret(std::string_view secret) const {
        std::lock_guard lock(mutex_);
        for (const Issued& i : issued_)
            if (i.access && i.secret == secret) return true;
        return false;
    }

  private:
    mutable std::mutex mutex_;
    std::vector<Issued> issued_;
};

}  // namespace pinlink::test
