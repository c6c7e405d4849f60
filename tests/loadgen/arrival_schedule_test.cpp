#include "loadgen/arrival_schedule.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

namespace latencylab::loadgen {
namespace {

using namespace std::chrono_literals;

TEST(ArrivalSchedule, ConstantRateSpacesRequestsEvenlyFromTimeZero) {
  const auto schedule = ArrivalSchedule::constant(200.0, 10s);
  EXPECT_EQ(schedule.intended_offset(0), Nanos{0});
  EXPECT_EQ(schedule.intended_offset(1), Nanos{5ms});
  EXPECT_EQ(schedule.intended_offset(1999), Nanos{9995ms});
  EXPECT_FALSE(schedule.intended_offset(2000).has_value()) << "2000 requests in 10 s at 200/s";
  EXPECT_DOUBLE_EQ(schedule.expected_requests(10s), 2000.0);
  EXPECT_DOUBLE_EQ(schedule.rate_at(3s), 200.0);
}

TEST(ArrivalSchedule, LinearRampFollowsTheIntegratedRate) {
  // 0 -> 100/s over 10 s: N(t) = 5 t^2, so request k is due at sqrt(k / 5) seconds.
  const ArrivalSchedule schedule(0.0, {{10s, 100.0}});
  EXPECT_DOUBLE_EQ(schedule.expected_requests(10s), 500.0);
  for (std::uint64_t k : {1u, 20u, 125u, 320u, 499u}) {
    const double expected_seconds = std::sqrt(static_cast<double>(k) / 5.0);
    const auto offset = schedule.intended_offset(k);
    ASSERT_TRUE(offset.has_value());
    EXPECT_NEAR(static_cast<double>(offset->count()) / 1e9, expected_seconds, 1e-6) << k;
  }
  EXPECT_DOUBLE_EQ(schedule.rate_at(5s), 50.0);
}

TEST(ArrivalSchedule, StagesRampUpHoldStepAndRampDownInOrder) {
  // 10 s ramp 0->100 (500), 0 s step to 300, 5 s hold (1500), 10 s down to 0 (1500).
  const ArrivalSchedule schedule(0.0, {{10s, 100.0}, {0s, 300.0}, {5s, 300.0}, {10s, 0.0}});
  EXPECT_EQ(schedule.total_duration(), Nanos{25s});
  EXPECT_NEAR(schedule.expected_requests(25s), 3500.0, 1e-6);
  EXPECT_DOUBLE_EQ(schedule.rate_at(12s), 300.0);
  // During the hold, requests are 1/300 s apart.
  const auto a = *schedule.intended_offset(1000);
  const auto b = *schedule.intended_offset(1001);
  EXPECT_NEAR(static_cast<double>((b - a).count()), 1e9 / 300.0, 2.0);
  Nanos previous{-1};
  for (std::uint64_t k = 0; k < 3500; ++k) {
    const auto offset = schedule.intended_offset(k);
    ASSERT_TRUE(offset.has_value()) << k;
    ASSERT_GE(*offset, previous) << "intended times never go backwards, k=" << k;
    ASSERT_LT(*offset, Nanos{25s});
    previous = *offset;
  }
  EXPECT_FALSE(schedule.intended_offset(3500).has_value());
}

}  // namespace
}  // namespace latencylab::loadgen
