// Error classification and plain-language messages for the PIN flow; see error.hpp.
#include "link/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace pinlink::link {
namespace {

constexpr std::size_t kMaxMessage = 200;

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// Provider text goes on screen and into logs: keep printable characters, collapse whitespace,
// cap the length without cutting a UTF-8 sequence in half.
std::string clean_message(std::string_view raw) {
    std::string out;
    bool space = false;
    const std::string_view text = trim(raw);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F) {
            space = true;
            continue;
        }
        // C1 controls U+0080..U+009F (UTF-8 C2 80..C2 9F) too: U+009B is a terminal's CSI.
        if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
            static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
            ++i;
            space = true;
            continue;
        }
        if (c == ' ') {
            space = true;
            continue;
        }
        if (space && !out.empty()) out.push_back(' ');
        space = false;
        out.push_back(ch);
    }
    if (out.size() > kMaxMessage) {
        std::size_t cut = kMaxMessage;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
        out.resize(cut);
        out += "…";
    }
    return out;
}

template <class Int = int>
Int to_int(std::string_view s) {
    Int v = 0;
    s = trim(s);
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc{} && ptr == s.data() + s.size() ? v : 0;
}

// X's codes are small positive numbers; anything else (-5, 1e12) counts as no code at all.
int code_or_zero(long long v) {
    return v > 0 && v < 1'000'000 ? static_cast<int>(v) : 0;
}

std::optional<ProviderError> parse_json_error(std::string_view body) {
    const auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    ProviderError out;
    if (const auto it = j.find("errors"); it != j.end() && it->is_array() && !it->empty()) {
        const auto& first = (*it)[0];
        if (first.is_object()) {
            if (const auto c = first.find("code"); c != first.end()) {
                if (c->is_number_integer()) {
                    out.code = code_or_zero(c->get<long long>());
                } else if (c->is_string()) {
                    out.code = code_or_zero(to_int(c->get_ref<const std::string&>()));
                }
            }
            if (const auto m = first.find("message"); m != first.end() && m->is_string()) {
                out.message = clean_message(m->get_ref<const std::string&>());
            }
        }
        return out;
    }
    // API v2 problem shape: {"title": "Unauthorized", "detail": "...", "status": 401}
    for (const char* key : {"detail", "title", "error"}) {
        if (const auto m = j.find(key); m != j.end() && m->is_string()) {
            out.message = clean_message(m->get_ref<const std::string&>());
            return out;
        }
    }
    return std::nullopt;
}

std::optional<ProviderError> parse_xml_error(std::string_view body) {
    // <errors><error code="415">Callback URL not approved…</error></errors>, or the older
    // <hash><error>…</error></hash>. A scan is enough: only these two shapes matter.
    std::size_t open = body.find("<error");
    std::size_t tag_end = std::string_view::npos;
    std::string_view tag;
    // "<errors" rather than "<error ": look further for the inner element. A loop, not
    // recursion: a 1 MB body of "<errors>" tags must not exhaust the stack.
    for (;; open = body.find("<error", tag_end + 1)) {
        if (open == std::string_view::npos) return std::nullopt;
        tag_end = body.find('>', open);
        if (tag_end == std::string_view::npos) return std::nullopt;
        tag = body.substr(open, tag_end - open);
        if (tag.size() <= 6 || tag[6] == ' ' || tag[6] == '\t') break;
    }
    ProviderError out;
    if (const auto c = tag.find("code=\""); c != std::string_view::npos) {
        const auto end = tag.find('"', c + 6);
        if (end != std::string_view::npos) {
            out.code = code_or_zero(to_int(tag.substr(c + 6, end - c - 6)));
        }
    }
    const auto close = body.find("</error>", tag_end);
    const auto text = body.substr(tag_end + 1, close == std::string_view::npos
                                                   ? std::string_view::npos
                                                   : close - tag_end - 1);
    out.message = clean_message(text);
    return out;
}

bool contains_icase(std::string_view hay, std::string_view needle) {
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) ==
                      std::tolower(static_cast<unsigned char>(b));
           }) != hay.end();
}

ErrorKind kind_for_code(int code) {
    switch (code) {
        case 32: return ErrorKind::bad_consumer;
        case 88: return ErrorKind::rate_limited;
        case 89: return ErrorKind::code_expired;
        case 135: return ErrorKind::clock_skew;
        case 215: return ErrorKind::bad_auth_data;
        case 326: return ErrorKind::account_locked;
        case 415: return ErrorKind::callback_not_approved;
        case 416: return ErrorKind::app_suspended;
        case 417: return ErrorKind::oob_required;
        default: return ErrorKind::unexpected_status;
    }
}

}  // namespace

std::optional<ProviderError> parse_error_body(std::string_view body) {
    const std::string_view t = trim(body);
    if (t.empty()) return std::nullopt;
    if (t.front() == '{') {
        if (auto e = parse_json_error(t)) return e;
    } else if (t.front() == '<') {
        if (auto e = parse_xml_error(t)) return e;
        // Some HTML error page: no useful words to show.
        return ProviderError{};
    }
    return ProviderError{0, clean_message(t)};
}

LinkError from_transport(net::Error error) {
    LinkError e;
    switch (error) {
        case net::Error::timeout: e.kind = ErrorKind::timeout; break;
        case net::Error::tls: e.kind = ErrorKind::tls; break;
        case net::Error::insecure_url: e.kind = ErrorKind::insecure_url; break;
        case net::Error::bad_url: e.kind = ErrorKind::bad_url; break;
        case net::Error::cancelled: e.kind = ErrorKind::cancelled; break;
        case net::Error::too_large: e.kind = ErrorKind::malformed_reply; break;
        case net::Error::none:
        case net::Error::dns:
        case net::Error::connect:
        case net::Error::protocol:
        case net::Error::internal: e.kind = ErrorKind::network; break;
    }
    return e;
}

LinkError from_response(Step step, const net::Response& response) {
    LinkError e;
    e.http_status = static_cast<int>(response.status);
    if (auto pe = parse_error_body(response.body)) e.provider = std::move(*pe);

    if (e.provider.code != 0) e.kind = kind_for_code(e.provider.code);
    if (e.kind == ErrorKind::unexpected_status) {
        if (response.status == 429) {
            e.kind = ErrorKind::rate_limited;
        } else if (contains_icase(e.provider.message, "oauth_verifier")) {
            e.kind = ErrorKind::pin_rejected;
        } else if (contains_icase(e.provider.message, "request token") ||
                   contains_icase(e.provider.message, "expired token")) {
            e.kind = ErrorKind::code_expired;
        } else if (response.status >= 500) {
            e.kind = ErrorKind::server_error;
        } else if (response.status == 401) {
            // X's 401s without a code: at step 1 the app's keys, at step 3 the PIN.
            e.kind = step == Step::request_token ? ErrorKind::bad_consumer
                                                 : ErrorKind::pin_rejected;
        } else if (response.status == 200) {
            e.kind = ErrorKind::malformed_reply;
        }
    }
    if (e.kind == ErrorKind::rate_limited) {
        if (auto reset = response.header("x-rate-limit-reset")) {
            // 64-bit: reset times after January 2038 must not be dropped.
            const auto v = to_int<std::int64_t>(*reset);
            if (v > 0) e.retry_at = v;
        }
    }
    return e;
}

std::string_view to_string(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::network: return "network";
        case ErrorKind::timeout: return "timeout";
        case ErrorKind::tls: return "tls";
        case ErrorKind::insecure_url: return "insecure_url";
        case ErrorKind::bad_url: return "bad_url";
        case ErrorKind::cancelled: return "cancelled";
        case ErrorKind::bad_consumer: return "bad_consumer";
        case ErrorKind::bad_auth_data: return "bad_auth_data";
        case ErrorKind::code_expired: return "code_expired";
        case ErrorKind::pin_rejected: return "pin_rejected";
        case ErrorKind::rate_limited: return "rate_limited";
        case ErrorKind::clock_skew: return "clock_skew";
        case ErrorKind::account_locked: return "account_locked";
        case ErrorKind::callback_not_approved: return "callback_not_approved";
        case ErrorKind::app_suspended: return "app_suspended";
        case ErrorKind::oob_required: return "oob_required";
        case ErrorKind::server_error: return "server_error";
        case ErrorKind::malformed_reply: return "malformed_reply";
        case ErrorKind::unexpected_status: return "unexpected_status";
        case ErrorKind::save_failed: return "save_failed";
    }
    return "unknown";
}

std::string LinkError::title() const {
    switch (kind) {
        case ErrorKind::network: return "Can't reach X";
        case ErrorKind::timeout: return "X is taking too long to answer";
        case ErrorKind::tls: return "The connection to X isn't secure";
        case ErrorKind::insecure_url: return "That address isn't allowed";
        case ErrorKind::bad_url: return "The API address isn't valid";
        case ErrorKind::cancelled: return "Linking was cancelled";
        case ErrorKind::bad_consumer: return "X didn't accept this app's keys";
        case ErrorKind::bad_auth_data: return "X couldn't read the sign-in request";
        case ErrorKind::code_expired: return "That code has expired";
        case ErrorKind::pin_rejected: return "That PIN didn't work";
        case ErrorKind::rate_limited: return "Too many tries for now";
        case ErrorKind::clock_skew: return "This device's clock is off";
        case ErrorKind::account_locked: return "This X account is locked";
        case ErrorKind::callback_not_approved: return "X didn't accept this app's setup";
        case ErrorKind::app_suspended: return "X has suspended this app";
        case ErrorKind::oob_required: return "X refused PIN sign-in for this app";
        case ErrorKind::server_error: return "X is having trouble right now";
        case ErrorKind::malformed_reply: return "X sent an answer pinlink can't read";
        case ErrorKind::unexpected_status: return "X answered with an unexpected error";
        case ErrorKind::save_failed: return "Couldn't save the credentials";
    }
    return "Something went wrong";
}

std::string LinkError::next_step(std::int64_t now) const {
    switch (kind) {
        case ErrorKind::network:
            return "Check that this device is online, then try again.";
        case ErrorKind::timeout:
            return "Check the connection, then try again.";
        case ErrorKind::tls:
            return "The server's certificate could not be verified. Check this device's date and "
                   "time, and the network it is on (a sign-in page or proxy can cause this).";
        case ErrorKind::insecure_url:
            return "Plain http:// is only allowed to this machine. Use an https:// address.";
        case ErrorKind::bad_url:
            return "Check --api-base: it must be an http:// or https:// address.";
        case ErrorKind::cancelled:
            return "Start again whenever you're ready.";
        case ErrorKind::bad_consumer:
            return "The consumer key or secret is wrong. Check PINLINK_CONSUMER_KEY and "
                   "PINLINK_CONSUMER_SECRET (or --consumer-key and --consumer-secret-file).";
        case ErrorKind::bad_auth_data:
            return "Check the app's consumer key and secret, then try again.";
        case ErrorKind::code_expired:
            return "Get a new code, scan it, and type the new PIN.";
        case ErrorKind::pin_rejected:
            return "Get a new code, approve it on your phone, and type the PIN it shows.";
        case ErrorKind::rate_limited: {
            if (retry_at && *retry_at > now) {
                const auto minutes = (*retry_at - now + 59) / 60;
                return "X asks to wait. Try again in about " + std::to_string(minutes) +
                       (minutes == 1 ? " minute." : " minutes.");
            }
            return "X asks to wait a little. Try again in a few minutes.";
        }
        case ErrorKind::clock_skew:
            return "Set this device's date and time correctly, then try again.";
        case ErrorKind::account_locked:
            return "Sign in at x.com on your phone to unlock the account, then try again.";
        case ErrorKind::callback_not_approved:
        case ErrorKind::oob_required:
            return "The app's X settings need fixing by its developer; linking can't continue.";
        case ErrorKind::app_suspended:
            return "Linking can't continue. Contact the app's developer.";
        case ErrorKind::server_error:
            return "Wait a moment, then try again.";
        case ErrorKind::malformed_reply:
            return "A network sign-in page may be in the way (hotel or public Wi-Fi). "
                   "Complete it in this device's network settings, then try again.";
        case ErrorKind::unexpected_status:
            return "Try again; if it keeps happening, check the app's settings.";
        case ErrorKind::save_failed:
            return "Check the folder given to --save and that there is space on the disk.";
    }
    return "Try again.";
}

std::string LinkError::detail() const {
    std::string out;
    if (provider.code != 0) out = "X error " + std::to_string(provider.code);
    if (http_status != 0) {
        if (!out.empty()) out += " · ";
        out += "HTTP " + std::to_string(http_status);
    }
    return out;
}

bool LinkError::needs_new_code() const {
    return kind == ErrorKind::code_expired || kind == ErrorKind::pin_rejected;
}

}  // namespace pinlink::link
