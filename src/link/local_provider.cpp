// LocalProvider: the HTTP side of the local stand-in for X's PIN endpoints (cpp-httplib on a
// background thread). Requests are checked in X's order: parameters present, consumer key,
// signature, timestamp window, nonce; then the endpoint's own rules. Token and nonce
// bookkeeping lives in local_provider_state, reply shapes in local_provider_replies, pages in
// local_provider_pages.
//
// Implemented: request_token, authorize (page and approval), access_token, users/me, X's error
// shapes, Date on every reply, 64 KiB body cap, HTTP and HTTPS, optional request log, fault
// modes per endpoint (Impl::route applies them) with a loopback-only control endpoint.
#include "link/local_provider.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <utility>
#include <variant>

#include "link/local_provider_pages.hpp"
#include "link/local_provider_replies.hpp"
#include "link/local_provider_state.hpp"
#include "link/local_provider_tls.hpp"
#include "oauth/form.hpp"
#include "oauth/signature.hpp"

namespace pinlink::link {
namespace {

using detail::Reply;
using oauth::Params;

constexpr std::size_t kMaxBodyBytes = 64 * 1024;
constexpr std::size_t kDrainBytes = 1024 * 1024;  // beyond this an oversized body is not read
constexpr const char* kRequestTokenPath = "/oauth/request_token";
constexpr const char* kAuthorizePath = "/oauth/authorize";
constexpr const char* kAccessTokenPath = "/oauth/access_token";
constexpr const char* kUsersMePath = "/2/users/me";
constexpr const char* kFaultControlPath = "/_pinlink/fault";
// Names the fault mode that shaped a reply: for people reading a capture, and for the log.
constexpr const char* kFaultHeader = "X-Pinlink-Fault";
// The host name of the certificate Fault::wrong_certificate makes when none is given.
constexpr const char* kWrongHostName = "wrong-host.invalid";
// How often a held never_answer request looks whether its client has gone away.
constexpr std::chrono::milliseconds kHoldPoll{50};

// Short enough that stop() is prompt while a client holds an idle connection, long enough for
// the flow's back-to-back steps (access_token then users/me) to reuse one connection.
constexpr time_t kKeepAliveSeconds = 1;
constexpr time_t kReadWriteTimeoutSeconds = 2;

enum class Route { request_token, authorize_page, authorize_approve, access_token, users_me };

// The fault table has one slot per public Endpoint except `all`.
constexpr std::array<Endpoint, 4> kFaultSlots = {Endpoint::request_token, Endpoint::authorize,
                                                 Endpoint::access_token, Endpoint::users_me};

std::size_t fault_slot(Route route) {
    switch (route) {
        case Route::request_token:
            return 0;
        case Route::authorize_page:
        case Route::authorize_approve:
            return 1;
        case Route::access_token:
            return 2;
        case Route::users_me:
            return 3;
    }
    return 0;
}

struct FaultSetting {
    Fault fault = Fault::none;
    FaultOptions options;
};

// Why a signed request is refused; each endpoint maps these to its own reply shape.
enum class Refusal { bad_data, not_authenticated, stale_timestamp, replayed_nonce, unknown_token };

struct OAuthFields {
    std::string consumer_key;
    std::string token;
    std::string nonce;
    std::int64_t timestamp = 0;
};

bool starts_with_ci(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        const auto a = static_cast<unsigned char>(text[i]);
        const auto b = static_cast<unsigned char>(prefix[i]);
        if (std::tolower(a) != std::tolower(b)) return false;
    }
    return true;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff = static_cast<unsigned char>(
            diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
    }
    return diff == 0;
}

std::optional<Params> query_params(const httplib::Request& req) {
    const auto q = req.target.find('?');
    if (q == std::string::npos) return Params{};
    return oauth::parse_form(std::string_view(req.target).substr(q + 1));
}

// Query and, for a form-encoded body, the body's pairs: what RFC 5849 signs besides the
// protocol parameters. nullopt when either is malformed.
std::optional<Params> request_params(const httplib::Request& req, const std::string& body) {
    auto all = query_params(req);
    if (!all) return std::nullopt;
    if (starts_with_ci(req.get_header_value("Content-Type"), "application/x-www-form-urlencoded")) {
        auto form = oauth::parse_form(body);
        if (!form) return std::nullopt;
        all->insert(all->end(), form->begin(), form->end());
    }
    return all;
}

// Every parameter of a signed request: query, form body and Authorization header. nullopt when
// one of them is malformed or a protocol parameter is sent twice (RFC 5849 3.5: one place).
std::optional<Params> signed_params(const httplib::Request& req, const std::string& body) {
    auto all = request_params(req, body);
    if (!all) return std::nullopt;
    if (req.has_header("Authorization")) {
        auto header = oauth::parse_authorization_header(req.get_header_value("Authorization"));
        if (!header) return std::nullopt;
        all->insert(all->end(), header->begin(), header->end());
    }
    for (std::size_t i = 0; i < all->size(); ++i) {
        const auto& name = (*all)[i].first;
        if (!name.starts_with("oauth_")) continue;
        for (std::size_t j = i + 1; j < all->size(); ++j) {
            if ((*all)[j].first == name) return std::nullopt;
        }
    }
    return all;
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    std::int64_t value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

Reply v1_refusal(Refusal refusal) {
    switch (refusal) {
        case Refusal::bad_data:
            return detail::json_error(detail::kBadAuthenticationData);
        case Refusal::stale_timestamp:
            return detail::json_error(detail::kTimestampOutOfBounds);
        case Refusal::unknown_token:
            return detail::json_error(detail::kInvalidToken);
        case Refusal::not_authenticated:
        case Refusal::replayed_nonce:
            break;
    }
    return detail::json_error(detail::kCouldNotAuthenticate);
}

Reply v2_unauthorized() {
    return detail::problem(401, "Unauthorized", "Unauthorized");
}

std::string_view status_title(int status) {
    switch (status) {
        case 400:
            return "Bad Request";
        case 413:
            return "Payload Too Large";
        case 414:
            return "URI Too Long";
        case 500:
            return "Internal Server Error";
        default:
            return "Error";
    }
}

void write_reply(const Reply& reply, httplib::Response& res) {
    res.status = reply.status;
    for (const auto& [name, value] : reply.headers) {
        res.set_header(name, value);
    }
    res.set_content(reply.body, reply.content_type);
}

// A log line never carries more than the method, the path, the status and the fault mode;
// control bytes from a hostile path are replaced so one request stays one line.
std::string log_line(const httplib::Request& req, int status, const std::string& fault,
                     bool replied) {
    std::string line =
        req.method + " " + req.path + " " + (replied ? std::to_string(status) : "(no reply)");
    if (!fault.empty()) line += " fault=" + fault;
    for (char& c : line) {
        if (static_cast<unsigned char>(c) < 0x20 || c == '\x7f') c = '?';
    }
    return line;
}

// Reads a request body through httplib's content reader. httplib's own reading refuses form
// bodies over 8 KiB and, in 0.11, caps only bodies that come with a Content-Length; this caps
// every body, chunked ones included, at the provider's 64 KiB. The rest of an oversized body is
// read and dropped (up to kDrainBytes) so the connection stays in step for the next request.
// On failure sets the status (413, or 400 for a body cut short) and returns false; httplib's
// error handler then writes the reply.
bool read_body(const httplib::ContentReader& reader, std::string& body, httplib::Response& res) {
    std::size_t total = 0;
    const bool complete = reader([&body, &total](const char* data, std::size_t size) {
        total += size;
        if (total <= kMaxBodyBytes) body.append(data, size);
        return total <= kDrainBytes;
    });
    if (complete && total <= kMaxBodyBytes) return true;
    res.status = total > kMaxBodyBytes || res.status == 413 ? 413 : 400;
    res.set_header("Connection", "close");
    return false;
}

std::string bracket_ipv6(const std::string& host) {
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

// The socket of the connection `req` arrived on. httplib 0.11 gives a handler no access to it,
// and the faults that act on the connection itself (reset, never_answer) need it. Under TLS the
// SSL object knows it; otherwise it is the socket whose local and peer ports are the request's:
// those name exactly one TCP connection of this process. This thread is serving that
// connection, so its descriptor cannot be closed and reused while we look. -1 if not found.
int connection_fd(const httplib::Request& req) {
    if (req.ssl) return SSL_get_fd(req.ssl);
    const auto port_of = [](const sockaddr_storage& a) {
        if (a.ss_family == AF_INET) {
            return static_cast<int>(ntohs(reinterpret_cast<const sockaddr_in&>(a).sin_port));
        }
        if (a.ss_family == AF_INET6) {
            return static_cast<int>(ntohs(reinterpret_cast<const sockaddr_in6&>(a).sin6_port));
        }
        return -1;
    };
    DIR* dir = ::opendir("/proc/self/fd");
    if (!dir) return -1;
    int found = -1;
    while (const dirent* entry = ::readdir(dir)) {
        const std::string_view name(entry->d_name);
        int fd = -1;
        if (std::from_chars(name.data(), name.data() + name.size(), fd).ec != std::errc{}) continue;
        sockaddr_storage local{};
        sockaddr_storage peer{};
        socklen_t local_len = sizeof local;
        socklen_t peer_len = sizeof peer;
        if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
            ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) {
            continue;
        }
        if (port_of(local) == req.local_port && port_of(peer) == req.remote_port) {
            found = fd;
            break;
        }
    }
    ::closedir(dir);
    return found;
}

// Aborts the connection `req` arrived on with a TCP RST, leaving the descriptor to its owner
// (httplib closes it; its later writes fail, so nothing is ever answered on it). On Linux,
// connecting a TCP socket to AF_UNSPEC disconnects it abortively; elsewhere an abortive
// shutdown is the next best. Under TLS the session is marked shut down as well: httplib retries
// a failing SSL_read for about a second on a socket that polls readable, as a reset one does.
void reset_connection(const httplib::Request& req, int fd) {
    if (fd < 0) return;
    sockaddr unspec{};
    unspec.sa_family = AF_UNSPEC;
    if (::connect(fd, &unspec, sizeof unspec) != 0) {
        const linger abort_on_close{1, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
        ::shutdown(fd, SHUT_RDWR);
    }
    // httplib hands handlers its own, non-const SSL object as const.
    if (req.ssl)
        SSL_set_shutdown(const_cast<SSL*>(req.ssl), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
}

// True once the peer has closed or reset its end (a client that gave up waiting).
bool peer_gone(int fd) {
    if (fd < 0) return false;
    pollfd p{fd, POLLRDHUP, 0};
    return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

// 127.0.0.0/8, ::1 and IPv4-mapped 127.x: the only clients the fault control answers.
bool is_loopback_peer(const std::string& address) {
    in_addr v4{};
    if (::inet_pton(AF_INET, address.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    if (::inet_pton(AF_INET6, address.c_str(), &v6) != 1) return false;
    return IN6_IS_ADDR_LOOPBACK(&v6) || (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
}

// Fault::oversized: a token-looking body of `bytes` bytes, chunked, so no length warns the
// client; it must stop reading by itself.
void send_oversized(httplib::Response& res, std::size_t bytes) {
    auto block = std::make_shared<const std::string>(16 * 1024, 'a');
    auto provide = [block, bytes](std::size_t offset, httplib::DataSink& sink) {
        if (offset >= bytes) {
            sink.done();
            return true;
        }
        if (offset == 0) return sink.write("oauth_token=", 12);
        return sink.write(block->data(), std::min(block->size(), bytes - offset));
    };
    res.status = 200;
    res.set_chunked_content_provider("application/x-www-form-urlencoded", std::move(provide));
}

// Fault::not_a_token: what a captive portal or a misconfigured proxy answers in its place.
constexpr std::string_view kNotATokenPage =
    "<!doctype html><html><head><title>Sign in to the network</title></head><body><h1>Sign "
    "in to the network</h1><p>Accept the terms of use to continue.</p></body></html>";

std::optional<std::int64_t> parse_int(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace

struct LocalProvider::Impl {
    explicit Impl(LocalProviderOptions o)
        : options(std::move(o)),
          clock_offset(options.clock_offset_seconds),
          state(options.token_lifetime_seconds, options.timestamp_window_seconds,
                options.pin_digits) {}

    std::int64_t now() const {
        const std::int64_t base = options.clock
                                      ? options.clock()
                                      : std::chrono::duration_cast<std::chrono::seconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count();
        return base + clock_offset.load(std::memory_order_relaxed);
    }

    void configure(httplib::Server& svr, bool use_tls);
    void route(httplib::Server& svr, bool post, const char* path, Route route,
               Reply (Impl::*handler)(const httplib::Request&, const std::string&));
    void serve_fault_control(httplib::Server& svr);

    // Fault modes. answer_fault replies in the fault's place (true) or leaves the reply to the
    // endpoint (false: none, slow, date_far_off, wrong_certificate).
    FaultSetting fault_setting(Route route) const;
    bool answer_fault(Route route, const FaultSetting& setting, const httplib::Request& req,
                      httplib::Response& res);
    void hold(Route route, const httplib::Request& req);
    void drip(httplib::Response& res, std::chrono::milliseconds interval);
    bool pause(std::chrono::milliseconds interval);  // false when the provider is stopping
    bool set_fault(Endpoint endpoint, Fault fault, const FaultOptions& fault_options,
                   std::string* error);
    bool wrong_certificate_active() const;
    Reply fault_table() const;
    Reply control_fault(const httplib::Request& req, const std::string& body);
    // SSL_CTX_set_cert_cb: serves the wrong certificate while Fault::wrong_certificate is on.
    static int pick_certificate(SSL* ssl, void* arg);

    // Signed-request checks shared by the endpoints; call with `mutex` held.
    std::variant<OAuthFields, Refusal> read_fields(const Params& params, bool with_token) const;
    std::optional<Refusal> verify(const httplib::Request& req, const char* path,
                                  const Params& params, const OAuthFields& fields,
                                  std::string_view token_secret, std::int64_t at);

    Reply request_token(const httplib::Request& req, const std::string& body);
    Reply authorize_page(const httplib::Request& req, const std::string& body);
    Reply authorize_approve(const httplib::Request& req, const std::string& body);
    Reply access_token(const httplib::Request& req, const std::string& body);
    Reply users_me(const httplib::Request& req, const std::string& body);

    const LocalProviderOptions options;
    std::atomic<std::int64_t> clock_offset;
    std::atomic<bool> tls{false};

    mutable std::mutex mutex;  // guards `state` and `stats`
    detail::ProviderState state;
    Stats stats;

    // Guards `faults` and `stopping`; `fault_changed` wakes held and dripping replies when
    // either changes.
    mutable std::mutex fault_mutex;
    std::condition_variable fault_changed;
    std::array<FaultSetting, kFaultSlots.size()> faults;
    bool stopping = false;
    // Set by the first HTTPS start() and never changed after, so the server's threads read it
    // without a lock.
    std::optional<detail::TlsIdentity> wrong_identity;

    std::mutex lifecycle;  // serialises start() and stop()
    std::unique_ptr<httplib::Server> server;
    std::thread thread;
    std::atomic<int> port{0};
    std::atomic<bool> listen_returned{false};
};

void LocalProvider::Impl::configure(httplib::Server& svr, bool use_tls) {
    tls = use_tls;
    svr.set_payload_max_length(kMaxBodyBytes);
    // httplib's default adds SO_REUSEPORT, which lets a second server bind a port in use and
    // silently share its connections. SO_REUSEADDR alone still allows a quick restart.
    svr.set_socket_options([](socket_t sock) {
        const int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    svr.set_keep_alive_timeout(kKeepAliveSeconds);
    // Small replies must not wait for Nagle: without this a PIN took ~90 ms to link locally.
    svr.set_tcp_nodelay(true);
    svr.set_read_timeout(kReadWriteTimeoutSeconds, 0);
    svr.set_write_timeout(kReadWriteTimeoutSeconds, 0);

    route(svr, true, kRequestTokenPath, Route::request_token, &Impl::request_token);
    route(svr, false, kAuthorizePath, Route::authorize_page, &Impl::authorize_page);
    route(svr, true, kAuthorizePath, Route::authorize_approve, &Impl::authorize_approve);
    route(svr, true, kAccessTokenPath, Route::access_token, &Impl::access_token);
    route(svr, false, kUsersMePath, Route::users_me, &Impl::users_me);
    // Before the catch-all below, which would otherwise take its POSTs.
    if (options.fault_control) serve_fault_control(svr);
    // Every other request with a body goes through read_body too, so no body is ever read
    // without the cap; then it gets X's 404. (httplib reads no body for GET.)
    const httplib::Server::HandlerWithContentReader not_found =
        [](const httplib::Request&, httplib::Response& res, const httplib::ContentReader& reader) {
            std::string body;
            if (read_body(reader, body, res)) {
                write_reply(detail::json_error(detail::kPageDoesNotExist), res);
            }
        };
    svr.Post(".*", not_found);
    svr.Put(".*", not_found);
    svr.Patch(".*", not_found);
    svr.Delete(".*", not_found);

    // httplib calls this for every status >= 400. Replies from the handlers already have a
    // body; what is left are its own refusals: no route, body too large, malformed request.
    svr.set_error_handler(
        httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
            if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
            if (res.status == 404) {
                write_reply(detail::json_error(detail::kPageDoesNotExist), res);
            } else if (res.status == 413) {
                write_reply(detail::problem(413, status_title(413),
                                            "The request body is larger than 65536 bytes."),
                            res);
            } else {
                write_reply(
                    detail::problem(res.status, status_title(res.status), status_title(res.status)),
                    res);
            }
            return httplib::Server::HandlerResponse::Handled;
        }));
    svr.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, const std::exception_ptr&) {
            write_reply(detail::json_error(detail::kInternalError), res);
        });
    // Runs for every reply, errors included: X sends its clock in the Date header of each one,
    // and clients correct their skew from it (Fault::date_far_off has set a false one already).
    svr.set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        if (!res.has_header("Date")) res.set_header("Date", detail::imf_fixdate(now()));
        const std::string fault = res.get_header_value(kFaultHeader);
        const bool replied =
            fault != to_string(Fault::never_answer) && fault != to_string(Fault::reset);
        if (replied && res.status >= 400) {
            const std::lock_guard lock(mutex);
            ++stats.rejected;
        }
        if (options.log) options.log(log_line(req, res.status, fault, replied));
    });
}

void LocalProvider::Impl::route(httplib::Server& svr, bool post, const char* path, Route route,
                                Reply (Impl::*handler)(const httplib::Request&,
                                                       const std::string&)) {
    auto serve = [this, route, handler](const httplib::Request& req, httplib::Response& res,
                                        const std::string& body) {
        {
            const std::lock_guard lock(mutex);
            switch (route) {
                case Route::request_token:
                    ++stats.request_token;
                    break;
                case Route::authorize_page:
                case Route::authorize_approve:
                    ++stats.authorize;
                    break;
                case Route::access_token:
                    ++stats.access_token;
                    break;
                case Route::users_me:
                    ++stats.users_me;
                    break;
            }
        }
        // A fault that replaces the reply acts before the endpoint, so it spends no token,
        // nonce or PIN; the ones that only bend the reply act after it.
        const FaultSetting setting = fault_setting(route);
        if (answer_fault(route, setting, req, res)) return;
        write_reply((this->*handler)(req, body), res);
        if (setting.fault == Fault::slow) {
            drip(res, setting.options.slow_interval);
        } else if (setting.fault == Fault::date_far_off) {
            res.set_header("Date", detail::imf_fixdate(now() + setting.options.date_offset));
        } else {
            return;
        }
        res.set_header(kFaultHeader, std::string(to_string(setting.fault)));
    };
    if (post) {
        svr.Post(path, httplib::Server::HandlerWithContentReader(
                           [serve](const httplib::Request& req, httplib::Response& res,
                                   const httplib::ContentReader& reader) {
                               std::string body;
                               if (read_body(reader, body, res)) serve(req, res, body);
                           }));
    } else {
        svr.Get(path, httplib::Server::Handler(
                          [serve](const httplib::Request& req, httplib::Response& res) {
                              serve(req, res, req.body);
                          }));
    }
}

FaultSetting LocalProvider::Impl::fault_setting(Route route) const {
    const std::lock_guard lock(fault_mutex);
    return faults[fault_slot(route)];
}

bool LocalProvider::Impl::answer_fault(Route route, const FaultSetting& setting,
                                       const httplib::Request& req, httplib::Response& res) {
    switch (setting.fault) {
        case Fault::none:
        case Fault::slow:
        case Fault::date_far_off:
        case Fault::wrong_certificate:
            return false;
        case Fault::never_answer:
            hold(route, req);
            break;
        case Fault::reset:
            reset_connection(req, connection_fd(req));
            break;
        case Fault::status_500:
            write_reply(detail::json_error(detail::kInternalError), res);
            break;
        case Fault::status_503:
            write_reply(detail::json_error(detail::kOverCapacity), res);
            break;
        case Fault::rate_limited: {
            Reply reply = detail::json_error(detail::kRateLimitExceeded);
            reply.headers = {{"x-rate-limit-limit", "15"},
                             {"x-rate-limit-remaining", "0"},
                             {"x-rate-limit-reset",
                              std::to_string(now() + setting.options.rate_limit_reset_in)}};
            write_reply(reply, res);
            break;
        }
        case Fault::not_a_token:
            write_reply(Reply{200, "text/html; charset=utf-8", std::string(kNotATokenPage), {}},
                        res);
            break;
        case Fault::oversized:
            send_oversized(res, setting.options.oversized_bytes);
            break;
    }
    res.set_header(kFaultHeader, std::string(to_string(setting.fault)));
    return true;
}

void LocalProvider::Impl::hold(Route route, const httplib::Request& req) {
    // Without the socket (no /proc) a client leaving goes unseen and the reset cannot be made:
    // the hold then ends at the bound, the fault switch or stop, with httplib's empty reply.
    const int fd = connection_fd(req);
    const auto until = std::chrono::steady_clock::now() + kMaxFaultHold;
    const std::size_t slot = fault_slot(route);
    {
        std::unique_lock lock(fault_mutex);
        // The client leaving is seen only by looking, hence the short waits.
        while (!stopping && faults[slot].fault == Fault::never_answer &&
               std::chrono::steady_clock::now() < until && !peer_gone(fd)) {
            fault_changed.wait_for(lock, kHoldPoll);
        }
    }
    // Still never answered: a request that met never_answer gets no reply at all.
    reset_connection(req, fd);
}

void LocalProvider::Impl::drip(httplib::Response& res, std::chrono::milliseconds interval) {
    if (res.body.empty()) return;
    auto body = std::make_shared<const std::string>(std::move(res.body));
    res.body.clear();
    const std::string type = res.get_header_value("Content-Type");
    res.headers.erase("Content-Type");  // set_content_provider adds its own
    res.set_content_provider(
        body->size(), type,
        [this, body, interval](std::size_t offset, std::size_t, httplib::DataSink& sink) {
            return pause(interval) && sink.write(body->data() + offset, 1);
        });
}

bool LocalProvider::Impl::pause(std::chrono::milliseconds interval) {
    std::unique_lock lock(fault_mutex);
    return !fault_changed.wait_for(lock, interval, [this] { return stopping; });
}

bool LocalProvider::Impl::set_fault(Endpoint endpoint, Fault fault,
                                    const FaultOptions& fault_options, std::string* error) {
    if (fault == Fault::wrong_certificate) {
        const char* why = nullptr;
        if (endpoint != Endpoint::all) {
            why =
                "wrong_certificate applies to all endpoints at once: the TLS handshake comes "
                "before the request names its endpoint";
        } else if (options.tls_cert_file.empty()) {
            why = "wrong_certificate needs a provider that serves HTTPS";
        }
        if (why) {
            if (error) *error = why;
            return false;
        }
    }
    {
        const std::lock_guard lock(fault_mutex);
        for (std::size_t i = 0; i < kFaultSlots.size(); ++i) {
            if (endpoint == Endpoint::all || kFaultSlots[i] == endpoint) {
                faults[i] = FaultSetting{fault, fault_options};
            }
        }
    }
    fault_changed.notify_all();
    return true;
}

bool LocalProvider::Impl::wrong_certificate_active() const {
    const std::lock_guard lock(fault_mutex);
    return std::any_of(faults.begin(), faults.end(), [](const FaultSetting& setting) {
        return setting.fault == Fault::wrong_certificate;
    });
}

int LocalProvider::Impl::pick_certificate(SSL* ssl, void* arg) {
    const auto* impl = static_cast<const Impl*>(arg);
    if (!impl->wrong_identity || !impl->wrong_certificate_active()) return 1;
    const bool ok = SSL_use_certificate(ssl, impl->wrong_identity->cert.get()) == 1 &&
                    SSL_use_PrivateKey(ssl, impl->wrong_identity->key.get()) == 1;
    return ok ? 1 : 0;
}

Reply LocalProvider::Impl::fault_table() const {
    nlohmann::json table = nlohmann::json::object();
    const std::lock_guard lock(fault_mutex);
    for (std::size_t i = 0; i < kFaultSlots.size(); ++i) {
        table[std::string(to_string(kFaultSlots[i]))] = std::string(to_string(faults[i].fault));
    }
    return detail::json_reply(table.dump());
}

Reply LocalProvider::Impl::control_fault(const httplib::Request& req, const std::string& body) {
    const auto bad = [](const std::string& why) {
        return detail::problem(400, status_title(400), why);
    };
    const auto params = request_params(req, body);
    if (!params) return bad("The form is malformed.");
    const auto endpoint = parse_endpoint(oauth::find_param(*params, "endpoint").value_or(""));
    if (!endpoint) {
        return bad(
            "endpoint must be one of request_token, authorize, access_token, users_me, all.");
    }
    const auto fault = parse_fault(oauth::find_param(*params, "mode").value_or(""));
    if (!fault) {
        return bad(
            "mode must be one of none, never_answer, slow, reset, status_500, status_503, "
            "rate_limited, not_a_token, oversized, wrong_certificate, date_far_off.");
    }
    // A year either way keeps every date these make printable and the arithmetic in range.
    constexpr std::int64_t kMaxOptionSeconds = 366LL * 24 * 60 * 60;
    FaultOptions fault_options;
    for (const auto& [name, value] : *params) {
        if (name == "endpoint" || name == "mode") continue;
        const auto number = parse_int(value);
        if (!number) return bad(name + " must be a whole number.");
        if (name == "slow_ms" && *number >= 0 && *number <= 10'000) {
            fault_options.slow_interval = std::chrono::milliseconds(*number);
        } else if (name == "reset_in" && *number >= 0 && *number <= kMaxOptionSeconds) {
            fault_options.rate_limit_reset_in = *number;
        } else if (name == "date_offset" && std::llabs(*number) <= kMaxOptionSeconds) {
            fault_options.date_offset = *number;
        } else if (name == "oversized_bytes" && *number >= 0 && *number <= (64 << 20)) {
            fault_options.oversized_bytes = static_cast<std::size_t>(*number);
        } else {
            return bad(name + " is not a fault option, or is out of range.");
        }
    }
    std::string why;
    if (!set_fault(*endpoint, *fault, fault_options, &why)) return bad(why);
    return fault_table();
}

void LocalProvider::Impl::serve_fault_control(httplib::Server& svr) {
    // Faults are for the machine's own tests: a provider listening on the network still takes
    // orders from this machine only.
    const auto forbidden = [] {
        return detail::problem(403, "Forbidden",
                               "The fault control answers loopback clients only.");
    };
    svr.Get(kFaultControlPath,
            [this, forbidden](const httplib::Request& req, httplib::Response& res) {
                write_reply(is_loopback_peer(req.remote_addr) ? fault_table() : forbidden(), res);
            });
    svr.Post(kFaultControlPath,
             httplib::Server::HandlerWithContentReader(
                 [this, forbidden](const httplib::Request& req, httplib::Response& res,
                                   const httplib::ContentReader& reader) {
                     std::string body;
                     if (!read_body(reader, body, res)) return;
                     write_reply(
                         is_loopback_peer(req.remote_addr) ? control_fault(req, body) : forbidden(),
                         res);
                 }));
}

std::variant<OAuthFields, Refusal> LocalProvider::Impl::read_fields(const Params& params,
                                                                    bool with_token) const {
    const auto consumer_key = oauth::find_param(params, "oauth_consumer_key");
    const auto nonce = oauth::find_param(params, "oauth_nonce");
    const auto signature = oauth::find_param(params, "oauth_signature");
    const auto method = oauth::find_param(params, "oauth_signature_method");
    const auto timestamp = oauth::find_param(params, "oauth_timestamp");
    const auto token = oauth::find_param(params, "oauth_token");
    if (!consumer_key || !nonce || !signature || !method || !timestamp || consumer_key->empty() ||
        nonce->empty() || signature->empty() || (with_token && (!token || token->empty()))) {
        return Refusal::bad_data;
    }
    const auto ts = parse_timestamp(*timestamp);
    if (!ts) return Refusal::bad_data;
    if (*method != "HMAC-SHA1") return Refusal::not_authenticated;
    if (const auto version = oauth::find_param(params, "oauth_version");
        version && *version != "1.0") {
        return Refusal::not_authenticated;
    }
    if (!constant_time_equal(*consumer_key, options.consumer_key)) {
        return Refusal::not_authenticated;
    }
    return OAuthFields{*consumer_key, token.value_or(""), *nonce, *ts};
}

std::optional<Refusal> LocalProvider::Impl::verify(const httplib::Request& req, const char* path,
                                                   const Params& params, const OAuthFields& fields,
                                                   std::string_view token_secret, std::int64_t at) {
    // The base URI as the client addressed us: scheme, Host header, path.
    std::string host = req.get_header_value("Host");
    if (host.empty()) host = bracket_ipv6(options.host) + ":" + std::to_string(port.load());
    const std::string uri = std::string(tls.load() ? "https://" : "http://") + host + path;
    if (!oauth::verify_signature(req.method, uri, params, options.consumer_secret, token_secret)) {
        return Refusal::not_authenticated;
    }
    const std::int64_t skew = fields.timestamp - at;
    if (skew > options.timestamp_window_seconds || -skew > options.timestamp_window_seconds) {
        return Refusal::stale_timestamp;
    }
    if (!state.remember_nonce(fields.consumer_key, fields.timestamp, fields.nonce, at)) {
        return Refusal::replayed_nonce;
    }
    return std::nullopt;
}

Reply LocalProvider::Impl::request_token(const httplib::Request& req, const std::string& body) {
    const auto params = signed_params(req, body);
    if (!params) return v1_refusal(Refusal::bad_data);
    const std::lock_guard lock(mutex);
    const std::int64_t at = now();
    const auto fields = read_fields(*params, false);
    if (const auto* refusal = std::get_if<Refusal>(&fields)) return v1_refusal(*refusal);
    if (const auto refusal =
            verify(req, kRequestTokenPath, *params, std::get<OAuthFields>(fields), "", at)) {
        return v1_refusal(*refusal);
    }
    if (oauth::find_param(*params, "oauth_callback") != "oob") {
        return detail::xml_error(detail::kDesktopOnlyOob);
    }
    std::string access_type = oauth::find_param(*params, "x_auth_access_type").value_or("");
    // Refused rather than ignored: ignoring a misspelt "read" would grant write access.
    if (!access_type.empty() && access_type != "read" && access_type != "write") {
        return v1_refusal(Refusal::bad_data);
    }
    const auto issued = state.issue_request_token(std::move(access_type), options.auto_approve, at);
    if (!issued) return detail::json_error(detail::kInternalError);
    if (options.on_issue) options.on_issue(false, issued->token, issued->secret);
    return detail::form_reply({{"oauth_token", issued->token},
                               {"oauth_token_secret", issued->secret},
                               {"oauth_callback_confirmed", "true"}});
}

Reply LocalProvider::Impl::authorize_page(const httplib::Request& req, const std::string&) {
    const auto params = query_params(req);
    const auto token = params ? oauth::find_param(*params, "oauth_token") : std::nullopt;
    if (!token || token->empty()) {
        return detail::html_reply(400, detail::invalid_token_page(options.app_name, true));
    }
    const std::lock_guard lock(mutex);
    const auto* record = state.request_token(*token, now());
    if (!record) {
        return detail::html_reply(404, detail::invalid_token_page(options.app_name, false));
    }
    const auto force_login = oauth::find_param(*params, "force_login");
    const auto requested = oauth::find_param(*params, "screen_name").value_or("");
    detail::AuthorizePageInput in;
    in.app_name = options.app_name;
    in.oauth_token = *token;
    in.access_type = record->access_type;
    in.requested_screen_name = requested;
    in.force_login = force_login == "true" || force_login == "1";
    in.screen_name = options.screen_name;
    in.display_name = options.display_name;
    return detail::html_reply(200, detail::authorize_page(in));
}

Reply LocalProvider::Impl::authorize_approve(const httplib::Request& req, const std::string& body) {
    const auto params = request_params(req, body);
    const auto token = params ? oauth::find_param(*params, "oauth_token") : std::nullopt;
    if (!token || token->empty()) {
        return detail::html_reply(400, detail::invalid_token_page(options.app_name, true));
    }
    const std::lock_guard lock(mutex);
    const auto pin = state.approve(*token, now());
    if (!pin) return detail::html_reply(404, detail::invalid_token_page(options.app_name, false));
    return detail::html_reply(200, detail::pin_page(options.app_name, *pin, options.screen_name));
}

Reply LocalProvider::Impl::access_token(const httplib::Request& req, const std::string& body) {
    const auto params = signed_params(req, body);
    if (!params) return v1_refusal(Refusal::bad_data);
    const std::lock_guard lock(mutex);
    const std::int64_t at = now();
    const auto read = read_fields(*params, true);
    if (const auto* refusal = std::get_if<Refusal>(&read)) return v1_refusal(*refusal);
    const auto& fields = std::get<OAuthFields>(read);
    const auto* record = state.request_token(fields.token, at);
    if (!record) return v1_refusal(Refusal::unknown_token);
    // Copied: verify() prunes the store, so the pointer is not used past it.
    const std::string token_secret = record->secret;
    const std::optional<std::string> pin = record->pin;
    if (const auto refusal = verify(req, kAccessTokenPath, *params, fields, token_secret, at)) {
        return v1_refusal(*refusal);
    }
    const auto verifier = oauth::find_param(*params, "oauth_verifier");
    if (!pin || !verifier || !constant_time_equal(*verifier, *pin)) {
        state.burn(fields.token);  // a PIN gets one try: guessing must start over
        return detail::invalid_verifier();
    }
    const auto issued = state.exchange(fields.token, options.user_id, at);
    if (!issued) return detail::json_error(detail::kInternalError);
    if (options.on_issue) options.on_issue(true, issued->token, issued->secret);
    return detail::form_reply({{"oauth_token", issued->token},
                               {"oauth_token_secret", issued->secret},
                               {"user_id", options.user_id},
                               {"screen_name", options.screen_name}});
}

Reply LocalProvider::Impl::users_me(const httplib::Request& req, const std::string& body) {
    const auto params = signed_params(req, body);
    if (!params) return v2_unauthorized();
    const std::lock_guard lock(mutex);
    const std::int64_t at = now();
    const auto read = read_fields(*params, true);
    if (std::holds_alternative<Refusal>(read)) return v2_unauthorized();
    const auto& fields = std::get<OAuthFields>(read);
    const auto* record = state.access_token(fields.token);
    if (!record) return v2_unauthorized();
    const std::string token_secret = record->secret;
    if (verify(req, kUsersMePath, *params, fields, token_secret, at)) return v2_unauthorized();
    const nlohmann::json me = {{"data",
                                {{"id", options.user_id},
                                 {"name", options.display_name},
                                 {"username", options.screen_name}}}};
    return detail::json_reply(me.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

LocalProvider::LocalProvider(LocalProviderOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

LocalProvider::~LocalProvider() {
    stop();
}

bool LocalProvider::start(std::string* error) {
    const auto fail = [error](std::string why) {
        if (error) *error = std::move(why);
        return false;
    };
    const std::lock_guard life(impl_->lifecycle);
    if (impl_->thread.joinable()) return fail("the local provider is already running");
    const LocalProviderOptions& o = impl_->options;
    if (o.tls_cert_file.empty() != o.tls_key_file.empty()) {
        return fail("HTTPS needs both a certificate file and a key file");
    }
    if (o.port < 0 || o.port > 65535) return fail("the port must be between 0 and 65535");
    if (o.pin_digits < 1 || o.pin_digits > 32) return fail("pin_digits must be between 1 and 32");
    if (o.consumer_key.empty()) return fail("the consumer key must not be empty");

    if (o.wrong_tls_cert_file.empty() != o.wrong_tls_key_file.empty()) {
        return fail("the wrong_certificate fault needs both a certificate file and a key file");
    }

    const bool use_tls = !o.tls_cert_file.empty();
    std::unique_ptr<httplib::Server> server;
    if (use_tls) {
        for (const std::string* path : {&o.tls_cert_file, &o.tls_key_file}) {
            if (!std::ifstream(*path)) return fail("cannot read " + *path);
        }
        auto ssl_server =
            std::make_unique<httplib::SSLServer>(o.tls_cert_file.c_str(), o.tls_key_file.c_str());
        if (!ssl_server->is_valid()) {
            return fail("cannot use the TLS certificate " + o.tls_cert_file + " with the key " +
                        o.tls_key_file + " (PEM files that belong together are needed)");
        }
        if (!impl_->wrong_identity) {
            std::string why;
            impl_->wrong_identity =
                o.wrong_tls_cert_file.empty()
                    ? detail::make_identity(kWrongHostName, why)
                    : detail::load_identity(o.wrong_tls_cert_file, o.wrong_tls_key_file, why);
            if (!impl_->wrong_identity) return fail(why);
        }
        SSL_CTX_set_cert_cb(ssl_server->ssl_context(), &Impl::pick_certificate, impl_.get());
        server = std::move(ssl_server);
    } else {
        server = std::make_unique<httplib::Server>();
    }
    impl_->configure(*server, use_tls);

    int bound = o.port;
    if (bound == 0) {
        bound = server->bind_to_any_port(o.host);
    } else if (!server->bind_to_port(o.host, bound)) {
        bound = -1;
    }
    if (bound <= 0) {
        return fail("cannot listen on " + bracket_ipv6(o.host) + ":" + std::to_string(o.port) +
                    " (the port is in use, or the address is not one of this machine's)");
    }

    {
        const std::lock_guard lock(impl_->fault_mutex);
        impl_->stopping = false;
    }
    impl_->server = std::move(server);
    impl_->port.store(bound);
    impl_->listen_returned.store(false);
    impl_->thread = std::thread([impl = impl_.get()] {
        impl->server->listen_after_bind();
        impl->listen_returned.store(true);
    });
    // The socket already listens (connections queue in its backlog). httplib 0.11 offers no
    // readiness signal, and its stop() is a no-op until the accept loop has begun, so wait for
    // is_running() to make a stop() right after start() reliable. Checked every 50 µs: sleeping
    // 1 ms a check made this wait 1.1 ms of `--demo`'s time before its window.
    while (!impl_->server->is_running() && !impl_->listen_returned.load()) {
        std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
    if (!impl_->server->is_running()) {
        impl_->thread.join();
        impl_->server.reset();
        impl_->port.store(0);
        return fail("the server stopped as soon as it started");
    }
    return true;
}

void LocalProvider::stop() {
    const std::lock_guard life(impl_->lifecycle);
    if (!impl_->thread.joinable()) return;
    {
        // Releases held (never_answer) and dripping (slow) replies, which httplib would wait for.
        const std::lock_guard lock(impl_->fault_mutex);
        impl_->stopping = true;
    }
    impl_->fault_changed.notify_all();
    impl_->server->stop();
    impl_->thread.join();  // httplib joins its worker threads before listen returns
    impl_->server.reset();
    impl_->port.store(0);
}

int LocalProvider::port() const {
    return impl_->port.load();
}

std::string LocalProvider::base_url() const {
    const int p = impl_->port.load();
    if (p == 0) return {};
    return std::string(impl_->tls.load() ? "https://" : "http://") +
           bracket_ipv6(impl_->options.host) + ":" + std::to_string(p);
}

std::optional<std::string> LocalProvider::approve(std::string_view request_token) {
    const std::lock_guard lock(impl_->mutex);
    return impl_->state.approve(request_token, impl_->now());
}

std::optional<std::string> LocalProvider::pin_hint(std::string_view request_token) const {
    const std::lock_guard lock(impl_->mutex);
    const auto* record = impl_->state.request_token(request_token, impl_->now());
    if (!record) return std::nullopt;
    return record->pin;
}

void LocalProvider::set_clock_offset(std::int64_t seconds) {
    impl_->clock_offset.store(seconds, std::memory_order_relaxed);
}

bool LocalProvider::set_fault(Endpoint endpoint, Fault fault, FaultOptions options,
                              std::string* error) {
    return impl_->set_fault(endpoint, fault, options, error);
}

void LocalProvider::clear_faults() {
    impl_->set_fault(Endpoint::all, Fault::none, {}, nullptr);
}

Fault LocalProvider::fault(Endpoint endpoint) const {
    const std::lock_guard lock(impl_->fault_mutex);
    for (std::size_t i = 0; i < kFaultSlots.size(); ++i) {
        if (kFaultSlots[i] == endpoint) return impl_->faults[i].fault;
    }
    return impl_->faults[0].fault;
}

LocalProvider::Stats LocalProvider::stats() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->stats;
}

}  // namespace pinlink::link
