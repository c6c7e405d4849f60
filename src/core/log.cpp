#include "core/log.hpp"

#include <unistd.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "core/wall_clock.hpp"

namespace latencylab::log {
namespace {

constexpr std::size_t kMaxQueuedLines = 8192;

std::string_view level_name(Level level) noexcept {
  switch (level) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
  }
  return "info";
}

void write_all(int fd, std::string_view data) noexcept {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // stderr gone: nothing sensible left to do with a log line.
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

// The writer thread owns fd 2; producers only touch the queue under the mutex.
class Sink {
 public:
  Sink() : writer_([this] { run(); }) {}
  ~Sink() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_writer_.notify_one();
    writer_.join();
  }

  void push(std::string line) {
    {
      std::lock_guard lock(mutex_);
      if (queue_.size() >= kMaxQueuedLines) {
        ++dropped_;
        return;
      }
      if (dropped_ != 0) {
        line.pop_back();  // reopen the object to append the drop count
        line.pop_back();
        line += ",\"log.dropped_lines\":" + std::to_string(dropped_) + "}\n";
        dropped_ = 0;
      }
      queue_.push_back(std::move(line));
    }
    wake_writer_.notify_one();
  }

  void flush() {
    std::unique_lock lock(mutex_);
    drained_.wait(lock, [this] { return queue_.empty() && !writing_; });
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_writer_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      std::deque<std::string> batch;
      batch.swap(queue_);
      writing_ = true;
      lock.unlock();
      std::string joined;
      for (const auto& line : batch) joined += line;
      write_all(STDERR_FILENO, joined);
      lock.lock();
      writing_ = false;
      if (queue_.empty()) drained_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_writer_;
  std::condition_variable drained_;
  std::deque<std::string> queue_;
  std::uint64_t dropped_ = 0;
  bool writing_ = false;
  bool stopping_ = false;
  std::thread writer_;
};

Sink& sink() {
  static Sink instance;
  return instance;
}

std::atomic<Level> g_min_level{Level::info};

}  // namespace

void set_min_level(Level level) noexcept {
  g_min_level.store(level, std::memory_order_relaxed);
}

bool enabled(Level level) noexcept {
  return static_cast<int>(level) >= static_cast<int>(g_min_level.load(std::memory_order_relaxed));
}

void write(Level level, std::string_view event, boost::json::object fields) {
  if (!enabled(level)) return;
  boost::json::object line;
  line.reserve(fields.size() + 3);
  line["ts"] = format_rfc3339(std::chrono::system_clock::now());
  line["level"] = level_name(level);
  line["event"] = event;
  for (auto& field : fields) line[field.key()] = std::move(field.value());
  std::string text = boost::json::serialize(line);
  text += '\n';
  sink().push(std::move(text));
}

void flush() {
  sink().flush();
}

core::Result<Level> parse_level(std::string_view text) {
  for (Level level : {Level::debug, Level::info, Level::warn, Level::error}) {
    if (text == level_name(level)) return level;
  }
  return core::Problem{"",
                       "expected debug, info, warn or error, got \"" + std::string(text) + "\""};
}

}  // namespace latencylab::log
