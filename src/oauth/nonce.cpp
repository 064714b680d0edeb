// Nonces and random digits from OpenSSL's CSPRNG; see nonce.hpp for the contract.
#include "oauth/nonce.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <utility>

namespace pinlink::oauth {
namespace {

constexpr std::size_t kNonceBytes = 32;
constexpr std::size_t kNonceChars = 43;

// 256 bits as 6-bit groups: 42 full groups and 4 bits left over.
void encode_nonce(const unsigned char* bytes, std::string& out) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    out.resize(kNonceChars);
    char* p = out.data();
    unsigned int acc = 0;
    int bits = 0;
    for (std::size_t i = 0; i < kNonceBytes; ++i) {
        acc = (acc << 8) | bytes[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            *p++ = kAlphabet[(acc >> bits) & 0x3F];
        }
    }
    *p = kAlphabet[(acc << (6 - bits)) & 0x3F];  // bits == 4 here
}

}  // namespace

// One 4 KiB block at the start of its own mapping. Everything that says what is unread is inside
// it, so a fork child, which sees the page zeroed (MADV_WIPEONFORK), sees nothing unread.
struct NonceSource::Page {
    static constexpr std::size_t kSize = 4096;
    static constexpr std::size_t kCapacity = (kSize - 64) / kNonceBytes * kNonceBytes;
    std::size_t left;  // unread bytes, at the end of `bytes`
    unsigned char bytes[kCapacity];
};

std::optional<std::string> make_nonce() {
    std::array<unsigned char, kNonceBytes> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) return std::nullopt;
    std::string out;
    encode_nonce(bytes.data(), out);
    return out;
}

std::optional<std::string> random_digits(int count) {
    if (count <= 0) return std::string{};  // a negative count must not reach reserve()
    std::string out;
    out.reserve(static_cast<std::size_t>(count));
    while (static_cast<int>(out.size()) < count) {
        unsigned char b = 0;
        if (RAND_bytes(&b, 1) != 1) return std::nullopt;
        if (b >= 250) continue;  // rejection keeps the digits uniform
        out.push_back(static_cast<char>('0' + b % 10));
    }
    return out;
}

NonceSource::~NonceSource() {
    release();
}

NonceSource::NonceSource(NonceSource&& other) noexcept
    : check_(other.check_),
      page_(std::exchange(other.page_, nullptr)),
      mapped_(std::exchange(other.mapped_, 0)),
      check_pid_(other.check_pid_),
      unbuffered_(other.unbuffered_),
      pid_(other.pid_) {}

NonceSource& NonceSource::operator=(NonceSource&& other) noexcept {
    if (this != &other) {
        release();
        check_ = other.check_;
        page_ = std::exchange(other.page_, nullptr);
        mapped_ = std::exchange(other.mapped_, 0);
        check_pid_ = other.check_pid_;
        unbuffered_ = other.unbuffered_;
        pid_ = other.pid_;
    }
    return *this;
}

void NonceSource::release() noexcept {
    if (page_ == nullptr) return;
    OPENSSL_cleanse(page_, sizeof(Page));
    munmap(page_, mapped_);
    page_ = nullptr;
    mapped_ = 0;
}

std::optional<std::string> NonceSource::next() {
    if (page_ == nullptr && !unbuffered_) {
        const long page_size = sysconf(_SC_PAGESIZE);
        const std::size_t length =
            page_size > 0 && static_cast<std::size_t>(page_size) > sizeof(Page)
                ? static_cast<std::size_t>(page_size)
                : sizeof(Page);
        void* mem =
            mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mem == MAP_FAILED) {
            unbuffered_ = true;  // still correct, only slower
        } else {
            page_ = static_cast<Page*>(mem);  // zero-filled: nothing unread
            mapped_ = length;
            check_pid_ = check_ == ForkCheck::pid;
#ifdef MADV_WIPEONFORK
            if (!check_pid_ && madvise(mem, length, MADV_WIPEONFORK) != 0) check_pid_ = true;
#else
            check_pid_ = true;
#endif
        }
    }
    if (unbuffered_) return make_nonce();

    if (check_pid_) {
        const pid_t now = getpid();
        if (now != pid_) {
            page_->left = 0;  // the parent's bytes: never draw them here
            pid_ = now;
        }
    }
    if (page_->left < kNonceBytes) {
        if (RAND_bytes(page_->bytes, static_cast<int>(Page::kCapacity)) != 1) {
            page_->left = 0;
            return std::nullopt;
        }
        page_->left = Page::kCapacity;
    }
    unsigned char* bytes = page_->bytes + (Page::kCapacity - page_->left);
    std::string out;
    encode_nonce(bytes, out);
    page_->left -= kNonceBytes;
    return out;
}

}  // namespace pinlink::oauth
