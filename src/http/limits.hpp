// What the server promises to bound: sizes, deadlines and connection count. Filled from
// config::ServerConfig by the app; http/ does not read configuration itself.
//
//   latencylab::http::Limits limits = latencylab::app::limits_from(config.server);
//   if (body_bytes > limits.body_limit_bytes) { /* 413 */ }
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace latencylab::http {

struct Limits {
  std::size_t header_limit_bytes = 8 * 1024;         // larger header -> 431
  std::size_t body_limit_bytes = 64 * 1024;          // larger body -> 413
  std::chrono::milliseconds header_timeout{10'000};  // header not complete -> 408
  std::chrono::milliseconds body_timeout{10'000};    // body not complete -> 408
  std::chrono::milliseconds idle_timeout{60'000};    // no next request -> close
  std::chrono::milliseconds write_timeout{10'000};   // client not reading -> close
  std::size_t max_connections = 16'000;              // beyond -> fast 503
  std::uint32_t retry_after_seconds = 1;
};

}  // namespace latencylab::http
