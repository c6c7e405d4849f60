// The immutable metrics snapshot: what one collection produces and what exporters consume.
//
// It mirrors the OTLP data model (Resource -> Scope -> Metric -> points) without depending on
// protobuf, so the SDK, the console exporter and the OTLP encoder share one vocabulary and the
// encoder stays a pure function of this structure. Built on the io thread, then handed to the
// exporter as shared_ptr<const MetricsSnapshot>; nobody mutates it after that.
//
//   std::shared_ptr<const MetricsSnapshot> snapshot =
//       std::make_shared<const MetricsSnapshot>(meter.collect());
//   for (const MetricData& metric : snapshot->metrics) std::cout << metric.name << '\n';
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace latencylab::telemetry {

using AttributeValue = std::variant<std::string, bool, std::int64_t, double>;

struct Attribute {
  std::string key;
  AttributeValue value;

  friend bool operator==(const Attribute&, const Attribute&) = default;
};

// Sorted by key, keys unique.
using AttributeList = std::vector<Attribute>;

enum class Temporality { cumulative, delta };

struct NumberPoint {
  AttributeList attributes;
  std::uint64_t start_time_unix_nano = 0;
  std::uint64_t time_unix_nano = 0;
  std::variant<std::int64_t, double> value;
};

struct HistogramPoint {
  AttributeList attributes;
  std::uint64_t start_time_unix_nano = 0;
  std::uint64_t time_unix_nano = 0;
  std::uint64_t count = 0;
  double sum = 0.0;
  std::optional<double> min;  // absent when count == 0
  std::optional<double> max;
  std::vector<double> explicit_bounds;       // ascending; bucket i is (bounds[i-1], bounds[i]]
  std::vector<std::uint64_t> bucket_counts;  // explicit_bounds.size() + 1 entries, sum == count
};

struct SumData {
  std::vector<NumberPoint> points;
  Temporality temporality = Temporality::cumulative;
  bool monotonic = true;
};

struct GaugeData {
  std::vector<NumberPoint> points;
};

struct HistogramData {
  std::vector<HistogramPoint> points;
  Temporality temporality = Temporality::cumulative;
};

struct MetricData {
  std::string name;
  std::string description;
  std::string unit;
  std::variant<SumData, GaugeData, HistogramData> data;
};

struct InstrumentationScope {
  std::string name;
  std::string version;
};

struct MetricsSnapshot {
  AttributeList resource;  // service.name, service.version, ... (see resource.hpp)
  InstrumentationScope scope;
  std::vector<MetricData> metrics;
};

}  // namespace latencylab::telemetry
