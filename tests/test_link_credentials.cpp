// The credentials object and its atomic, 0600, never-through-a-symlink save.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "link/credentials.hpp"

namespace fs = std::filesystem;
using namespace pinlink;

namespace {

class SaveTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("pinlink-save-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add);
        fs::remove_all(dir_);
    }
    static std::string read(const fs::path& p) {
        std::ifstream f(p);
        return {std::istreambuf_iterator<char>(f), {}};
    }
    std::size_t entries() const {
        return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir_), {}));
    }
    fs::path dir_;
};

link::AccessToken token() {
    link::AccessToken t;
    t.user_id = "42";
    t.screen_name = "couch_gamer";
    t.token = "42-tok\"en";
    t.secret = "s3cr\\et";
    return t;
}

}  // namespace

TEST(CredentialsJson, HasExactlyTheContractFields) {
    const auto j = nlohmann::json::parse(link::credentials_json(token()));
    EXPECT_EQ(j.size(), 4u);
    EXPECT_EQ(j["user_id"], "42");
    EXPECT_EQ(j["screen_name"], "couch_gamer");
    EXPECT_EQ(j["oauth_token"], "42-tok\"en");
    EXPECT_EQ(j["oauth_token_secret"], "s3cr\\et");
    auto named = token();
    named.name = "Couch \xFF Gamer";  // invalid UTF-8 from a provider must not throw
    const auto j2 = nlohmann::json::parse(link::credentials_json(named));
    EXPECT_EQ(j2.size(), 5u);
    EXPECT_TRUE(j2.contains("name"));
    EXPECT_EQ(link::credentials_json(token()).find('\n'), std::string::npos);
}

TEST_F(SaveTest, WritesMode0600AndLeavesNoTempFile) {
    const auto path = dir_ / "creds.json";
    const auto r = link::save_atomically(path, "{\"a\":1}\n");
    ASSERT_TRUE(r.ok) << r.message;
    EXPECT_EQ(read(path), "{\"a\":1}\n");
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(entries(), 1u);
}

TEST_F(SaveTest, ReplacesAnOldFileWholly) {
    const auto path = dir_ / "creds.json";
    { std::ofstream(path) << "old contents that are longer than the new ones"; }
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
    ASSERT_TRUE(link::save_atomically(path, "new").ok);
    EXPECT_EQ(read(path), "new");
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);  // a world-readable old file does not stay so
}

TEST_F(SaveTest, RefusesSymlinkAndLeavesItsTargetAlone) {
    const auto target = dir_ / "target.txt";
    { std::ofstream(target) << "precious"; }
    const auto link_path = dir_ / "creds.json";
    fs::create_symlink(target, link_path);
    const auto r = link::save_atomically(link_path, "secret stuff");
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.message.find("symbolic link"), std::string::npos);
    EXPECT_EQ(r.message.find("secret stuff"), std::string::npos);
    EXPECT_EQ(read(target), "precious");
    EXPECT_TRUE(fs::is_symlink(link_path));
    EXPECT_EQ(entries(), 2u);
}

TEST_F(SaveTest, UnwritableFolderFailsCleanly) {
    if (::geteuid() == 0) {
        // root ignores directory permissions; a path under a regular file fails for everyone.
        const auto file = dir_ / "not-a-dir";
        { std::ofstream(file) << "x"; }
        const auto r = link::save_atomically(file / "creds.json", "x");
        EXPECT_FALSE(r.ok);
        EXPECT_NE(r.message.find("creds.json"), std::string::npos);
        return;
    }
    fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
    const auto r = link::save_atomically(dir_ / "creds.json", "x");
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.message.find("Permission denied"), std::string::npos);
}

TEST_F(SaveTest, DirectoryAtTargetIsRefused) {
    fs::create_directories(dir_ / "creds.json");
    const auto r = link::save_atomically(dir_ / "creds.json", "x");
    EXPECT_FALSE(r.ok);
    EXPECT_TRUE(fs::is_directory(dir_ / "creds.json"));
}
