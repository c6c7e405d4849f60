// LoadMetrics recorded by hand and read back through Meter::collect(): which series each outcome
// lands in, with which attributes and values (no clock, no socket).
#include "loadgen/load_metrics.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <variant>

#include "loadgen/run_plan_builder.hpp"
#include "telemetry/attributes.hpp"

namespace latencylab::loadgen {
namespace {

using namespace std::chrono_literals;

RunPlan two_target_plan() {
  LoadOptions options;
  options.targets = {"api=http://localhost:8080/api/orders", "health=http://127.0.0.1:8081/health"};
  options.method = "POST";
  options.expect_status = "201,402";
  options.rate = 10;
  auto plan = build_run_plan(options);
  EXPECT_TRUE(plan.has_value()) << plan.error().message;
  return *std::move(plan);
}

std::string text(const telemetry::AttributeList& attributes, std::string_view key) {
  const auto* value = telemetry::find_attribute(attributes, key);
  if (value == nullptr) return "<absent>";
  if (const auto* s = std::get_if<std::string>(value)) return *s;
  return std::to_string(std::get<std::int64_t>(*value));
}

const telemetry::MetricData& metric(const telemetry::MetricsSnapshot& snapshot,
                                    std::string_view name) {
  for (const auto& m : snapshot.metrics) {
    if (m.name == name) return m;
  }
  ADD_FAILURE() << "no metric " << name;
  static const telemetry::MetricData none;
  return none;
}

// "target/outcome[/error.type]" -> value, over latencylab.load.requests.
std::map<std::string, std::int64_t> requests(const telemetry::MetricsSnapshot& snapshot) {
  std::map<std::string, std::int64_t> out;
  for (const auto& point :
       std::get<telemetry::SumData>(metric(snapshot, "latencylab.load.requests").data).points) {
    std::string key = text(point.attributes, "latencylab.load.target") + "/" +
                      text(point.attributes, "latencylab.load.outcome");
    if (text(point.attributes, "error.type") != "<absent>") {
      key += "/" + text(point.attributes, "error.type");
    }
    out[key] += std::get<std::int64_t>(point.value);
  }
  return out;
}

TEST(LoadMetrics, OutcomesAreCountedPerTargetAndKind) {
  const RunPlan plan = two_target_plan();
  telemetry::Meter meter;
  LoadMetrics metrics(meter, plan);
  metrics.sent(0, 0, /*late=*/false);
  metrics.sent(0, 0, /*late=*/true);
  metrics.sent(1, 0, /*late=*/false);
  metrics.dropped(1, 3);
  metrics.finished(0, 0, {ErrorKind::none, 201}, 2ms, 5ms);
  metrics.finished(0, 0, {ErrorKind::timeout, 0}, 10s, 10s);
  metrics.finished(1, 0, {ErrorKind::status, 500}, 1ms, 1ms);

  const auto counts = requests(meter.collect());
  EXPECT_EQ(counts.at("api/sent"), 2);
  EXPECT_EQ(counts.at("api/late"), 1);
  EXPECT_EQ(counts.at("api/dropped"), 0);
  EXPECT_EQ(counts.at("api/error/timeout"), 1);
  EXPECT_EQ(counts.at("api/error/status"), 0);
  EXPECT_EQ(counts.at("health/sent"), 1);
  EXPECT_EQ(counts.at("health/dropped"), 3);
  EXPECT_EQ(counts.at("health/error/status"), 1);
  EXPECT_EQ(counts.count("api/error/none"), 0u) << "success is not an error kind";
}

TEST(LoadMetrics, DurationsCarryTheSemconvClientAttributesAndBothLatencies) {
  const RunPlan plan = two_target_plan();
  telemetry::Meter meter;
  LoadMetrics metrics(meter, plan);
  metrics.finished(0, 0, {ErrorKind::none, 201}, 2ms, 5ms);
  metrics.finished(0, 0, {ErrorKind::none, 402}, 4ms, 4ms);
  metrics.finished(0, 0, {ErrorKind::connect, 0}, 1ms, 3ms);
  metrics.finished(1, 0, {ErrorKind::status, 418}, 1ms, 1ms);  // bound on first sight

  const auto snapshot = meter.collect();
  // (target, status or error.type) -> (count, sum) for one histogram.
  const auto points = [&](std::string_view name) {
    std::map<std::string, std::pair<std::uint64_t, double>> out;
    for (const auto& point :
         std::get<telemetry::HistogramData>(metric(snapshot, name).data).points) {
      const auto& a = point.attributes;
      const std::string status = text(a, "http.response.status_code");
      out[text(a, "latencylab.load.target") + "/" + status + "/" + text(a, "error.type")] = {
          point.count, point.sum};
      EXPECT_EQ(text(a, "http.request.method"), "POST");
      EXPECT_EQ(text(a, "latencylab.load.endpoint"),
                text(a, "latencylab.load.target") == "api" ? "POST /api/orders" : "POST /health");
      if (text(a, "latencylab.load.target") == "api") {
        EXPECT_EQ(text(a, "server.address"), "localhost");
        EXPECT_EQ(text(a, "server.port"), "8080");
      }
    }
    return out;
  };
  const auto service = points("http.client.request.duration");
  const auto corrected = points("latencylab.load.request.duration");
  EXPECT_EQ(service.at("api/201/<absent>").first, 1u);
  EXPECT_DOUBLE_EQ(service.at("api/201/<absent>").second, 0.002);
  EXPECT_DOUBLE_EQ(corrected.at("api/201/<absent>").second, 0.005) << "from the intended time";
  EXPECT_EQ(service.at("api/402/402").first, 1u) << "semconv: error.type is a status >= 400";
  EXPECT_EQ(service.at("api/<absent>/connect").first, 1u);
  EXPECT_DOUBLE_EQ(corrected.at("api/<absent>/connect").second, 0.003);
  EXPECT_EQ(service.at("health/418/418").first, 1u);
  EXPECT_EQ(service.at("api/<absent>/timeout").first, 0u) << "bound before the run, unused";
  EXPECT_EQ(service.count("api/200/<absent>"), 0u) << "api lists its statuses: 200 is not one";
  EXPECT_EQ(service.count("health/200/<absent>"), 0u);
}

}  // namespace
}  // namespace latencylab::loadgen
