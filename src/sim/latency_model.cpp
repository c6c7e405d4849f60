#include "sim/latency_model.hpp"

#include <algorithm>
#include <cmath>

namespace latencylab::sim {
namespace {

// z-score of the 99th percentile of the standard normal distribution.
constexpr double kZ99 = 2.326347874040841;

// An unclamped lognormal tail (max_ms 0) times a large time_scale can exceed what int64
// nanoseconds hold, and std::llround of such a value is unspecified (in practice negative: a
// timer that fires at once). A day is far beyond any simulated request.
constexpr double kLongestSampleMs = 24.0 * 60 * 60 * 1000;

}  // namespace

LatencyModel::LatencyModel(const LatencySpec& spec, double time_scale) noexcept
    : spec_(spec), time_scale_(time_scale) {
  switch (spec.distribution) {
    case Distribution::normal:
      location_ = spec.p50_ms;
      scale_ = (spec.p99_ms - spec.p50_ms) / kZ99;
      break;
    case Distribution::lognormal:
      location_ = std::log(spec.p50_ms);
      scale_ = (std::log(spec.p99_ms) - location_) / kZ99;
      break;
    case Distribution::fixed:
    case Distribution::uniform:
      break;
  }
}

double LatencyModel::sample_ms(Rng& rng) const noexcept {
  switch (spec_.distribution) {
    case Distribution::fixed:
      return spec_.value_ms;
    case Distribution::uniform:
      return std::uniform_real_distribution<double>(spec_.min_ms, spec_.max_ms)(rng);
    case Distribution::normal:
      return std::normal_distribution<double>(location_, scale_)(rng);
    case Distribution::lognormal:
      return std::exp(std::normal_distribution<double>(location_, scale_)(rng));
  }
  return 0.0;
}

std::chrono::nanoseconds LatencyModel::sample(Rng& rng) const noexcept {
  double ms = std::max(sample_ms(rng), spec_.min_ms);
  if (spec_.max_ms > 0.0) ms = std::min(ms, spec_.max_ms);
  ms = std::clamp(ms * time_scale_, 0.0, kLongestSampleMs);
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(ms * 1e6)));
}

}  // namespace latencylab::sim
