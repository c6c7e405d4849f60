#include "telemetry/snapshot_json.hpp"

#include <boost/json/array.hpp>
#include <type_traits>

namespace latencylab::telemetry {
namespace {

boost::json::object attributes_to_json(const AttributeList& attributes) {
  boost::json::object out;
  for (const auto& attribute : attributes) {
    std::visit([&](const auto& value) { out[attribute.key] = value; }, attribute.value);
  }
  return out;
}

std::string_view temporality_name(Temporality t) noexcept {
  return t == Temporality::delta ? "delta" : "cumulative";
}

// The fields every data point has, whatever its kind.
template <typename Point>
boost::json::object point_to_json(const Point& point) {
  boost::json::object p;
  p["attributes"] = attributes_to_json(point.attributes);
  p["start_time_unix_nano"] = point.start_time_unix_nano;
  p["time_unix_nano"] = point.time_unix_nano;
  return p;
}

boost::json::array number_points_to_json(const std::vector<NumberPoint>& points) {
  boost::json::array out;
  for (const auto& point : points) {
    boost::json::object p = point_to_json(point);
    std::visit([&](auto value) { p["value"] = value; }, point.value);
    out.push_back(std::move(p));
  }
  return out;
}

boost::json::array histogram_points_to_json(const std::vector<HistogramPoint>& points) {
  boost::json::array out;
  for (const auto& point : points) {
    boost::json::object p = point_to_json(point);
    p["count"] = point.count;
    p["sum"] = point.sum;
    if (point.min) p["min"] = *point.min;
    if (point.max) p["max"] = *point.max;
    p["explicit_bounds"] =
        boost::json::array(point.explicit_bounds.begin(), point.explicit_bounds.end());
    p["bucket_counts"] = boost::json::array(point.bucket_counts.begin(), point.bucket_counts.end());
    out.push_back(std::move(p));
  }
  return out;
}

boost::json::object metric_to_json(const MetricData& metric) {
  boost::json::object m;
  m["name"] = metric.name;
  m["description"] = metric.description;
  m["unit"] = metric.unit;
  std::visit(
      [&](const auto& data) {
        using Data = std::decay_t<decltype(data)>;
        if constexpr (std::is_same_v<Data, SumData>) {
          m["type"] = "sum";
          m["temporality"] = temporality_name(data.temporality);
          m["monotonic"] = data.monotonic;
          m["points"] = number_points_to_json(data.points);
        } else if constexpr (std::is_same_v<Data, GaugeData>) {
          m["type"] = "gauge";
          m["points"] = number_points_to_json(data.points);
        } else {
          m["type"] = "histogram";
          m["temporality"] = temporality_name(data.temporality);
          m["points"] = histogram_points_to_json(data.points);
        }
      },
      metric.data);
  return m;
}

}  // namespace

boost::json::object snapshot_to_json(const MetricsSnapshot& snapshot) {
  boost::json::object out;
  out["resource"] = attributes_to_json(snapshot.resource);
  out["scope"] =
      boost::json::object{{"name", snapshot.scope.name}, {"version", snapshot.scope.version}};
  boost::json::array metrics;
  for (const auto& metric : snapshot.metrics) metrics.push_back(metric_to_json(metric));
  out["metrics"] = std::move(metrics);
  return out;
}

}  // namespace latencylab::telemetry
