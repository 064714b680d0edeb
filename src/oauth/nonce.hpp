// Nonces for signed requests, from OpenSSL's cryptographic RNG: one at a time (make_nonce), or
// many from a buffered source (NonceSource, what oauth::Signer uses for every request).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>

namespace pinlink::oauth {

// 32 random bytes as 43 characters of URL-safe, unpadded base64 (letters, digits, '-' and '_'),
// so the nonce needs no escaping anywhere. Returns nullopt if the RNG fails.
std::optional<std::string> make_nonce();

// `count` random decimal digits (used by the local provider for PINs); empty when count <= 0.
std::optional<std::string> random_digits(int count);

// Nonces of make_nonce()'s shape, drawn from a block of CSPRNG bytes (RAND_bytes) that is
// refilled when used up. One RAND_bytes call per ~127 nonces instead of one per nonce: OpenSSL
// 3 makes a getpid() system call on every call (docs/performance.md). Each byte is used once, so
// the nonces are as unpredictable as make_nonce()'s.
//
// Fork-safe: a fork child never draws the bytes its parent has buffered (both would send the
// same nonces). The block lives in its own page marked MADV_WIPEONFORK, so a child finds it
// empty and refills from its own, reseeded, generator; where the kernel refuses that advice
// the source compares getpid() on every draw instead (ForkCheck::pid).
//
// Not thread-safe: use it from one thread at a time (oauth::Signer's owner does).
class NonceSource {
public:
    enum class ForkCheck {
        automatic,  // MADV_WIPEONFORK, or getpid() on every draw where the kernel refuses it
        pid,        // always getpid() on every draw (the fallback; tests cover it this way)
    };

    explicit NonceSource(ForkCheck check = ForkCheck::automatic) : check_(check) {}
    ~NonceSource();  // wipes the unread bytes: they are future nonces
    NonceSource(NonceSource&& other) noexcept;
    NonceSource& operator=(NonceSource&& other) noexcept;
    NonceSource(const NonceSource&) = delete;
    NonceSource& operator=(const NonceSource&) = delete;

    // The next nonce, 43 characters as make_nonce(). Returns nullopt if the RNG fails. The page
    // is mapped at the first draw, so a source that never draws costs nothing.
    std::optional<std::string> next();

    // Whether fork safety comes from MADV_WIPEONFORK (false before the first draw, and when
    // it falls back to getpid()).
    bool wipes_on_fork() const { return page_ != nullptr && !check_pid_; }

private:
    struct Page;
    void release() noexcept;

    ForkCheck check_;
    Page* page_ = nullptr;
    std::size_t mapped_ = 0;   // bytes mapped at page_
    bool check_pid_ = false;   // compare getpid() on every draw
    bool unbuffered_ = false;  // no page could be mapped: one RAND_bytes call per nonce
    pid_t pid_ = 0;            // the process that filled the page (check_pid_ only)
};

}  // namespace pinlink::oauth
