// save_atomically under SIGKILL: a child process saves a large file and is killed at a random
// moment, many times over. Whatever the moment, the target is the old file or the whole new one,
// mode 0600, and what the dead children leave behind is 0600, identifiable, and removed by the
// next save. Also the stale-file cleanup's own rules, and a symlinked folder (followed).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "link/credentials.hpp"

namespace fs = std::filesystem;
using namespace pinlink;

namespace {

constexpr int kKills = 200;
constexpr std::size_t kContentBytes = 256 * 1024;  // large enough that kills land mid-write

class SaveKillTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("pinlink-kill-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    static std::string read(const fs::path& p) {
        std::ifstream f(p, std::ios::binary);
        return {std::istreambuf_iterator<char>(f), {}};
    }
    static unsigned mode(const fs::path& p) {
        struct stat st {};
        if (::lstat(p.c_str(), &st) != 0) return 0;
        return st.st_mode & 07777;
    }
    // Every entry in the folder other than `keep`.
    std::vector<fs::path> others(const fs::path& keep) const {
        std::vector<fs::path> out;
        for (const auto& e : fs::directory_iterator(dir_)) {
            if (e.path() != keep) out.push_back(e.path());
        }
        return out;
    }
    fs::path dir_;
};

// Distinct per generation all the way through, so a mix of two files can never pass as one.
std::string content_for(int generation) {
    std::string line = "{\"generation\":" + std::to_string(generation) + "}\n";
    std::string out;
    out.reserve(kContentBytes);
    while (out.size() + line.size() <= kContentBytes)
        out += line;
    out.append(kContentBytes - out.size(), ' ');
    return out;
}

// ".creds.json.tmp-<digits>-XXXXXX": the documented name of a save's temporary file.
bool is_temp_name(const std::string& name, const std::string& target) {
    const std::string head = "." + target + ".tmp-";
    if (name.rfind(head, 0) != 0) return false;
    const std::string rest = name.substr(head.size());
    const auto dash = rest.find('-');
    if (dash == 0 || dash == std::string::npos || rest.size() - dash - 1 != 6) return false;
    return std::all_of(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(dash),
                       [](char c) { return c >= '0' && c <= '9'; });
}

// A child that has exited and been reaped: its pid names no process any more.
pid_t dead_pid() {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(0);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return pid;
}

// Where a kill landed, as seen from outside.
struct Tally {
    int before_temp = 0;    // no temporary file of this child yet
    int during_write = 0;   // its temporary file exists, not yet complete
    int before_rename = 0;  // its temporary file is complete, target still old
    int after_rename = 0;   // target new, save_atomically had not returned
    int after_return = 0;   // save_atomically had returned
};

}  // namespace

TEST_F(SaveKillTest, KilledAtRandomPointsLeavesOldOrWholeNewFile) {
    const fs::path path = dir_ / "creds.json";
    const std::string name = path.filename().string();

    // Kill delays are drawn from 0 up to a little over one whole save on this machine, so
    // kills spread over every step of it whatever the disk's speed.
    using clock = std::chrono::steady_clock;
    std::vector<long> save_us;
    for (int i = 0; i < 5; ++i) {
        const auto t0 = clock::now();
        ASSERT_TRUE(link::save_atomically(path, content_for(-1 - i)).ok);
        save_us.push_back(static_cast<long>(
            std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - t0).count()));
    }
    std::sort(save_us.begin(), save_us.end());
    const long max_delay_us = save_us[save_us.size() / 2] * 3 / 2 + 1;

    const unsigned seed = std::random_device{}();
    std::mt19937 rng(seed);
    std::uniform_int_distribution<long> delay_us(0, max_delay_us);
    std::printf("seed %u, one save takes about %ld us, kill delays 0..%ld us\n", seed,
                save_us[save_us.size() / 2], max_delay_us);
    RecordProperty("seed", std::to_string(seed));

    std::string old_content = content_for(-5);
    ASSERT_EQ(read(path), old_content);
    Tally tally;
    for (int generation = 0; generation < kKills; ++generation) {
        SCOPED_TRACE("generation " + std::to_string(generation) + ", seed " + std::to_string(seed));
        const std::string new_content = content_for(generation);
        int started[2], finished[2];
        ASSERT_EQ(::pipe2(started, O_CLOEXEC), 0);
        ASSERT_EQ(::pipe2(finished, O_CLOEXEC), 0);
        const pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            // Never outlive a test that fails or is killed itself.
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            const char byte = 1;
            [[maybe_unused]] auto n = ::write(started[1], &byte, 1);
            const bool ok = link::save_atomically(path, new_content).ok;
            const char result = ok ? 1 : 0;
            n = ::write(finished[1], &result, 1);
            ::pause();  // wait for the kill, so every child dies the same way
            ::_exit(0);
        }
        ::close(started[1]);
        ::close(finished[1]);
        char byte = 0;
        ASSERT_EQ(::read(started[0], &byte, 1), 1);  // the child is about to save
        const long wait_us = delay_us(rng);
        if (wait_us > 0) std::this_thread::sleep_for(std::chrono::microseconds(wait_us));
        ASSERT_EQ(::kill(child, SIGKILL), 0);
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        char result = 0;
        const bool returned = ::read(finished[0], &result, 1) == 1;
        ::close(started[0]);
        ::close(finished[0]);
        if (returned) {
            EXPECT_EQ(result, 1) << "the save itself failed";
        }

        // The target: exactly the old file or exactly the new one, 0600 either way.
        const std::string now = read(path);
        const bool is_new = now == new_content;
        ASSERT_TRUE(is_new || now == old_content)
            << "partial or mixed file: " << now.size() << " bytes";
        EXPECT_EQ(mode(path), 0600u);
        // Anything else in the folder: this or an earlier dead child's temporary file, 0600.
        const std::string child_prefix = "." + name + ".tmp-" + std::to_string(child) + "-";
        bool child_temp = false;
        bool child_temp_complete = false;
        for (const auto& other : others(path)) {
            const std::string other_name = other.filename().string();
            EXPECT_TRUE(is_temp_name(other_name, name)) << other_name;
            EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(other))) << other_name;
            EXPECT_EQ(mode(other), 0600u) << other_name;
            if (other_name.rfind(child_prefix, 0) == 0) {
                child_temp = true;
                child_temp_complete = read(other) == new_content;
            }
        }
        EXPECT_FALSE(is_new && child_temp) << "the renamed file is still there under its temp name";

        if (returned) {
            EXPECT_TRUE(is_new);
            ++tally.after_return;
        } else if (is_new) {
            ++tally.after_rename;
        } else if (child_temp_complete) {
            ++tally.before_rename;
        } else if (child_temp) {
            ++tally.during_write;
        } else {
            ++tally.before_temp;
        }
        old_content = now;
    }

    std::printf(
        "%d kills: %d before the temporary file, %d while writing it, %d after writing "
        "and before the rename, %d after the rename inside the save, %d after the save "
        "returned\n",
        kKills, tally.before_temp, tally.during_write, tally.before_rename, tally.after_rename,
        tally.after_return);
    const int before = tally.before_temp + tally.during_write + tally.before_rename;
    const int after = tally.after_rename + tally.after_return;
    std::printf("before rename: %d, after rename: %d\n", before, after);
    RecordProperty("kills_before_rename", before);
    RecordProperty("kills_after_rename", after);
    EXPECT_EQ(before + after, kKills);
    // The spread of delays is meant to catch both sides; if every kill landed on one side the
    // test proved nothing about the other.
    EXPECT_GT(before, 0);
    EXPECT_GT(after, 0);

    // Every child is dead, so one more save clears whatever they left.
    ASSERT_TRUE(link::save_atomically(path, content_for(kKills)).ok);
    EXPECT_EQ(read(path), content_for(kKills));
    EXPECT_EQ(mode(path), 0600u);
    EXPECT_TRUE(others(path).empty());
}

TEST_F(SaveKillTest, NextSaveRemovesOnlyStaleTempFilesOfItsOwnName) {
    const fs::path path = dir_ / "creds.json";
    const std::string dead = std::to_string(dead_pid());
    const auto plant = [this](const std::string& file) {
        std::ofstream(dir_ / file) << "left over";
        fs::permissions(dir_ / file, fs::perms::owner_read | fs::perms::owner_write);
        return dir_ / file;
    };
    const fs::path stale = plant(".creds.json.tmp-" + dead + "-a1B2c3");
    // Kept: a live process's save in progress (the test's parent process stands for it), another
    // name's temporary file, names that only look similar, and a symlink with a temp name.
    const fs::path live = plant(".creds.json.tmp-" + std::to_string(::getppid()) + "-a1B2c3");
    const fs::path other_name = plant(".other.json.tmp-" + dead + "-a1B2c3");
    const fs::path short_suffix = plant(".creds.json.tmp-" + dead + "-abc");
    const fs::path no_pid = plant(".creds.json.tmp-abcdef");
    const fs::path precious = plant("precious");
    const fs::path link_name = dir_ / (".creds.json.tmp-" + dead + "-zzzzzz");
    fs::create_symlink(precious, link_name);

    const auto r = link::save_atomically(path, "new");
    ASSERT_TRUE(r.ok) << r.message;
    EXPECT_EQ(read(path), "new");
    EXPECT_FALSE(fs::exists(fs::symlink_status(stale)));
    for (const auto& kept : {live, other_name, short_suffix, no_pid, precious}) {
        EXPECT_TRUE(fs::exists(kept)) << kept;
        EXPECT_EQ(read(kept), "left over") << kept;
    }
    EXPECT_TRUE(fs::is_symlink(link_name));
}

TEST_F(SaveKillTest, SymlinkedFolderIsFollowed) {
    // Only the last component is guarded: a folder reached through a link (a linked ~/.config)
    // is the caller's choice, and the file lands in the real folder, 0600.
    const fs::path real = dir_ / "real";
    fs::create_directories(real);
    const fs::path linked = dir_ / "linked";
    fs::create_directory_symlink(real, linked);
    const auto r = link::save_atomically(linked / "creds.json", "through the folder link");
    ASSERT_TRUE(r.ok) << r.message;
    EXPECT_EQ(read(real / "creds.json"), "through the folder link");
    EXPECT_EQ(mode(real / "creds.json"), 0600u);
    EXPECT_TRUE(fs::is_symlink(linked));
}
