// The closed model's connection count over time, read at explicit instants (no clock).
#include "loadgen/connection_ramp.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace latencylab::loadgen {
namespace {

using namespace std::chrono_literals;

// Every change instant from the start on, with the count after it.
std::vector<std::pair<Nanos, std::size_t>> changes(const ConnectionRamp& ramp) {
  std::vector<std::pair<Nanos, std::size_t>> out;
  for (auto at = ramp.next_change_after(Nanos{-1}); at; at = ramp.next_change_after(*at)) {
    out.emplace_back(*at, ramp.connections_at(*at));
  }
  return out;
}

TEST(ConnectionRamp, WithoutStagesTheCountNeverChanges) {
  const auto ramp = ConnectionRamp::constant(8);
  EXPECT_EQ(ramp.connections_at(0s), 8u);
  EXPECT_EQ(ramp.connections_at(1h), 8u);
  EXPECT_EQ(ramp.peak(), 8u);
  EXPECT_FALSE(ramp.changes());
  EXPECT_FALSE(ramp.next_change_after(0s).has_value());
}

TEST(ConnectionRamp, RampUpAddsOneConnectionAtEvenlySpacedInstantsAndReachesTheTargetAtTheEnd) {
  // From -c 2 to 6 over 4 s: one more connection at 1 s, 2 s, 3 s and 4 s, as k6 ramps VUs.
  const ConnectionRamp ramp(2, {{4s, 6}});
  EXPECT_EQ(ramp.connections_at(0s), 2u);
  EXPECT_EQ(ramp.connections_at(999ms), 2u);
  EXPECT_EQ(ramp.connections_at(1s), 3u);
  EXPECT_EQ(ramp.connections_at(2500ms), 4u);
  EXPECT_EQ(ramp.connections_at(4s), 6u);
  EXPECT_EQ(ramp.connections_at(10s), 6u) << "the last stage's count holds";
  const std::vector<std::pair<Nanos, std::size_t>> expected{{1s, 3}, {2s, 4}, {3s, 5}, {4s, 6}};
  EXPECT_EQ(changes(ramp), expected);
  EXPECT_EQ(ramp.peak(), 6u);
}

TEST(ConnectionRamp, RampUpHoldStepAndRampDownFollowTheStagesInOrder) {
  // k6-style: 0 -> 3 over 3 s, hold 3 for 2 s, step to 5, hold 1 s, down to 0 over 5 s.
  const ConnectionRamp ramp(0, {{3s, 3}, {2s, 3}, {0s, 5}, {1s, 5}, {5s, 0}});
  const std::vector<std::pair<Nanos, std::size_t>> expected{
      {1s, 1}, {2s, 2}, {3s, 3}, {5s, 5}, {7s, 4}, {8s, 3}, {9s, 2}, {10s, 1}, {11s, 0}};
  EXPECT_EQ(changes(ramp), expected);
  EXPECT_EQ(ramp.connections_at(4s), 3u);
  EXPECT_EQ(ramp.connections_at(5s), 5u) << "a zero-length stage is a step at its instant";
  EXPECT_EQ(ramp.connections_at(6500ms), 5u);
  EXPECT_EQ(ramp.connections_at(11s), 0u);
  EXPECT_EQ(ramp.peak(), 5u);
}

TEST(ConnectionRamp, UnevenRampsRoundEachStepDownToTheNanosecond) {
  // 1 -> 4 over 1 s: steps at floor(1e9 * k / 3) ns.
  const ConnectionRamp ramp(1, {{1s, 4}});
  const std::vector<std::pair<Nanos, std::size_t>> expected{
      {Nanos{333'333'333}, 2}, {Nanos{666'666'666}, 3}, {Nanos{1'000'000'000}, 4}};
  EXPECT_EQ(changes(ramp), expected);
  EXPECT_EQ(ramp.connections_at(Nanos{333'333'332}), 1u);
}

TEST(ConnectionRamp, ManyConnectionsOverADayDoNotOverflow) {
  const ConnectionRamp ramp(0, {{24h, 1'000'000}});
  EXPECT_EQ(ramp.connections_at(12h), 500'000u);
  EXPECT_EQ(ramp.connections_at(24h), 1'000'000u);
  EXPECT_EQ(ramp.next_change_after(0s), Nanos{86'400'000});  // 24 h / 1e6
}

TEST(ConnectionRamp, AStageToTheSameCountIsAHoldWithoutChanges) {
  const ConnectionRamp ramp(4, {{10s, 4}});
  EXPECT_FALSE(ramp.changes());
  EXPECT_EQ(ramp.connections_at(5s), 4u);
}

}  // namespace
}  // namespace latencylab::loadgen
