#include "telemetry/fast_steady_clock.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace latencylab::telemetry {
namespace {

using namespace std::chrono_literals;

// Scale check of the TSC calibration: a 50 ms sleep read on the fast clock must be at least 49 ms
// (a sleep never returns early) and at most the steady_clock interval that brackets it, plus 2% for
// calibration error. Preemption can only widen the bracket, so this cannot flake on a busy machine.
TEST(FastSteadyClock, MeasuresElapsedTimeOnTheSteadyClockScale) {
  const auto steady_start = std::chrono::steady_clock::now();
  const auto fast_start = fast_steady_now();
  std::this_thread::sleep_for(50ms);
  const auto fast_elapsed = fast_steady_now() - fast_start;
  const auto bracket = std::chrono::steady_clock::now() - steady_start;
  EXPECT_GE(fast_elapsed, 49ms) << "uses tsc: " << fast_steady_clock_uses_tsc();
  EXPECT_LE(std::chrono::duration<double>(fast_elapsed).count(),
            std::chrono::duration<double>(bracket).count() * 1.02);
}

TEST(FastSteadyClock, NeverGoesBackwards) {
  auto previous = fast_steady_now();
  for (int i = 0; i < 100000; ++i) {
    const auto now = fast_steady_now();
    ASSERT_GE(now, previous);
    previous = now;
  }
}

}  // namespace
}  // namespace latencylab::telemetry
