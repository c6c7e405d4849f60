#include "core/log.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "core/json_writer.hpp"
#include "core/wall_clock.hpp"
#include "core/worker.hpp"

namespace latencylab::core::log {
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

// Lines leave the caller's thread through a bounded worker, which owns fd 2. A line refused because
// the queue is full is counted; the count rides on the next line that gets through.
class Sink {
 public:
  void push(std::string line) {
    const std::uint64_t dropped_before = dropped_.exchange(0, std::memory_order_relaxed);
    if (dropped_before != 0) {
      line.pop_back();  // reopen the object to append the drop count
      line.pop_back();
      line += ",\"log.dropped_lines\":" + std::to_string(dropped_before) + "}\n";
    }
    if (!writer_.try_post([line = std::move(line)] { core::write_all(STDERR_FILENO, line); })) {
      dropped_.fetch_add(dropped_before + 1, std::memory_order_relaxed);
    }
  }

  void flush() { writer_.wait_idle(); }

 private:
  std::atomic<std::uint64_t> dropped_{0};
  core::Worker writer_{kMaxQueuedLines};
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
  std::string text = core::json::serialize(line);
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

}  // namespace latencylab::core::log
