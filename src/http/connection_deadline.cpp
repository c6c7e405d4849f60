#include "http/connection_deadline.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace latencylab::http {

std::shared_ptr<ConnectionDeadline> ConnectionDeadline::start(asio::ip::tcp::socket& socket) {
  auto deadline = std::make_shared<ConnectionDeadline>(socket, socket.get_executor());
  asio::co_spawn(
      socket.get_executor(), [self = deadline]() -> awaitable<void> { co_await self->watch(); },
      asio::detached);
  return deadline;
}

ConnectionDeadline::ConnectionDeadline(asio::ip::tcp::socket& socket,
                                       asio::any_io_executor executor)
    : socket_(&socket), timer_(std::move(executor)) {}

void ConnectionDeadline::expire_after(Clock::duration timeout, Phase phase) noexcept {
  deadline_ = Clock::now() + timeout;
  phase_ = phase;
  expired_ = false;
  // Only a deadline earlier than the pending wait needs the watchdog woken now.
  if (deadline_ < timer_.expiry()) timer_.cancel();
}

void ConnectionDeadline::stop() noexcept {
  stopped_ = true;
  socket_ = nullptr;
  timer_.cancel();
}

awaitable<void> ConnectionDeadline::watch() {
  while (!stopped_) {
    if (Clock::now() >= deadline_) {
      expired_ = true;
      deadline_ = Clock::time_point::max();
      error_code ignored;
      socket_->cancel(ignored);  // pending reads/writes complete with operation_aborted
    }
    timer_.expires_at(deadline_);
    co_await timer_.async_wait(use_nothrow);
  }
}

}  // namespace latencylab::http
