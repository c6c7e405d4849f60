// The run's per-second activity kept for the --report charts: each reporting interval the
// reporter collects from the io threads is added here, merged into buckets of a width fixed at
// construction (one second, or wider so that a long run keeps at most `max_points` buckets), and
// each bucket closes into a TimelinePoint of rates and latency percentiles per target.
//
// Memory stays bounded: only the open bucket holds histograms; closed buckets are a few numbers.
// Owned by the reporter (main) thread; the io threads only ever see their own IntervalStats.
//
//   RunTimeline timeline(plan);
//   timeline.add(1, intervals);  // after second 1, one IntervalStats per target
//   timeline.finish();           // closes the last, partial bucket
//   const std::vector<TimelinePoint>& points = timeline.points(0);
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "loadgen/run_plan.hpp"
#include "loadgen/run_stats.hpp"

namespace latencylab::loadgen {

struct LatencyPercentiles {  // nanoseconds
  std::uint64_t p50 = 0;
  std::uint64_t p90 = 0;
  std::uint64_t p99 = 0;
  std::uint64_t max = 0;
};

// One target's activity during [start_s, end_s) of the run (seconds from its start).
struct TimelinePoint {
  double start_s = 0;
  double end_s = 0;
  bool warmup = false;                // ends inside the warm-up: not in the run's totals
  std::optional<double> target_rate;  // open model: requests/s the schedule asked for
  double rate_seconds = 1;            // what rates divide by: the bucket, cut at the run's end
  std::uint64_t sent = 0;             // requests handed to a connection
  std::uint64_t completed = 0;
  std::uint64_t errors = 0;
  std::uint64_t late = 0;
  std::uint64_t dropped = 0;
  LatencyPercentiles latency;  // from the intended send time (corrected)
  LatencyPercentiles service_time;

  // `count` (sent, completed, errors, ...) per second of this point.
  [[nodiscard]] double rate(std::uint64_t count) const noexcept {
    return static_cast<double>(count) / rate_seconds;
  }
};

class RunTimeline {
 public:
  static constexpr std::size_t kDefaultMaxPoints = 600;

  explicit RunTimeline(const RunPlan& plan, std::size_t max_points = kDefaultMaxPoints);

  // `second` is the 1-based index of the interval that just ended; `intervals` has one entry per
  // target. Seconds arrive in order; the last one may end after the run's duration.
  void add(unsigned second, const std::vector<IntervalStats>& intervals);
  // Closes the open bucket. A bucket that begins at or after the run's end and saw no request
  // (the io threads' final flush) is left out.
  void finish();

  [[nodiscard]] unsigned bucket_seconds() const noexcept { return bucket_seconds_; }
  [[nodiscard]] const std::vector<TimelinePoint>& points(std::size_t target) const {
    return points_[target];
  }

 private:
  void close_bucket();

  const RunPlan& plan_;
  unsigned bucket_seconds_;
  unsigned bucket_first_second_ = 1;  // 1-based second the open bucket starts with
  unsigned last_second_ = 0;          // last second added to the open bucket; 0: empty
  std::vector<IntervalStats> open_;   // per target
  std::vector<std::vector<TimelinePoint>> points_;
};

}  // namespace latencylab::loadgen
