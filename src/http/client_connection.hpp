// One keep-alive HTTP/1.1 connection to a downstream server, used by http::ClientPool for one
// exchange at a time: connects lazily, writes the request (head and body as two buffers), reads the
// response with a Beast parser under a body limit.
//
// Whatever leaves the connection in an unknown state closes it (a timeout, a cancellation, a
// failed or invalid exchange, `Connection: close`, bytes after the response), so a connection that
// stays open is always at a message boundary and safe to reuse. A reused connection that turns out
// to have been closed by the server while idle (the write or read fails before any response byte,
// the usual race with the server's idle timeout) is reopened and the request sent once more if
// its method is idempotent; take_from_idle() catches most of these before anything is sent.
//
// Deadline: a ConnectionDeadline watchdog cancels the pending connect, write or read when the
// exchange's deadline passes (ClientError::timeout). Cancellation: an exchange awaited by a
// coroutine that is cancelled through its cancellation slot (the loser of `a || b`) sees its
// pending operation end with operation_aborted and returns ClientError::cancelled.
//
// Open/idle/closed transitions are reported to the server's PeerMetrics
// (http.client.open_connections). Threading: io thread only. The PeerMetrics and `host` outlive the
// connection.
//
//   ClientConnection connection(executor, server, "127.0.0.1:8082", 1 << 20, peer_metrics);
//   ClientResult result = co_await connection.exchange({Verb::get, "/health", {}, {}}, deadline);
//   if (connection.is_open()) connection.park();  // between exchanges
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/asio.hpp"
#include "http/client_metrics.hpp"
#include "http/client_request.hpp"
#include "http/connection_deadline.hpp"

namespace latencylab::http {

class ClientConnection {
 public:
  using Clock = std::chrono::steady_clock;

  ClientConnection(const asio::any_io_executor& executor, const asio::ip::tcp::endpoint& server,
                   std::string_view host, std::uint64_t body_limit, PeerMetrics& metrics);
  ~ClientConnection();
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;

  // One request and its response; opens the connection first when it is closed. Call only when no
  // other exchange runs on this connection.
  awaitable<ClientResult> exchange(const ClientRequest& request, Clock::time_point deadline);

  [[nodiscard]] bool is_open() const noexcept { return connected_; }

  // Between exchanges: the connection waits idle in its pool.
  void park() noexcept;
  // Back in use: closes it (to be reopened by the next exchange) when the server closed it or sent
  // anything while it was idle.
  void take_from_idle() noexcept;

  void close() noexcept;

 private:
  [[nodiscard]] ClientError classify(const error_code& ec) const noexcept;

  asio::ip::tcp::endpoint server_;
  std::string_view host_;
  std::uint64_t body_limit_;
  PeerMetrics& metrics_;
  asio::ip::tcp::socket socket_;
  std::shared_ptr<ConnectionDeadline> deadline_;
  std::string head_;             // the request head being sent, reused
  beast::flat_buffer buffer_;    // read buffer, empty between exchanges
  std::uint64_t exchanges_ = 0;  // on the current socket
  bool connected_ = false;       // counted in http.client.open_connections
  bool idle_ = false;
};

}  // namespace latencylab::http
