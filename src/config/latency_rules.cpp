#include "config/latency_rules.hpp"

#include <concepts>
#include <type_traits>

#include "config/described_json.hpp"

namespace latencylab::config {
namespace {

std::string shown(double value) {
  return detail::show(detail::write_value(value));
}

}  // namespace

std::vector<LatencyProblem> latency_problems(const sim::LatencySpec& spec) {
  std::vector<LatencyProblem> problems;
  const auto require = [&](bool ok, std::string_view field, double value, std::string rule) {
    if (!ok) problems.push_back(LatencyProblem{field, value, std::move(rule)});
  };
  // Every *_ms field is a duration or a clamp: none of them can be negative.
  detail::for_each_member(spec, [&](std::string_view name, const auto& field) {
    if constexpr (std::same_as<std::remove_cvref_t<decltype(field)>, double>) {
      require(field >= 0.0, name, field, "must not be negative");
    }
  });
  switch (spec.distribution) {
    case sim::Distribution::fixed:
      break;
    case sim::Distribution::uniform:
      require(spec.min_ms <= spec.max_ms, "min_ms", spec.min_ms,
              "must not exceed max_ms (" + shown(spec.max_ms) + ") for a uniform distribution");
      break;
    case sim::Distribution::lognormal:
      require(spec.p50_ms > 0.0, "p50_ms", spec.p50_ms,
              "must be greater than 0 for a lognormal distribution");
      [[fallthrough]];
    case sim::Distribution::normal:
      require(spec.p99_ms > spec.p50_ms, "p99_ms", spec.p99_ms,
              "must be greater than p50_ms (" + shown(spec.p50_ms) +
                  "); use the \"fixed\" distribution for a constant latency");
      // min_ms/max_ms are clamps here: a lower clamp above the median or an upper one below the
      // 99th percentile would cut the shape the percentiles describe.
      require(spec.min_ms <= spec.p50_ms, "min_ms", spec.min_ms,
              "is a lower clamp for this distribution and must not exceed p50_ms (" +
                  shown(spec.p50_ms) + ")");
      require(spec.max_ms == 0.0 || spec.max_ms >= spec.p99_ms, "max_ms", spec.max_ms,
              "is an upper clamp for this distribution (0 = none) and must not be below "
              "p99_ms (" +
                  shown(spec.p99_ms) + ")");
      break;
  }
  return problems;
}

}  // namespace latencylab::config
