#include "telemetry/aggregation.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "telemetry/histogram_buckets.hpp"
#include "telemetry/series_table.hpp"

namespace latencylab::telemetry {
namespace {

constexpr std::array<double, 3> kBounds = {1.0, 2.0, 5.0};  // (-inf,1] (1,2] (2,5] (5,+inf)

TEST(HistogramCell, ValueExactlyOnABoundLandsInThatBoundsBucket) {
  HistogramCell cell(kBounds);
  cell.record(1.0);
  cell.record(2.0);
  cell.record(5.0);
  EXPECT_EQ(cell.bucket_counts(), (std::vector<std::uint64_t>{1, 1, 1, 0}));
}

TEST(HistogramCell, ValuesJustAboveABoundGoToTheNextBucket) {
  HistogramCell cell(kBounds);
  cell.record(std::nextafter(1.0, 2.0));
  cell.record(std::nextafter(5.0, 6.0));
  cell.record(-3.0);
  EXPECT_EQ(cell.bucket_counts(), (std::vector<std::uint64_t>{1, 1, 0, 1}));
}

TEST(HistogramCell, CountSumMinMaxAndBucketsAddUp) {
  HistogramCell cell(kBounds);
  for (double v : {0.5, 1.5, 3.0, 7.0, 4.0}) cell.record(v);
  EXPECT_EQ(cell.count(), 5u);
  EXPECT_DOUBLE_EQ(cell.sum(), 16.0);
  EXPECT_DOUBLE_EQ(cell.min(), 0.5);
  EXPECT_DOUBLE_EQ(cell.max(), 7.0);
  const auto& counts = cell.bucket_counts();
  EXPECT_EQ(std::accumulate(counts.begin(), counts.end(), std::uint64_t{0}), cell.count());
}

TEST(HistogramCell, NanIsDroppedWithoutPoisoningSumOrBuckets) {
  HistogramCell cell(kBounds);
  cell.record(std::nan(""));
  cell.record(1.0);
  EXPECT_EQ(cell.count(), 1u);
  EXPECT_DOUBLE_EQ(cell.sum(), 1.0);
}

TEST(HistogramCell, ResetStartsAFreshIntervalIncludingMinAndMax) {
  HistogramCell cell(kBounds);
  cell.record(0.1);
  cell.record(9.0);
  cell.reset();
  cell.record(3.0);
  EXPECT_EQ(cell.count(), 1u);
  EXPECT_DOUBLE_EQ(cell.min(), 3.0);
  EXPECT_DOUBLE_EQ(cell.max(), 3.0);
  EXPECT_EQ(cell.bucket_counts(), (std::vector<std::uint64_t>{0, 0, 1, 0}));
}

TEST(HistogramCell, EverySemconvSecondsBoundIsInclusive) {
  HistogramCell cell(kSecondsBuckets);
  for (double bound : kSecondsBuckets) cell.record(bound);
  const auto& counts = cell.bucket_counts();
  for (std::size_t i = 0; i < kSecondsBuckets.size(); ++i) EXPECT_EQ(counts[i], 1u) << i;
  EXPECT_EQ(counts.back(), 0u);
}

TEST(SeriesTable, SameAttributesBindTheSameSeries) {
  SeriesTable<SumCell<std::int64_t>> table(10);
  auto& a = table.bind(make_attributes({{"route", "/a"}, {"method", "GET"}}));
  auto& b = table.bind(make_attributes({{"method", "GET"}, {"route", "/a"}}));
  EXPECT_EQ(&a, &b);
  EXPECT_EQ(table.size(), 1u);
}

TEST(SeriesTable, OverflowSeriesTakesEverySetBeyondTheCap) {
  SeriesTable<SumCell<std::int64_t>> table(3);  // 2 real series + the overflow series
  auto& first = table.bind(make_attributes({{"k", "1"}}));
  auto& second = table.bind(make_attributes({{"k", "2"}}));
  auto& third = table.bind(make_attributes({{"k", "3"}}));
  auto& fourth = table.bind(make_attributes({{"k", "4"}}));
  EXPECT_NE(&first, &second);
  EXPECT_EQ(&third, &fourth);
  EXPECT_EQ(table.size(), 3u);
  // Existing sets keep their own series after the cap is hit.
  EXPECT_EQ(&table.bind(make_attributes({{"k", "1"}})), &first);

  std::vector<AttributeList> seen;
  table.for_each([&](const AttributeList& attributes, auto&) { seen.push_back(attributes); });
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen.back(), (AttributeList{{"otel.metric.overflow", true}}));
}

TEST(Attributes, DuplicateKeysAreRejectedAtBindTime) {
  EXPECT_THROW((void)make_attributes({{"k", "1"}, {"k", "2"}}), std::invalid_argument);
}

}  // namespace
}  // namespace latencylab::telemetry
