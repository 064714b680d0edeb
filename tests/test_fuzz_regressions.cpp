// The fuzz targets' properties in the normal test suite: every seed in fuzz/corpus/<target>/
// and every input that once broke a property or crashed, kept in fuzz/regressions/<target>/,
// goes through the same check function the fuzz target uses (fuzz/<target>_check.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/auth_header_check.hpp"
#include "fuzz/cli_check.hpp"
#include "fuzz/error_body_check.hpp"
#include "fuzz/form_check.hpp"
#include "fuzz/http_date_check.hpp"
#include "fuzz/percent_check.hpp"
#include "fuzz/pin_reader_check.hpp"
#include "fuzz/url_check.hpp"

namespace {

namespace fs = std::filesystem;
using Check = pinlink::fuzz::Failure (*)(std::string_view);

std::string read_file(const fs::path& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

std::vector<fs::path> files_in(const fs::path& dir) {
    std::vector<fs::path> out;
    if (!fs::is_directory(dir)) return out;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.is_regular_file()) out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

void check_every_input(const std::string& target, Check check) {
    const fs::path fuzz_dir = fs::path(PINLINK_SOURCE_DIR) / "fuzz";
    const auto seeds = files_in(fuzz_dir / "corpus" / target);
    ASSERT_FALSE(seeds.empty()) << "no seed corpus for " << target;
    auto inputs = seeds;
    const auto regressions = files_in(fuzz_dir / "regressions" / target);
    inputs.insert(inputs.end(), regressions.begin(), regressions.end());
    for (const auto& path : inputs) {
        const std::string input = read_file(path);
        const pinlink::fuzz::Failure failure = check(input);
        EXPECT_FALSE(failure) << path.string() << ": " << failure.value_or("");
    }
}

}  // namespace

TEST(FuzzRegressions, Form) {
    check_every_input("form", pinlink::fuzz::check_form);
}
TEST(FuzzRegressions, Percent) {
    check_every_input("percent", pinlink::fuzz::check_percent);
}
TEST(FuzzRegressions, Url) {
    check_every_input("url", pinlink::fuzz::check_url);
}
TEST(FuzzRegressions, AuthHeader) {
    check_every_input("auth_header", pinlink::fuzz::check_auth_header);
}
TEST(FuzzRegressions, ErrorBody) {
    check_every_input("error_body", pinlink::fuzz::check_error_body);
}
TEST(FuzzRegressions, HttpDate) {
    check_every_input("http_date", pinlink::fuzz::check_http_date);
}
TEST(FuzzRegressions, PinReader) {
    check_every_input("pin_reader", pinlink::fuzz::check_pin_reader);
}
TEST(FuzzRegressions, Cli) {
    check_every_input("cli", pinlink::fuzz::check_cli);
}

// The checks must be able to fail, or the tests above would prove nothing: one input per
// property family that the code under test must reject.
TEST(FuzzRegressions, ChecksDetectBrokenProperties) {
    using pinlink::fuzz::escapes_well_formed;
    using pinlink::fuzz::expected_pin_reads;
    using pinlink::fuzz::is_valid_utf8;
    EXPECT_FALSE(escapes_well_formed("%4"));
    EXPECT_FALSE(escapes_well_formed("a%zz"));
    EXPECT_TRUE(escapes_well_formed("%41+%e2%98%83"));
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));      // overlong '/'
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // surrogate
    EXPECT_FALSE(is_valid_utf8("\xE2\x80"));      // cut in half
    EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xF0\x9F\x98\x80"));
    const auto reads = expected_pin_reads("12a3\n\n" + std::string(33, '7'));
    ASSERT_EQ(reads.size(), 3u);
    EXPECT_EQ(reads[0].status, pinlink::app::PinReader::Status::pin);
    EXPECT_EQ(reads[0].digits, "123");
    EXPECT_EQ(reads[1].status, pinlink::app::PinReader::Status::no_digits);
    EXPECT_EQ(reads[2].status, pinlink::app::PinReader::Status::too_long);
}
