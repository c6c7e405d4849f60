#include "loadgen/latency_histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace latencylab::loadgen {
namespace {

// Nearest-rank percentile of the exact data, the definition the histogram promises to approximate.
std::uint64_t exact_percentile(std::vector<std::uint64_t> values, double p) {
  std::sort(values.begin(), values.end());
  const auto rank = std::max<std::size_t>(
      1,
      static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size()) - 1e-9)));
  return values[rank - 1];
}

void expect_within_one_percent(const std::vector<std::uint64_t>& values) {
  LatencyHistogram histogram;
  for (auto v : values) histogram.record(v);
  for (double p : {50.0, 90.0, 99.0, 99.9, 100.0}) {
    const auto exact = static_cast<double>(exact_percentile(values, p));
    const auto reported = static_cast<double>(histogram.percentile(p));
    EXPECT_LE(std::abs(reported - exact) / exact, 0.01)
        << "p" << p << " exact " << exact << " reported " << reported;
    EXPECT_GE(reported, exact) << "percentiles never under-report, p" << p;
  }
  EXPECT_EQ(histogram.count(), values.size());
  EXPECT_EQ(histogram.max(), *std::max_element(values.begin(), values.end()));
  EXPECT_EQ(histogram.min(), *std::min_element(values.begin(), values.end()));
}

TEST(LatencyHistogram, PercentilesOfUniformMicrosecondsMatchExactWithinOnePercent) {
  std::vector<std::uint64_t> values;
  for (std::uint64_t us = 1; us <= 100'000; ++us) values.push_back(us * 1000);
  expect_within_one_percent(values);
}

TEST(LatencyHistogram, PercentilesOfLogNormalLatenciesMatchExactWithinOnePercent) {
  std::mt19937_64 rng{7};
  std::lognormal_distribution<double> latency_ms(0.0, 1.5);  // heavy tail: 0.01 ms .. seconds
  std::vector<std::uint64_t> values;
  for (int i = 0; i < 200'000; ++i) {
    values.push_back(static_cast<std::uint64_t>(latency_ms(rng) * 1e6) + 1000);
  }
  expect_within_one_percent(values);
}

TEST(LatencyHistogram, BucketErrorIsBelowOnePercentFromOneMicrosecondToOneHour) {
  for (double v = 1000; v <= 3600e9; v *= 1.0137) {
    const auto value = static_cast<std::uint64_t>(v);
    const auto index = LatencyHistogram::bucket_index(value);
    const auto highest = LatencyHistogram::bucket_highest_value(index);
    ASSERT_GE(highest, value);
    ASSERT_LE(static_cast<double>(highest - value) / static_cast<double>(value), 0.0079) << value;
    if (index > 0) {
      ASSERT_LT(LatencyHistogram::bucket_highest_value(index - 1), value);
    }
  }
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  LatencyHistogram histogram;
  for (std::uint64_t v : {3, 1, 2}) histogram.record(v);
  EXPECT_EQ(histogram.percentile(50), 2u);
  EXPECT_EQ(histogram.percentile(0), 1u);
  EXPECT_EQ(histogram.percentile(100), 3u);
  EXPECT_DOUBLE_EQ(histogram.mean(), 2.0);
}

TEST(LatencyHistogram, MergeEqualsRecordingEverythingInOne) {
  LatencyHistogram a, b, all;
  for (std::uint64_t i = 1; i <= 1000; ++i) {
    (i % 3 == 0 ? a : b).record(i * 12'345);
    all.record(i * 12'345);
  }
  a.merge(b);
  for (double p : {1.0, 50.0, 99.0, 100.0}) EXPECT_EQ(a.percentile(p), all.percentile(p));
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_DOUBLE_EQ(a.mean(), all.mean());
}

TEST(LatencyHistogram, ResetEmptiesAndHugeValuesAreClampedButCounted) {
  LatencyHistogram histogram;
  histogram.record(~std::uint64_t{0});
  EXPECT_EQ(histogram.count(), 1u);
  EXPECT_GE(histogram.percentile(50), LatencyHistogram::kMaxTrackable / 2);
  histogram.reset();
  EXPECT_EQ(histogram.count(), 0u);
  EXPECT_EQ(histogram.percentile(99), 0u);
  EXPECT_EQ(histogram.max(), 0u);
}

}  // namespace
}  // namespace latencylab::loadgen
