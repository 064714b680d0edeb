// HMAC-SHA1 signatures per second for one request, pinlink against liboauth (the C library in
// liboauth-dev); python3-oauthlib is timed by bench/oauthlib_signing.py in the same run.
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

#include "oauth/nonce.hpp"
#include "oauth/signature.hpp"

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

// Same signature from both C libraries for the fixed request; the label carries the pinlink
// signature so the script can compare it with oauthlib's.
void BM_CrossCheck(benchmark::State& state) {
    const auto ours = oauth::sign(credentials(), input(kFixedNonce, kFixedTimestamp));
    const std::string theirs =
        liboauth_signature(liboauth_url((std::string("&oauth_nonce=") + kFixedNonce +
                                         "&oauth_timestamp=" + std::to_string(kFixedTimestamp))
                                            .c_str()));
    for (auto _ : state) {
        benchmark::DoNotOptimize(ours);
    }
    if (!ours || ours->signature != theirs) {
        state.SkipWithError("pinlink and liboauth disagree on the signature");
        return;
    }
    state.SetLabel("signature=" + ours->signature);
}
BENCHMARK(BM_CrossCheck)->Iterations(1);

// pinlink: nonce from OpenSSL's CSPRNG, clock, oauth::sign (base string, HMAC, header).
void BM_Pinlink(benchmark::State& state) {
    const auto creds = credentials();
    for (auto _ : state) {
        auto nonce = oauth::make_nonce();
        auto signed_request = oauth::sign(creds, input(nonce.value_or(""), unix_now()));
        benchmark::DoNotOptimize(signed_request);
    }
    state.counters["signatures_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Pinlink)->MinTime(1.0);

// The same request with the cross-check's nonce and timestamp: the signing work alone, without
// each library's nonce generator (liboauth and oauthlib use a given nonce and timestamp too).
void BM_PinlinkFixedNonce(benchmark::State& state) {
    const auto creds = credentials();
    const auto in = input(kFixedNonce, kFixedTimestamp);
    for (auto _ : state) {
        auto signed_request = oauth::sign(creds, in);
        benchmark::DoNotOptimize(signed_request);
    }
    state.counters["signatures_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PinlinkFixedNonce)->MinTime(1.0);

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
    state.counters["signatures_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
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
    state.counters["signatures_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
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
    state.counters["signatures_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LiboauthSignArray2)->MinTime(1.0);

}  // namespace

BENCHMARK_MAIN();
