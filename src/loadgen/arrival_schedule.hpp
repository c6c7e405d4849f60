// When each request of an open-model (constant arrival rate) run is meant to be sent.
//
// The rate profile is a list of stages; within a stage the rate moves linearly from the previous
// stage's rate to the stage's target (a constant rate is one stage with start rate == target).
// Request k (0-based, counted over the whole run) is due at the time t where the expected number of
// arrivals N(t) = integral of rate(t) reaches k, so request 0 is due at t = 0 and a constant rate
// R gives t_k = k / R exactly, independent of how late earlier requests were sent. Pure and
// immutable after construction: safe to share between io threads.
//
//   ArrivalSchedule s = ArrivalSchedule::constant(200.0, std::chrono::seconds{10});
//   std::optional<Nanos> t = s.intended_offset(5);   // 25 ms after the start
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "loadgen/duration_text.hpp"

namespace latencylab::loadgen {

class ArrivalSchedule {
 public:
  ArrivalSchedule(double start_rate, const std::vector<RateStage>& stages);
  static ArrivalSchedule constant(double rate, Nanos duration);

  [[nodiscard]] Nanos total_duration() const noexcept { return total_duration_; }
  [[nodiscard]] double rate_at(Nanos offset) const noexcept;
  // Expected arrivals in [0, offset): N(offset). The number of requests the run should send.
  [[nodiscard]] double expected_requests(Nanos offset) const noexcept;
  // Intended send offset of request `index`, or nullopt when the schedule ends before it.
  [[nodiscard]] std::optional<Nanos> intended_offset(std::uint64_t index) const noexcept;

 private:
  struct Segment {
    double start_seconds;
    double duration_seconds;
    double start_rate;
    double end_rate;
    double arrivals_before;  // N(start_seconds)
    [[nodiscard]] double arrivals_within(double elapsed_seconds) const noexcept;
  };

  [[nodiscard]] const Segment* segment_at(double seconds) const noexcept;

  std::vector<Segment> segments_;
  Nanos total_duration_{};
  double total_arrivals_ = 0;
};

}  // namespace latencylab::loadgen
