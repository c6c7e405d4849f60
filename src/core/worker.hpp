// The one way work leaves the io thread: a core::Worker owns one background thread (an
// asio::thread_pool of one) and runs the jobs posted to it one at a time, in order. The log sink,
// the console exporter and the OTLP exporter each own one. The thread is joined when the worker is
// destroyed, never detached.
//
// A worker may bound its backlog: try_post() then refuses (and drops) a job while `max_pending`
// jobs are unfinished, so a stuck consumer (a full stderr pipe) costs memory only up to that bound.
//
//   latencylab::core::Worker writer(8192);
//   if (!writer.try_post([line] { latencylab::core::write_all(STDERR_FILENO, line); })) ++dropped;
//   writer.wait_idle();  // every job posted so far has run
#pragma once

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstddef>
#include <future>
#include <limits>
#include <string_view>
#include <utility>

namespace latencylab::core {

class Worker {
 public:
  static constexpr std::size_t unbounded = std::numeric_limits<std::size_t>::max();

  explicit Worker(std::size_t max_pending = unbounded) : max_pending_(max_pending) {}
  // Runs the jobs still queued, then joins the thread: blocks while a job is blocked.
  ~Worker() { pool_.join(); }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Any thread; never blocks. Returns false, destroying `job` unrun, when `max_pending` jobs are
  // already waiting or running.
  template <typename Job>
  bool try_post(Job&& job) {
    if (pending_.fetch_add(1, std::memory_order_relaxed) >= max_pending_) {
      pending_.fetch_sub(1, std::memory_order_relaxed);
      return false;
    }
    boost::asio::post(pool_, [this, job = std::forward<Job>(job)]() mutable {
      job();
      pending_.fetch_sub(1, std::memory_order_release);  // wait_idle_for() then sees its effects
    });
    return true;
  }

  // Blocks until every job posted before the call has run, or for at most `timeout`; true when
  // they all ran. Never call it from a job (the worker would wait for itself).
  bool wait_idle_for(std::chrono::milliseconds timeout);
  void wait_idle();

 private:
  std::future<void> post_marker();

  const std::size_t max_pending_;
  std::atomic<std::size_t> pending_{0};  // posted, not finished
  boost::asio::thread_pool pool_{1};
};

// Writes all of `data` to `fd`, retrying short writes and EINTR; false when write(2) failed. The
// blocking write the log sink and the console exporter hand to their workers.
bool write_all(int fd, std::string_view data) noexcept;

}  // namespace latencylab::core
