// The one random engine type of the simulation. Seeded once per process from the config's `seed`
// so a run is reproducible; owned by the io thread (not shared across threads).
//
//   latencylab::sim::Rng rng{config.seed};
//   bool fail = latencylab::sim::chance(rng, 0.05);
#pragma once

#include <random>

namespace latencylab::sim {

using Rng = std::mt19937_64;

// True with the given probability, in [0, 1].
[[nodiscard]] inline bool chance(Rng& rng, double probability) noexcept {
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng) < probability;
}

}  // namespace latencylab::sim
