// pinlink::net::Client over libcurl's multi interface: one request in, one response or a typed
// error out. Safety rules live here: TLS verification always on, plain http only to loopback,
// http/https only, no redirects, timeouts and a size cap that are always in force, cancellation
// from another thread within 100 ms, and verbose output with credentials redacted.
//
// Decisions worth knowing:
// - Extra CA (Options::ca_file): libcurl 7.88's CURLOPT_CAINFO *replaces* the system bundle, so
//   instead the file is parsed once (OpenSSL) and its certificates are added to the X509_STORE of
//   every new TLS context from CURLOPT_SSL_CTX_FUNCTION, on top of what libcurl loaded from its
//   default bundle/path. The CA cache is turned off while doing so, so the store we add to is
//   never a cached one shared with contexts made without the extra CA. Needs libcurl built on
//   OpenSSL (Debian's libcurl4 is); otherwise https with a ca_file fails with Error::tls.
// - libcurl is not linked: the first perform() loads it (curl_api.hpp), which puts its loading
//   on the link worker instead of before main. A Client that never performs never loads it.
//   curl_global_init runs with each load (libcurl counts the calls) and is never cleaned up: the
//   OS reclaims it at exit.
// - The easy handle is curl_easy_reset before each request, so no option leaks from one request
//   into the next. Reuse survives the reset: the connection and DNS caches live in the multi
//   handle, and curl_easy_reset keeps the TLS session cache.
#include "net/http.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "net/curl_api.hpp"

namespace pinlink::net {
namespace {

// ---------------------------------------------------------------------------------------------
// Small helpers

char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowercase(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return ascii_lower(x) == ascii_lower(y);
           });
}

std::string_view trim_ows(std::string_view s) {
    constexpr std::string_view kWhitespace = " \t\r\n";
    const auto first = s.find_first_not_of(kWhitespace);
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(kWhitespace);
    return s.substr(first, last - first + 1);
}

long clamp_ms(std::chrono::milliseconds ms) {
    // libcurl reads 0 as "no timeout"; a timeout must always be in force.
    return static_cast<long>(std::max<std::chrono::milliseconds::rep>(ms.count(), 1));
}

// ---------------------------------------------------------------------------------------------
// Owning wrappers

using detail::CurlApi;

struct CurlUrlDeleter {
    const CurlApi* api;
    void operator()(CURLU* u) const { api->url_cleanup(u); }
};
using CurlUrl = std::unique_ptr<CURLU, CurlUrlDeleter>;

struct CurlStringDeleter {
    const CurlApi* api;
    void operator()(char* s) const { api->free(s); }
};
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

struct SlistDeleter {
    const CurlApi* api;
    void operator()(curl_slist* l) const { api->slist_free_all(l); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

struct X509Deleter {
    void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

struct BioDeleter {
    void operator()(BIO* b) const { BIO_free(b); }
};

// ---------------------------------------------------------------------------------------------
// Extra CA bundle

struct ExtraCas {
    std::vector<X509Ptr> certs;
    std::string error;  // non-empty: the file could not be used; https requests fail with it
};

ExtraCas load_ca_file(const std::string& path) {
    ExtraCas out;
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new_file(path.c_str(), "r"));
    if (!bio) {
        ERR_clear_error();
        out.error = "cannot read the CA file " + path;
        return out;
    }
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        out.certs.emplace_back(cert);
    }
    // The loop ends on "no more PEM blocks" (expected) or on a damaged block (not expected).
    const unsigned long err = ERR_peek_last_error();
    const bool clean_end =
        ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE;
    ERR_clear_error();
    if (out.certs.empty()) {
        out.error = "no certificate in the CA file " + path;
    } else if (err != 0 && !clean_end) {
        out.certs.clear();
        out.error = "damaged certificate in the CA file " + path;
    }
    return out;
}

CURLcode add_extra_cas(CURL* /*easy*/, void* ssl_ctx, void* user) {
    const auto* cas = static_cast<const ExtraCas*>(user);
    X509_STORE* store = SSL_CTX_get_cert_store(static_cast<SSL_CTX*>(ssl_ctx));
    if (!store) return CURLE_SSL_CACERT_BADFILE;
    for (const auto& cert : cas->certs) {
        if (X509_STORE_add_cert(store, cert.get()) != 1) {
            // The same CA may already be in the system store; that is not an error.
            const unsigned long err = ERR_peek_last_error();
            ERR_clear_error();
            if (ERR_GET_REASON(err) != X509_R_CERT_ALREADY_IN_HASH_TABLE) {
                return CURLE_SSL_CACERT_BADFILE;
            }
        }
    }
    return CURLE_OK;
}

// ---------------------------------------------------------------------------------------------
// Per-request receive state, shared with libcurl's callbacks

struct Transfer {
    std::size_t cap = 0;
    Response response;
    std::size_t header_bytes = 0;
    bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const size_t n = size * count;
    if (n > t->cap - t->response.body.size()) {
        t->too_large = true;
        return 0;  // CURLE_WRITE_ERROR: stop receiving now
    }
    t->response.body.append(data, n);
    return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const size_t n = size * count;
    const std::string_view line(data, n);
    if (line.rfind("HTTP/", 0) == 0) {
        // A new status line: interim (1xx) headers before it do not belong to the final reply.
        t->response.headers.clear();
        t->header_bytes = 0;
    }
    t->header_bytes += n;
    if (t->header_bytes > t->cap) {
        t->too_large = true;
        return 0;
    }
    if (line.rfind("HTTP/", 0) == 0) return n;
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
        // obs-fold continuation line: part of the previous header's value.
        if (!t->response.headers.empty()) {
            auto& value = t->response.headers.back().second;
            const auto more = trim_ows(line);
            if (!more.empty()) {
                if (!value.empty()) value += ' ';
                value += more;
            }
        }
        return n;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return n;  // blank line or junk
    t->response.headers.emplace_back(lowercase(line.substr(0, colon)),
                                     std::string(trim_ows(line.substr(colon + 1))));
    return n;
}

// ---------------------------------------------------------------------------------------------
// Verbose output with credentials redacted

bool is_secret_header(std::string_view name) {
    return iequals(name, "authorization") || iequals(name, "proxy-authorization") ||
           iequals(name, "cookie") || iequals(name, "set-cookie");
}

// Writes header lines with the values of credential-bearing headers replaced.
void write_redacted_headers(std::string_view block, char prefix) {
    while (!block.empty()) {
        auto end = block.find('\n');
        std::string_view line = block.substr(0, end == std::string_view::npos ? block.size() : end);
        block.remove_prefix(end == std::string_view::npos ? block.size() : end + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) continue;
        const auto colon = line.find(':');
        if (colon != std::string_view::npos && is_secret_header(trim_ows(line.substr(0, colon)))) {
            std::fprintf(stderr, "%c %.*s: [redacted]\n", prefix, static_cast<int>(colon),
                         line.data());
        } else {
            std::fprintf(stderr, "%c %.*s\n", prefix, static_cast<int>(line.size()), line.data());
        }
    }
}

int on_debug(CURL* /*easy*/, curl_infotype type, char* data, size_t size, void* /*user*/) {
    const std::string_view text(data, size);
    switch (type) {
        case CURLINFO_TEXT:
            std::fprintf(stderr, "* %.*s", static_cast<int>(size), data);
            if (text.empty() || text.back() != '\n') std::fputc('\n', stderr);
            break;
        case CURLINFO_HEADER_OUT:
            write_redacted_headers(text, '>');
            break;
        case CURLINFO_HEADER_IN:
            write_redacted_headers(text, '<');
            break;
        // Bodies carry the PIN and token secrets: only their sizes are shown.
        case CURLINFO_DATA_OUT:
            std::fprintf(stderr, "> [%zu bytes of body]\n", size);
            break;
        case CURLINFO_DATA_IN:
            std::fprintf(stderr, "< [%zu bytes of body]\n", size);
            break;
        case CURLINFO_SSL_DATA_IN:
        case CURLINFO_SSL_DATA_OUT:
        case CURLINFO_END:
            break;
    }
    return 0;
}

// ---------------------------------------------------------------------------------------------
// Error mapping

Error classify(CURLcode code) {
    switch (code) {
        case CURLE_OK:
            return Error::none;
        case CURLE_URL_MALFORMAT:
            return Error::bad_url;
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_RESOLVE_HOST:
            return Error::dns;
        case CURLE_COULDNT_CONNECT:
            return Error::connect;
        case CURLE_OPERATION_TIMEDOUT:
            return Error::timeout;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_CRL_BADFILE:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS:
        case CURLE_SSL_SHUTDOWN_FAILED:
        case CURLE_SSL_ENGINE_NOTFOUND:
        case CURLE_SSL_ENGINE_SETFAILED:
        case CURLE_SSL_ENGINE_INITFAILED:
        case CURLE_USE_SSL_FAILED:
            return Error::tls;
        case CURLE_FILESIZE_EXCEEDED:
            return Error::too_large;
        case CURLE_ABORTED_BY_CALLBACK:
            return Error::cancelled;
        // The URL was checked before the transfer, so this comes from the peer: HTTP/0.9.
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_PARTIAL_FILE:
        case CURLE_GOT_NOTHING:
        case CURLE_WEIRD_SERVER_REPLY:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_HTTP3:
        case CURLE_BAD_CONTENT_ENCODING:
        case CURLE_TOO_MANY_REDIRECTS:
            return Error::protocol;
        default:
            return Error::internal;
    }
}

// "scheme://authority...": libcurl alone would also take "http:/host" or "http:///host".
bool has_authority_form(std::string_view url) {
    const auto sep = url.find("://");
    if (sep == std::string_view::npos || sep == 0) return false;
    for (const char c : url.substr(0, sep)) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && c != '+' && c != '-' && c != '.') return false;
    }
    return url.size() > sep + 3 && url[sep + 3] != '/';
}

// A header name is an RFC 9110 token; a value may not smuggle in another header line.
bool header_is_sendable(const std::pair<std::string, std::string>& h) {
    if (h.first.empty()) return false;
    for (const char c : h.first) {
        if (c <= ' ' || c == ':' || c == 0x7f) return false;
    }
    return h.second.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos;
}

Result failure(Error error, std::string detail) {
    Result r;
    r.error = error;
    r.detail = std::move(detail);
    return r;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Public free functions

std::optional<std::string> Response::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (iequals(key, name)) return value;
    }
    return std::nullopt;
}

std::string_view to_string(Error e) {
    switch (e) {
        case Error::none:
            return "no error";
        case Error::bad_url:
            return "not a valid http(s) address";
        case Error::insecure_url:
            return "plain http is allowed only to this device (loopback)";
        case Error::dns:
            return "the server name could not be resolved";
        case Error::connect:
            return "could not connect to the server";
        case Error::tls:
            return "secure connection failed (TLS or certificate problem)";
        case Error::timeout:
            return "the server took too long to answer";
        case Error::cancelled:
            return "cancelled";
        case Error::too_large:
            return "the server's reply was too large";
        case Error::protocol:
            return "the server's reply was broken or cut off";
        case Error::internal:
            return "internal error in the HTTP client";
    }
    return "unknown error";
}

void skip_implicit_gnutls_init() { setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 0); }

bool is_loopback_host(std::string_view host) {
    if (iequals(host, "localhost")) return true;
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    if (host.empty() || host.size() > 63) return false;
    const std::string text(host);
    in_addr v4{};
    // inet_pton accepts only the strict dotted-quad form, never "127.1" or hex.
    if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
        return (ntohl(v4.s_addr) >> 24) == 127;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
        if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
        // An IPv4-mapped address reaches the IPv4 host it embeds.
        return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
    }
    return false;
}

void Cancel::cancel() {
    cancelled_.store(true, std::memory_order_release);
    std::lock_guard lock(mutex_);
    if (waker_) waker_api_->multi_wakeup(static_cast<CURLM*>(waker_));
}

// ---------------------------------------------------------------------------------------------
// Client

struct Client::Impl {
    std::unique_ptr<const CurlApi> api;  // null until the first perform(), or if loading failed
    std::string load_error;              // set when loading failed; every perform() reports it
    CURLM* multi = nullptr;
    CURL* easy = nullptr;
    ExtraCas extra_cas;
    bool has_extra_cas = false;
    std::array<char, CURL_ERROR_SIZE> error_buffer{};

    ~Impl() {
        if (multi) api->multi_cleanup(multi);
        if (easy) api->easy_cleanup(easy);
    }

    // Loads libcurl and makes the handles, once; false (with load_error) if that failed.
    bool ready(const std::string& soname) {
        if (api) return multi && easy;
        if (!load_error.empty()) return false;
        detail::CurlLoad load = detail::load_curl(soname);
        if (!load.api) {
            load_error = std::move(load.error);
            return false;
        }
        api = std::move(load.api);
        multi = api->multi_init();
        easy = api->easy_init();
        return multi && easy;
    }
};

Client::Client(Options options) : impl_(std::make_unique<Impl>()), options_(std::move(options)) {
    if (!options_.ca_file.empty()) {
        impl_->has_extra_cas = true;
        impl_->extra_cas = load_ca_file(options_.ca_file);
    }
}

Client::~Client() = default;

Result Client::perform(const Request& request, Cancel* cancel) {
    if (cancel && cancel->cancelled()) return failure(Error::cancelled, "cancelled before start");
    Impl& im = *impl_;
    if (!im.ready(options_.curl_library)) {
        return failure(Error::internal, im.load_error.empty() ? "libcurl could not be initialised"
                                                              : im.load_error);
    }
    const CurlApi& curl = *im.api;

    // --- Check the URL before anything touches the network.
    // An embedded NUL would silently cut the URL short when handed to libcurl as a C string.
    if (request.url.find('\0') != std::string::npos || !has_authority_form(request.url)) {
        return failure(Error::bad_url, "not an absolute URL of the form scheme://host/...");
    }
    CurlUrl url(curl.url(), CurlUrlDeleter{&curl});
    if (!url) return failure(Error::internal, "out of memory");
    if (const CURLUcode uc = curl.url_set(url.get(), CURLUPART_URL, request.url.c_str(), 0);
        uc != CURLUE_OK) {
        return failure(Error::bad_url, curl.url_strerror(uc));
    }
    char* raw_scheme = nullptr;
    char* raw_host = nullptr;
    if (curl.url_get(url.get(), CURLUPART_SCHEME, &raw_scheme, 0) != CURLUE_OK) {
        return failure(Error::bad_url, "no scheme");
    }
    const CurlString scheme(raw_scheme, CurlStringDeleter{&curl});
    if (curl.url_get(url.get(), CURLUPART_HOST, &raw_host, 0) != CURLUE_OK) {
        return failure(Error::bad_url, "no host");
    }
    const CurlString host(raw_host, CurlStringDeleter{&curl});
    const bool https = iequals(scheme.get(), "https");
    if (!https && !iequals(scheme.get(), "http")) {
        return failure(Error::bad_url, "only http and https are supported");
    }
    if (std::strlen(host.get()) == 0) return failure(Error::bad_url, "no host");
    const bool loopback = is_loopback_host(host.get());
    if (!https && !loopback) {
        return failure(Error::insecure_url, "plain http to a host that is not loopback");
    }
    if (https && im.has_extra_cas && !im.extra_cas.error.empty()) {
        return failure(Error::tls, im.extra_cas.error);
    }

    // --- Check the rest of the request.
    const bool post = request.method == "POST";
    const bool head = request.method == "HEAD";
    if (!post && !head && request.method != "GET") {
        return failure(Error::internal, "unsupported method " + request.method);
    }
    Slist headers(nullptr, SlistDeleter{&curl});
    auto append = [&headers, &curl](const std::string& line) {
        curl_slist* longer = curl.slist_append(headers.get(), line.c_str());
        if (!longer) return false;
        (void)headers.release();  // `longer` is the same list with one more entry
        headers.reset(longer);
        return true;
    };
    bool has_expect = false;
    for (const auto& h : request.headers) {
        if (!header_is_sendable(h)) {
            return failure(Error::internal, "request header not sendable: " + h.first);
        }
        has_expect = has_expect || iequals(h.first, "expect");
        // "Name;" is libcurl's spelling for a header with an empty value.
        if (!append(h.second.empty() ? h.first + ";" : h.first + ": " + h.second)) {
            return failure(Error::internal, "out of memory");
        }
    }
    // libcurl would otherwise wait for "100 Continue" before sending a larger body.
    if (post && !has_expect && !append("Expect:")) {
        return failure(Error::internal, "out of memory");
    }

    // --- Configure the easy handle from scratch.
    CURL* easy = im.easy;
    curl.easy_reset(easy);
    Transfer transfer;
    transfer.cap = options_.max_body_bytes;
    im.error_buffer[0] = '\0';

    bool ok = true;
    auto set = [&ok](CURLcode c) { ok = ok && c == CURLE_OK; };
    set(curl.easy_setopt(easy, CURLOPT_CURLU, url.get()));
    set(curl.easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https"));
    set(curl.easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"));
    set(curl.easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L));
    set(curl.easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L));
    set(curl.easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L));
    set(curl.easy_setopt(easy, CURLOPT_NOSIGNAL, 1L));
    // Lets a cancel during a slow DNS lookup detach the resolver thread instead of joining it.
    set(curl.easy_setopt(easy, CURLOPT_QUICK_EXIT, 1L));
    set(curl.easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, clamp_ms(options_.connect_timeout)));
    const auto total_timeout = request.total_timeout
                                   ? std::min(*request.total_timeout, options_.total_timeout)
                                   : options_.total_timeout;
    set(curl.easy_setopt(easy, CURLOPT_TIMEOUT_MS, clamp_ms(total_timeout)));
    // Refuses an announced oversized body before it arrives; on_body enforces the rest.
    set(curl.easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
                         static_cast<curl_off_t>(std::min<std::size_t>(
                             options_.max_body_bytes, static_cast<std::size_t>(INT64_MAX)))));
    set(curl.easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body));
    set(curl.easy_setopt(easy, CURLOPT_WRITEDATA, &transfer));
    set(curl.easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header));
    set(curl.easy_setopt(easy, CURLOPT_HEADERDATA, &transfer));
    set(curl.easy_setopt(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L));
    set(curl.easy_setopt(easy, CURLOPT_ERRORBUFFER, im.error_buffer.data()));
    // Plain http must never leave the machine, so loopback is never sent through a proxy.
    if (loopback) set(curl.easy_setopt(easy, CURLOPT_NOPROXY, "*"));
    if (headers) set(curl.easy_setopt(easy, CURLOPT_HTTPHEADER, headers.get()));
    if (post) {
        set(curl.easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(request.body.size())));
        set(curl.easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data()));
    } else if (head) {
        set(curl.easy_setopt(easy, CURLOPT_NOBODY, 1L));
    } else {
        set(curl.easy_setopt(easy, CURLOPT_HTTPGET, 1L));
    }
    if (options_.verbose) {
        set(curl.easy_setopt(easy, CURLOPT_DEBUGFUNCTION, on_debug));
        set(curl.easy_setopt(easy, CURLOPT_VERBOSE, 1L));
    }
    if (!ok) return failure(Error::internal, "libcurl rejected an option");
    if (https && im.has_extra_cas) {
        if (curl.easy_setopt(easy, CURLOPT_CA_CACHE_TIMEOUT, 0L) != CURLE_OK ||
            curl.easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, add_extra_cas) != CURLE_OK ||
            curl.easy_setopt(easy, CURLOPT_SSL_CTX_DATA, &im.extra_cas) != CURLE_OK) {
            return failure(Error::tls, "this libcurl cannot add a CA file to the system store");
        }
    }

    // --- Run the transfer on the multi handle, so that a cancel can wake the wait.
    if (curl.multi_add_handle(im.multi, easy) != CURLM_OK) {
        return failure(Error::internal, "curl_multi_add_handle failed");
    }
    bool done = false;
    bool cancelled = false;
    CURLcode code = CURLE_OK;
    std::string multi_error;
    {
        // Makes this multi handle the Cancel's waker for exactly the duration of the loop.
        struct WakerRegistration {
            Cancel* cancel;
            WakerRegistration(Cancel* c, CURLM* multi, const CurlApi* api) : cancel(c) {
                if (!cancel) return;
                std::lock_guard lock(cancel->mutex_);
                cancel->waker_ = multi;
                cancel->waker_api_ = api;
            }
            ~WakerRegistration() {
                if (!cancel) return;
                std::lock_guard lock(cancel->mutex_);
                cancel->waker_ = nullptr;
            }
            WakerRegistration(const WakerRegistration&) = delete;
            WakerRegistration& operator=(const WakerRegistration&) = delete;
        } waker(cancel, im.multi, &curl);
        while (!done) {
            // Checked before every wait: a cancel() that lands after this check finds the waker
            // registered and makes the poll below return at once.
            if (cancel && cancel->cancelled()) {
                cancelled = true;
                break;
            }
            int running = 0;
            if (const CURLMcode mc = curl.multi_perform(im.multi, &running); mc != CURLM_OK) {
                multi_error = curl.multi_strerror(mc);
                break;
            }
            int queued = 0;
            while (CURLMsg* msg = curl.multi_info_read(im.multi, &queued)) {
                if (msg->msg == CURLMSG_DONE && msg->easy_handle == easy) {
                    code = msg->data.result;
                    done = true;
                }
            }
            if (done) break;
            // libcurl shortens the wait to its own next timeout; 1 s is only the upper bound.
            if (const CURLMcode mc = curl.multi_poll(im.multi, nullptr, 0, 1000, nullptr);
                mc != CURLM_OK) {
                multi_error = curl.multi_strerror(mc);
                break;
            }
        }
    }

    // Every new connection to an https URL began with a TLS handshake.
    long new_connections = 0;
    if (https && curl.easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &new_connections) == CURLE_OK) {
        tls_handshakes_ += static_cast<int>(new_connections);
    }
    long status = 0;
    curl.easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    // Removing an unfinished transfer closes its connection; finished ones stay cached.
    curl.multi_remove_handle(im.multi, easy);

    if (cancelled) return failure(Error::cancelled, "cancelled");
    if (!multi_error.empty()) return failure(Error::internal, multi_error);
    if (code != CURLE_OK) {
        Error error = classify(code);
        if (transfer.too_large) error = Error::too_large;
        std::string detail = im.error_buffer[0] != '\0' ? std::string(im.error_buffer.data())
                                                        : std::string(curl.easy_strerror(code));
        if (error == Error::tls) {
            // A handshake can complete and the host name check fail after it; libcurl 7.88 still
            // caches the session tickets that arrive as it closes. Resuming that session skips
            // the certificate exchange, so every later attempt would fail the same way even once
            // the right server answers again. A fresh easy handle starts with no sessions.
            curl.easy_cleanup(im.easy);
            im.easy = curl.easy_init();
        }
        return failure(error, std::move(detail));
    }
    Result result;
    result.error = Error::none;
    result.response = std::move(transfer.response);
    result.response.status = status;
    return result;
}

}  // namespace pinlink::net
