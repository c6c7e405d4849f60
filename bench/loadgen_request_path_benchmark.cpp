// Per-request CPU cost of the load generator's own bookkeeping (everything but the socket I/O):
// picking a pre-serialized request from the mix, recording both latencies into the histograms and
// the status/error counters, and the end-of-run percentile query. Also counts heap allocations on
// that path, which must be zero.
//
//   build/<dir>/bench/loadgen_request_path_benchmark
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <random>

#include "allocation_counter.hpp"
#include "loadgen/latency_histogram.hpp"
#include "loadgen/request_mix.hpp"
#include "loadgen/run_stats.hpp"
#include "loadgen/scenario.hpp"

namespace latencylab::loadgen {
namespace {

void BM_HistogramRecord(benchmark::State& state) {
  LatencyHistogram histogram;
  std::mt19937_64 rng{1};
  std::lognormal_distribution<double> latency(13.0, 1.0);  // ~0.4 ms median, in ns
  std::vector<std::uint64_t> values(4096);
  for (auto& v : values) v = static_cast<std::uint64_t>(latency(rng));
  std::size_t i = 0;
  const auto before = bench::allocations();
  for (auto _ : state) {
    histogram.record(values[i++ & 4095]);
  }
  state.counters["allocs_per_op"] = benchmark::Counter(
      static_cast<double>(bench::allocations() - before), benchmark::Counter::kAvgIterations);
  benchmark::DoNotOptimize(histogram.count());
}
BENCHMARK(BM_HistogramRecord);

void BM_HistogramP99(benchmark::State& state) {
  LatencyHistogram histogram;
  for (std::uint64_t v = 1000; v < 10'000'000'000; v = v * 101 / 100) histogram.record(v);
  for (auto _ : state) benchmark::DoNotOptimize(histogram.percentile(99.0));
}
BENCHMARK(BM_HistogramP99);

// One request's bookkeeping as LoadEngine::send_one does it: pick, then record into the
// per-endpoint stats and the per-second interval.
void BM_PickAndRecordOneRequest(benchmark::State& state) {
  const auto scenario = load_scenario("storefront").value();
  const auto target = parse_target_url("http://127.0.0.1:8080").value();
  const RequestMix mix(scenario.endpoints, target, false, 1);
  MixRng rng{1};
  TargetStats stats(mix.endpoint_count());
  IntervalStats interval;
  const ExchangeOutcome ok{ErrorKind::none, 200};
  std::uint64_t n = 0;
  const auto before = bench::allocations();
  for (auto _ : state) {
    const auto choice = mix.pick(rng);
    benchmark::DoNotOptimize(choice.bytes.data());
    const Nanos latency{200'000 + static_cast<Nanos::rep>(n++ % 1000) * 1000};
    interval.latency.record(static_cast<std::uint64_t>(latency.count()));
    interval.service_time.record(static_cast<std::uint64_t>(latency.count()));
    ++interval.completed;
    stats.endpoints[choice.endpoint].record(ok, latency, latency);
  }
  state.counters["allocs_per_op"] = benchmark::Counter(
      static_cast<double>(bench::allocations() - before), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_PickAndRecordOneRequest);

}  // namespace
}  // namespace latencylab::loadgen
