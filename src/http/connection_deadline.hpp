// One watchdog timer per connection that cancels the socket's pending I/O when the current
// deadline passes, without closing the socket, so the session can still answer 408.
//
// (beast::tcp_stream closes the socket on timeout, which makes a 408 impossible.) Moving the
// deadline is a field write; the timer is re-armed only when a deadline moves earlier than the
// timer's expiry, and otherwise wakes at the old expiry and re-arms for the new one (under
// keep-alive load: about once per write timeout per connection, not per request). The watchdog is a
// plain completion handler, not a coroutine (a spawned coroutine costs ~1 KiB per connection in
// frames); it shares ownership of the state, so it may outlive the session frame safely; stop()
// makes it leave without touching the socket again.
//
// Threading: io thread only.
//
//   auto deadline = ConnectionDeadline::start(socket);
//   deadline->expire_after(limits.header_timeout);
//   auto [ec, n] = co_await socket.async_read_some(buffer, use_nothrow);
//   if (deadline->expired()) { /* 408 */ }
//   deadline->stop();   // before the socket goes away
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>

#include "core/asio.hpp"

namespace latencylab::http {

class ConnectionDeadline : public std::enable_shared_from_this<ConnectionDeadline> {
 public:
  using Clock = std::chrono::steady_clock;
  // Arms the watchdog on the socket's executor. The socket must outlive stop().
  static std::shared_ptr<ConnectionDeadline> start(asio::ip::tcp::socket& socket);

  ConnectionDeadline(asio::ip::tcp::socket& socket, asio::any_io_executor executor);

  // From the coarse monotonic clock (the last tick's CLOCK_MONOTONIC, ~9 ns to read here against
  // ~25-45 ns for steady_clock::now(); the session moves a deadline twice per request), one tick
  // later so that it never fires early: at most a tick (4 ms here) late.
  void expire_after(Clock::duration timeout) noexcept;
  // Clock::time_point::max(): never.
  void expire_at(Clock::time_point deadline) noexcept;

  // True when the last deadline fired and cancelled the socket's I/O.
  [[nodiscard]] bool expired() const noexcept { return expired_; }

  void stop() noexcept;

 private:
  void arm();
  void on_wake();

  asio::ip::tcp::socket* socket_;
  asio::steady_timer timer_;
  Clock::time_point deadline_ = Clock::time_point::max();
  bool expired_ = false;
  bool stopped_ = false;
};

}  // namespace latencylab::http
