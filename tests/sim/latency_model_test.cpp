// Statistical checks run on a fixed seed, so they are deterministic; the tolerances are still
// chosen as if the seed were random (several standard errors), so they test the model rather than
// one lucky sequence.
#include "sim/latency_model.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace latencylab::sim {
namespace {

using std::chrono::nanoseconds;

constexpr int kSamples = 200'000;
constexpr std::uint64_t kSeed = 20261124;

double to_ms(nanoseconds duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

std::vector<double> sample_ms(const LatencySpec& spec, double time_scale = 1.0,
                              int count = kSamples, std::uint64_t seed = kSeed) {
  const LatencyModel model(spec, time_scale);
  Rng rng(seed);
  std::vector<double> samples(static_cast<std::size_t>(count));
  for (auto& sample : samples) sample = to_ms(model.sample(rng));
  return samples;
}

// The q-quantile (0 < q < 1) of the samples.
double quantile(std::vector<double> samples, double q) {
  const auto index = static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1));
  std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(index),
                   samples.end());
  return samples[index];
}

double mean(const std::vector<double>& samples) {
  double sum = 0.0;
  for (const double sample : samples) sum += sample;
  return sum / static_cast<double>(samples.size());
}

LatencySpec uniform(double min_ms, double max_ms) {
  return {.distribution = Distribution::uniform, .min_ms = min_ms, .max_ms = max_ms};
}

LatencySpec normal(double p50_ms, double p99_ms) {
  return {.distribution = Distribution::normal, .p50_ms = p50_ms, .p99_ms = p99_ms};
}

LatencySpec lognormal(double p50_ms, double p99_ms, double max_ms = 0.0) {
  return {.distribution = Distribution::lognormal,
          .max_ms = max_ms,
          .p50_ms = p50_ms,
          .p99_ms = p99_ms};
}

TEST(LatencyModel, SameSeedGivesTheSameSequence) {
  for (const LatencySpec& spec : {uniform(50, 200), normal(100, 150), lognormal(40, 400)}) {
    EXPECT_EQ(sample_ms(spec, 1.0, 1000, 7), sample_ms(spec, 1.0, 1000, 7));
    EXPECT_NE(sample_ms(spec, 1.0, 1000, 7), sample_ms(spec, 1.0, 1000, 8));
  }
}

TEST(LatencyModel, FixedIsExact) {
  const LatencyModel model({.distribution = Distribution::fixed, .value_ms = 12.5}, 1.0);
  Rng rng(kSeed);
  EXPECT_EQ(model.sample(rng), nanoseconds(12'500'000));
}

TEST(LatencyModel, DefaultConstructedIsZero) {
  Rng rng(kSeed);
  EXPECT_EQ(LatencyModel{}.sample(rng), nanoseconds(0));
}

TEST(LatencyModel, UniformStaysWithinBoundsAndCoversThem) {
  const auto samples = sample_ms(uniform(50, 200));
  const auto [lowest, highest] = std::minmax_element(samples.begin(), samples.end());
  EXPECT_GE(*lowest, 50.0);
  EXPECT_LE(*highest, 200.0);
  // 200k draws leave no 0.1%-wide gap at either end (P(miss) = e^-200).
  EXPECT_LT(*lowest, 50.15);
  EXPECT_GT(*highest, 199.85);
}

TEST(LatencyModel, UniformMeanIsTheMidpoint) {
  // Standard error of the mean: (150 / sqrt(12)) / sqrt(200k) = 0.097 ms; allow 5 of them.
  EXPECT_NEAR(mean(sample_ms(uniform(50, 200))), 125.0, 0.5);
}

TEST(LatencyModel, NormalHitsTheConfiguredMedianAndP99) {
  const auto samples = sample_ms(normal(100, 150));
  EXPECT_NEAR(quantile(samples, 0.50), 100.0, 100.0 * 0.01);
  EXPECT_NEAR(quantile(samples, 0.99), 150.0, 150.0 * 0.02);
}

TEST(LatencyModel, LognormalHitsTheConfiguredMedianAndP99) {
  const auto samples = sample_ms(lognormal(40, 400));
  EXPECT_NEAR(quantile(samples, 0.50), 40.0, 40.0 * 0.02);
  EXPECT_NEAR(quantile(samples, 0.99), 400.0, 400.0 * 0.04);
  // The long tail is the point of a lognormal: the mean sits well above the median.
  EXPECT_GT(mean(samples), 55.0);
}

TEST(LatencyModel, MaxClampsTheTail) {
  const auto samples = sample_ms(lognormal(40, 400, /*max_ms=*/500));
  EXPECT_LE(*std::max_element(samples.begin(), samples.end()), 500.0);
  // About 0.5% of draws exceed 500 ms and land exactly on the clamp.
  const auto clamped = std::count(samples.begin(), samples.end(), 500.0);
  EXPECT_GT(clamped, kSamples / 400);
  EXPECT_LT(clamped, kSamples / 80);
}

TEST(LatencyModel, MinClampsTheLowSideAndNothingIsNegative) {
  // A normal with median 10 and p99 100 draws negative values about 45% of the time.
  const auto unclamped = sample_ms(normal(10, 100));
  EXPECT_GE(*std::min_element(unclamped.begin(), unclamped.end()), 0.0);

  LatencySpec spec = normal(10, 100);
  spec.min_ms = 5;
  const auto clamped = sample_ms(spec);
  EXPECT_GE(*std::min_element(clamped.begin(), clamped.end()), 5.0);
  EXPECT_NEAR(quantile(clamped, 0.50), 10.0, 10.0 * 0.05) << "the clamp leaves the median";
}

TEST(LatencyModel, TimeScaleMultipliesEverySample) {
  const auto real = sample_ms(lognormal(40, 400), 1.0, 1000);
  const auto demo = sample_ms(lognormal(40, 400), 0.001, 1000);
  const auto slow = sample_ms(lognormal(40, 400), 2.5, 1000);
  for (std::size_t i = 0; i < real.size(); ++i) {
    // Each sample is rounded to whole nanoseconds, so scaling the rounded one is ~2 ns apart.
    EXPECT_NEAR(demo[i], real[i] * 0.001, 2e-6);
    EXPECT_NEAR(slow[i], real[i] * 2.5, 2e-6);
  }
}

TEST(LatencyModel, ClampsApplyBeforeTimeScale) {
  // min/max are in configured milliseconds: a 5000 ms cap at time_scale 0.01 is 50 ms (about
  // 0.35% of these draws reach it).
  const auto samples = sample_ms(lognormal(1000, 4000, 5000), 0.01, 10'000);
  EXPECT_DOUBLE_EQ(*std::max_element(samples.begin(), samples.end()), 50.0);
}

TEST(LatencyModel, AnUnclampedExtremeTailStaysAPositiveDuration) {
  // median 1 ms, p99 a million ms: sigma ~5.9, so some draws exceed the int64 nanosecond range
  // once scaled by 1000. They must stay long waits, never wrap to negative (an instant timer).
  const LatencyModel model(lognormal(1, 1e6), 1000.0);
  Rng rng(kSeed);
  nanoseconds longest{0};
  for (int i = 0; i < kSamples; ++i) {
    const nanoseconds sample = model.sample(rng);
    ASSERT_GE(sample.count(), 0);
    longest = std::max(longest, sample);
  }
  EXPECT_EQ(longest, std::chrono::hours(24)) << "the model's documented ceiling";
}

}  // namespace
}  // namespace latencylab::sim
