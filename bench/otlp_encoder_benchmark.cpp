// Cost of turning a metrics snapshot into the OTLP export request, per export period.
//
// Series are histogram points shaped like http.server.request.duration (3 attributes, the 15
// default explicit bounds). Variants: encoding into a request reused across exports (what the
// exporter does), into a fresh request each time, into a request on a protobuf arena reset per
// export, and serializing the encoded request to wire bytes (what gRPC does next).
//
//   build/<dir>/bench/otlp_encoder_benchmark --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <google/protobuf/arena.h>

#include <string>
#include <vector>

#include "telemetry/otlp/otlp_encoder.hpp"

namespace {

using latencylab::telemetry::HistogramData;
using latencylab::telemetry::HistogramPoint;
using latencylab::telemetry::MetricData;
using latencylab::telemetry::MetricsSnapshot;
using latencylab::telemetry::Temporality;
using Request = opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;

MetricsSnapshot make_snapshot(int series) {
  MetricsSnapshot snapshot;
  snapshot.resource = {{"service.name", std::string("latencylab")},
                       {"service.version", std::string("0.1.0")},
                       {"deployment.environment.name", std::string("prod")}};
  snapshot.scope = {"latencylab", "0.1.0"};
  const std::vector<double> bounds = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25,
                                      0.5,   0.75, 1.0,   2.5,  5.0,   7.5, 10.0};
  HistogramData histogram;
  histogram.temporality = Temporality::cumulative;
  const char* methods[] = {"GET", "POST", "PUT", "DELETE"};
  for (int i = 0; i < series; ++i) {
    HistogramPoint point;
    point.attributes = {{"http.request.method", std::string(methods[i % 4])},
                        {"http.response.status_code", std::int64_t{200 + (i % 5) * 100}},
                        {"http.route", "/api/route/" + std::to_string(i)}};
    point.start_time_unix_nano = 1'700'000'000'000'000'000ULL;
    point.time_unix_nano = point.start_time_unix_nano + 60'000'000'000ULL;
    point.explicit_bounds = bounds;
    point.bucket_counts.assign(bounds.size() + 1, 0);
    for (std::size_t b = 0; b < point.bucket_counts.size(); ++b) {
      point.bucket_counts[b] = (b * 37 + static_cast<std::size_t>(i)) % 101;
      point.count += point.bucket_counts[b];
    }
    point.sum = 0.042 * static_cast<double>(point.count);
    point.min = 0.001;
    point.max = 9.5;
    histogram.points.push_back(std::move(point));
  }
  snapshot.metrics.push_back(MetricData{"http.server.request.duration",
                                        "Duration of HTTP server requests.", "s", histogram});
  return snapshot;
}

void set_counters(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["series"] = static_cast<double>(state.range(0));
}

void BM_EncodeReusedRequest(benchmark::State& state) {
  const MetricsSnapshot snapshot = make_snapshot(static_cast<int>(state.range(0)));
  Request request;
  for (auto _ : state) {
    latencylab::telemetry::otlp::encode_export_request(snapshot, request);
    benchmark::DoNotOptimize(request);
  }
  set_counters(state);
}

void BM_EncodeFreshRequest(benchmark::State& state) {
  const MetricsSnapshot snapshot = make_snapshot(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    Request request;
    latencylab::telemetry::otlp::encode_export_request(snapshot, request);
    benchmark::DoNotOptimize(request);
  }
  set_counters(state);
}

// What the exporter does: one arena kept across exports, Reset() before each encode.
void BM_EncodeArenaRequest(benchmark::State& state) {
  const MetricsSnapshot snapshot = make_snapshot(static_cast<int>(state.range(0)));
  google::protobuf::Arena arena;
  for (auto _ : state) {
    arena.Reset();
    auto* request = google::protobuf::Arena::CreateMessage<Request>(&arena);
    latencylab::telemetry::otlp::encode_export_request(snapshot, *request);
    benchmark::DoNotOptimize(request);
  }
  set_counters(state);
}

void BM_SerializeRequest(benchmark::State& state) {
  const MetricsSnapshot snapshot = make_snapshot(static_cast<int>(state.range(0)));
  Request request;
  latencylab::telemetry::otlp::encode_export_request(snapshot, request);
  std::string wire;
  for (auto _ : state) {
    request.SerializeToString(&wire);
    benchmark::DoNotOptimize(wire);
  }
  set_counters(state);
  state.counters["wire_bytes"] = static_cast<double>(wire.size());
}

BENCHMARK(BM_EncodeReusedRequest)->Arg(10)->Arg(100)->Arg(1000);
BENCHMARK(BM_EncodeFreshRequest)->Arg(10)->Arg(100)->Arg(1000);
BENCHMARK(BM_EncodeArenaRequest)->Arg(10)->Arg(100)->Arg(1000);
BENCHMARK(BM_SerializeRequest)->Arg(10)->Arg(100)->Arg(1000);

}  // namespace
