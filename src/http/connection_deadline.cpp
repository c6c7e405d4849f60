#include "http/connection_deadline.hpp"

#include <time.h>

namespace latencylab::http {
namespace {

std::chrono::nanoseconds to_duration(const timespec& t) {
  return std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec);
}

// CLOCK_MONOTONIC_COARSE is CLOCK_MONOTONIC (steady_clock) as of the last tick: behind it by less
// than its resolution.
ConnectionDeadline::Clock::time_point coarse_now_rounded_up() noexcept {
  static const std::chrono::nanoseconds resolution = [] {
    timespec res{};
    clock_getres(CLOCK_MONOTONIC_COARSE, &res);
    return to_duration(res);
  }();
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
  return ConnectionDeadline::Clock::time_point(
      std::chrono::duration_cast<ConnectionDeadline::Clock::duration>(to_duration(now) +
                                                                      resolution));
}

}  // namespace

std::shared_ptr<ConnectionDeadline> ConnectionDeadline::start(asio::ip::tcp::socket& socket) {
  auto deadline = std::make_shared<ConnectionDeadline>(socket, socket.get_executor());
  deadline->arm();
  return deadline;
}

ConnectionDeadline::ConnectionDeadline(asio::ip::tcp::socket& socket,
                                       asio::any_io_executor executor)
    : socket_(&socket), timer_(std::move(executor)) {}

void ConnectionDeadline::expire_after(Clock::duration timeout) noexcept {
  expire_at(coarse_now_rounded_up() + timeout);
}

void ConnectionDeadline::expire_at(Clock::time_point deadline) noexcept {
  deadline_ = deadline;
  expired_ = false;
  // Only a deadline earlier than the pending wait needs the watchdog woken now.
  if (deadline_ < timer_.expiry()) timer_.cancel();
}

void ConnectionDeadline::stop() noexcept {
  stopped_ = true;
  socket_ = nullptr;
  timer_.cancel();
}

void ConnectionDeadline::arm() {
  timer_.expires_at(deadline_);
  timer_.async_wait([self = shared_from_this()](const error_code&) { self->on_wake(); });
}

// Runs when the timer expires or was cancelled (an earlier deadline, or stop()).
void ConnectionDeadline::on_wake() {
  if (stopped_) return;
  if (Clock::now() >= deadline_) {
    expired_ = true;
    deadline_ = Clock::time_point::max();
    error_code ignored;
    socket_->cancel(ignored);  // pending reads/writes complete with operation_aborted
  }
  arm();
}

}  // namespace latencylab::http
