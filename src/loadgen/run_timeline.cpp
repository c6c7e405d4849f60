#include "loadgen/run_timeline.hpp"

#include <algorithm>
#include <chrono>

namespace latencylab::loadgen {
namespace {

using Seconds = std::chrono::duration<double>;

unsigned width_for(Nanos duration, std::size_t max_points) {
  const auto seconds = std::chrono::ceil<std::chrono::seconds>(duration).count();
  const auto points = static_cast<long long>(std::max<std::size_t>(max_points, 1));
  return static_cast<unsigned>(std::max<long long>(1, (seconds + points - 1) / points));
}

LatencyPercentiles percentiles_of(const LatencyHistogram& h) {
  return {h.percentile(50), h.percentile(90), h.percentile(99), h.max()};
}

}  // namespace

RunTimeline::RunTimeline(const RunPlan& plan, std::size_t max_points)
    : plan_(plan),
      bucket_seconds_(width_for(plan.duration, max_points)),
      open_(plan.targets.size()),
      points_(plan.targets.size()) {}

void RunTimeline::add(unsigned second, const std::vector<IntervalStats>& intervals) {
  if (last_second_ != 0 && second >= bucket_first_second_ + bucket_seconds_) close_bucket();
  if (last_second_ == 0)
    bucket_first_second_ = (second - 1) / bucket_seconds_ * bucket_seconds_ + 1;
  for (std::size_t t = 0; t < open_.size(); ++t) open_[t].merge(intervals[t]);
  last_second_ = second;
}

void RunTimeline::finish() {
  if (last_second_ != 0) close_bucket();
}

void RunTimeline::close_bucket() {
  const double start = bucket_first_second_ - 1.0;
  const double end = last_second_;
  const double run_end = Seconds(plan_.duration).count();
  // Rates are per second of the run: a bucket the run's end cuts short counts only its share.
  const double span = start < run_end ? std::min(end, run_end) - start : end - start;
  for (std::size_t t = 0; t < open_.size(); ++t) {
    IntervalStats& s = open_[t];
    const bool after_end = start >= run_end;
    if (!(after_end && s.started == 0 && s.completed == 0 && s.dropped == 0)) {
      TimelinePoint p;
      p.start_s = start;
      p.end_s = end;
      p.warmup = end <= Seconds(plan_.warmup).count();
      if (const auto& schedule = plan_.targets[t].schedule) {
        const auto at = [](double seconds) {
          return std::chrono::duration_cast<Nanos>(Seconds(seconds));
        };
        p.target_rate = after_end ? 0.0
                                  : (schedule->expected_requests(at(start + span)) -
                                     schedule->expected_requests(at(start))) /
                                        span;
      }
      p.rate_seconds = span;
      p.sent = s.started;
      p.completed = s.completed;
      p.errors = s.errors;
      p.late = s.late;
      p.dropped = s.dropped;
      p.latency = percentiles_of(s.latency);
      p.service_time = percentiles_of(s.service_time);
      points_[t].push_back(p);
    }
    s.reset();
  }
  last_second_ = 0;
}

}  // namespace latencylab::loadgen
