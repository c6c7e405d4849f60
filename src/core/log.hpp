// Structured JSON-lines logging to stderr.
//
// Each line is one JSON object: {"ts":"...","level":"info","event":"listening", ...fields}.
// Formatting happens on the caller's thread; the write(2) happens on a core::Worker so a slow
// stderr consumer (a full pipe) never blocks the io thread. When the worker's bounded queue is full
// new lines are dropped and counted; the count is reported in the next line that gets through.
//
//   latencylab::core::log::info("listening", {{"address", "127.0.0.1"}, {"port", 8080}});
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "core/result.hpp"

namespace latencylab::core::log {

enum class Level { debug, info, warn, error };

// Lines below this level are discarded before formatting. Thread-safe.
void set_min_level(Level level) noexcept;
[[nodiscard]] bool enabled(Level level) noexcept;

// Formats and enqueues one line. Thread-safe; never blocks on I/O.
void write(Level level, std::string_view event, boost::json::object fields = {});

inline void debug(std::string_view event, boost::json::object fields = {}) {
  write(Level::debug, event, std::move(fields));
}
inline void info(std::string_view event, boost::json::object fields = {}) {
  write(Level::info, event, std::move(fields));
}
inline void warn(std::string_view event, boost::json::object fields = {}) {
  write(Level::warn, event, std::move(fields));
}
inline void error(std::string_view event, boost::json::object fields = {}) {
  write(Level::error, event, std::move(fields));
}

// Blocks until every queued line is written. Call at shutdown, off the hot path.
void flush();

// Parses "debug" | "info" | "warn" | "error"; a Problem on anything else.
[[nodiscard]] core::Result<Level> parse_level(std::string_view text);

}  // namespace latencylab::core::log
