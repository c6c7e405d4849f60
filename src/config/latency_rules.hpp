// The rules a latency distribution of the service graph must satisfy (graph_validate.cpp). Each
// broken rule names the LatencySpec field it is about, so the caller can prefix the field with
// its own path and format the message its way.
//
//   for (const auto& broken : latency_problems(spec)) {
//     std::cout << key << '.' << broken.field << " = " << broken.value << ": " << broken.rule;
//   }
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/latency_spec.hpp"

namespace latencylab::config {

struct LatencyProblem {
  std::string_view field;  // "min_ms", ...
  double value = 0.0;      // the field's value
  std::string rule;        // "must not be negative", ...
};

// Every broken rule: negative durations, uniform min above max, a normal/lognormal p99 not above
// p50, clamps that would cut the shape.
[[nodiscard]] std::vector<LatencyProblem> latency_problems(const sim::LatencySpec& spec);

}  // namespace latencylab::config
