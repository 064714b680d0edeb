// Child processes for end-to-end tests; see process.hpp.
#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace pinlink::test {

std::string pinlink_binary() {
    return std::string(PINLINK_BINARY_DIR) + "/src/app/pinlink";
}

Child::Child(const std::vector<std::string>& argv,
             const std::map<std::string, std::optional<std::string>>& env) {
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC)) return;
    // A child that exits early must not kill the test with SIGPIPE on write.
    ::signal(SIGPIPE, SIG_IGN);

    std::map<std::string, std::string> merged;
    for (char** e = environ; *e; ++e) {
        const std::string kv = *e;
        const auto eq = kv.find('=');
        if (eq != std::string::npos) merged[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    for (const auto& [k, v] : env) {
        if (v) {
            merged[k] = *v;
        } else {
            merged.erase(k);
        }
    }
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : merged)
        env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& s : env_strings)
        envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = argv;
    std::vector<char*> argp;
    for (auto& s : args)
        argp.push_back(s.data());
    argp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    // The child gets default signal dispositions and an empty mask whatever the test did.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, argp[0], &actions, &attr, argp.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    in_ = in[1];
    out_fd_ = out[0];
    err_fd_ = err[0];
    if (rc == 0) pid_ = pid;
}

Child::~Child() {
    if (pid_ > 0 && !exit_code_) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    for (int fd : {in_, out_fd_, err_fd_}) {
        if (fd >= 0) ::close(fd);
    }
}

void Child::write_stdin(const std::string& data) {
    std::size_t done = 0;
    while (in_ >= 0 && done < data.size()) {
        const ssize_t n = ::write(in_, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        done += static_cast<std::size_t>(n);
    }
}

void Child::close_stdin() {
    if (in_ >= 0) ::close(in_);
    in_ = -1;
}

void Child::signal(int sig) {
    if (pid_ > 0 && !exit_code_) ::kill(pid_, sig);
}

bool Child::pump(std::chrono::milliseconds timeout) {
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    if (out_fd_ < 0 && err_fd_ < 0) return false;
    const int n = ::poll(fds, 2, static_cast<int>(timeout.count()));
    if (n <= 0) return true;
    char buf[4096];
    for (int i = 0; i < 2; ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        int& fd = i == 0 ? out_fd_ : err_fd_;
        const ssize_t got = ::read(fd, buf, sizeof buf);
        if (got > 0) {
            (i == 0 ? out_ : err_).append(buf, static_cast<std::size_t>(got));
        } else if (got == 0) {
            ::close(fd);
            fd = -1;
        }
    }
    return out_fd_ >= 0 || err_fd_ >= 0;
}

std::optional<std::string> Child::wait_stderr(const std::regex& pattern,
                                              std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        std::smatch m;
        if (std::regex_search(err_, m, pattern)) return m.size() > 1 ? m[1].str() : m[0].str();
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        if (!pump(std::min(left, std::chrono::milliseconds(50)))) {
            if (std::regex_search(err_, m, pattern)) return m.size() > 1 ? m[1].str() : m[0].str();
            return std::nullopt;
        }
    }
}

bool Child::wait_stderr_count(const std::string& needle, int count,
                              std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto seen = [&] {
        int n = 0;
        for (std::size_t pos = err_.find(needle); pos != std::string::npos;
             pos = err_.find(needle, pos + needle.size())) {
            ++n;
        }
        return n >= count;
    };
    while (!seen()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        if (!pump(std::min(left, std::chrono::milliseconds(50)))) return seen();
    }
    return true;
}

std::optional<int> Child::wait_exit(std::chrono::milliseconds timeout) {
    if (exit_code_) return exit_code_;
    if (pid_ <= 0) return std::nullopt;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        int status = 0;
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            while (pump(std::chrono::milliseconds(20))) {
            }
            exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            return exit_code_;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            exit_code_ = -1;
            return std::nullopt;
        }
        if (!pump(std::chrono::milliseconds(20))) {
            ::usleep(10'000);
        }
    }
}

}  // namespace pinlink::test
