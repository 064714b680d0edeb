// Reply shapes and the Date header format of the local provider; see local_provider_replies.hpp.
#include "link/local_provider_replies.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace pinlink::link::detail {

Reply json_error(const XError& error) {
    const nlohmann::json body = {
        {"errors", nlohmann::json::array({{{"code", error.code}, {"message", error.message}}})}};
    return Reply{error.status, "application/json; charset=utf-8", body.dump(), {}};
}

Reply xml_error(const XError& error) {
    // The messages are constants without markup characters, so no escaping is needed.
    std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><errors><error code=\"";
    body += std::to_string(error.code);
    body += "\">";
    body += error.message;
    body += "</error></errors>";
    return Reply{error.status, "application/xml; charset=utf-8", std::move(body), {}};
}

Reply invalid_verifier() {
    return Reply{401,
                 "text/plain; charset=utf-8",
                 "Error processing your OAuth request: Invalid oauth_verifier parameter",
                 {}};
}

Reply problem(int status, std::string_view title, std::string_view detail) {
    const nlohmann::json body = {
        {"title", title}, {"type", "about:blank"}, {"status", status}, {"detail", detail}};
    return Reply{status, "application/problem+json", body.dump(), {}};
}

Reply form_reply(const oauth::Params& params) {
    return Reply{200, "application/x-www-form-urlencoded", oauth::encode_form(params), {}};
}

Reply json_reply(std::string body) {
    return Reply{200, "application/json; charset=utf-8", std::move(body), {}};
}

Reply html_reply(int status, std::string body) {
    return Reply{status,
                 "text/html; charset=utf-8",
                 std::move(body),
                 {{"Cache-Control", "no-store"},
                  {"X-Frame-Options", "DENY"},
                  {"Referrer-Policy", "no-referrer"},
                  {"Content-Security-Policy",
                   "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"}}};
}

std::string imf_fixdate(std::int64_t epoch_seconds) {
    // Fixed English names: the format is defined in English whatever the process locale.
    static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                         "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> kMonths = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    using namespace std::chrono;
    const sys_seconds t{seconds{epoch_seconds}};
    const sys_days day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss<seconds> hms{t - day};
    const weekday wd{day};
    std::array<char, 40> buf{};
    std::snprintf(buf.data(), buf.size(), "%s, %02u %s %04d %02d:%02d:%02d GMT",
                  kDays[wd.c_encoding()], static_cast<unsigned>(ymd.day()),
                  kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf.data();
}

}  // namespace pinlink::link::detail
