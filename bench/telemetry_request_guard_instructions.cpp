// Callgrind driver for the request guard: runs N requests of the benchmark's mix inside
// run_requests(), so `--toggle-collect` counts exactly the per-request instructions.
//
//   valgrind --tool=callgrind --toggle-collect='latencylab::bench::run_requests*'
//            build/tel-release/bench/telemetry_request_guard_instructions 100000 fixed
//   callgrind_annotate callgrind.out.<pid> | head -20      # total Ir / 100000 = per request
//
// Second argument: "fixed" (constant clock: recording cost only), "steady" (steady_clock) or
// "fast" (the default fast_steady_now).
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "request_mix.hpp"

namespace latencylab::bench {

std::chrono::steady_clock::time_point fixed_now() noexcept {
  return std::chrono::steady_clock::time_point{};
}

[[gnu::noinline]] void run_requests(telemetry::HttpServerMetrics& http, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) run_one_request(http, kRequestMix[i % kRequestMix.size()]);
}

}  // namespace latencylab::bench

int main(int argc, char** argv) {
  using namespace latencylab;
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100000;
  const std::string_view mode = argc > 2 ? argv[2] : "fixed";
  telemetry::HttpServerMetrics::SteadyClock clock = &bench::fixed_now;
  if (mode == "steady") clock = &telemetry::HttpServerMetrics::steady_now;
  if (mode == "fast") clock = &telemetry::fast_steady_now;
  telemetry::Meter meter;
  telemetry::HttpServerMetrics http(meter, bench::kRoutes, "http", clock);
  bench::warm_up(http);
  bench::run_requests(http, n);
  const auto snapshot = meter.collect();
  std::printf("%zu requests, %zu metrics collected\n", n, snapshot.metrics.size());
  return 0;
}
