// Tests for net::parse_http_date / format_http_date: the three RFC 9110 forms, strictness
// (garbage and out-of-range fields are rejected), and format/parse round trips. The expected
// epoch values are independent facts (RFC 9110's example date is 784111777), not outputs of the
// code under test.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "net/http.hpp"

namespace pinlink::net {
namespace {

constexpr std::int64_t kRfcExample = 784'111'777;  // Sun, 06 Nov 1994 08:49:37 GMT

TEST(HttpDate, ParsesImfFixdate) {
    EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), kRfcExample);
    EXPECT_EQ(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
    EXPECT_EQ(parse_http_date("Sun, 13 Sep 2020 12:26:40 GMT"), 1'600'000'000);
    EXPECT_EQ(parse_http_date("Tue, 19 Jan 2038 03:14:08 GMT"), 2'147'483'648);  // past int32
}

TEST(HttpDate, ParsesRfc850) {
    EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), kRfcExample);
    // Two-digit years below 70 are this century.
    EXPECT_EQ(parse_http_date("Sunday, 13-Sep-20 12:26:40 GMT"), 1'600'000'000);
}

TEST(HttpDate, ParsesAsctime) {
    EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), kRfcExample);
    EXPECT_EQ(parse_http_date("Sun Nov 06 08:49:37 1994"), kRfcExample);  // 2DIGIT form
    EXPECT_EQ(parse_http_date("Sun Sep 13 12:26:40 2020"), 1'600'000'000);
}

TEST(HttpDate, HandlesLeapDaysAndLeapSeconds) {
    EXPECT_EQ(parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT"), 951'782'400);
    EXPECT_EQ(parse_http_date("Thu, 29 Feb 2024 23:59:59 GMT"), 1'709'251'199);
    EXPECT_EQ(parse_http_date("Thu, 01 Mar 1900 00:00:00 GMT"), -2'203'891'200);
    // Not leap years: 1900 (century) and 2023.
    EXPECT_EQ(parse_http_date("Thu, 29 Feb 1900 00:00:00 GMT"), std::nullopt);
    EXPECT_EQ(parse_http_date("Wed, 29 Feb 2023 00:00:00 GMT"), std::nullopt);
    // 23:59:60 is the leap second; it counts as the next day's first second.
    EXPECT_EQ(parse_http_date("Sat, 31 Dec 2016 23:59:60 GMT"), 1'483'228'800);
}

TEST(HttpDate, RejectsOutOfRangeFields) {
    for (const char* text : {
             "Sun, 32 Jan 1995 00:00:00 GMT",  // day
             "Sat, 00 Jan 2000 00:00:00 GMT",  // day zero
             "Tue, 31 Apr 2024 00:00:00 GMT",  // April has 30 days
             "Sun, 06 Nov 1994 24:00:00 GMT",  // hour
             "Sun, 06 Nov 1994 08:60:00 GMT",  // minute
             "Sun, 06 Nov 1994 08:49:61 GMT",  // second
             "Mon, 01 Jan 1800 00:00:00 GMT",  // before 1900
             "Mon, 06 Nov 1994 08:49:37 GMT",  // wrong day name for the date
             "Monday, 06-Nov-94 08:49:37 GMT",
             "Mon Nov  6 08:49:37 1994",
         }) {
        EXPECT_EQ(parse_http_date(text), std::nullopt) << text;
    }
}

TEST(HttpDate, RejectsGarbageAndNearMisses) {
    for (const char* text : {
             "",
             "garbage",
             "1994-11-06T08:49:37Z",
             "784111777",
             " Sun, 06 Nov 1994 08:49:37 GMT",   // leading space
             "Sun, 06 Nov 1994 08:49:37 GMT ",   // trailing space
             "Sun, 06 Nov 1994 08:49:37 UTC",    // only GMT
             "Sun, 06 Nov 1994 08:49:37 +0000",  // RFC 5322 zone, not HTTP
             "sun, 06 Nov 1994 08:49:37 GMT",    // case-sensitive
             "Sun, 06 nov 1994 08:49:37 GMT",
             "Sun, 6 Nov 1994 08:49:37 GMT",  // IMF-fixdate day is 2DIGIT
             "Sun,06 Nov 1994 08:49:37 GMT",
             "Sun, 06 Nov 94 08:49:37 GMT",  // 2-digit year in IMF-fixdate
             "Sun, 06 Nov 1994 8:49:37 GMT",
             "Sun, 06 Nov 1994 08:49 GMT",
             "Sun, 06 Xyz 1994 08:49:37 GMT",
             "Sun, 0x Nov 1994 08:49:37 GMT",
             "Sun, 06 Nov 1994 08:49:37 GMT\r\n",
             "Sun, 06-Nov-94 08:49:37 GMT",  // RFC 850 needs the long day name
             "Sunday, 06-Nov-1994 08:49:37 GMT",
             "Sunday, 06 Nov 94 08:49:37 GMT",
             "Sun Nov 6 08:49:37 1994",  // asctime pads the day with a space
             "Sun Nov  6 08:49:37 94",
             "Sun Nov  6 08:49:37 1994 GMT",
             "Sun, 06 Nov 1994 08:49:37 GMT; extra",
         }) {
        EXPECT_EQ(parse_http_date(text), std::nullopt) << '"' << text << '"';
    }
    // An embedded NUL is not the end of the string.
    EXPECT_EQ(parse_http_date(std::string("Sun, 06 Nov 1994 08:49:37 GMT\0", 30)), std::nullopt);
}

TEST(HttpDate, FormatsImfFixdate) {
    EXPECT_EQ(format_http_date(kRfcExample), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(format_http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    EXPECT_EQ(format_http_date(-1), "Wed, 31 Dec 1969 23:59:59 GMT");
    EXPECT_EQ(format_http_date(951'782'400), "Tue, 29 Feb 2000 00:00:00 GMT");
    EXPECT_EQ(format_http_date(253'402'300'799), "Fri, 31 Dec 9999 23:59:59 GMT");
    EXPECT_EQ(format_http_date(-2'208'988'800), "Mon, 01 Jan 1900 00:00:00 GMT");
}

TEST(HttpDate, FormatRefusesYearsItCannotWrite) {
    EXPECT_EQ(format_http_date(253'402'300'800), "");  // year 10000
    EXPECT_EQ(format_http_date(-2'208'988'801), "");   // 1899
    EXPECT_EQ(format_http_date(INT64_MAX), "");
    EXPECT_EQ(format_http_date(INT64_MIN), "");
}

TEST(HttpDate, RoundTripsAcrossTheRange) {
    // Steps of a prime number of seconds visit every weekday, month, leap day and time of day.
    const std::int64_t first = -2'208'988'800;  // 1900-01-01
    const std::int64_t last = 253'402'300'799;  // 9999-12-31 23:59:59
    int checked = 0;
    for (std::int64_t t = first; t <= last; t += 7'919'993) {
        const std::string text = format_http_date(t);
        ASSERT_EQ(text.size(), 29u) << t;
        ASSERT_EQ(parse_http_date(text), t) << text;
        ++checked;
    }
    EXPECT_GT(checked, 30'000);
    EXPECT_EQ(parse_http_date(format_http_date(last)), last);
    EXPECT_EQ(parse_http_date(format_http_date(first)), first);
}

}  // namespace
}  // namespace pinlink::net
