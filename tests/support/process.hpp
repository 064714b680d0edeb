// Test support: runs the real pinlink binary as a child process with pipes on stdin, stdout
// and stderr, the way a launcher does, with every wait bounded so a failing test never hangs.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace pinlink::test {

// Path of the built pinlink executable (from PINLINK_BINARY_DIR).
std::string pinlink_binary();

class Child {
  public:
    // Starts `argv` (argv[0] is the program path) with `env` added to (or replacing entries of)
    // this process's environment; entries whose value is nullopt are removed.
    Child(const std::vector<std::string>& argv,
          const std::map<std::string, std::optional<std::string>>& env = {});
    ~Child();  // kills and reaps the child if still running
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    bool started() const { return pid_ > 0; }
    pid_t pid() const { return pid_; }

    void write_stdin(const std::string& data);
    void close_stdin();

    // Reads stderr (and buffers stdout) until `pattern` matches the stderr text gathered so far;
    // returns the first match's group 1 (or whole match if no group), nullopt on timeout/exit.
    std::optional<std::string> wait_stderr(const std::regex& pattern,
                                           std::chrono::milliseconds timeout);

    // Waits until `needle` has appeared at least `count` times on stderr; false on timeout/exit.
    bool wait_stderr_count(const std::string& needle, int count, std::chrono::milliseconds timeout);

    // Waits for exit, draining both pipes. Returns the exit code (128+signal if killed), or
    // nullopt on timeout (the child is then killed).
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);

    void signal(int sig);

    const std::string& out() const { return out_; }
    const std::string& err() const { return err_; }

  private:
    bool pump(std::chrono::milliseconds timeout);  // one poll round; false when both pipes closed
    pid_t pid_ = -1;
    int in_ = -1, out_fd_ = -1, err_fd_ = -1;
    std::string out_, err_;
    std::optional<int> exit_code_;
};

}  // namespace pinlink::test
