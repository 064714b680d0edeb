// Test support: real servers on loopback for tests that talk to them with the real client.
// ServerThread runs a configured httplib::Server or SSLServer on 127.0.0.1 and an ephemeral port;
// RawServer hands each accepted TCP connection to a handler, for servers that misbehave on
// purpose (never answer, cut a reply short, stream without end). Both stop and join in their
// destructors, and stopping wakes every blocked wait, so a failing test never hangs.
#pragma once

#include <httplib.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace pinlink::test {

// Runs `server` (routes already registered) on 127.0.0.1 in a background thread. The port is
// bound and listening when the constructor returns, so requests may be sent at once.
class ServerThread {
  public:
    explicit ServerThread(httplib::Server& server);
    ~ServerThread();  // stops the server and joins the thread
    ServerThread(const ServerThread&) = delete;
    ServerThread& operator=(const ServerThread&) = delete;

    bool ok() const { return port_ > 0; }
    int port() const { return port_; }
    // "<scheme>://127.0.0.1:<port><path>", path starting with '/'.
    std::string url(std::string_view scheme, std::string_view path) const;

  private:
    httplib::Server& server_;
    int port_ = -1;
    std::atomic<bool> finished_{false};
    std::thread thread_;
};

// One accepted connection of a RawServer. Every wait also ends when the server stops.
class RawConnection {
  public:
    RawConnection(int fd, int stop_fd) : fd_(fd), stop_fd_(stop_fd) {}

    int fd() const { return fd_; }
    // Reads through the end of the request head (CRLF CRLF) and returns it; any body bytes that
    // arrived with it are returned too. Empty if the peer closed first or the server stopped.
    std::string read_head();
    // Sends everything; false if the peer went away or the server stopped.
    bool send(std::string_view data);
    // Blocks until the peer closes the connection (or the server stops), discarding input.
    void wait_closed();

  private:
    bool wait(short events);  // false when stopping or on error
    int fd_;
    int stop_fd_;
};

// A TCP listener on 127.0.0.1 and an ephemeral port; each connection runs `handler` on its own
// thread and is closed when the handler returns.
class RawServer {
  public:
    using Handler = std::function<void(RawConnection&)>;
    explicit RawServer(Handler handler);
    ~RawServer();  // wakes every connection's waits, joins all threads
    RawServer(const RawServer&) = delete;
    RawServer& operator=(const RawServer&) = delete;

    bool ok() const { return port_ > 0; }
    int port() const { return port_; }
    std::string url(std::string_view path) const;  // "http://127.0.0.1:<port><path>"
    int accepted() const { return accepted_.load(); }

  private:
    void accept_loop();

    Handler handler_;
    int listen_fd_ = -1;
    int stop_pipe_[2] = {-1, -1};  // readable once the server is stopping
    int port_ = -1;
    std::atomic<int> accepted_{0};
    std::mutex mutex_;
    std::vector<std::thread> connections_;  // guarded by mutex_
    std::thread acceptor_;
};

// A TCP port on 127.0.0.1 that is bound but not listening, so connecting to it is refused
// (RST) for as long as this object lives, and no other process can take the port meanwhile.
class RefusingPort {
  public:
    RefusingPort();
    ~RefusingPort();
    RefusingPort(const RefusingPort&) = delete;
    RefusingPort& operator=(const RefusingPort&) = delete;
    int port() const { return port_; }

  private:
    int fd_ = -1;
    int port_ = -1;
};

}  // namespace pinlink::test
