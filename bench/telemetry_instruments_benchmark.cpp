// The cost of one recording through each bound instrument handle.
//
//   build/<dir>/bench/telemetry_instruments_benchmark --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include <array>

#include "telemetry/meter.hpp"

namespace latencylab::bench {
namespace {

void BM_Counter_Int64_Add(benchmark::State& state) {
  telemetry::Meter meter;
  auto bound = meter.create_counter<std::int64_t>({"c", "", "1"}).bind({{"k", "v"}});
  for (auto _ : state) {
    bound.add(1);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_Counter_Int64_Add);

void BM_Counter_Double_Add(benchmark::State& state) {
  telemetry::Meter meter;
  auto bound = meter.create_counter<double>({"c", "", "1"}).bind({{"k", "v"}});
  for (auto _ : state) {
    bound.add(0.5);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_Counter_Double_Add);

void BM_UpDownCounter_Int64_Add(benchmark::State& state) {
  telemetry::Meter meter;
  auto bound = meter.create_up_down_counter<std::int64_t>({"u", "", "1"}).bind({{"k", "v"}});
  std::int64_t delta = 1;
  for (auto _ : state) {
    bound.add(delta);
    delta = -delta;
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_UpDownCounter_Int64_Add);

// Values spread over the 14 semconv seconds buckets, so the bucket search is not always the same.
void BM_Histogram_Record_Seconds(benchmark::State& state) {
  telemetry::Meter meter;
  auto bound = meter.create_histogram({"h", "", "s"}).bind({{"k", "v"}});
  constexpr std::array<double, 8> kValues = {0.003, 0.012, 0.04, 0.09, 0.3, 0.8, 3.0, 12.0};
  std::size_t i = 0;
  for (auto _ : state) {
    bound.record(kValues[i++ % kValues.size()]);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_Histogram_Record_Seconds);

}  // namespace
}  // namespace latencylab::bench
