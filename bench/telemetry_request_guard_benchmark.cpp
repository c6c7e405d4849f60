// The whole per-request telemetry cost: RequestGuard construct + set_route + set_response +
// destroy, i.e. active_requests +1/-1, the duration histogram and both body-size histograms.
//
//   build/<dir>/bench/telemetry_request_guard_benchmark --benchmark_repetitions=5
//
// Three variants: the default clock (fast_steady_now: TSC), std::chrono::steady_clock, and a
// constant clock (the recording cost alone). Each request reads the clock twice.
#include <benchmark/benchmark.h>

#include "request_mix.hpp"

namespace latencylab::bench {
namespace {

std::chrono::steady_clock::time_point fixed_now() noexcept {
  return std::chrono::steady_clock::time_point{};
}

void run(benchmark::State& state, telemetry::HttpServerMetrics::SteadyClock clock) {
  telemetry::Meter meter;
  telemetry::HttpServerMetrics http(meter, kRoutes, "http", clock);
  warm_up(http);
  std::size_t i = 0;
  for (auto _ : state) {
    run_one_request(http, kRequestMix[i++ % kRequestMix.size()]);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}

// The default: TSC-based clock (steady_clock fallback where the kernel does not trust the TSC).
void BM_RequestGuard_FastSteadyClock(benchmark::State& state) {
  state.SetLabel(telemetry::fast_steady_clock_uses_tsc() ? "tsc" : "steady_clock fallback");
  run(state, &telemetry::fast_steady_now);
}
BENCHMARK(BM_RequestGuard_FastSteadyClock);

void BM_RequestGuard_SteadyClock(benchmark::State& state) {
  run(state, &telemetry::HttpServerMetrics::steady_now);
}
BENCHMARK(BM_RequestGuard_SteadyClock);

void BM_RequestGuard_FixedClock(benchmark::State& state) {
  run(state, &fixed_now);
}
BENCHMARK(BM_RequestGuard_FixedClock);

// Reference: what one clock read costs on this machine (the guard does two).
void BM_SteadyClockNow(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(std::chrono::steady_clock::now());
}
BENCHMARK(BM_SteadyClockNow);

void BM_FastSteadyClockNow(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(telemetry::fast_steady_now());
}
BENCHMARK(BM_FastSteadyClockNow);

}  // namespace
}  // namespace latencylab::bench
