// Test helpers: find a metric and a point in a MetricsSnapshot by name and attributes.
//
//   const auto& h = histogram_of(snapshot, "http.server.request.duration");
//   const HistogramPoint* p = point_with(h.points, {{"http.route", "/health"}});
#pragma once

#include <gtest/gtest.h>

#include <stdexcept>
#include <string_view>

#include "telemetry/attributes.hpp"
#include "telemetry/meter.hpp"
#include "telemetry/metric_data.hpp"

namespace latencylab::telemetry::testing {

inline const MetricData* find_metric(const MetricsSnapshot& snapshot, std::string_view name) {
  for (const auto& metric : snapshot.metrics) {
    if (metric.name == name) return &metric;
  }
  return nullptr;
}

template <typename Data>
const Data& data_of(const MetricsSnapshot& snapshot, std::string_view name) {
  const MetricData* metric = find_metric(snapshot, name);
  if (metric == nullptr) throw std::runtime_error("metric not in snapshot: " + std::string(name));
  const Data* data = std::get_if<Data>(&metric->data);
  if (data == nullptr) throw std::runtime_error("metric has another type: " + std::string(name));
  return *data;
}

inline const HistogramData& histogram_of(const MetricsSnapshot& s, std::string_view name) {
  return data_of<HistogramData>(s, name);
}
inline const SumData& sum_of(const MetricsSnapshot& s, std::string_view name) {
  return data_of<SumData>(s, name);
}
inline const GaugeData& gauge_of(const MetricsSnapshot& s, std::string_view name) {
  return data_of<GaugeData>(s, name);
}

// The point whose attributes are exactly `attributes` (order-insensitive), or nullptr.
template <typename Point>
const Point* point_with(const std::vector<Point>& points, AttributeList attributes) {
  attributes = make_attributes(std::move(attributes));
  for (const auto& point : points) {
    if (point.attributes == attributes) return &point;
  }
  return nullptr;
}

// A settable Unix clock for Meter tests.
struct FakeUnixClock {
  std::uint64_t now = 1'000;
  UnixClock function() {
    return [this] { return now; };
  }
};

}  // namespace latencylab::telemetry::testing
