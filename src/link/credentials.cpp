// Credentials output: the JSON object and the atomic 0600 save; see credentials.hpp.
#include "link/credentials.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

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

    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
        if (S_ISLNK(st.st_mode)) return fail(path, "it is a symbolic link, which pinlink never writes through", 0);
        if (!S_ISREG(st.st_mode)) return fail(path, "it exists and is not a regular file", 0);
    } else if (errno != ENOENT) {
        return fail(path, "cannot check the path", errno);
    }

    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
    std::string tmpl = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
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
    if (::rename(tmp_path.c_str(), path.c_str()) != 0) return cleanup("renaming into place failed", errno);

    // Make the rename itself durable.
    Fd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dfd.get() >= 0) ::fsync(dfd.get());
    return {true, "Saved the credentials to " + path.string()};
}

}  // namespace pinlink::link
