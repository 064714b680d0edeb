// The PIN flow: request_token -> authorize URL -> access_token -> users/me; see flow.hpp.
#include "link/flow.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "oauth/percent.hpp"
#include "oauth/signature.hpp"
#include "oauth/url.hpp"

namespace pinlink::link {
namespace {

// A reply's Date has one-second resolution and the request takes time; beyond this the
// local clock is considered wrong and the provider's is used.
constexpr std::int64_t kSkewTolerance = 60;

// users/me only adds the display name to a link already made: it gets a short budget of its
// own, so a provider that stalls there cannot hold the credentials back for a full timeout.
constexpr std::chrono::seconds kDisplayNameTimeout{5};

bool contains_icase(std::string_view hay, std::string_view needle) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                       [&](char a, char b) { return lower(a) == lower(b); }) != hay.end();
}

// Whether a refusal may be our clock's fault, so that correcting it from Date and re-signing
// can help: X's 135, or a 401 that names no other cause. A refusal that names one (a code, the
// PIN) is final: re-signing a PIN X has just spent only swaps the true message for a wrong one.
bool may_be_clock(const LinkError& e, long status) {
    if (e.kind == ErrorKind::clock_skew) return true;
    return status == 401 && e.provider.code == 0 &&
           !contains_icase(e.provider.message, "oauth_verifier");
}

std::string trim_base(std::string_view base) {
    while (!base.empty() && base.back() == '/') base.remove_suffix(1);
    return std::string(base);
}

LinkError malformed(const net::Response& r) {
    LinkError e;
    e.kind = ErrorKind::malformed_reply;
    e.http_status = static_cast<int>(r.status);
    return e;
}

}  // namespace

std::int64_t system_clock_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<LinkError> validate_api_base(std::string_view api_base) {
    LinkError e;
    const auto url = oauth::parse_url(api_base);
    if (!url || !url->query.empty() || api_base.find('#') != std::string_view::npos ||
        api_base.find('?') != std::string_view::npos) {
        e.kind = ErrorKind::bad_url;
        return e;
    }
    std::string host = url->host;
    if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
    if (url->scheme == "http" && !net::is_loopback_host(host)) {
        e.kind = ErrorKind::insecure_url;
        return e;
    }
    return std::nullopt;
}

PinFlow::PinFlow(net::Client& http, FlowConfig config, Clock clock)
    : http_(http),
      config_(std::move(config)),
      signer_(config_.consumer_key, config_.consumer_secret),
      clock_(std::move(clock)) {
    config_.api_base = trim_base(config_.api_base);
}

bool PinFlow::learn_clock(const net::Response& response) {
    const auto date = response.header("date");
    if (!date) return false;
    const auto server = net::parse_http_date(*date);
    if (!server) return false;
    const std::int64_t ours = clock_() + clock_offset_;
    if (std::llabs(*server - ours) <= kSkewTolerance) return false;
    clock_offset_ = *server - clock_();
    return true;
}

std::variant<net::Response, LinkError> PinFlow::send_signed(
    Step step, const std::string& method, const std::string& url, const std::string& token,
    const std::string& token_secret, const oauth::Params& extra_oauth, const oauth::Params& form,
    net::Cancel* cancel) {
    signer_.set_token(token, token_secret);
    for (int attempt = 0;; ++attempt) {
        // A fresh nonce and timestamp on every attempt, retries included.
        auto nonce = signer_.next_nonce();
        if (!nonce) {
            LinkError e;
            e.kind = ErrorKind::network;
            return e;
        }
        oauth::SignInput in;
        in.method = method;
        in.url = url;
        in.form = form;
        in.extra_oauth = extra_oauth;
        in.nonce = std::move(*nonce);
        in.timestamp = clock_() + clock_offset_;
        const auto signed_req = signer_.sign(in);
        if (const auto* failed = std::get_if<oauth::SignError>(&signed_req)) {
            LinkError e;
            // No OpenSSL failure has a kind of its own: like a failed nonce, it is reported
            // as a network failure (a retry may work).
            e.kind = *failed == oauth::SignError::bad_url ? ErrorKind::bad_url : ErrorKind::network;
            return e;
        }
        net::Request req;
        req.method = method;
        req.url = url;
        const auto& signed_view = std::get<oauth::SignedView>(signed_req);
        req.headers.emplace_back("Authorization", std::string(signed_view.authorization));
        req.headers.emplace_back("Accept", "application/json, application/x-www-form-urlencoded");
        if (method == "POST") {
            req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
            req.body = oauth::encode_form(form);
        }
        if (step == Step::users_me) req.total_timeout = kDisplayNameTimeout;
        net::Result result = http_.perform(req, cancel);
        if (!result) return from_transport(result.error);
        // A success says our timestamp was good enough, whatever its Date says: the clock is
        // learned only from refusals. (A Date far off on a success is a proxy's or a lying
        // one; adopting it would get the next step refused.)
        if (result.response.status == 200) return std::move(result.response);
        LinkError error = from_response(step, result.response);
        // Clock skew: X says 135 (or a bare 401) and its Date is far from ours. Correct once
        // and re-sign.
        if (attempt == 0 && may_be_clock(error, result.response.status) &&
            learn_clock(result.response)) {
            continue;
        }
        return error;
    }
}

Outcome<RequestToken> PinFlow::request_token(net::Cancel* cancel) {
    oauth::Params form;
    if (!config_.access_type.empty()) form.emplace_back("x_auth_access_type", config_.access_type);
    auto reply = send_signed(Step::request_token, "POST", config_.api_base + "/oauth/request_token",
                             "", "", {{"oauth_callback", "oob"}}, form, cancel);
    if (auto* err = std::get_if<LinkError>(&reply)) return *err;
    const auto& response = std::get<net::Response>(reply);
    const auto params = oauth::parse_form(response.body);
    if (!params) return malformed(response);
    auto token = oauth::find_param(*params, "oauth_token");
    auto secret = oauth::find_param(*params, "oauth_token_secret");
    const auto confirmed = oauth::find_param(*params, "oauth_callback_confirmed");
    if (!token || token->empty() || !secret || !confirmed || *confirmed != "true") {
        return malformed(response);
    }
    return RequestToken{std::move(*token), std::move(*secret)};
}

std::string PinFlow::authorize_url(const RequestToken& token) const {
    std::string url = config_.api_base + "/oauth/authorize?oauth_token=" +
                      oauth::percent_encode(token.token);
    if (config_.force_login) url += "&force_login=true";
    if (!config_.screen_name.empty()) {
        url += "&screen_name=" + oauth::percent_encode(config_.screen_name);
    }
    return url;
}

Outcome<AccessToken> PinFlow::access_token(const RequestToken& token, std::string_view pin,
                                           net::Cancel* cancel) {
    auto reply = send_signed(Step::access_token, "POST", config_.api_base + "/oauth/access_token",
                             token.token, token.secret, {{"oauth_verifier", std::string(pin)}},
                             {}, cancel);
    if (auto* err = std::get_if<LinkError>(&reply)) return *err;
    const auto& response = std::get<net::Response>(reply);
    const auto params = oauth::parse_form(response.body);
    if (!params) return malformed(response);
    AccessToken out;
    auto tok = oauth::find_param(*params, "oauth_token");
    auto secret = oauth::find_param(*params, "oauth_token_secret");
    auto user_id = oauth::find_param(*params, "user_id");
    auto screen_name = oauth::find_param(*params, "screen_name");
    if (!tok || tok->empty() || !secret || secret->empty() || !user_id || user_id->empty() ||
        !screen_name || screen_name->empty()) {
        return malformed(response);
    }
    out.token = std::move(*tok);
    out.secret = std::move(*secret);
    out.user_id = std::move(*user_id);
    out.screen_name = std::move(*screen_name);
    fetch_display_name(out, cancel);
    return out;
}

void PinFlow::fetch_display_name(AccessToken& token, net::Cancel* cancel) {
    // Best effort: the link is already made; a failure here only means no display name.
    if (cancel && cancel->cancelled()) return;
    auto reply = send_signed(Step::users_me, "GET", config_.api_base + "/2/users/me", token.token,
                             token.secret, {}, {}, cancel);
    const auto* response = std::get_if<net::Response>(&reply);
    if (!response) return;
    const auto j = nlohmann::json::parse(response->body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return;
    const auto data = j.find("data");
    if (data == j.end() || !data->is_object()) return;
    if (const auto name = data->find("name"); name != data->end() && name->is_string()) {
        token.name = name->get<std::string>();
        if (token.name.size() > 100) token.name.resize(100);
    }
}

}  // namespace pinlink::link
