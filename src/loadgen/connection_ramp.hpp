// How many connections a closed-model run keeps open at each moment, as k6's ramping VUs do:
// it starts at `start` and each stage moves linearly to its target over its duration, one
// connection at a time at evenly spaced instants (a ramp from a to b over d changes the count at
// d/|b-a|, 2d/|b-a|, ..., d, so it reaches b exactly at the stage's end); a zero-length stage is
// an instant step. After the last stage the count holds. Pure and immutable after construction:
// safe to share between io threads; times are offsets from the run's start.
//
//   ConnectionRamp ramp(1, {{std::chrono::seconds{3}, 4}, {std::chrono::seconds{0}, 0}});
//   std::size_t n = ramp.connections_at(std::chrono::seconds{1});       // 2
//   std::optional<Nanos> next = ramp.next_change_after(std::chrono::seconds{1});  // 2 s
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "loadgen/duration_text.hpp"

namespace latencylab::loadgen {

struct ConnectionStage {
  Nanos duration{};
  std::size_t target = 0;  // connections at the end of the stage
};

class ConnectionRamp {
 public:
  ConnectionRamp(std::size_t start, const std::vector<ConnectionStage>& stages);
  static ConnectionRamp constant(std::size_t connections) {
    return ConnectionRamp(connections, {});
  }

  // The count in force at `offset`: every change at or before it has happened.
  [[nodiscard]] std::size_t connections_at(Nanos offset) const noexcept;
  // The first instant after `offset` at which the count changes, or nullopt when it never does.
  [[nodiscard]] std::optional<Nanos> next_change_after(Nanos offset) const noexcept;
  [[nodiscard]] std::size_t peak() const noexcept { return peak_; }
  [[nodiscard]] bool changes() const noexcept { return !segments_.empty(); }

 private:
  struct Segment {
    Nanos start;
    Nanos duration;
    std::size_t from;
    std::size_t to;
    [[nodiscard]] std::size_t steps() const noexcept { return from < to ? to - from : from - to; }
    // The offset at which step k (1..steps()) happens: start + floor(duration * k / steps).
    [[nodiscard]] Nanos step_time(std::size_t k) const noexcept;
    // Steps taken by `offset` (0..steps()).
    [[nodiscard]] std::size_t steps_by(Nanos offset) const noexcept;
  };

  std::size_t start_;
  std::size_t peak_;
  std::vector<Segment> segments_;  // only stages that change the count
};

}  // namespace latencylab::loadgen
