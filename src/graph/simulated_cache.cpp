#include "graph/simulated_cache.hpp"

#include <string>

namespace latencylab::graph {
namespace {

telemetry::BoundCounter<std::int64_t> lookups(telemetry::Meter& meter, const std::string& cache,
                                              const char* result) {
  return meter
      .create_counter<std::int64_t>(
          {"latencylab.cache.lookups", "Simulated cache lookups by result", "{lookup}"})
      .bind({{"cache.result", std::string(result)}, {"latencylab.cache.name", cache}});
}

}  // namespace

SimulatedCache::SimulatedCache(const config::Cache& cache, double time_scale,
                               telemetry::Meter& meter)
    : latency_(cache.latency, time_scale),
      hit_rate_(cache.hit_rate),
      hits_(lookups(meter, cache.name, "hit")),
      misses_(lookups(meter, cache.name, "miss")) {}

bool SimulatedCache::lookup(sim::Rng& rng) const noexcept {
  const bool hit = sim::chance(rng, hit_rate_);
  (hit ? hits_ : misses_).add(1);
  return hit;
}

}  // namespace latencylab::graph
