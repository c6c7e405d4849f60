#include "test_http_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "core/asio.hpp"

namespace latencylab::loadgen::testing {
namespace {

namespace http = beast::http;
using tcp = asio::ip::tcp;

}  // namespace

TestHttpServer::TestHttpServer(const TestServerOptions& options)
    : options_(options), acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)) {
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(io_, accept_loop(), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

// Member coroutines, not lambdas: a lambda coroutine's captures die with the temporary closure.
awaitable<void> TestHttpServer::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(use_nothrow);
    if (ec) co_return;
    asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
  }
}

awaitable<void> TestHttpServer::serve(tcp::socket socket) {
  connection_opened_or_closed(true);
  // Every co_return below closes the connection.
  struct CloseRecorder {
    TestHttpServer* server;
    ~CloseRecorder() { server->connection_opened_or_closed(false); }
  } close_recorder{this};
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> request;
    auto [ec, n] = co_await http::async_read(socket, buffer, request, use_nothrow);
    if (ec) co_return;
    const std::string target(request.target());
    const std::string path = target.substr(0, target.find('?'));
    count(path);
    http::status status = http::status::ok;
    if (path.starts_with("/fail")) status = http::status::internal_server_error;
    if (path.starts_with("/status/")) status = static_cast<http::status>(std::stoi(path.substr(8)));
    http::response<http::string_body> response{status, request.version()};
    response.set(http::field::content_type, "application/json");
    response.body() = R"({"status":"ok"})";
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    auto [write_ec, written] = co_await http::async_write(socket, response, use_nothrow);
    if (write_ec || !response.keep_alive()) co_return;
  }
}

TestHttpServer::~TestHttpServer() {
  io_.stop();
  thread_.join();
  io_.shutdown();
}

void TestHttpServer::count(const std::string& path) {
  std::uint64_t total = 0;
  {
    std::lock_guard lock(mutex_);
    ++counts_[path];
    total = ++total_;
  }
  if (!stalled_ && options_.stall_after_requests != 0 && total >= options_.stall_after_requests) {
    stalled_ = true;
    // Deliberately blocks the server's only thread: every connection stalls, as in a GC pause.
    std::this_thread::sleep_for(options_.stall);
  }
}

std::map<std::string, std::uint64_t> TestHttpServer::route_counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

std::uint64_t TestHttpServer::total_requests() const {
  std::lock_guard lock(mutex_);
  return total_;
}

void TestHttpServer::connection_opened_or_closed(bool opened) {
  {
    std::lock_guard lock(mutex_);
    opened ? ++open_connections_ : --open_connections_;
    connection_history_.push_back(open_connections_);
  }
  connections_changed_.notify_all();
}

std::vector<std::size_t> TestHttpServer::open_connection_history() const {
  std::lock_guard lock(mutex_);
  return connection_history_;
}

bool TestHttpServer::wait_until_no_connections(std::chrono::milliseconds limit) const {
  std::unique_lock lock(mutex_);
  return connections_changed_.wait_for(lock, limit, [this] { return open_connections_ == 0; });
}

}  // namespace latencylab::loadgen::testing
