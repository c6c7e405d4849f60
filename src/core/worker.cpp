#include "core/worker.hpp"

#include <unistd.h>

#include <cerrno>
#include <future>

namespace latencylab::core {

std::future<void> Worker::post_marker() {
  // The pool runs jobs in order, so the marker runs once everything posted before it has.
  std::promise<void> reached;
  std::future<void> ran = reached.get_future();
  boost::asio::post(pool_, [reached = std::move(reached)]() mutable { reached.set_value(); });
  return ran;
}

bool Worker::wait_idle_for(std::chrono::milliseconds timeout) {
  if (pending_.load(std::memory_order_acquire) == 0) return true;
  return post_marker().wait_for(timeout) == std::future_status::ready;
}

void Worker::wait_idle() {
  post_marker().wait();
}

bool write_all(int fd, std::string_view data) noexcept {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace latencylab::core
