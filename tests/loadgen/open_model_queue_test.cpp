#include "loadgen/open_model_queue.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace latencylab::loadgen {
namespace {

using namespace std::chrono_literals;
using Kind = OpenModelQueue::Dispatch::Kind;

// The queue never reads a clock: the test owns time.
struct FakeClock {
  Nanos now{0};
  void advance_to(Nanos t) { now = t; }
};

TEST(OpenModelQueue, RequestsDueWhileSlotsAreIdleAreSentOnTime) {
  OpenModelQueue queue({.max_in_flight = 2, .max_backlog = 10, .late_after = 10ms});
  FakeClock clock;
  clock.advance_to(1ms);
  const auto first = queue.on_due(0ms, clock.now);
  EXPECT_EQ(first.kind, Kind::send);
  EXPECT_FALSE(first.ticket.late) << "1 ms behind is within --late-after";
  EXPECT_EQ(first.ticket.intended, Nanos{0ms}) << "the ticket keeps the intended time";
  EXPECT_EQ(queue.in_flight(), 1u);
  EXPECT_EQ(queue.counters().sent, 1u);
  EXPECT_EQ(queue.counters().late, 0u);
}

TEST(OpenModelQueue, StalledSlotsMakeLaterRequestsWaitAndCountAsLateWithTheirIntendedTime) {
  OpenModelQueue queue({.max_in_flight = 2, .max_backlog = 10, .late_after = 10ms});
  FakeClock clock;
  const auto a = queue.on_due(0ms, clock.now);
  clock.advance_to(5ms);
  const auto b = queue.on_due(5ms, clock.now);
  ASSERT_EQ(a.kind, Kind::send);
  ASSERT_EQ(b.kind, Kind::send);
  // Both slots now stall; two more requests fall due.
  clock.advance_to(10ms);
  EXPECT_EQ(queue.on_due(10ms, clock.now).kind, Kind::queued);
  clock.advance_to(15ms);
  EXPECT_EQ(queue.on_due(15ms, clock.now).kind, Kind::queued);
  EXPECT_EQ(queue.backlog(), 2u);
  // The stall ends at 1 s: the freed slot takes the oldest waiting request, late, intended 10 ms.
  clock.advance_to(1000ms);
  const auto next = queue.on_slot_free(a.slot, clock.now);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->intended, Nanos{10ms});
  EXPECT_TRUE(next->late);
  const auto after = queue.on_slot_free(b.slot, clock.now);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->intended, Nanos{15ms});
  EXPECT_EQ(queue.counters().due, 4u);
  EXPECT_EQ(queue.counters().sent, 4u);
  EXPECT_EQ(queue.counters().late, 2u);
  EXPECT_EQ(queue.backlog(), 0u);
}

TEST(OpenModelQueue, FullBacklogDropsAndTheRunEndDropsWhatStillWaits) {
  OpenModelQueue queue({.max_in_flight = 1, .max_backlog = 2, .late_after = 10ms});
  FakeClock clock;
  EXPECT_EQ(queue.on_due(0ms, clock.now).kind, Kind::send);
  EXPECT_EQ(queue.on_due(1ms, clock.now).kind, Kind::queued);
  EXPECT_EQ(queue.on_due(2ms, clock.now).kind, Kind::queued);
  EXPECT_EQ(queue.on_due(3ms, clock.now).kind, Kind::dropped);
  EXPECT_EQ(queue.counters().dropped_backlog_full, 1u);
  EXPECT_EQ(queue.drop_backlog(), 2u);
  EXPECT_EQ(queue.counters().dropped_at_end, 2u);
  queue.on_never_dispatched(4ms);
  EXPECT_EQ(queue.counters().due, 5u);
  EXPECT_EQ(queue.counters().dropped_at_end, 3u);
  EXPECT_EQ(queue.counters().sent, 1u) << "dropped requests were never sent";
}

TEST(OpenModelQueue, MostRecentlyFreedSlotIsReusedFirstToKeepFewConnectionsWarm) {
  OpenModelQueue queue({.max_in_flight = 3, .max_backlog = 0, .late_after = 10ms});
  const auto a = queue.on_due(0ms, 0ms);
  const auto b = queue.on_due(1ms, 1ms);
  EXPECT_NE(a.slot, b.slot);
  EXPECT_FALSE(queue.on_slot_free(b.slot, 2ms).has_value());
  EXPECT_EQ(queue.on_due(3ms, 3ms).slot, b.slot);
}

TEST(OpenModelQueue, WarmupRequestsAreDispatchedButNotCounted) {
  OpenModelQueue queue(
      {.max_in_flight = 1, .max_backlog = 4, .late_after = 10ms, .measure_from = 1s});
  const auto warm = queue.on_due(500ms, 600ms);  // 100 ms late, but in the warm-up
  EXPECT_EQ(warm.kind, Kind::send);
  EXPECT_TRUE(warm.ticket.late);
  EXPECT_EQ(queue.on_due(1500ms, 1500ms).kind, Kind::queued);
  EXPECT_EQ(queue.counters().due, 1u);
  EXPECT_EQ(queue.counters().sent, 0u);
  EXPECT_EQ(queue.counters().late, 0u);
  const auto next = queue.on_slot_free(warm.slot, 1600ms);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(queue.counters().sent, 1u);
  EXPECT_EQ(queue.counters().late, 1u);
}

}  // namespace
}  // namespace latencylab::loadgen
