#include "http/server_deadlines.hpp"

#include <time.h>

#include <algorithm>

namespace latencylab::http {
namespace {

std::chrono::nanoseconds to_duration(const timespec& t) {
  return std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec);
}

// CLOCK_MONOTONIC_COARSE is CLOCK_MONOTONIC (steady_clock's) as of the last tick, ~9 ns to read
// here against ~25-45 ns for steady_clock::now(), and a session moves its deadline twice per
// request. One resolution later than it, a deadline never fires early and at most a tick (4 ms
// here) late; it never goes backwards either, so each queue stays in deadline order.
ServerDeadlines::Clock::time_point coarse_now_rounded_up() noexcept {
  static const std::chrono::nanoseconds resolution = [] {
    timespec res{};
    clock_getres(CLOCK_MONOTONIC_COARSE, &res);
    return to_duration(res);
  }();
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
  return ServerDeadlines::Clock::time_point(
      std::chrono::duration_cast<ServerDeadlines::Clock::duration>(to_duration(now) + resolution));
}

}  // namespace

ServerDeadlines::ServerDeadlines(const asio::any_io_executor& executor, const Limits& limits) {
  const std::array<std::chrono::milliseconds, 4> timeouts = {
      limits.idle_timeout, limits.header_timeout, limits.body_timeout, limits.write_timeout};
  static_assert(static_cast<std::size_t>(Timeout::write) == 3, "timeouts is indexed by Timeout");
  for (std::size_t i = 0; i < timeouts.size(); ++i) {
    auto same = std::find_if(queues_.begin(), queues_.end(),
                             [&](const Queue& queue) { return queue.timeout == timeouts[i]; });
    queue_of_[i] = same != queues_.end() ? &*same : &queues_.emplace_back(executor, timeouts[i]);
  }
}

void ServerDeadlines::Watch::expire_after(Timeout timeout) {
  Queue& queue = *deadlines_.queue_of_[static_cast<std::size_t>(timeout)];
  unlink();
  deadline_ = coarse_now_rounded_up() + queue.timeout;
  expired_ = false;
  queue.watches.push_back(*this);
  // A pending wait is due no later than this deadline: it re-arms for the head when it fires.
  if (!queue.armed) arm(queue);
}

void ServerDeadlines::arm(Queue& queue) {
  queue.armed = true;
  queue.timer.expires_at(queue.watches.front().deadline_);
  queue.timer.async_wait([&queue](const error_code& ec) {
    // Only destruction cancels the timer: the queue may be gone.
    if (ec != asio::error::operation_aborted) on_timer(queue);
  });
}

void ServerDeadlines::on_timer(Queue& queue) {
  queue.armed = false;
  const Clock::time_point now = Clock::now();
  while (!queue.watches.empty() && queue.watches.front().deadline_ <= now) {
    Watch& watch = queue.watches.front();
    queue.watches.pop_front();
    watch.expired_ = true;
    error_code ignored;
    watch.socket_.cancel(ignored);  // pending reads/writes complete with operation_aborted
  }
  if (!queue.watches.empty()) arm(queue);
}

}  // namespace latencylab::http
