#include "telemetry/otlp/otlp_encoder.hpp"

#include <type_traits>
#include <variant>

namespace latencylab::telemetry::otlp {
namespace {

namespace pb_common = opentelemetry::proto::common::v1;
namespace pb_metrics = opentelemetry::proto::metrics::v1;
using RepeatedKeyValues = google::protobuf::RepeatedPtrField<pb_common::KeyValue>;

void encode_attributes(const AttributeList& attributes, RepeatedKeyValues& out) {
  out.Reserve(static_cast<int>(attributes.size()));
  for (const Attribute& attribute : attributes) {
    pb_common::KeyValue& key_value = *out.Add();
    key_value.set_key(attribute.key);
    pb_common::AnyValue& value = *key_value.mutable_value();
    std::visit(
        [&value](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string>) {
            value.set_string_value(v);
          } else if constexpr (std::is_same_v<T, bool>) {
            value.set_bool_value(v);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            value.set_int_value(v);
          } else if constexpr (std::is_same_v<T, double>) {
            value.set_double_value(v);
          } else {
            static_assert(!std::is_same_v<T, T>, "unhandled AttributeValue alternative");
          }
        },
        attribute.value);
  }
}

pb_metrics::AggregationTemporality to_proto(Temporality temporality) {
  switch (temporality) {
    case Temporality::delta:
      return pb_metrics::AGGREGATION_TEMPORALITY_DELTA;
    case Temporality::cumulative:
      return pb_metrics::AGGREGATION_TEMPORALITY_CUMULATIVE;
  }
  return pb_metrics::AGGREGATION_TEMPORALITY_UNSPECIFIED;
}

void encode_number_points(const std::vector<NumberPoint>& points,
                          google::protobuf::RepeatedPtrField<pb_metrics::NumberDataPoint>& out) {
  out.Reserve(static_cast<int>(points.size()));
  for (const NumberPoint& point : points) {
    pb_metrics::NumberDataPoint& encoded = *out.Add();
    encode_attributes(point.attributes, *encoded.mutable_attributes());
    encoded.set_start_time_unix_nano(point.start_time_unix_nano);
    encoded.set_time_unix_nano(point.time_unix_nano);
    if (const auto* as_int = std::get_if<std::int64_t>(&point.value)) {
      encoded.set_as_int(*as_int);
    } else {
      encoded.set_as_double(std::get<double>(point.value));
    }
  }
}

void encode_histogram_points(
    const std::vector<HistogramPoint>& points,
    google::protobuf::RepeatedPtrField<pb_metrics::HistogramDataPoint>& out) {
  out.Reserve(static_cast<int>(points.size()));
  for (const HistogramPoint& point : points) {
    pb_metrics::HistogramDataPoint& encoded = *out.Add();
    encode_attributes(point.attributes, *encoded.mutable_attributes());
    encoded.set_start_time_unix_nano(point.start_time_unix_nano);
    encoded.set_time_unix_nano(point.time_unix_nano);
    encoded.set_count(point.count);
    // Recorded values are durations and sizes (never negative), so sum is always meaningful.
    encoded.set_sum(point.sum);
    if (point.min) {
      encoded.set_min(*point.min);
    }
    if (point.max) {
      encoded.set_max(*point.max);
    }
    encoded.mutable_bucket_counts()->Add(point.bucket_counts.begin(), point.bucket_counts.end());
    encoded.mutable_explicit_bounds()->Add(point.explicit_bounds.begin(),
                                           point.explicit_bounds.end());
  }
}

void encode_metric(const MetricData& metric, pb_metrics::Metric& out) {
  out.set_name(metric.name);
  out.set_description(metric.description);
  out.set_unit(metric.unit);
  std::visit(
      [&out](const auto& data) {
        using T = std::decay_t<decltype(data)>;
        if constexpr (std::is_same_v<T, SumData>) {
          pb_metrics::Sum& sum = *out.mutable_sum();
          sum.set_aggregation_temporality(to_proto(data.temporality));
          sum.set_is_monotonic(data.monotonic);
          encode_number_points(data.points, *sum.mutable_data_points());
        } else if constexpr (std::is_same_v<T, GaugeData>) {
          encode_number_points(data.points, *out.mutable_gauge()->mutable_data_points());
        } else if constexpr (std::is_same_v<T, HistogramData>) {
          pb_metrics::Histogram& histogram = *out.mutable_histogram();
          histogram.set_aggregation_temporality(to_proto(data.temporality));
          encode_histogram_points(data.points, *histogram.mutable_data_points());
        } else {
          static_assert(!std::is_same_v<T, T>, "unhandled MetricData alternative");
        }
      },
      metric.data);
}

}  // namespace

void encode_export_request(
    const MetricsSnapshot& snapshot,
    opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest& request) {
  request.Clear();
  pb_metrics::ResourceMetrics& resource_metrics = *request.add_resource_metrics();
  encode_attributes(snapshot.resource, *resource_metrics.mutable_resource()->mutable_attributes());

  pb_metrics::ScopeMetrics& scope_metrics = *resource_metrics.add_scope_metrics();
  scope_metrics.mutable_scope()->set_name(snapshot.scope.name);
  scope_metrics.mutable_scope()->set_version(snapshot.scope.version);

  auto& metrics = *scope_metrics.mutable_metrics();
  metrics.Reserve(static_cast<int>(snapshot.metrics.size()));
  for (const MetricData& metric : snapshot.metrics) {
    encode_metric(metric, *metrics.Add());
  }
}

}  // namespace latencylab::telemetry::otlp
