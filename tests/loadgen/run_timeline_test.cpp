// The --report timeline: per-second intervals from the reporter become points per target, merged
// into wider buckets for long runs, with rates per second of the run and latency percentiles.
#include "loadgen/run_timeline.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "loadgen/run_plan_builder.hpp"

namespace latencylab::loadgen {
namespace {

RunPlan plan_for(std::vector<std::string> args) {
  args.insert(args.begin(), "load");
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  const auto parsed = parse_load_options(static_cast<int>(argv.size()), argv.data());
  EXPECT_TRUE(parsed.has_value());
  auto plan = build_run_plan(std::get<LoadOptions>(*parsed));
  EXPECT_TRUE(plan.has_value()) << plan.error().message;
  return std::move(*plan);
}

// One target's second: `sent` requests started, each completing with `latency_ms`.
std::vector<IntervalStats> second_with(std::uint64_t sent, std::uint64_t latency_ms,
                                       std::uint64_t errors = 0) {
  std::vector<IntervalStats> intervals(1);
  IntervalStats& s = intervals[0];
  s.started = sent;
  s.completed = sent;
  s.errors = errors;
  for (std::uint64_t i = 0; i < sent; ++i) {
    s.latency.record(latency_ms * 1'000'000);
    s.service_time.record(latency_ms * 500'000);  // half of it waiting for a connection
  }
  return intervals;
}

TEST(RunTimeline, ShortRunHasOnePointPerSecondWithRatesAndPercentiles) {
  const RunPlan plan = plan_for({"http://127.0.0.1:9/", "--rate", "100", "-d", "3s", "-w", "1s"});
  RunTimeline timeline(plan);
  EXPECT_EQ(timeline.bucket_seconds(), 1u);
  timeline.add(1, second_with(100, 2));
  timeline.add(2, second_with(90, 4, 3));
  timeline.add(3, second_with(100, 8));
  timeline.finish();

  const auto& points = timeline.points(0);
  ASSERT_EQ(points.size(), 3u);
  EXPECT_TRUE(points[0].warmup);
  EXPECT_FALSE(points[1].warmup);
  EXPECT_DOUBLE_EQ(points[1].start_s, 1.0);
  EXPECT_DOUBLE_EQ(points[1].end_s, 2.0);
  ASSERT_TRUE(points[1].target_rate.has_value());
  EXPECT_NEAR(*points[1].target_rate, 100.0, 1e-6);
  EXPECT_DOUBLE_EQ(points[1].rate(points[1].sent), 90.0);
  EXPECT_EQ(points[1].errors, 3u);
  // Percentiles never under-report and stay within the histogram's 0.78% bucket width.
  EXPECT_GE(points[1].latency.p99, 4'000'000u);
  EXPECT_LE(points[1].latency.p99, 4'032'000u);
  EXPECT_GE(points[1].service_time.p50, 2'000'000u);
  EXPECT_LE(points[1].service_time.p50, 2'016'000u);
  EXPECT_EQ(points[2].latency.max, 8'000'000u);
}

TEST(RunTimeline, LongRunMergesSecondsIntoBucketsOfEqualWidth) {
  const RunPlan plan = plan_for({"http://127.0.0.1:9/", "--rate", "10", "-d", "20m"});
  RunTimeline timeline(plan, /*max_points=*/600);
  EXPECT_EQ(timeline.bucket_seconds(), 2u);  // 1200 s in at most 600 points
  timeline.add(1, second_with(10, 1));
  timeline.add(2, second_with(30, 50));
  timeline.add(3, second_with(10, 1));
  timeline.add(4, second_with(10, 1));
  timeline.add(5, second_with(6, 3));
  timeline.finish();

  const auto& points = timeline.points(0);
  ASSERT_EQ(points.size(), 3u);
  EXPECT_DOUBLE_EQ(points[0].start_s, 0.0);
  EXPECT_DOUBLE_EQ(points[0].end_s, 2.0);
  EXPECT_EQ(points[0].sent, 40u);
  EXPECT_DOUBLE_EQ(points[0].rate(points[0].sent), 20.0);  // per second, not per bucket
  EXPECT_EQ(points[0].latency.max, 50'000'000u);           // the slow second is not averaged away
  EXPECT_EQ(points[1].sent, 20u);
  EXPECT_EQ(points[1].latency.max, 1'000'000u);
  // The open last bucket holds one second so far: its rate is over that second.
  EXPECT_DOUBLE_EQ(points[2].start_s, 4.0);
  EXPECT_DOUBLE_EQ(points[2].end_s, 5.0);
  EXPECT_DOUBLE_EQ(points[2].rate(points[2].sent), 6.0);
}

TEST(RunTimeline, RatesOfTheLastSecondCountOnlyTheRunsShareOfIt) {
  const RunPlan plan = plan_for({"http://127.0.0.1:9/", "--rate", "100", "-d", "2500ms"});
  RunTimeline timeline(plan);
  timeline.add(1, second_with(100, 1));
  timeline.add(2, second_with(100, 1));
  timeline.add(3, second_with(50, 1));  // the run ended half-way through
  timeline.finish();
  const auto& points = timeline.points(0);
  ASSERT_EQ(points.size(), 3u);
  EXPECT_DOUBLE_EQ(points[2].rate(points[2].sent), 100.0);
  EXPECT_NEAR(*points[2].target_rate, 100.0, 1e-6);
}

TEST(RunTimeline, AfterTheEndOnlySecondsWithActivityArePlotted) {
  const RunPlan plan = plan_for({"http://127.0.0.1:9/", "-c", "2", "-d", "2s"});
  RunTimeline timeline(plan);
  timeline.add(1, second_with(10, 1));
  timeline.add(2, second_with(10, 1));
  std::vector<IntervalStats> late_completions(1);
  late_completions[0].completed = 2;
  late_completions[0].latency.record(1'500'000'000);
  timeline.add(3, late_completions);
  timeline.add(4, std::vector<IntervalStats>(1));  // the final flush: nothing happened
  timeline.finish();
  const auto& points = timeline.points(0);
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[2].completed, 2u);
  EXPECT_EQ(points[2].sent, 0u);
  EXPECT_FALSE(points[2].target_rate.has_value());  // closed model: no schedule
}

}  // namespace
}  // namespace latencylab::loadgen
