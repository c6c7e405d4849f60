// The deadlines of a server's connections (idle, header, body, write): a pending read or write
// whose deadline passes is cancelled without closing the socket, so the session can still answer
// 408.
//
// A server's timeouts are the same for every connection, so deadlines started with one timeout
// expire in the order they were started: each distinct timeout has a FIFO queue of connections
// served by ONE timer, armed for its head. A connection costs an intrusive list node in its
// session's frame, no timer and no pending timer operation of its own (those were ~500 heap bytes
// per connection, docs/BENCHMARKS.md "Memory per request parked on a step"), and moving its
// deadline is an unlink and a push_back. A queue's timer is not re-armed while it is pending: it
// fires at the deadline of an earlier head, no later than any deadline queued now, and then
// re-arms for the head it finds, so a queue costs about one wake per timeout period.
//
// Threading: io thread only. Lifetime: the io_context is shut down (or no longer run) before
// ServerDeadlines is destroyed; a Watch unlinks itself when destroyed.
//
//   ServerDeadlines deadlines(io.get_executor(), limits);
//   ServerDeadlines::Watch watch(deadlines, socket);
//   watch.expire_after(ServerDeadlines::Timeout::header);  // limits.header_timeout from now
//   auto [ec, n] = co_await socket.async_read_some(buffer, use_nothrow);
//   if (watch.expired()) { /* 408 */ }
#pragma once

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/intrusive/list.hpp>
#include <chrono>
#include <cstdint>
#include <deque>

#include "core/asio.hpp"
#include "http/limits.hpp"

namespace latencylab::http {

class ServerDeadlines {
  struct Queue;

 public:
  using Clock = asio::steady_timer::clock_type;
  // Which of the Limits' timeouts a deadline is.
  enum class Timeout : std::uint8_t { idle, header, body, write };

  // One connection's deadline: in at most one queue, none until the first expire_after().
  class Watch : public boost::intrusive::list_base_hook<
                    boost::intrusive::link_mode<boost::intrusive::auto_unlink>> {
   public:
    // The socket must outlive the watch.
    Watch(ServerDeadlines& deadlines, asio::ip::tcp::socket& socket) noexcept
        : deadlines_(deadlines), socket_(socket) {}
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;

    // Replaces the current deadline with now + the Limits' `timeout`.
    void expire_after(Timeout timeout);

    // True when the last deadline passed and cancelled the socket's I/O.
    [[nodiscard]] bool expired() const noexcept { return expired_; }

   private:
    friend class ServerDeadlines;
    ServerDeadlines& deadlines_;
    asio::ip::tcp::socket& socket_;
    Clock::time_point deadline_;
    bool expired_ = false;
  };

  ServerDeadlines(const asio::any_io_executor& executor, const Limits& limits);
  ServerDeadlines(const ServerDeadlines&) = delete;
  ServerDeadlines& operator=(const ServerDeadlines&) = delete;

 private:
  using WatchList = boost::intrusive::list<Watch, boost::intrusive::constant_time_size<false>>;

  struct Queue {
    Queue(const asio::any_io_executor& executor, std::chrono::milliseconds timeout_)
        : timeout(timeout_), timer(executor) {}
    std::chrono::milliseconds timeout;
    WatchList watches;  // in deadline order: every deadline is a start time + `timeout`
    asio::steady_timer timer;
    bool armed = false;  // a wait is pending
  };

  static void arm(Queue& queue);
  static void on_timer(Queue& queue);

  std::deque<Queue> queues_;          // one per distinct timeout; a deque keeps their addresses
  std::array<Queue*, 4> queue_of_{};  // indexed by Timeout; equal timeouts share a queue
};

}  // namespace latencylab::http
