#include "telemetry/otlp/otlp_encoder.hpp"

#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>

#include <set>

namespace latencylab::telemetry::otlp {
namespace {

namespace pb_collector = opentelemetry::proto::collector::metrics::v1;
namespace pb_metrics = opentelemetry::proto::metrics::v1;
namespace pb_common = opentelemetry::proto::common::v1;

MetricsSnapshot make_snapshot() {
  MetricsSnapshot snapshot;
  snapshot.resource = {{"service.name", std::string("latencylab")},
                       {"service.version", std::string("0.1.0")}};
  snapshot.scope = {"latencylab.http", "0.1.0"};

  MetricData requests{"http.server.requests", "Requests served", "{request}", SumData{}};
  SumData& sum = std::get<SumData>(requests.data);
  sum.temporality = Temporality::delta;
  sum.monotonic = true;
  sum.points.push_back(
      NumberPoint{{{"http.route", std::string("/api/work")}}, 100, 200, std::int64_t{42}});
  snapshot.metrics.push_back(std::move(requests));

  MetricData in_flight{"http.server.active_requests", "", "{request}", GaugeData{}};
  std::get<GaugeData>(in_flight.data)
      .points.push_back(
          NumberPoint{{{"ok", true}, {"shard", std::int64_t{-3}}, {"ratio", 0.25}}, 0, 300, 1.5});
  snapshot.metrics.push_back(std::move(in_flight));

  MetricData duration{"http.server.request.duration", "Server latency", "s", HistogramData{}};
  HistogramData& histogram = std::get<HistogramData>(duration.data);
  histogram.temporality = Temporality::cumulative;
  HistogramPoint point;
  point.attributes = {{"http.response.status_code", std::int64_t{200}}};
  point.start_time_unix_nano = 10;
  point.time_unix_nano = 20;
  point.count = 6;
  point.sum = 1.75;
  point.min = 0.005;
  point.max = 1.2;
  point.explicit_bounds = {0.01, 0.1, 1.0};
  point.bucket_counts = {1, 2, 2, 1};
  histogram.points.push_back(point);
  HistogramPoint empty;  // no measurements: min/max absent
  empty.explicit_bounds = {0.01, 0.1, 1.0};
  empty.bucket_counts = {0, 0, 0, 0};
  histogram.points.push_back(empty);
  snapshot.metrics.push_back(std::move(duration));
  return snapshot;
}

void expect_string_attribute(const pb_common::KeyValue& kv, const std::string& key,
                             const std::string& value) {
  EXPECT_EQ(kv.key(), key);
  ASSERT_EQ(kv.value().value_case(), pb_common::AnyValue::kStringValue);
  EXPECT_EQ(kv.value().string_value(), value);
}

TEST(OtlpEncoder, ResourceAndScope) {
  pb_collector::ExportMetricsServiceRequest request;
  encode_export_request(make_snapshot(), request);

  ASSERT_EQ(request.resource_metrics_size(), 1);
  const auto& resource_metrics = request.resource_metrics(0);
  ASSERT_EQ(resource_metrics.resource().attributes_size(), 2);
  expect_string_attribute(resource_metrics.resource().attributes(0), "service.name", "latencylab");
  expect_string_attribute(resource_metrics.resource().attributes(1), "service.version", "0.1.0");

  ASSERT_EQ(resource_metrics.scope_metrics_size(), 1);
  const auto& scope_metrics = resource_metrics.scope_metrics(0);
  EXPECT_EQ(scope_metrics.scope().name(), "latencylab.http");
  EXPECT_EQ(scope_metrics.scope().version(), "0.1.0");
  ASSERT_EQ(scope_metrics.metrics_size(), 3);
}

TEST(OtlpEncoder, SumWithIntegerPoint) {
  pb_collector::ExportMetricsServiceRequest request;
  encode_export_request(make_snapshot(), request);
  const pb_metrics::Metric& metric = request.resource_metrics(0).scope_metrics(0).metrics(0);

  EXPECT_EQ(metric.name(), "http.server.requests");
  EXPECT_EQ(metric.description(), "Requests served");
  EXPECT_EQ(metric.unit(), "{request}");
  ASSERT_EQ(metric.data_case(), pb_metrics::Metric::kSum);
  EXPECT_EQ(metric.sum().aggregation_temporality(), pb_metrics::AGGREGATION_TEMPORALITY_DELTA);
  EXPECT_TRUE(metric.sum().is_monotonic());
  ASSERT_EQ(metric.sum().data_points_size(), 1);
  const auto& point = metric.sum().data_points(0);
  ASSERT_EQ(point.attributes_size(), 1);
  expect_string_attribute(point.attributes(0), "http.route", "/api/work");
  EXPECT_EQ(point.start_time_unix_nano(), 100U);
  EXPECT_EQ(point.time_unix_nano(), 200U);
  ASSERT_EQ(point.value_case(), pb_metrics::NumberDataPoint::kAsInt);
  EXPECT_EQ(point.as_int(), 42);
  EXPECT_EQ(point.flags(), 0U);
}

TEST(OtlpEncoder, NonMonotonicCumulativeSum) {
  MetricsSnapshot snapshot;
  SumData sum;
  sum.temporality = Temporality::cumulative;
  sum.monotonic = false;
  sum.points.push_back(NumberPoint{{}, 1, 2, -7.5});
  snapshot.metrics.push_back(MetricData{"queue.depth", "", "1", sum});
  pb_collector::ExportMetricsServiceRequest request;
  encode_export_request(snapshot, request);

  const auto& encoded = request.resource_metrics(0).scope_metrics(0).metrics(0).sum();
  EXPECT_EQ(encoded.aggregation_temporality(), pb_metrics::AGGREGATION_TEMPORALITY_CUMULATIVE);
  EXPECT_FALSE(encoded.is_monotonic());
  ASSERT_EQ(encoded.data_points(0).value_case(), pb_metrics::NumberDataPoint::kAsDouble);
  EXPECT_EQ(encoded.data_points(0).as_double(), -7.5);
  EXPECT_EQ(encoded.data_points(0).attributes_size(), 0);
}

TEST(OtlpEncoder, GaugeWithEveryAttributeType) {
  pb_collector::ExportMetricsServiceRequest request;
  encode_export_request(make_snapshot(), request);
  const pb_metrics::Metric& metric = request.resource_metrics(0).scope_metrics(0).metrics(1);

  ASSERT_EQ(metric.data_case(), pb_metrics::Metric::kGauge);
  ASSERT_EQ(metric.gauge().data_points_size(), 1);
  const auto& point = metric.gauge().data_points(0);
  EXPECT_EQ(point.time_unix_nano(), 300U);
  ASSERT_EQ(point.value_case(), pb_metrics::NumberDataPoint::kAsDouble);
  EXPECT_EQ(point.as_double(), 1.5);

  ASSERT_EQ(point.attributes_size(), 3);
  EXPECT_EQ(point.attributes(0).key(), "ok");
  ASSERT_EQ(point.attributes(0).value().value_case(), pb_common::AnyValue::kBoolValue);
  EXPECT_TRUE(point.attributes(0).value().bool_value());
  EXPECT_EQ(point.attributes(1).key(), "shard");
  ASSERT_EQ(point.attributes(1).value().value_case(), pb_common::AnyValue::kIntValue);
  EXPECT_EQ(point.attributes(1).value().int_value(), -3);
  EXPECT_EQ(point.attributes(2).key(), "ratio");
  ASSERT_EQ(point.attributes(2).value().value_case(), pb_common::AnyValue::kDoubleValue);
  EXPECT_EQ(point.attributes(2).value().double_value(), 0.25);
}

TEST(OtlpEncoder, HistogramPointFields) {
  pb_collector::ExportMetricsServiceRequest request;
  encode_export_request(make_snapshot(), request);
  const pb_metrics::Metric& metric = request.resource_metrics(0).scope_metrics(0).metrics(2);

  EXPECT_EQ(metric.name(), "http.server.request.duration");
  EXPECT_EQ(metric.unit(), "s");
  ASSERT_EQ(metric.data_case(), pb_metrics::Metric::kHistogram);
  EXPECT_EQ(metric.histogram().aggregation_temporality(),
            pb_metrics::AGGREGATION_TEMPORALITY_CUMULATIVE);
  ASSERT_EQ(metric.histogram().data_points_size(), 2);

  const auto& point = metric.histogram().data_points(0);
  ASSERT_EQ(point.attributes_size(), 1);
  EXPECT_EQ(point.attributes(0).key(), "http.response.status_code");
  EXPECT_EQ(point.attributes(0).value().int_value(), 200);
  EXPECT_EQ(point.start_time_unix_nano(), 10U);
  EXPECT_EQ(point.time_unix_nano(), 20U);
  EXPECT_EQ(point.count(), 6U);
  ASSERT_TRUE(point.has_sum());
  EXPECT_EQ(point.sum(), 1.75);
  ASSERT_TRUE(point.has_min());
  EXPECT_EQ(point.min(), 0.005);
  ASSERT_TRUE(point.has_max());
  EXPECT_EQ(point.max(), 1.2);
  EXPECT_EQ(std::vector<double>(point.explicit_bounds().begin(), point.explicit_bounds().end()),
            (std::vector<double>{0.01, 0.1, 1.0}));
  EXPECT_EQ(std::vector<std::uint64_t>(point.bucket_counts().begin(), point.bucket_counts().end()),
            (std::vector<std::uint64_t>{1, 2, 2, 1}));

  const auto& empty = metric.histogram().data_points(1);
  EXPECT_EQ(empty.count(), 0U);
  EXPECT_FALSE(empty.has_min());
  EXPECT_FALSE(empty.has_max());
  EXPECT_EQ(empty.bucket_counts_size(), 4);
}

// A reused request must describe only the latest snapshot, not accumulate earlier ones.
TEST(OtlpEncoder, ReusedRequestHoldsOnlyTheLatestSnapshot) {
  pb_collector::ExportMetricsServiceRequest request;
  encode_export_request(make_snapshot(), request);

  MetricsSnapshot smaller;
  smaller.scope = {"other", ""};
  GaugeData gauge;
  gauge.points.push_back(NumberPoint{{}, 0, 5, std::int64_t{1}});
  smaller.metrics.push_back(MetricData{"only", "", "", gauge});
  encode_export_request(smaller, request);

  pb_collector::ExportMetricsServiceRequest fresh;
  encode_export_request(smaller, fresh);
  EXPECT_EQ(request.SerializeAsString(), fresh.SerializeAsString());
  EXPECT_EQ(request.resource_metrics(0).resource().attributes_size(), 0);
  ASSERT_EQ(request.resource_metrics(0).scope_metrics(0).metrics_size(), 1);
  EXPECT_EQ(request.resource_metrics(0).scope_metrics(0).metrics(0).name(), "only");
}

// The bytes survive a round trip through the wire format (what the Collector decodes).
TEST(OtlpEncoder, WireRoundTrip) {
  pb_collector::ExportMetricsServiceRequest request;
  encode_export_request(make_snapshot(), request);
  pb_collector::ExportMetricsServiceRequest decoded;
  ASSERT_TRUE(decoded.ParseFromString(request.SerializeAsString()));
  EXPECT_EQ(decoded.SerializeAsString(), request.SerializeAsString());
  EXPECT_EQ(
      decoded.resource_metrics(0).scope_metrics(0).metrics(2).histogram().data_points(0).max(),
      1.2);
}

TEST(OtlpEncoder, EmptySnapshotStillNamesResourceAndScope) {
  MetricsSnapshot snapshot;
  snapshot.resource = {{"service.name", std::string("svc")}};
  snapshot.scope = {"scope", "1"};
  pb_collector::ExportMetricsServiceRequest request;
  encode_export_request(snapshot, request);
  ASSERT_EQ(request.resource_metrics_size(), 1);
  EXPECT_EQ(request.resource_metrics(0).scope_metrics(0).metrics_size(), 0);
  EXPECT_EQ(request.resource_metrics(0).scope_metrics(0).scope().name(), "scope");
}

// Our .proto files are hand-written: pin the wire field numbers and types against the official
// opentelemetry-proto so a typo there cannot silently produce data a Collector misreads.
std::set<std::pair<int, int>> wire_fields(const google::protobuf::MessageLite& message) {
  google::protobuf::UnknownFieldSet fields;
  EXPECT_TRUE(fields.ParseFromString(message.SerializeAsString()));
  std::set<std::pair<int, int>> numbers_and_types;
  for (int i = 0; i < fields.field_count(); ++i) {
    numbers_and_types.emplace(fields.field(i).number(), fields.field(i).type());
  }
  return numbers_and_types;
}

using Field = google::protobuf::UnknownField;

TEST(OtlpEncoder, WireFieldNumbersMatchOtlp) {
  pb_collector::ExportMetricsServiceRequest request;
  encode_export_request(make_snapshot(), request);
  const auto& resource_metrics = request.resource_metrics(0);
  EXPECT_EQ(wire_fields(request),
            (std::set<std::pair<int, int>>{{1, Field::TYPE_LENGTH_DELIMITED}}));
  EXPECT_EQ(wire_fields(resource_metrics),
            (std::set<std::pair<int, int>>{{1, Field::TYPE_LENGTH_DELIMITED},
                                           {2, Field::TYPE_LENGTH_DELIMITED}}));
  EXPECT_EQ(wire_fields(resource_metrics.scope_metrics(0).scope()),
            (std::set<std::pair<int, int>>{{1, Field::TYPE_LENGTH_DELIMITED},
                                           {2, Field::TYPE_LENGTH_DELIMITED}}));

  const auto& metrics = resource_metrics.scope_metrics(0).metrics();
  // name=1, description=2, unit=3, sum=7 / gauge=5 / histogram=9.
  EXPECT_TRUE(wire_fields(metrics[0]).count({7, Field::TYPE_LENGTH_DELIMITED}));
  EXPECT_TRUE(wire_fields(metrics[1]).count({5, Field::TYPE_LENGTH_DELIMITED}));
  EXPECT_TRUE(wire_fields(metrics[2]).count({9, Field::TYPE_LENGTH_DELIMITED}));
  // Sum: data_points=1, aggregation_temporality=2 (varint), is_monotonic=3 (varint).
  EXPECT_EQ(
      wire_fields(metrics[0].sum()),
      (std::set<std::pair<int, int>>{
          {1, Field::TYPE_LENGTH_DELIMITED}, {2, Field::TYPE_VARINT}, {3, Field::TYPE_VARINT}}));
  // NumberDataPoint: attributes=7, start=2 and time=3 (fixed64), as_int=6 (sfixed64).
  EXPECT_EQ(wire_fields(metrics[0].sum().data_points(0)),
            (std::set<std::pair<int, int>>{{7, Field::TYPE_LENGTH_DELIMITED},
                                           {2, Field::TYPE_FIXED64},
                                           {3, Field::TYPE_FIXED64},
                                           {6, Field::TYPE_FIXED64}}));
  // as_double=4 (double is fixed64 on the wire).
  EXPECT_TRUE(wire_fields(metrics[1].gauge().data_points(0)).count({4, Field::TYPE_FIXED64}));
  // HistogramDataPoint: attributes=9, count=4, sum=5, bucket_counts=6 (packed), bounds=7
  // (packed), min=11, max=12.
  EXPECT_EQ(wire_fields(metrics[2].histogram().data_points(0)),
            (std::set<std::pair<int, int>>{{9, Field::TYPE_LENGTH_DELIMITED},
                                           {2, Field::TYPE_FIXED64},
                                           {3, Field::TYPE_FIXED64},
                                           {4, Field::TYPE_FIXED64},
                                           {5, Field::TYPE_FIXED64},
                                           {6, Field::TYPE_LENGTH_DELIMITED},
                                           {7, Field::TYPE_LENGTH_DELIMITED},
                                           {11, Field::TYPE_FIXED64},
                                           {12, Field::TYPE_FIXED64}}));
  // AnyValue: string=1, bool=2, int=3, double=4.
  const auto& gauge_attributes = metrics[1].gauge().data_points(0).attributes();
  EXPECT_EQ(wire_fields(gauge_attributes[0].value()),
            (std::set<std::pair<int, int>>{{2, Field::TYPE_VARINT}}));
  EXPECT_EQ(wire_fields(gauge_attributes[1].value()),
            (std::set<std::pair<int, int>>{{3, Field::TYPE_VARINT}}));
  EXPECT_EQ(wire_fields(gauge_attributes[2].value()),
            (std::set<std::pair<int, int>>{{4, Field::TYPE_FIXED64}}));
  EXPECT_EQ(wire_fields(resource_metrics.resource().attributes(0).value()),
            (std::set<std::pair<int, int>>{{1, Field::TYPE_LENGTH_DELIMITED}}));
}

}  // namespace
}  // namespace latencylab::telemetry::otlp
