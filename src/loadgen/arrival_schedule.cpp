#include "loadgen/arrival_schedule.hpp"

#include <algorithm>
#include <cmath>

namespace latencylab::loadgen {
namespace {

double to_seconds(Nanos value) noexcept {
  return static_cast<double>(value.count()) / 1e9;
}

}  // namespace

double ArrivalSchedule::Segment::arrivals_within(double elapsed_seconds) const noexcept {
  const double slope = (end_rate - start_rate) / duration_seconds;
  return start_rate * elapsed_seconds + slope * elapsed_seconds * elapsed_seconds / 2.0;
}

ArrivalSchedule::ArrivalSchedule(double start_rate, const std::vector<RateStage>& stages) {
  double previous_rate = start_rate;
  double start = 0;
  double arrivals = 0;
  for (const auto& stage : stages) {
    const double duration = to_seconds(stage.duration);
    if (duration > 0) {
      Segment segment{start, duration, previous_rate, stage.target_rate, arrivals};
      arrivals += segment.arrivals_within(duration);
      segments_.push_back(segment);
      start += duration;
      total_duration_ += stage.duration;
    }
    previous_rate = stage.target_rate;  // a zero-length stage is an instant step
  }
  total_arrivals_ = arrivals;
}

ArrivalSchedule ArrivalSchedule::constant(double rate, Nanos duration) {
  return ArrivalSchedule(rate, {{duration, rate}});
}

const ArrivalSchedule::Segment* ArrivalSchedule::segment_at(double seconds) const noexcept {
  for (const auto& segment : segments_) {
    if (seconds < segment.start_seconds + segment.duration_seconds) return &segment;
  }
  return nullptr;
}

double ArrivalSchedule::rate_at(Nanos offset) const noexcept {
  const double seconds = to_seconds(offset);
  const Segment* segment = segment_at(seconds);
  if (segment == nullptr || seconds < 0) return 0;
  const double fraction = (seconds - segment->start_seconds) / segment->duration_seconds;
  return segment->start_rate + (segment->end_rate - segment->start_rate) * fraction;
}

double ArrivalSchedule::expected_requests(Nanos offset) const noexcept {
  const double seconds = to_seconds(offset);
  if (seconds <= 0) return 0;
  const Segment* segment = segment_at(seconds);
  if (segment == nullptr) return total_arrivals_;
  return segment->arrivals_before + segment->arrivals_within(seconds - segment->start_seconds);
}

std::optional<Nanos> ArrivalSchedule::intended_offset(std::uint64_t index) const noexcept {
  const auto k = static_cast<double>(index);
  if (k >= total_arrivals_) return std::nullopt;
  // Segments are few (one per stage): a linear scan beats bookkeeping a cursor.
  auto segment = std::find_if(segments_.begin(), segments_.end(), [&](const Segment& s) {
    return k < s.arrivals_before + s.arrivals_within(s.duration_seconds);
  });
  if (segment == segments_.end()) return std::nullopt;
  // Solve start_rate * t + slope * t^2 / 2 = x for t >= 0, in the cancellation-free form
  // t = 2x / (start_rate + sqrt(start_rate^2 + 2 slope x)), valid for any sign of the slope.
  const double x = k - segment->arrivals_before;
  const double slope = (segment->end_rate - segment->start_rate) / segment->duration_seconds;
  const double discriminant =
      std::max(0.0, segment->start_rate * segment->start_rate + 2 * slope * x);
  const double denominator = segment->start_rate + std::sqrt(discriminant);
  const double elapsed = denominator > 0 ? 2 * x / denominator : 0.0;
  const double seconds = segment->start_seconds + std::min(elapsed, segment->duration_seconds);
  return Nanos{static_cast<Nanos::rep>(std::llround(seconds * 1e9))};
}

}  // namespace latencylab::loadgen
