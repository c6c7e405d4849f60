// GCC 12 at -O2 reports a false -Wnull-dereference inside Asio's scheduler when awaitable
// completions go through any_io_executor (inlined library code, not ours); silenced for this file
// only, before the includes.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include "loadgen/http_connection.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include "loadgen/response_reader.hpp"
#include "loadgen/target_url.hpp"

namespace latencylab::loadgen {
namespace {

namespace http = beast::http;

// The server closing an idle keep-alive connection looks like one of these on the next request.
bool is_stale_connection(const error_code& ec) noexcept {
  return ec == asio::error::eof || ec == http::error::end_of_stream ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

}  // namespace

HttpConnection::HttpConnection(const asio::any_io_executor& executor,
                               const ConnectionSettings& settings)
    : settings_(settings), socket_(executor) {}

ErrorKind HttpConnection::classify(const error_code& ec) const noexcept {
  if (timed_out_) return ErrorKind::timeout;
  if (ec.category() == http::make_error_code(http::error::bad_version).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    return ErrorKind::protocol;  // the response did not parse as HTTP/1.x
  }
  return ErrorKind::reset;  // eof, reset, broken pipe, truncated message
}

void HttpConnection::close() noexcept {
  if (!open_ && !socket_.is_open()) return;
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  buffer_.clear();
  open_ = false;
}

void HttpConnection::abort_if_overdue(Clock::time_point now) noexcept {
  if (now < deadline_) return;
  timed_out_ = true;
  deadline_ = Clock::time_point::max();
  error_code ignored;
  socket_.close(ignored);  // the pending connect/write/read completes with operation_aborted
  open_ = false;
}

awaitable<ErrorKind> HttpConnection::connect() {
  // Checked again here, at the last moment, so no code path can ever connect off-machine.
  if (!is_loopback(settings_.target.address())) co_return ErrorKind::connect;
  error_code ec;
  socket_.open(settings_.target.protocol(), ec);
  if (ec) co_return ErrorKind::connect;
  if (settings_.source) {
    // Defer the ephemeral port choice to connect(), so ports are shared across (source, target)
    // pairs instead of being reserved per source address at bind time.
    const int enable = 1;
    ::setsockopt(socket_.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &enable,
                 sizeof enable);
    socket_.bind(asio::ip::tcp::endpoint(*settings_.source, 0), ec);
    if (ec) {
      socket_.close(ec);
      co_return ErrorKind::connect;
    }
  }
  auto [connect_ec] = co_await socket_.async_connect(settings_.target, use_nothrow);
  if (connect_ec) {
    socket_.close(ec);
    co_return timed_out_ ? ErrorKind::timeout : ErrorKind::connect;
  }
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  open_ = true;
  exchanges_on_connection_ = 0;
  ++connects_;
  co_return ErrorKind::none;
}

awaitable<ExchangeOutcome> HttpConnection::exchange(std::string_view request,
                                                    Clock::time_point deadline) {
  deadline_ = deadline;
  timed_out_ = false;
  // At most two attempts: the second only after a stale keep-alive connection (see the banner).
  for (int attempt = 0;; ++attempt) {
    if (!open_) {
      const ErrorKind connect_error = co_await connect();
      if (connect_error != ErrorKind::none) {
        deadline_ = Clock::time_point::max();
        co_return ExchangeOutcome{connect_error, 0};
      }
    }
    const bool reused = exchanges_on_connection_ > 0;
    ++exchanges_on_connection_;
    auto [write_ec, written] = co_await asio::async_write(
        socket_, asio::buffer(request.data(), request.size()), use_nothrow);
    bool got_response_bytes = false;
    error_code ec = write_ec;
    ResponseReader reader;
    if (!ec) {
      auto [read_ec, read] = co_await http::async_read(socket_, buffer_, reader, use_nothrow);
      ec = read_ec;
      got_response_bytes = reader.got_some();
    }
    if (ec) {
      const bool retry =
          attempt == 0 && reused && !got_response_bytes && !timed_out_ && is_stale_connection(ec);
      const ErrorKind kind = classify(ec);
      close();
      if (retry) continue;
      deadline_ = Clock::time_point::max();
      co_return ExchangeOutcome{kind, 0};
    }
    deadline_ = Clock::time_point::max();
    if (settings_.connection_per_request || !reader.keep_alive()) close();
    co_return ExchangeOutcome{ErrorKind::none, reader.status()};
  }
}

}  // namespace latencylab::loadgen
