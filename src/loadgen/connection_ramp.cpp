#include "loadgen/connection_ramp.hpp"

#include <algorithm>

namespace latencylab::loadgen {

Nanos ConnectionRamp::Segment::step_time(std::size_t k) const noexcept {
  // duration * k / n without overflowing: duration <= 24 h in ns (~8.6e13), k <= n <= 1e6.
  const auto n = static_cast<Nanos::rep>(steps());
  const auto whole = duration.count() / n;
  const auto rest = duration.count() % n;
  const auto kk = static_cast<Nanos::rep>(k);
  return start + Nanos{whole * kk + rest * kk / n};
}

std::size_t ConnectionRamp::Segment::steps_by(Nanos offset) const noexcept {
  // The largest k with step_time(k) <= offset; step_time is non-decreasing in k.
  std::size_t low = 0;
  std::size_t high = steps();
  while (low < high) {
    const std::size_t mid = low + (high - low + 1) / 2;
    if (step_time(mid) <= offset) {
      low = mid;
    } else {
      high = mid - 1;
    }
  }
  return low;
}

ConnectionRamp::ConnectionRamp(std::size_t start, const std::vector<ConnectionStage>& stages)
    : start_(start), peak_(start) {
  Nanos at{0};
  std::size_t previous = start;
  for (const auto& stage : stages) {
    if (stage.target != previous) segments_.push_back({at, stage.duration, previous, stage.target});
    at += stage.duration;
    previous = stage.target;
    peak_ = std::max(peak_, stage.target);
  }
}

std::size_t ConnectionRamp::connections_at(Nanos offset) const noexcept {
  std::size_t count = start_;
  for (const auto& segment : segments_) {
    if (offset < segment.start) break;
    const std::size_t steps = segment.steps_by(offset);
    count = segment.from < segment.to ? segment.from + steps : segment.from - steps;
  }
  return count;
}

std::optional<Nanos> ConnectionRamp::next_change_after(Nanos offset) const noexcept {
  for (const auto& segment : segments_) {
    const std::size_t steps = segment.steps_by(offset);
    if (steps < segment.steps()) return segment.step_time(steps + 1);
  }
  return std::nullopt;
}

}  // namespace latencylab::loadgen
