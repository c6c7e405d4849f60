// One client connection of the load generator: connects lazily (optionally from a chosen loopback
// source address), sends pre-serialized requests and reads responses with a reused buffer.
//
// Keep-alive by default; with connection_per_request (or when the server says "close") the socket
// is closed after each response and the next exchange reconnects. A reused keep-alive connection
// that the server closed while idle (the response never started) is reopened and the request
// retried once: that race is not a server error. Every other failure is returned as an
// ErrorKind value, never thrown. Whether a status is an error is not decided here (see
// RequestMix::expects).
//
// Timeouts: each exchange has one deadline (connect, write and read). Instead of arming a timer
// per request, the owner sweeps its connections periodically and calls abort_if_overdue(), which
// closes the socket so the pending operation ends; the exchange then reports ErrorKind::timeout.
// The timeout resolution is the sweep period.
//
// Owned by one io thread: exchange() runs in one coroutine, abort_if_overdue() on the same thread.
//
//   HttpConnection connection(executor, settings);
//   ExchangeOutcome outcome = co_await connection.exchange(request_bytes, now + timeout);
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <optional>
#include <string_view>

#include "core/asio.hpp"
#include "loadgen/duration_text.hpp"
#include "loadgen/exchange_outcome.hpp"

namespace latencylab::loadgen {

struct ConnectionSettings {
  asio::ip::tcp::endpoint target;
  std::optional<asio::ip::address> source;  // bind here before connecting (loopback spreading)
  bool connection_per_request = false;
};

class HttpConnection {
 public:
  HttpConnection(const asio::any_io_executor& executor, const ConnectionSettings& settings);

  using Clock = std::chrono::steady_clock;

  awaitable<ExchangeOutcome> exchange(std::string_view request, Clock::time_point deadline);
  void abort_if_overdue(Clock::time_point now) noexcept;
  void close() noexcept;

  [[nodiscard]] std::uint64_t connects() const noexcept { return connects_; }

 private:
  awaitable<ErrorKind> connect();
  [[nodiscard]] ErrorKind classify(const error_code& ec) const noexcept;

  ConnectionSettings settings_;
  asio::ip::tcp::socket socket_;
  beast::flat_buffer buffer_;
  Clock::time_point deadline_ = Clock::time_point::max();  // max while no exchange is running
  bool timed_out_ = false;
  bool open_ = false;
  std::uint64_t exchanges_on_connection_ = 0;
  std::uint64_t connects_ = 0;
};

}  // namespace latencylab::loadgen
