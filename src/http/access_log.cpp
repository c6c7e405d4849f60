#include "http/access_log.hpp"

#include "core/log.hpp"

namespace latencylab::http {

AccessLog::AccessLog(bool enabled, double sample_rate, std::uint64_t seed) noexcept
    : enabled_(enabled && sample_rate > 0.0),
      sample_rate_(sample_rate),
      rng_(static_cast<std::minstd_rand::result_type>(seed)) {}

bool AccessLog::sample() noexcept {
  return sample_rate_ >= 1.0 ||
         std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < sample_rate_;
}

void AccessLog::write(const Entry& entry) const {
  core::log::info(
      "access", {{"method", entry.method},
                 {"route", entry.route},
                 {"status", entry.status},
                 {"duration_ms", std::chrono::duration<double, std::milli>(entry.duration).count()},
                 {"request_id", entry.request_id}});
}

}  // namespace latencylab::http
