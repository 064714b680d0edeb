// HTTP-date parsing and formatting (RFC 9110 section 5.6.7). Pure arithmetic on the proleptic
// Gregorian calendar: no locale, no time zone, no mktime/strptime, so the result is the same on
// every machine. The link layer reads the server's Date header with it to correct clock skew.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "net/http.hpp"

namespace pinlink::net {
namespace {

constexpr std::array<std::string_view, 7> kDayNames = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 7> kLongDayNames = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> kMonthNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

constexpr int kMinYear = 1900;  // RFC 5322's floor; also keeps format and parse symmetric
constexpr int kMaxYear = 9999;  // four digits
constexpr std::int64_t kSecondsPerDay = 86'400;

// Days since 1970-01-01 for a civil date (Howard Hinnant's days_from_civil), valid for any year.
constexpr std::int64_t days_from_civil(std::int64_t y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;                          // [0, 399]
    const std::int64_t mp = (m + 9) % 12;                            // March = 0
    const std::int64_t doy = (153 * mp + 2) / 5 + d - 1;             // [0, 365]
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
    return era * 146'097 + doe - 719'468;
}

struct CivilDate {
    std::int64_t year;
    int month;  // 1-12
    int day;    // 1-31
};

// Inverse of days_from_civil.
constexpr CivilDate civil_from_days(std::int64_t z) {
    z += 719'468;
    const std::int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
    const std::int64_t doe = z - era * 146'097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const auto d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const auto m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

// 0 = Sunday. 1970-01-01 was a Thursday.
constexpr int weekday_from_days(std::int64_t days) {
    return static_cast<int>(((days % 7) + 7 + 4) % 7);
}

constexpr bool is_leap(std::int64_t y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

constexpr int days_in_month(std::int64_t y, int m) {
    constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2000, 3, 1) == 11'017);
static_assert(weekday_from_days(days_from_civil(1994, 11, 6)) == 0);  // RFC 9110's Sunday
static_assert(civil_from_days(days_from_civil(1900, 2, 28)).day == 28);

// A strict left-to-right reader: every piece must match exactly where it is expected.
class Reader {
  public:
    explicit Reader(std::string_view text) : text_(text) {}

    bool literal(std::string_view expected) {
        if (text_.substr(pos_, expected.size()) != expected) return false;
        pos_ += expected.size();
        return true;
    }

    // Exactly `count` ASCII digits.
    std::optional<int> digits(std::size_t count) {
        if (text_.size() - pos_ < count) return std::nullopt;
        int value = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const char c = text_[pos_ + i];
            if (c < '0' || c > '9') return std::nullopt;
            value = value * 10 + (c - '0');
        }
        pos_ += count;
        return value;
    }

    // Index of the name in `names` that comes next (names are case-sensitive).
    template <std::size_t N>
    std::optional<int> one_of(const std::array<std::string_view, N>& names) {
        for (std::size_t i = 0; i < N; ++i) {
            if (literal(names[i])) return static_cast<int>(i);
        }
        return std::nullopt;
    }

    bool at_end() const { return pos_ == text_.size(); }

  private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

struct Fields {
    int weekday = -1;
    std::int64_t year = 0;
    int month = 0;  // 1-12
    int day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
};

// time-of-day = hour ":" minute ":" second
bool read_time(Reader& r, Fields& f) {
    const auto h = r.digits(2);
    if (!h || !r.literal(":")) return false;
    const auto m = r.digits(2);
    if (!m || !r.literal(":")) return false;
    const auto s = r.digits(2);
    if (!s) return false;
    f.hour = *h;
    f.minute = *m;
    f.second = *s;
    return true;
}

bool read_month(Reader& r, Fields& f) {
    const auto m = r.one_of(kMonthNames);
    if (!m) return false;
    f.month = *m + 1;
    return true;
}

// IMF-fixdate = day-name "," SP 2DIGIT SP month SP 4DIGIT SP time-of-day SP "GMT"
std::optional<Fields> read_imf_fixdate(std::string_view text) {
    Reader r(text);
    Fields f;
    const auto wd = r.one_of(kDayNames);
    if (!wd || !r.literal(", ")) return std::nullopt;
    f.weekday = *wd;
    const auto day = r.digits(2);
    if (!day || !r.literal(" ") || !read_month(r, f) || !r.literal(" ")) return std::nullopt;
    f.day = *day;
    const auto year = r.digits(4);
    if (!year || !r.literal(" ") || !read_time(r, f) || !r.literal(" GMT") || !r.at_end()) {
        return std::nullopt;
    }
    f.year = *year;
    return f;
}

// rfc850-date = day-name-l "," SP 2DIGIT "-" month "-" 2DIGIT SP time-of-day SP "GMT"
std::optional<Fields> read_rfc850(std::string_view text) {
    Reader r(text);
    Fields f;
    const auto wd = r.one_of(kLongDayNames);
    if (!wd || !r.literal(", ")) return std::nullopt;
    f.weekday = *wd;
    const auto day = r.digits(2);
    if (!day || !r.literal("-") || !read_month(r, f) || !r.literal("-")) return std::nullopt;
    f.day = *day;
    const auto yy = r.digits(2);
    if (!yy || !r.literal(" ") || !read_time(r, f) || !r.literal(" GMT") || !r.at_end()) {
        return std::nullopt;
    }
    // A fixed pivot rather than RFC 9110's "50 years from now", so parsing is a pure function.
    f.year = *yy < 70 ? 2000 + *yy : 1900 + *yy;
    return f;
}

// asctime-date = day-name SP month SP ( 2DIGIT / ( SP DIGIT ) ) SP time-of-day SP year
std::optional<Fields> read_asctime(std::string_view text) {
    Reader r(text);
    Fields f;
    const auto wd = r.one_of(kDayNames);
    if (!wd || !r.literal(" ") || !read_month(r, f) || !r.literal(" ")) return std::nullopt;
    f.weekday = *wd;
    const auto day = r.literal(" ") ? r.digits(1) : r.digits(2);
    if (!day || !r.literal(" ") || !read_time(r, f) || !r.literal(" ")) return std::nullopt;
    f.day = *day;
    const auto year = r.digits(4);
    if (!year || !r.at_end()) return std::nullopt;
    f.year = *year;
    return f;
}

std::optional<std::int64_t> to_epoch(const Fields& f) {
    if (f.year < kMinYear || f.year > kMaxYear) return std::nullopt;
    if (f.day < 1 || f.day > days_in_month(f.year, f.month)) return std::nullopt;
    if (f.hour > 23 || f.minute > 59 || f.second > 60) return std::nullopt;
    const std::int64_t days = days_from_civil(f.year, f.month, f.day);
    if (weekday_from_days(days) != f.weekday) return std::nullopt;
    return days * kSecondsPerDay + f.hour * 3600 + f.minute * 60 + f.second;
}

}  // namespace

std::optional<std::int64_t> parse_http_date(std::string_view text) {
    // The forms are told apart by their first separator, so at most one reader can succeed.
    std::optional<Fields> fields = read_imf_fixdate(text);
    if (!fields) fields = read_rfc850(text);
    if (!fields) fields = read_asctime(text);
    if (!fields) return std::nullopt;
    return to_epoch(*fields);
}

std::string format_http_date(std::int64_t epoch_seconds) {
    constexpr std::int64_t kFirst = days_from_civil(kMinYear, 1, 1) * kSecondsPerDay;
    constexpr std::int64_t kLast = days_from_civil(kMaxYear + 1, 1, 1) * kSecondsPerDay - 1;
    if (epoch_seconds < kFirst || epoch_seconds > kLast) return {};

    // Floor division: the range check above keeps the value away from overflow.
    std::int64_t days = epoch_seconds / kSecondsPerDay;
    std::int64_t rest = epoch_seconds % kSecondsPerDay;
    if (rest < 0) {
        rest += kSecondsPerDay;
        --days;
    }
    const CivilDate date = civil_from_days(days);

    auto two = [](std::string& out, std::int64_t v) {
        out += static_cast<char>('0' + v / 10);
        out += static_cast<char>('0' + v % 10);
    };
    std::string out;
    out.reserve(29);
    out += kDayNames[static_cast<std::size_t>(weekday_from_days(days))];
    out += ", ";
    two(out, date.day);
    out += ' ';
    out += kMonthNames[static_cast<std::size_t>(date.month - 1)];
    out += ' ';
    two(out, date.year / 100);
    two(out, date.year % 100);
    out += ' ';
    two(out, rest / 3600);
    out += ':';
    two(out, rest / 60 % 60);
    out += ':';
    two(out, rest % 60);
    out += " GMT";
    return out;
}

}  // namespace pinlink::net
