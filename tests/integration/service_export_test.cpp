// The service exporting to an in-process OTLP/gRPC collector: what a Collector decodes after N
// requests (issue: "N requests -> a duration histogram with count N and the right attributes").
#include <gtest/gtest.h>

#include <map>

#include "fake_collector.hpp"
#include "service_fixture.hpp"
#include "telemetry/otlp/otlp_exporter_settings.hpp"
#include "telemetry/otlp/otlp_grpc_exporter.hpp"

namespace latencylab::testing {
namespace {

using namespace std::chrono_literals;
using telemetry::otlp::testing::FakeCollector;
namespace metrics_v1 = opentelemetry::proto::metrics::v1;

std::string attribute(const metrics_v1::HistogramDataPoint& point, std::string_view key) {
  for (const auto& kv : point.attributes()) {
    if (kv.key() == key) {
      return kv.value().has_int_value() ? std::to_string(kv.value().int_value())
                                        : kv.value().string_value();
    }
  }
  return "<absent>";
}

TEST(ServiceExportTest, CollectorReceivesDurationHistogramsPerRouteAndStatus) {
  FakeCollector collector;
  ServiceFixture service{[&](app::ServiceOptions& options) {
    telemetry::otlp::OtlpExporterSettings settings;
    settings.endpoint = "http://" + collector.target();
    settings.target = collector.target();
    settings.timeout = 2s;
    options.exporter = telemetry::otlp::make_otlp_grpc_exporter(settings);
    options.reader = {.interval = 200ms, .timeout = 2s};
    options.meter.resource = {{"service.name", std::string("latencylab-export-test")}};
  }};
  constexpr int kProducts = 12;
  constexpr int kMissing = 5;
  for (int i = 0; i < kProducts; ++i) {
    ASSERT_EQ(service.request(beast_http::verb::get, "/api/products").result_int(), 200);
  }
  for (int i = 0; i < kMissing; ++i) {
    ASSERT_EQ(service.request(beast_http::verb::get, "/no/such/path").result_int(), 404);
  }
  service.stop();  // the drain ends with a final export of the cumulative totals
  const auto calls = collector.calls();
  ASSERT_FALSE(calls.empty());
  const auto& request = calls.back().request;
  ASSERT_EQ(request.resource_metrics_size(), 1);
  const auto& resource_metrics = request.resource_metrics(0);
  bool service_name_seen = false;
  for (const auto& kv : resource_metrics.resource().attributes()) {
    if (kv.key() == "service.name") {
      service_name_seen = kv.value().string_value() == "latencylab-export-test";
    }
  }
  EXPECT_TRUE(service_name_seen);

  std::map<std::pair<std::string, std::string>, std::uint64_t> counts;  // (route, status) -> count
  for (const auto& scope : resource_metrics.scope_metrics()) {
    for (const auto& metric : scope.metrics()) {
      if (metric.name() != "http.server.request.duration") continue;
      EXPECT_EQ(metric.unit(), "s");
      ASSERT_TRUE(metric.has_histogram());
      EXPECT_EQ(metric.histogram().aggregation_temporality(),
                metrics_v1::AGGREGATION_TEMPORALITY_CUMULATIVE);
      for (const auto& point : metric.histogram().data_points()) {
        EXPECT_EQ(attribute(point, "http.request.method"), "GET");
        EXPECT_EQ(attribute(point, "url.scheme"), "http");
        EXPECT_EQ(attribute(point, "network.protocol.version"), "1.1");
        counts[{attribute(point, "http.route"), attribute(point, "http.response.status_code")}] +=
            point.count();
      }
    }
  }
  EXPECT_EQ((counts[{"/api/products", "200"}]), static_cast<std::uint64_t>(kProducts));
  // Unmatched requests carry no http.route (never the raw path).
  EXPECT_EQ((counts[{"<absent>", "404"}]), static_cast<std::uint64_t>(kMissing));
  EXPECT_EQ(counts.count({"/no/such/path", "404"}), 0u);
}

}  // namespace
}  // namespace latencylab::testing
