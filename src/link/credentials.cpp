// Credentials output: the JSON object and the atomic 0600 save; see credentials.hpp.
#include "link/credentials.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string_view>

namespace pinlink::link {
namespace {

// Closes a descriptor on every path out.
class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    int release() {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }

  private:
    int fd_;
};

SaveResult fail(const std::filesystem::path& path, const std::string& what, int err) {
    return {false, "Could not save the credentials to " + path.string() + ": " + what +
                       (err ? std::string(" (") + std::strerror(err) + ")" : std::string())};
}

bool write_all(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// ".<name>.tmp-": what every temporary file of a save of <name> starts with. Appended piece by
// piece: GCC 12 at -O3 reports a false -Wrestrict for "." + string.
std::string temp_head(std::string_view name) {
    std::string head;
    head.reserve(name.size() + 6);
    head += '.';
    head += name;
    head += ".tmp-";
    return head;
}

// ".<name>.tmp-<pid>-": the prefix of every temporary file a save of <name> makes. The pid says
// whose it is, so a later save can tell a stale one (its process is gone) from one in use.
std::string temp_prefix(const std::filesystem::path& path, pid_t pid) {
    return temp_head(path.filename().string()) + std::to_string(pid) + '-';
}

// The pid in a temporary file name of a save of <name>, or -1 when the name is not one.
pid_t temp_owner(std::string_view entry, std::string_view name) {
    const std::string head = temp_head(name);
    if (!entry.starts_with(head)) return -1;
    entry.remove_prefix(head.size());
    const auto dash = entry.find('-');
    // mkostemp's suffix is exactly six characters.
    if (dash == 0 || dash == std::string_view::npos || dash > 9 || entry.size() - dash - 1 != 6) {
        return -1;
    }
    pid_t pid = 0;
    for (const char c : entry.substr(0, dash)) {
        if (c < '0' || c > '9') return -1;
        pid = pid * 10 + (c - '0');
    }
    return pid;
}

// Removes what a save killed before its rename left behind: temporary files of a save of the
// same name whose process no longer exists. Only regular files this user owns, found by lstat,
// are removed; a file of a live process (another save in progress, or this one) is kept.
// Best effort: a failure here never fails the save.
void remove_stale_temps(const std::filesystem::path& dir, const std::filesystem::path& path) {
    DIR* d = ::opendir(dir.c_str());
    if (!d) return;
    const int dfd = ::dirfd(d);
    const std::string name = path.filename().string();
    const pid_t self = ::getpid();
    while (const dirent* e = ::readdir(d)) {
        const pid_t owner = temp_owner(e->d_name, name);
        if (owner <= 0 || owner == self) continue;
        if (::kill(owner, 0) == 0 || errno != ESRCH) continue;  // alive, or cannot tell
        struct stat st {};
        if (::fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (!S_ISREG(st.st_mode) || st.st_uid != ::geteuid()) continue;
        ::unlinkat(dfd, e->d_name, 0);
    }
    ::closedir(d);
}

}  // namespace

std::string credentials_json(const AccessToken& token) {
    nlohmann::ordered_json j;
    j["user_id"] = token.user_id;
    j["screen_name"] = token.screen_name;
    j["oauth_token"] = token.token;
    j["oauth_token_secret"] = token.secret;
    if (!token.name.empty()) j["name"] = token.name;
    // Replace invalid UTF-8 from the provider rather than throwing.
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

SaveResult save_atomically(const std::filesystem::path& path, const std::string& content) {
    if (path.empty() || !path.has_filename()) return fail(path, "that is not a file name", 0);

    // A symlink planted after this check is harmless: rename() replaces the link itself and
    // never writes through it.
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
        if (S_ISLNK(st.st_mode))
            return fail(path, "it is a symbolic link, which pinlink never writes through", 0);
        if (!S_ISREG(st.st_mode)) return fail(path, "it exists and is not a regular file", 0);
    } else if (errno != ENOENT) {
        return fail(path, "cannot check the path", errno);
    }

    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
    std::string tmpl = (dir / (temp_prefix(path, ::getpid()) + "XXXXXX")).string();
    // mkstemp creates the file 0600 and O_EXCL, so nobody can plant a link at the temp name.
    Fd fd(::mkostemp(tmpl.data(), O_CLOEXEC));
    if (fd.get() < 0) return fail(path, "cannot create a file in " + dir.string(), errno);
    const std::string tmp_path = tmpl;
    auto cleanup = [&](const std::string& what, int err) {
        ::unlink(tmp_path.c_str());
        return fail(path, what, err);
    };
    if (::fchmod(fd.get(), S_IRUSR | S_IWUSR) != 0) return cleanup("cannot set mode 0600", errno);
    if (!write_all(fd.get(), content)) return cleanup("writing failed", errno);
    if (::fsync(fd.get()) != 0) return cleanup("flushing to disk failed", errno);
    if (::close(fd.release()) != 0) return cleanup("closing failed", errno);
    if (::rename(tmp_path.c_str(), path.c_str()) != 0)
        return cleanup("renaming into place failed", errno);

    remove_stale_temps(dir, path);
    // Make the rename (and the removals) durable.
    Fd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dfd.get() >= 0) ::fsync(dfd.get());
    return {true, "Saved the credentials to " + path.string()};
}

}  // namespace pinlink::link
