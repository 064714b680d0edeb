// Test support: loopback servers for the HTTP and PIN-flow tests (see servers.hpp). POSIX
// sockets and poll(); a self-pipe tells every blocked wait that the server is stopping.
#include "support/servers.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace pinlink::test {
namespace {

// Binds a TCP socket to 127.0.0.1 on an ephemeral port; returns the fd and sets `port`.
int bind_loopback(int& port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        close(fd);
        return -1;
    }
    port = ntohs(addr.sin_port);
    return fd;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

ServerThread::ServerThread(httplib::Server& server) : server_(server) {
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) return;
    thread_ = std::thread([this] {
        server_.listen_after_bind();
        finished_.store(true);
    });
}

ServerThread::~ServerThread() {
    if (!thread_.joinable()) return;
    // httplib's stop() is a no-op until its accept loop is running; wait for either state.
    while (!server_.is_running() && !finished_.load())
        std::this_thread::yield();
    server_.stop();
    thread_.join();
}

std::string ServerThread::url(std::string_view scheme, std::string_view path) const {
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

// ---------------------------------------------------------------------------------------------

bool RawConnection::wait(short events) {
    pollfd fds[2] = {{fd_, events, 0}, {stop_fd_, POLLIN, 0}};
    while (true) {
        const int n = poll(fds, 2, -1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 || (fds[1].revents & POLLIN)) return false;
        return fds[0].revents != 0;
    }
}

std::string RawConnection::read_head() {
    std::string head;
    char buf[4096];
    while (head.find("\r\n\r\n") == std::string::npos) {
        if (!wait(POLLIN)) return {};
        const ssize_t n = recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) return {};
        head.append(buf, static_cast<std::size_t>(n));
    }
    return head;
}

bool RawConnection::send(std::string_view data) {
    while (!data.empty()) {
        if (!wait(POLLOUT)) return false;
        const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

void RawConnection::wait_closed() {
    char buf[4096];
    while (wait(POLLIN)) {
        const ssize_t n = recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) return;
    }
}

// ---------------------------------------------------------------------------------------------

RawServer::RawServer(Handler handler) : handler_(std::move(handler)) {
    if (pipe2(stop_pipe_, O_CLOEXEC) != 0) return;
    int port = -1;
    listen_fd_ = bind_loopback(port);
    if (listen_fd_ < 0 || listen(listen_fd_, 16) != 0) return;
    port_ = port;
    acceptor_ = std::thread([this] { accept_loop(); });
}

void RawServer::accept_loop() {
    while (true) {
        pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
        const int n = poll(fds, 2, -1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 || (fds[1].revents & POLLIN)) return;
        const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        accepted_.fetch_add(1);
        std::lock_guard lock(mutex_);
        connections_.emplace_back([this, fd] {
            RawConnection connection(fd, stop_pipe_[0]);
            handler_(connection);
            close(fd);
        });
    }
}

RawServer::~RawServer() {
    if (stop_pipe_[1] >= 0) {
        const char stop = 1;
        // The pipe stays readable from now on, so every poll() above returns.
        while (write(stop_pipe_[1], &stop, 1) < 0 && errno == EINTR) {
        }
    }
    if (acceptor_.joinable()) acceptor_.join();
    for (auto& t : connections_)
        t.join();  // the acceptor has ended: no more are added
    if (listen_fd_ >= 0) close(listen_fd_);
    for (const int fd : stop_pipe_) {
        if (fd >= 0) close(fd);
    }
}

std::string RawServer::url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

// ---------------------------------------------------------------------------------------------

RefusingPort::RefusingPort() {
    int port = -1;
    fd_ = bind_loopback(port);
    if (fd_ >= 0) port_ = port;
}

RefusingPort::~RefusingPort() {
    if (fd_ >= 0) close(fd_);
}

}  // namespace pinlink::test
