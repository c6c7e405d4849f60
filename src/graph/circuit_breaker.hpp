// The circuit breaker of one downstream dependency: a pure state machine with the time passed in
// (no clock reads), so tests drive every transition with made-up time points.
//
// Closed: calls pass; each result enters a sliding window of the last `window` calls. It opens
// when, with at least `min_calls` calls in the window, the failed share reaches `failure_ratio`,
// or after `consecutive_failures` failures in a row (0 = off).
// Open: try_acquire() fails fast (the caller answers circuit_open) until `open_duration` has
// passed since it opened; the first try_acquire() after that moves to half-open.
// Half-open: `half_open_probes` calls are let through, the others fail fast. All probes succeed:
// closed, with an empty window. Any probe fails: open again, for a new `open_duration`. Probes
// that never report (their callers were cancelled) are given up after another `open_duration`,
// and a new round starts.
//
// What a failure is (timeout, connection error, invalid response, 5xx) is the caller's decision
// (retry_policy.hpp: is_failure); a call refused by the breaker is not recorded. A result recorded
// while open is ignored; one recorded while half-open counts as a probe's (a call admitted before
// the breaker opened cannot be told apart, which needs it to outlive open_duration).
//
//   CircuitBreaker breaker({.window = 20, .min_calls = 10, .failure_ratio = 0.5,
//                           .open_duration = std::chrono::seconds(5)});
//   if (!breaker.try_acquire(now)) return CallResult::circuit_open;  // refused: not recorded
//   const CallResult result = call_downstream();
//   breaker.record(!is_failure(result), now + elapsed);
//
// Threading: one io thread, like the calls it guards.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

namespace latencylab::graph {

struct CircuitBreakerSettings {
  std::uint32_t window = 20;               // calls in the sliding window, >= 1
  std::uint32_t min_calls = 10;            // in [1, window]
  double failure_ratio = 0.5;              // in (0, 1]
  std::uint32_t consecutive_failures = 0;  // 0 = off
  std::chrono::nanoseconds open_duration = std::chrono::seconds(5);
  std::uint32_t half_open_probes = 1;  // >= 1
};

enum class BreakerState { closed, open, half_open };

class CircuitBreaker {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  // Throws std::invalid_argument when a setting is outside its range (startup).
  explicit CircuitBreaker(CircuitBreakerSettings settings);

  // True: make the call, then record() its result. False: fail fast (circuit_open).
  [[nodiscard]] bool try_acquire(time_point now) noexcept;
  void record(bool success, time_point now) noexcept;

  // As of the last try_acquire()/record(): an open breaker past its open_duration still reads
  // open until the next call attempt moves it to half-open.
  [[nodiscard]] BreakerState state() const noexcept { return state_; }

 private:
  void open(time_point now) noexcept;
  void start_probing(time_point now) noexcept;
  void close() noexcept;

  CircuitBreakerSettings settings_;
  BreakerState state_ = BreakerState::closed;
  // Closed: the last calls' outcomes, a ring of `window` entries (true = failed).
  std::vector<bool> failed_;
  std::uint32_t next_ = 0;         // ring position the next outcome overwrites
  std::uint32_t calls_ = 0;        // outcomes in the window, <= window
  std::uint32_t failures_ = 0;     // failed outcomes in the window
  std::uint32_t failure_run_ = 0;  // consecutive failures, newest last
  // Open: since when. Half-open: since when the current round of probes started, probes let
  // through and probes that succeeded.
  time_point since_{};
  std::uint32_t probes_started_ = 0;
  std::uint32_t probes_succeeded_ = 0;
};

}  // namespace latencylab::graph
