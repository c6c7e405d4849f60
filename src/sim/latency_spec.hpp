// The configured shape of one simulated latency, in milliseconds before time scaling. Described
// with Boost.Describe: a graph file names the distribution and gives only the fields it uses
// (config/graph_file.cpp, docs/GRAPHS.md), and config/latency_rules.hpp checks every field.
//
//   sim::LatencySpec spec{.distribution = sim::Distribution::uniform, .min_ms = 50, .max_ms = 200};
#pragma once

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

namespace latencylab::sim {

BOOST_DEFINE_ENUM_CLASS(Distribution, fixed, uniform, normal, lognormal)

struct LatencySpec {
  Distribution distribution = Distribution::fixed;
  double value_ms = 0.0;  // fixed
  double min_ms = 0.0;    // uniform lower bound; lower clamp for normal/lognormal
  double max_ms = 0.0;    // uniform upper bound; upper clamp for normal/lognormal (0 = none)
  double p50_ms = 0.0;    // normal/lognormal: the median ...
  double p99_ms = 0.0;    // ... and the 99th percentile, which fix the spread
};
BOOST_DESCRIBE_STRUCT(LatencySpec, (), (distribution, value_ms, min_ms, max_ms, p50_ms, p99_ms))

}  // namespace latencylab::sim
