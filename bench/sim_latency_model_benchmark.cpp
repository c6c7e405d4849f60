// Cost of drawing one simulated latency (LatencyModel::sample) for each distribution, with the
// service's defaults: what every simulated endpoint pays before it arms its timer.
//
//   build/<dir>/bench/sim_latency_model_benchmark
#include <benchmark/benchmark.h>

#include "sim/latency_model.hpp"

namespace latencylab::sim {
namespace {

void sample(benchmark::State& state, const LatencySpec& spec) {
  const LatencyModel model{spec, 1.0};
  Rng rng{42};
  for (auto _ : state) benchmark::DoNotOptimize(model.sample(rng));
}

void BM_SampleFixed(benchmark::State& state) {
  sample(state, {.distribution = Distribution::fixed, .value_ms = 25});
}
BENCHMARK(BM_SampleFixed);

void BM_SampleUniform(benchmark::State& state) {  // /api/users DB query
  sample(state, {.distribution = Distribution::uniform, .min_ms = 50, .max_ms = 200});
}
BENCHMARK(BM_SampleUniform);

void BM_SampleNormal(benchmark::State& state) {
  sample(state, {.distribution = Distribution::normal, .p50_ms = 30, .p99_ms = 90});
}
BENCHMARK(BM_SampleNormal);

void BM_SampleLognormal(benchmark::State& state) {  // /api/search
  sample(state,
         {.distribution = Distribution::lognormal, .max_ms = 5000, .p50_ms = 40, .p99_ms = 400});
}
BENCHMARK(BM_SampleLognormal);

}  // namespace
}  // namespace latencylab::sim
