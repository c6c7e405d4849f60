#include "sim/random.hpp"

#include <gtest/gtest.h>

namespace latencylab::sim {
namespace {

constexpr int kTrials = 200'000;

int count_true(double probability, std::uint64_t seed = 42) {
  Rng rng(seed);
  int hits = 0;
  for (int i = 0; i < kTrials; ++i) hits += chance(rng, probability) ? 1 : 0;
  return hits;
}

TEST(Chance, FrequencyMatchesTheProbability) {
  // Binomial standard deviation at p = 0.05: sqrt(200k * 0.05 * 0.95) = 97; allow 5 of them.
  EXPECT_NEAR(count_true(0.05), 10'000, 500);
  // At p = 0.7: sqrt(200k * 0.7 * 0.3) = 205.
  EXPECT_NEAR(count_true(0.7), 140'000, 1'000);
}

TEST(Chance, ZeroNeverAndOneAlways) {
  EXPECT_EQ(count_true(0.0), 0);
  EXPECT_EQ(count_true(1.0), kTrials);
}

TEST(Chance, SameSeedSameOutcomes) {
  Rng a(9);
  Rng b(9);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(chance(a, 0.5), chance(b, 0.5));
}

}  // namespace
}  // namespace latencylab::sim
