// The optional, sampled access log: one JSON line per sampled request (method, route, status,
// duration, request id). When disabled, `enabled()` is a single branch and nothing else runs.
//
// Threading: owned by the io thread (its sampling RNG is not shared).
//
//   if (access_log.enabled() && access_log.sample()) {
//     access_log.write({.method = "GET", .route = "/health", .status = 200,
//                       .duration = elapsed, .request_id = id.view()});
//   }
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string_view>

namespace latencylab::http {

class AccessLog {
 public:
  AccessLog(bool enabled, double sample_rate, std::uint64_t seed) noexcept;

  [[nodiscard]] bool enabled() const noexcept { return enabled_; }
  [[nodiscard]] bool sample() noexcept;

  struct Entry {
    std::string_view method;
    std::string_view route;  // template, or the raw path when no route matched
    unsigned status;
    std::chrono::nanoseconds duration;
    std::string_view request_id;
  };
  void write(const Entry& entry) const;

 private:
  bool enabled_;
  double sample_rate_;
  std::minstd_rand rng_;
};

}  // namespace latencylab::http
