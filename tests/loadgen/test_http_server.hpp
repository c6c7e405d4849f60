// A small Beast HTTP/1.1 server on 127.0.0.1:<ephemeral> for the load generator's integration
// tests (the real `latencylab serve` lives in another layer). It runs on its own thread and io
// context, counts requests per path (query stripped), answers 200 (500 for paths starting with
// /fail, NNN for /status/NNN), and can stall its whole io thread once, like a GC pause, to expose
// coordinated omission. It also keeps the history of its open-connection count (one entry per
// accept or close), so a test can see how many connections a client held at once.
//
//   TestHttpServer server({.stall_after_requests = 300, .stall = std::chrono::seconds{1}});
//   std::string url = server.url();                 // "http://127.0.0.1:41234"
//   std::map<std::string, std::uint64_t> counts = server.route_counts();
//   bool idle = server.wait_until_no_connections(std::chrono::seconds{10});
//   std::vector<std::size_t> history = server.open_connection_history();  // e.g. 1, 2, 1, 0
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/asio.hpp"
#include "core/io_context.hpp"

namespace latencylab::loadgen::testing {

struct TestServerOptions {
  std::uint64_t stall_after_requests = 0;  // 0: never stall
  std::chrono::milliseconds stall{0};
};

class TestHttpServer {
 public:
  explicit TestHttpServer(const TestServerOptions& options = {});
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  [[nodiscard]] unsigned short port() const noexcept { return port_; }
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] std::map<std::string, std::uint64_t> route_counts() const;
  [[nodiscard]] std::uint64_t total_requests() const;
  // The open-connection count after each accept and each close, in order.
  [[nodiscard]] std::vector<std::size_t> open_connection_history() const;
  // Blocks until every accepted connection has closed; false if `limit` passed first.
  [[nodiscard]] bool wait_until_no_connections(std::chrono::milliseconds limit) const;

 private:
  awaitable<void> accept_loop();
  awaitable<void> serve(boost::asio::ip::tcp::socket socket);
  void count(const std::string& path);
  void connection_opened_or_closed(bool opened);

  TestServerOptions options_;
  core::OwnedIoContext io_{1};  // shut down first: connection frames record their close
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> counts_;  // guarded by mutex_
  std::uint64_t total_ = 0;                      // guarded by mutex_
  std::size_t open_connections_ = 0;             // guarded by mutex_
  std::vector<std::size_t> connection_history_;  // guarded by mutex_
  mutable std::condition_variable connections_changed_;
  bool stalled_ = false;  // server thread only
  std::thread thread_;
};

}  // namespace latencylab::loadgen::testing
