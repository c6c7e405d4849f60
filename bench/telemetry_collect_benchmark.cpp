// What an export costs the io thread: Meter::collect() building the snapshot of every series
// (http.server.request.duration and both body-size histograms per method x route x status, plus
// active_requests), for 10, 100 and 1000 attribute combinations. This is the only export work the
// io thread does; encoding and the gRPC call run on the exporter's worker thread
// (otlp_encoder_benchmark measures the encoding).
//
//   build/<dir>/bench/telemetry_collect_benchmark
#include <benchmark/benchmark.h>

#include <array>
#include <string>
#include <vector>

#include "telemetry/http_server_metrics.hpp"
#include "telemetry/meter.hpp"
#include "telemetry/request_guard.hpp"

namespace latencylab::telemetry {
namespace {

// Each route gets 2 methods x 5 statuses = 10 attribute combinations.
constexpr std::array<HttpMethod, 2> kMethods{HttpMethod::get, HttpMethod::post};
constexpr std::array<unsigned, 5> kStatuses{200, 201, 400, 404, 500};
constexpr std::size_t kCombinationsPerRoute = kMethods.size() * kStatuses.size();

void BM_Collect(benchmark::State& state) {
  const auto combinations = static_cast<std::size_t>(state.range(0));
  std::vector<std::string> routes;
  for (std::size_t r = 0; r < combinations / kCombinationsPerRoute; ++r) {
    routes.push_back("/api/route" + std::to_string(r));
  }
  Meter meter;
  HttpServerMetrics http(meter, routes, "http");
  for (std::size_t route = 0; route < routes.size(); ++route) {
    for (const HttpMethod method : kMethods) {
      for (const unsigned status : kStatuses) {
        RequestGuard guard(http, method, HttpProtocolVersion::http_1_1);
        guard.set_request_body_size(64);
        guard.set_route(route);
        guard.set_response(status, 512);
      }
    }
  }
  std::size_t points = 0;
  for (auto _ : state) {
    MetricsSnapshot snapshot = meter.collect();
    points = 0;
    for (const auto& metric : snapshot.metrics) {
      std::visit([&](const auto& data) { points += data.points.size(); }, metric.data);
    }
    benchmark::DoNotOptimize(snapshot);
  }
  state.counters["combinations"] = static_cast<double>(combinations);
  state.counters["data_points"] = static_cast<double>(points);
}
BENCHMARK(BM_Collect)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace latencylab::telemetry
