#include "graph/circuit_breaker.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace latencylab::graph {
namespace {

using namespace std::chrono_literals;
using time_point = CircuitBreaker::time_point;

const time_point t0 = time_point{} + 1h;

// Records `outcomes` ('S' success, 'F' failure) one call at a time, each admitted first.
void calls(CircuitBreaker& breaker, const char* outcomes, time_point at = t0) {
  for (const char* c = outcomes; *c != '\0'; ++c) {
    ASSERT_TRUE(breaker.try_acquire(at)) << "call " << (c - outcomes) << " of " << outcomes;
    breaker.record(*c == 'S', at);
  }
}

TEST(CircuitBreaker, StaysClosedUntilTheWindowHoldsMinCalls) {
  CircuitBreaker breaker({.window = 10, .min_calls = 5, .failure_ratio = 0.5});
  calls(breaker, "FFFF");
  EXPECT_EQ(breaker.state(), BreakerState::closed) << "4 calls, 5 needed to judge";
  calls(breaker, "F");
  EXPECT_EQ(breaker.state(), BreakerState::open);
}

TEST(CircuitBreaker, OpensWhenTheFailedShareReachesTheRatio) {
  CircuitBreaker breaker({.window = 10, .min_calls = 4, .failure_ratio = 0.5});
  calls(breaker, "SSF");
  calls(breaker, "S");
  EXPECT_EQ(breaker.state(), BreakerState::closed) << "1 of 4 failed";
  calls(breaker, "F");
  EXPECT_EQ(breaker.state(), BreakerState::closed) << "2 of 5 failed";
  calls(breaker, "F");
  EXPECT_EQ(breaker.state(), BreakerState::open) << "3 of 6 failed: the ratio is reached";
}

TEST(CircuitBreaker, OnlyTheLastWindowCallsCount) {
  CircuitBreaker breaker({.window = 4, .min_calls = 4, .failure_ratio = 0.75});
  calls(breaker, "SSSSFF");
  EXPECT_EQ(breaker.state(), BreakerState::closed) << "window SSFF: 2 of 4";
  calls(breaker, "F");
  EXPECT_EQ(breaker.state(), BreakerState::open)
      << "window SFFF: 3 of 4 (over all 7 calls only 3 of 7 failed)";
}

TEST(CircuitBreaker, OpensOnConsecutiveFailuresAndASuccessResetsTheRun) {
  CircuitBreaker breaker(
      {.window = 100, .min_calls = 100, .failure_ratio = 1.0, .consecutive_failures = 3});
  calls(breaker, "FFSFFS");
  EXPECT_EQ(breaker.state(), BreakerState::closed);
  calls(breaker, "FFF");
  EXPECT_EQ(breaker.state(), BreakerState::open);
}

TEST(CircuitBreaker, ConsecutiveFailuresZeroIsOff) {
  CircuitBreaker breaker({.window = 100, .min_calls = 100, .failure_ratio = 1.0});
  calls(breaker, "FFFFFFFFFFFFFFFFFFFF");
  EXPECT_EQ(breaker.state(), BreakerState::closed);
}

// An open breaker at t0, with a 5 s open duration and `probes` half-open probes.
CircuitBreaker opened_breaker(std::uint32_t probes) {
  CircuitBreaker breaker({.window = 2,
                          .min_calls = 1,
                          .failure_ratio = 1.0,
                          .open_duration = 5s,
                          .half_open_probes = probes});
  EXPECT_TRUE(breaker.try_acquire(t0));
  breaker.record(false, t0);
  EXPECT_EQ(breaker.state(), BreakerState::open);
  return breaker;
}

TEST(CircuitBreaker, OpenFailsFastForTheOpenDurationAndIgnoresLateResults) {
  CircuitBreaker breaker = opened_breaker(1);
  EXPECT_FALSE(breaker.try_acquire(t0));
  EXPECT_FALSE(breaker.try_acquire(t0 + 5s - 1ns));
  breaker.record(true, t0 + 1s);  // a call admitted before it opened, ending now
  EXPECT_EQ(breaker.state(), BreakerState::open);
  EXPECT_FALSE(breaker.try_acquire(t0 + 5s - 1ns));
}

TEST(CircuitBreaker, AfterTheOpenDurationLetsOnlyTheProbesThrough) {
  CircuitBreaker breaker = opened_breaker(2);
  EXPECT_TRUE(breaker.try_acquire(t0 + 5s));
  EXPECT_EQ(breaker.state(), BreakerState::half_open);
  EXPECT_TRUE(breaker.try_acquire(t0 + 5s));
  EXPECT_FALSE(breaker.try_acquire(t0 + 5s)) << "two probes, both still running";
  breaker.record(true, t0 + 6s);
  EXPECT_EQ(breaker.state(), BreakerState::half_open) << "one of two probes succeeded";
  EXPECT_FALSE(breaker.try_acquire(t0 + 6s));
}

TEST(CircuitBreaker, ClosesWhenEveryProbeSucceedsWithAFreshWindow) {
  CircuitBreaker breaker = opened_breaker(2);
  ASSERT_TRUE(breaker.try_acquire(t0 + 5s));
  ASSERT_TRUE(breaker.try_acquire(t0 + 5s));
  breaker.record(true, t0 + 6s);
  breaker.record(true, t0 + 6s);
  EXPECT_EQ(breaker.state(), BreakerState::closed);
  EXPECT_TRUE(breaker.try_acquire(t0 + 6s));
  breaker.record(true, t0 + 6s);
  EXPECT_EQ(breaker.state(), BreakerState::closed)
      << "the failure that opened it left the window (window 2, ratio 1.0)";
}

TEST(CircuitBreaker, AFailedProbeOpensItAgainForANewOpenDuration) {
  CircuitBreaker breaker = opened_breaker(2);
  ASSERT_TRUE(breaker.try_acquire(t0 + 5s));
  ASSERT_TRUE(breaker.try_acquire(t0 + 5s));
  breaker.record(true, t0 + 6s);
  breaker.record(false, t0 + 7s);
  EXPECT_EQ(breaker.state(), BreakerState::open);
  EXPECT_FALSE(breaker.try_acquire(t0 + 12s - 1ns)) << "open again from t0 + 7 s";
  EXPECT_TRUE(breaker.try_acquire(t0 + 12s));
  EXPECT_EQ(breaker.state(), BreakerState::half_open);
}

TEST(CircuitBreaker, AProbeThatNeverReportsIsGivenUpAfterAnotherOpenDuration) {
  CircuitBreaker breaker = opened_breaker(1);
  ASSERT_TRUE(breaker.try_acquire(t0 + 5s));  // its caller is cancelled and records nothing
  EXPECT_FALSE(breaker.try_acquire(t0 + 10s - 1ns));
  EXPECT_TRUE(breaker.try_acquire(t0 + 10s)) << "a new round of probes";
  EXPECT_EQ(breaker.state(), BreakerState::half_open);
  breaker.record(true, t0 + 10s);
  EXPECT_EQ(breaker.state(), BreakerState::closed);
}

TEST(CircuitBreaker, RejectsSettingsOutsideTheirRanges) {
  EXPECT_THROW(CircuitBreaker({.window = 0, .min_calls = 0}), std::invalid_argument);
  EXPECT_THROW(CircuitBreaker({.window = 5, .min_calls = 6}), std::invalid_argument);
  EXPECT_THROW(CircuitBreaker({.window = 5, .min_calls = 0}), std::invalid_argument);
  EXPECT_THROW(CircuitBreaker({.failure_ratio = 0.0}), std::invalid_argument);
  EXPECT_THROW(CircuitBreaker({.failure_ratio = 1.5}), std::invalid_argument);
  EXPECT_THROW(CircuitBreaker({.open_duration = -1s}), std::invalid_argument);
  EXPECT_THROW(CircuitBreaker({.half_open_probes = 0}), std::invalid_argument);
}

}  // namespace
}  // namespace latencylab::graph
