// A simulated cache resource of a graph service: every lookup pays the cache's own latency, then
// hits with its hit rate. A hit skips the steps the cache step guards (graph/steps.hpp).
//
// Counts lookups in latencylab.cache.lookups{cache.result, latencylab.cache.name}, bound at
// startup. Owned by the io thread.
//
//   SimulatedCache users{config_cache, time_scale, meter};
//   co_await sleep_for(users.latency().sample(rng));
//   if (!users.lookup(rng)) { /* the miss steps */ }
#pragma once

#include <cstdint>

#include "config/graph.hpp"
#include "sim/latency_model.hpp"
#include "sim/random.hpp"
#include "telemetry/meter.hpp"

namespace latencylab::graph {

class SimulatedCache {
 public:
  SimulatedCache(const config::Cache& cache, double time_scale, telemetry::Meter& meter);

  [[nodiscard]] const sim::LatencyModel& latency() const noexcept { return latency_; }

  // Draws hit or miss and counts it: true on a hit.
  bool lookup(sim::Rng& rng) const noexcept;

 private:
  sim::LatencyModel latency_;
  double hit_rate_;
  telemetry::BoundCounter<std::int64_t> hits_;
  telemetry::BoundCounter<std::int64_t> misses_;
};

}  // namespace latencylab::graph
