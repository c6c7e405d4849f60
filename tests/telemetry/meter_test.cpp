#include "telemetry/meter.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <string>

#include "snapshot_helpers.hpp"
#include "telemetry/histogram_buckets.hpp"

namespace latencylab::telemetry {
namespace {

using testing::FakeUnixClock;
using testing::histogram_of;
using testing::point_with;
using testing::sum_of;

MeterOptions options_with(FakeUnixClock& clock, TemporalityPreference preference,
                          std::size_t cardinality_limit = kDefaultCardinalityLimit) {
  MeterOptions options;
  options.resource = make_attributes({{"service.name", "test"}});
  options.temporality_preference = preference;
  options.cardinality_limit = cardinality_limit;
  options.clock = clock.function();
  return options;
}

TEST(Meter, CumulativeCounterKeepsGrowingFromInstrumentCreation) {
  FakeUnixClock clock;
  clock.now = 100;
  Meter meter(options_with(clock, TemporalityPreference::cumulative));
  auto ok = meter.create_counter<std::int64_t>({"orders", "", "{order}"}).bind({{"status", "ok"}});

  ok.add(2);
  clock.now = 200;
  auto first = meter.collect();
  ok.add(3);
  clock.now = 300;
  auto second = meter.collect();

  const auto& sum1 = sum_of(first, "orders");
  ASSERT_EQ(sum1.points.size(), 1u);
  EXPECT_EQ(sum1.temporality, Temporality::cumulative);
  EXPECT_TRUE(sum1.monotonic);
  EXPECT_EQ(std::get<std::int64_t>(sum1.points[0].value), 2);
  EXPECT_EQ(sum1.points[0].start_time_unix_nano, 100u);
  EXPECT_EQ(sum1.points[0].time_unix_nano, 200u);

  const auto& sum2 = sum_of(second, "orders");
  EXPECT_EQ(std::get<std::int64_t>(sum2.points[0].value), 5);
  EXPECT_EQ(sum2.points[0].start_time_unix_nano, 100u);
  EXPECT_EQ(sum2.points[0].time_unix_nano, 300u);
  EXPECT_EQ(second.resource, make_attributes({{"service.name", "test"}}));
}

TEST(Meter, DeltaCounterReportsEachIntervalFromThePreviousCollection) {
  FakeUnixClock clock;
  clock.now = 100;
  Meter meter(options_with(clock, TemporalityPreference::delta));
  auto bytes = meter.create_counter<double>({"bytes", "", "By"}).bind();

  bytes.add(1.5);
  clock.now = 200;
  auto first = meter.collect();
  bytes.add(4.0);
  clock.now = 300;
  auto second = meter.collect();
  clock.now = 400;
  auto idle = meter.collect();

  const auto& p1 = sum_of(first, "bytes").points.at(0);
  EXPECT_EQ(sum_of(first, "bytes").temporality, Temporality::delta);
  EXPECT_DOUBLE_EQ(std::get<double>(p1.value), 1.5);
  EXPECT_EQ(p1.start_time_unix_nano, 100u);
  EXPECT_EQ(p1.time_unix_nano, 200u);
  const auto& p2 = sum_of(second, "bytes").points.at(0);
  EXPECT_DOUBLE_EQ(std::get<double>(p2.value), 4.0);
  EXPECT_EQ(p2.start_time_unix_nano, 200u);
  EXPECT_EQ(p2.time_unix_nano, 300u);
  // No measurement in the interval: the series is not exported at all.
  EXPECT_EQ(testing::find_metric(idle, "bytes"), nullptr);
}

TEST(Meter, CounterDropsNegativeIncrementsUpDownCounterDoesNot) {
  FakeUnixClock clock;
  Meter meter(options_with(clock, TemporalityPreference::cumulative));
  auto counter = meter.create_counter<std::int64_t>({"c", "", "1"}).bind();
  auto updown = meter.create_up_down_counter<std::int64_t>({"u", "", "1"}).bind();
  counter.add(5);
  counter.add(-3);
  updown.add(5);
  updown.add(-3);
  auto snapshot = meter.collect();
  EXPECT_EQ(std::get<std::int64_t>(sum_of(snapshot, "c").points.at(0).value), 5);
  EXPECT_EQ(std::get<std::int64_t>(sum_of(snapshot, "u").points.at(0).value), 2);
  EXPECT_FALSE(sum_of(snapshot, "u").monotonic);
}

TEST(Meter, UpDownCounterStaysCumulativeUnderDeltaPreference) {
  FakeUnixClock clock;
  Meter meter(options_with(clock, TemporalityPreference::delta));
  auto active = meter.create_up_down_counter<std::int64_t>({"active", "", "{request}"}).bind();
  active.add(3);
  (void)meter.collect();
  active.add(-1);
  auto snapshot = meter.collect();
  EXPECT_EQ(sum_of(snapshot, "active").temporality, Temporality::cumulative);
  EXPECT_EQ(std::get<std::int64_t>(sum_of(snapshot, "active").points.at(0).value), 2);
}

TEST(Meter, DeltaHistogramResetsCountsSumMinAndMaxEachInterval) {
  FakeUnixClock clock;
  Meter meter(options_with(clock, TemporalityPreference::delta));
  auto latency = meter.create_histogram({"latency", "", "s"}).bind();

  latency.record(0.001);
  latency.record(3.0);
  auto first = meter.collect();
  latency.record(0.2);
  auto second = meter.collect();

  const auto& p1 = histogram_of(first, "latency").points.at(0);
  EXPECT_EQ(p1.count, 2u);
  EXPECT_DOUBLE_EQ(*p1.min, 0.001);
  EXPECT_DOUBLE_EQ(*p1.max, 3.0);
  const auto& p2 = histogram_of(second, "latency").points.at(0);
  EXPECT_EQ(histogram_of(second, "latency").temporality, Temporality::delta);
  EXPECT_EQ(p2.count, 1u);
  EXPECT_DOUBLE_EQ(p2.sum, 0.2);
  EXPECT_DOUBLE_EQ(*p2.min, 0.2);
  EXPECT_DOUBLE_EQ(*p2.max, 0.2);
  EXPECT_EQ(std::accumulate(p2.bucket_counts.begin(), p2.bucket_counts.end(), std::uint64_t{0}),
            1u);
}

TEST(Meter, CumulativeHistogramKeepsLifetimeMinMax) {
  FakeUnixClock clock;
  Meter meter(options_with(clock, TemporalityPreference::cumulative));
  auto latency = meter.create_histogram({"latency", "", "s"}).bind();
  latency.record(0.5);
  (void)meter.collect();
  latency.record(0.05);
  auto snapshot = meter.collect();
  const auto& p = histogram_of(snapshot, "latency").points.at(0);
  EXPECT_EQ(p.count, 2u);
  EXPECT_DOUBLE_EQ(*p.min, 0.05);
  EXPECT_DOUBLE_EQ(*p.max, 0.5);
}

TEST(Meter, CumulativeBoundButUnusedSeriesIsReportedAsZeroWithoutMinMax) {
  FakeUnixClock clock;
  Meter meter(options_with(clock, TemporalityPreference::cumulative));
  (void)meter.create_histogram({"latency", "", "s"}).bind({{"route", "/x"}});
  auto snapshot = meter.collect();
  const auto& p = histogram_of(snapshot, "latency").points.at(0);
  EXPECT_EQ(p.count, 0u);
  EXPECT_FALSE(p.min.has_value());
  EXPECT_FALSE(p.max.has_value());
  EXPECT_EQ(p.bucket_counts.size(), p.explicit_bounds.size() + 1);
}

TEST(Meter, SecondsHistogramsDefaultToSemconvBucketsOthersToOtelDefaults) {
  FakeUnixClock clock;
  Meter meter(options_with(clock, TemporalityPreference::cumulative));
  (void)meter.create_histogram({"seconds", "", "s"}).bind();
  (void)meter.create_histogram({"millis", "", "ms"}).bind();
  (void)meter.create_histogram({"custom", "", "s"}, {1.0, 2.0}).bind();
  auto snapshot = meter.collect();
  EXPECT_EQ(histogram_of(snapshot, "seconds").points.at(0).explicit_bounds,
            std::vector<double>(kSecondsBuckets.begin(), kSecondsBuckets.end()));
  EXPECT_EQ(histogram_of(snapshot, "millis").points.at(0).explicit_bounds,
            std::vector<double>(kDefaultBuckets.begin(), kDefaultBuckets.end()));
  EXPECT_EQ(histogram_of(snapshot, "custom").points.at(0).explicit_bounds,
            (std::vector<double>{1.0, 2.0}));
}

TEST(Meter, OverflowSeriesAppearsOnceTheDefaultCapOf2000IsReached) {
  FakeUnixClock clock;
  Meter meter(options_with(clock, TemporalityPreference::cumulative));
  auto counter = meter.create_counter<std::int64_t>({"requests", "", "{request}"});
  for (int i = 0; i < 2100; ++i) counter.bind({{"user", std::to_string(i)}}).add(1);

  auto snapshot = meter.collect();
  const auto& points = sum_of(snapshot, "requests").points;
  EXPECT_EQ(points.size(), 2000u);
  const auto* overflow = point_with(points, {{"otel.metric.overflow", true}});
  ASSERT_NE(overflow, nullptr);
  EXPECT_EQ(std::get<std::int64_t>(overflow->value), 2100 - 1999);
  EXPECT_NE(point_with(points, {{"user", "1998"}}), nullptr);
  EXPECT_EQ(point_with(points, {{"user", "1999"}}), nullptr);
}

TEST(Meter, ObservableInstrumentsAreReadAtCollection) {
  FakeUnixClock clock;
  clock.now = 10;
  Meter meter(options_with(clock, TemporalityPreference::delta));
  std::int64_t queue_depth = 3;
  std::int64_t total_jobs = 10;
  meter.create_observable_gauge<std::int64_t>({"queue.depth", "", "{job}"},
                                              [&](ObservableResult<std::int64_t>& r) {
                                                r.observe(queue_depth, {{"queue", "main"}});
                                              });
  meter.create_observable_counter<std::int64_t>(
      {"jobs", "", "{job}"}, [&](ObservableResult<std::int64_t>& r) { r.observe(total_jobs); });
  meter.create_observable_up_down_counter<std::int64_t>(
      {"workers", "", "{worker}"}, [&](ObservableResult<std::int64_t>& r) { r.observe(4); });

  clock.now = 20;
  auto first = meter.collect();
  queue_depth = 7;
  total_jobs = 25;
  clock.now = 30;
  auto second = meter.collect();

  const auto& gauge = testing::gauge_of(second, "queue.depth");
  ASSERT_NE(point_with(gauge.points, {{"queue", "main"}}), nullptr);
  EXPECT_EQ(std::get<std::int64_t>(point_with(gauge.points, {{"queue", "main"}})->value), 7);
  // Delta preference: the observable counter reports the change since the last collection.
  EXPECT_EQ(std::get<std::int64_t>(sum_of(first, "jobs").points.at(0).value), 10);
  const auto& jobs = sum_of(second, "jobs");
  EXPECT_EQ(jobs.temporality, Temporality::delta);
  EXPECT_EQ(std::get<std::int64_t>(jobs.points.at(0).value), 15);
  EXPECT_EQ(jobs.points.at(0).start_time_unix_nano, 20u);
  // ...while the observable up-down counter stays cumulative from instrument creation.
  const auto& workers = sum_of(second, "workers");
  EXPECT_EQ(workers.temporality, Temporality::cumulative);
  EXPECT_FALSE(workers.monotonic);
  EXPECT_EQ(workers.points.at(0).start_time_unix_nano, 10u);
}

TEST(Meter, ThrowingCallbackLosesOnlyItsOwnInstrument) {
  FakeUnixClock clock;
  Meter meter(options_with(clock, TemporalityPreference::cumulative));
  meter.create_observable_gauge<double>(
      {"broken", "", "1"}, [](ObservableResult<double>&) { throw std::runtime_error("boom"); });
  meter.create_counter<std::int64_t>({"fine", "", "1"}).bind().add(1);
  auto snapshot = meter.collect();
  EXPECT_EQ(testing::find_metric(snapshot, "broken"), nullptr);
  EXPECT_NE(testing::find_metric(snapshot, "fine"), nullptr);
}

TEST(Meter, RejectsInvalidNamesConflictingDuplicatesAndUnsortedBounds) {
  FakeUnixClock clock;
  Meter meter(options_with(clock, TemporalityPreference::cumulative));
  (void)meter.create_counter<std::int64_t>({"orders", "", "1"});
  EXPECT_THROW((void)meter.create_counter<std::int64_t>({"orders", "", "{order}"}),
               std::invalid_argument);
  EXPECT_THROW((void)meter.create_up_down_counter<std::int64_t>({"orders", "", "1"}),
               std::invalid_argument);
  EXPECT_THROW((void)meter.create_counter<double>({"orders", "", "1"}), std::invalid_argument);
  (void)meter.create_histogram({"latency", "", "s"});
  EXPECT_THROW((void)meter.create_histogram({"latency", "", "s"}, {1.0, 2.0}),
               std::invalid_argument);
  EXPECT_THROW((void)meter.create_counter<std::int64_t>({"1orders", "", "1"}),
               std::invalid_argument);
  EXPECT_THROW((void)meter.create_counter<std::int64_t>({"orders total", "", "1"}),
               std::invalid_argument);
  EXPECT_THROW((void)meter.create_histogram({"h", "", "s"}, {1.0, 1.0}), std::invalid_argument);
  EXPECT_THROW((void)meter.create_histogram({"h", "", "s"}, {2.0, 1.0}), std::invalid_argument);
}

}  // namespace
TEST(Meter, IdenticalRegistrationsShareOneInstrument) {
  FakeUnixClock clock;
  Meter meter(options_with(clock, TemporalityPreference::cumulative));
  // Two pools of one service each create the instrument they record into.
  const auto first = meter.create_counter<std::int64_t>({"db.timeouts", "Timeouts", "{timeout}"});
  const auto second = meter.create_counter<std::int64_t>({"db.timeouts", "Timeouts", "{timeout}"});
  first.bind({{"pool", std::string("a")}}).add(2);
  second.bind({{"pool", std::string("a")}}).add(3);
  second.bind({{"pool", std::string("b")}}).add(1);
  int observed_by = 0;
  for (int pool = 0; pool < 2; ++pool) {
    meter.create_observable_gauge<std::int64_t>(
        {"db.pending", "", "{request}"}, [pool, &observed_by](ObservableResult<std::int64_t>& r) {
          ++observed_by;
          r.observe(10 + pool, {{"pool", std::to_string(pool)}});
        });
  }

  const MetricsSnapshot snapshot = meter.collect();
  ASSERT_EQ(snapshot.metrics.size(), 2u);
  const auto& timeouts = testing::sum_of(snapshot, "db.timeouts").points;
  const auto* pool_a = testing::point_with(timeouts, {{"pool", std::string("a")}});
  ASSERT_NE(pool_a, nullptr);
  EXPECT_EQ(std::get<std::int64_t>(pool_a->value), 5);
  EXPECT_EQ(timeouts.size(), 2u);
  EXPECT_EQ(observed_by, 2);
  EXPECT_EQ(testing::gauge_of(snapshot, "db.pending").points.size(), 2u);
}

}  // namespace latencylab::telemetry
