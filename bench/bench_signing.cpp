// HMAC-SHA1 signatures per second for one request, pinlink against liboauth (the C library in
// liboauth-dev); python3-oauthlib is timed by bench/oauthlib_signing.py in the same run.
// pinlink signs with an oauth::Signer, as the flow does: one per consumer, kept between
// requests (HMAC key ready, nonces from a buffered CSPRNG source, buffers reused).
//
// The request is step 3 of the flow: POST https://api.x.com/oauth/access_token with a request
// token, its secret and oauth_verifier. Each library does what a caller does per request: a
// fresh nonce and timestamp, the base string, HMAC-SHA1, and the output that goes on the wire
// (pinlink and oauthlib: the Authorization header; liboauth: the signed form body, its only
// output for a POST). Before timing, all three sign the request with a fixed nonce and timestamp
// and must give the same signature (the check benchmark below reports it; the bench script
// refuses to print a ratio otherwise).
#include <cstddef>  // before oauth.h, which uses size_t without including its header

extern "C" {
#include <oauth.h>
}

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <string>
#include <variant>

#include "oauth/nonce.hpp"
#include "oauth/signature.hpp"
#include "oauth/signer.hpp"

namespace {

namespace oauth = pinlink::oauth;

// Not secrets: made-up values of realistic length.
constexpr const char* kConsumerKey = "xvz1evFS4wEEPTGEFPHBog";
constexpr const char* kConsumerSecret = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
constexpr const char* kToken = "NPcudxy0yU5T3tBzho7iCotZ3cnetKwcTIRlX0iwRl0";
constexpr const char* kTokenSecret = "veNRnAWe6inFuo8o2u8SLLZLjolYDmDP7SzL0YfYI";
constexpr const char* kUrl = "https://api.x.com/oauth/access_token";
constexpr const char* kVerifier = "4829105";
// The fixed nonce and timestamp of the cross-check.
constexpr const char* kFixedNonce = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg";
constexpr std::int64_t kFixedTimestamp = 1700000000;

oauth::ClientCredentials credentials() {
    return {kConsumerKey, kConsumerSecret, kToken, kTokenSecret};
}

oauth::SignInput input(std::string nonce, std::int64_t timestamp) {
    oauth::SignInput in;
    in.method = "POST";
    in.url = kUrl;
    in.extra_oauth = {{"oauth_verifier", kVerifier}};
    in.nonce = std::move(nonce);
    in.timestamp = timestamp;
    return in;
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// liboauth takes the request as a URL with the parameters to sign in its query; it moves them
// to the returned body for a POST and adds the oauth_* parameters it does not find there.
std::string liboauth_url(const char* extra) {
    return std::string(kUrl) + "?oauth_verifier=" + kVerifier + extra;
}

// The signature liboauth put in its signed body, decoded.
std::string liboauth_signature(const std::string& url) {
    char* post = nullptr;
    char* signed_url = oauth_sign_url2(url.c_str(), &post, OA_HMAC, "POST", kConsumerKey,
                                       kConsumerSecret, kToken, kTokenSecret);
    std::string signature;
    if (post != nullptr) {
        const std::string body = post;
        const auto at = body.find("oauth_signature=");
        if (at != std::string::npos) {
            const auto end = body.find('&', at);
            const std::string raw =
                body.substr(at + 16, end == std::string::npos ? end : end - at - 16);
            char* decoded = oauth_url_unescape(raw.c_str(), nullptr);
            if (decoded != nullptr) signature = decoded;
            std::free(decoded);
        }
    }
    std::free(signed_url);
    std::free(post);
    return signature;
}

// Same signature from both C libraries and from both pinlink paths (oauth::Signer and the
// one-off oauth::sign) for the fixed request; the label carries the pinlink signature so the
// script can compare it with oauthlib's.
void BM_CrossCheck(benchmark::State& state) {
    const auto ours = oauth::sign(credentials(), input(kFixedNonce, kFixedTimestamp));
    oauth::Signer signer(credentials());
    const auto kept = signer.sign(input(kFixedNonce, kFixedTimestamp));
    const auto* kept_view = std::get_if<oauth::SignedView>(&kept);
    const std::string theirs =
        liboauth_signature(liboauth_url((std::string("&oauth_nonce=") + kFixedNonce +
                                         "&oauth_timestamp=" + std::to_string(kFixedTimestamp))
                                            .c_str()));
    for (auto _ : state) {
        benchmark::DoNotOptimize(ours);
    }
    if (!ours || ours->signature != theirs || kept_view == nullptr ||
        kept_view->signature != ours->signature ||
        kept_view->authorization != ours->authorization) {
        state.SkipWithError("pinlink and liboauth disagree on the signature");
        return;
    }
    state.SetLabel("signature=" + ours->signature);
}
BENCHMARK(BM_CrossCheck)->Iterations(1);

void set_rate(benchmark::State& state) {
    state.counters["signatures_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// pinlink, the table's fresh-nonce row: what PinFlow does for each attempt with its kept
// oauth::Signer: a nonce from the signer's buffered CSPRNG source, the clock, sign (base
// string, HMAC, Authorization header). The request itself is built once, as liboauth's URL is.
void BM_Pinlink(benchmark::State& state) {
    oauth::Signer signer(credentials());
    auto in = input("", 0);
    for (auto _ : state) {
        auto nonce = signer.next_nonce();
        in.nonce = std::move(nonce).value_or("");
        in.timestamp = unix_now();
        auto signed_request = signer.sign(in);
        benchmark::DoNotOptimize(signed_request);
    }
    set_rate(state);
}
BENCHMARK(BM_Pinlink)->MinTime(1.0);

// Not in the table: the same, plus what PinFlow::send_signed adds around it (a SignInput
// built for each attempt and the header copied into the request).
void BM_PinlinkSignerAsTheFlow(benchmark::State& state) {
    oauth::Signer signer(credentials());
    for (auto _ : state) {
        auto nonce = signer.next_nonce();
        const auto in = input(std::move(nonce).value_or(""), unix_now());
        const auto signed_request = signer.sign(in);
        std::string header(std::get<oauth::SignedView>(signed_request).authorization);
        benchmark::DoNotOptimize(header);
    }
    set_rate(state);
}
BENCHMARK(BM_PinlinkSignerAsTheFlow)->MinTime(1.0);

// Not in the table: the one-off path every caller used before oauth::Signer (make_nonce, one
// RAND_bytes call each, and oauth::sign, which sets up the HMAC key every time).
void BM_PinlinkOneOff(benchmark::State& state) {
    const auto creds = credentials();
    for (auto _ : state) {
        auto nonce = oauth::make_nonce();
        auto signed_request = oauth::sign(creds, input(nonce.value_or(""), unix_now()));
        benchmark::DoNotOptimize(signed_request);
    }
    set_rate(state);
}
BENCHMARK(BM_PinlinkOneOff)->MinTime(1.0);

// The same request with the cross-check's nonce and timestamp: the signing work alone, without
// each library's nonce generator (liboauth and oauthlib use a given nonce and timestamp too).
// The one-off oauth::sign, which, like liboauth, sets up the key for every signature.
void BM_PinlinkFixedNonce(benchmark::State& state) {
    const auto creds = credentials();
    const auto in = input(kFixedNonce, kFixedTimestamp);
    for (auto _ : state) {
        auto signed_request = oauth::sign(creds, in);
        benchmark::DoNotOptimize(signed_request);
    }
    set_rate(state);
}
BENCHMARK(BM_PinlinkFixedNonce)->MinTime(1.0);

// Not in the table: the fixed request through a kept oauth::Signer.
void BM_PinlinkSignerFixedNonce(benchmark::State& state) {
    oauth::Signer signer(credentials());
    const auto in = input(kFixedNonce, kFixedTimestamp);
    for (auto _ : state) {
        auto signed_request = signer.sign(in);
        benchmark::DoNotOptimize(signed_request);
    }
    set_rate(state);
}
BENCHMARK(BM_PinlinkSignerFixedNonce)->MinTime(1.0);

// liboauth's one-call API: nonce and timestamp are made inside.
void BM_LiboauthSignUrl2(benchmark::State& state) {
    const std::string url = liboauth_url("");
    for (auto _ : state) {
        char* post = nullptr;
        char* signed_url = oauth_sign_url2(url.c_str(), &post, OA_HMAC, "POST", kConsumerKey,
                                           kConsumerSecret, kToken, kTokenSecret);
        benchmark::DoNotOptimize(post);
        std::free(signed_url);
        std::free(post);
    }
    set_rate(state);
}
BENCHMARK(BM_LiboauthSignUrl2)->MinTime(1.0);

// liboauth with the nonce and timestamp in the request: it then makes neither.
void BM_LiboauthSignUrl2FixedNonce(benchmark::State& state) {
    const std::string url = liboauth_url((std::string("&oauth_nonce=") + kFixedNonce +
                                          "&oauth_timestamp=" + std::to_string(kFixedTimestamp))
                                             .c_str());
    for (auto _ : state) {
        char* post = nullptr;
        char* signed_url = oauth_sign_url2(url.c_str(), &post, OA_HMAC, "POST", kConsumerKey,
                                           kConsumerSecret, kToken, kTokenSecret);
        benchmark::DoNotOptimize(post);
        std::free(signed_url);
        std::free(post);
    }
    set_rate(state);
}
BENCHMARK(BM_LiboauthSignUrl2FixedNonce)->MinTime(1.0);

// liboauth's array API, given the request already split (as a caller that keeps it split would).
void BM_LiboauthSignArray2(benchmark::State& state) {
    const std::string url = liboauth_url("");
    for (auto _ : state) {
        char** argv = nullptr;
        // What oauth_sign_url2 does for a POST; qesc 0: '+' stays '+'.
        int argc = oauth_split_post_paramters(url.c_str(), &argv, 0);
        char* post = nullptr;
        char* signed_url = oauth_sign_array2(&argc, &argv, &post, OA_HMAC, "POST", kConsumerKey,
                                             kConsumerSecret, kToken, kTokenSecret);
        benchmark::DoNotOptimize(post);
        std::free(signed_url);
        std::free(post);
        oauth_free_array(&argc, &argv);
    }
    set_rate(state);
}
BENCHMARK(BM_LiboauthSignArray2)->MinTime(1.0);

}  // namespace

BENCHMARK_MAIN();
