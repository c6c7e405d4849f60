// A small Beast HTTP/1.1 server on 127.0.0.1:<ephemeral> for the load generator's integration
// tests (the real `latencylab serve` lives in another layer). It runs on its own thread and io
// context, counts requests per path (query stripped), answers 200 (500 for paths starting with
// /fail, NNN for /status/NNN), and can stall its whole io thread once, like a GC pause, to expose
// coordinated omission.
//
//   TestHttpServer server({.stall_after_requests = 300, .stall = std::chrono::seconds{1}});
//   std::string url = server.url();                 // "http://127.0.0.1:41234"
//   std::map<std::string, std::uint64_t> counts = server.route_counts();
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/asio.hpp"

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

 private:
  awaitable<void> accept_loop();
  awaitable<void> serve(boost::asio::ip::tcp::socket socket);
  void count(const std::string& path);

  TestServerOptions options_;
  boost::asio::io_context io_{1};
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> counts_;  // guarded by mutex_
  std::uint64_t total_ = 0;                      // guarded by mutex_
  bool stalled_ = false;                         // server thread only
  std::thread thread_;
};

}  // namespace latencylab::loadgen::testing
