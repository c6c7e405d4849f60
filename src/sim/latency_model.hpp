// Samples simulated latencies from a LatencySpec, scaled by the global time_scale.
//
// Pure and deterministic for a given Rng state: no clocks, no I/O. Normal and lognormal shapes are
// given by their median and 99th percentile, which is how people state latency budgets.
//
//   LatencyModel db{spec, /*time_scale=*/1.0};
//   std::chrono::nanoseconds wait = db.sample(rng);  // the handler then awaits a timer for `wait`
#pragma once

#include <chrono>

#include "sim/latency_spec.hpp"
#include "sim/random.hpp"

namespace latencylab::sim {

class LatencyModel {
 public:
  LatencyModel() = default;
  LatencyModel(const LatencySpec& spec, double time_scale) noexcept;

  [[nodiscard]] std::chrono::nanoseconds sample(Rng& rng) const noexcept;

 private:
  double sample_ms(Rng& rng) const noexcept;

  LatencySpec spec_{};
  double time_scale_ = 1.0;
  // Precomputed from p50/p99: mean/stddev for normal, mu/sigma of log(x) for lognormal.
  double location_ = 0.0;
  double scale_ = 0.0;
};

}  // namespace latencylab::sim
