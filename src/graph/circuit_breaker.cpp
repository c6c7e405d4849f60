#include "graph/circuit_breaker.hpp"

#include <stdexcept>

namespace latencylab::graph {

CircuitBreaker::CircuitBreaker(CircuitBreakerSettings settings) : settings_(settings) {
  if (settings_.window == 0) throw std::invalid_argument("circuit breaker: window must be >= 1");
  if (settings_.min_calls == 0 || settings_.min_calls > settings_.window) {
    throw std::invalid_argument("circuit breaker: min_calls must be in [1, window]");
  }
  if (!(settings_.failure_ratio > 0.0 && settings_.failure_ratio <= 1.0)) {
    throw std::invalid_argument("circuit breaker: failure_ratio must be in (0, 1]");
  }
  if (settings_.open_duration < std::chrono::nanoseconds::zero()) {
    throw std::invalid_argument("circuit breaker: open_duration must not be negative");
  }
  if (settings_.half_open_probes == 0) {
    throw std::invalid_argument("circuit breaker: half_open_probes must be >= 1");
  }
  failed_.assign(settings_.window, false);
}

bool CircuitBreaker::try_acquire(time_point now) noexcept {
  switch (state_) {
    case BreakerState::closed:
      return true;
    case BreakerState::open:
      if (now - since_ < settings_.open_duration) return false;
      start_probing(now);
      break;
    case BreakerState::half_open:
      if (probes_started_ < settings_.half_open_probes) break;
      // Every probe is out. One whose result never comes (its caller was cancelled and recorded
      // nothing) must not hold the breaker half-open for ever: after another open_duration a new
      // round of probes starts.
      if (now - since_ < settings_.open_duration) return false;
      start_probing(now);
      break;
  }
  ++probes_started_;
  return true;
}

void CircuitBreaker::start_probing(time_point now) noexcept {
  state_ = BreakerState::half_open;
  since_ = now;
  probes_started_ = 0;
  probes_succeeded_ = 0;
}

void CircuitBreaker::record(bool success, time_point now) noexcept {
  switch (state_) {
    case BreakerState::open:
      return;
    case BreakerState::half_open:
      if (!success) {
        open(now);
      } else if (++probes_succeeded_ >= settings_.half_open_probes) {
        close();
      }
      return;
    case BreakerState::closed:
      break;
  }
  if (calls_ == settings_.window) {
    if (failed_[next_]) --failures_;  // the oldest outcome leaves the window
  } else {
    ++calls_;
  }
  failed_[next_] = !success;
  if (!success) ++failures_;
  next_ = (next_ + 1) % settings_.window;
  failure_run_ = success ? 0 : failure_run_ + 1;

  const bool ratio_reached =
      calls_ >= settings_.min_calls &&
      static_cast<double>(failures_) >= settings_.failure_ratio * static_cast<double>(calls_);
  const bool run_reached =
      settings_.consecutive_failures != 0 && failure_run_ >= settings_.consecutive_failures;
  if (ratio_reached || run_reached) open(now);
}

void CircuitBreaker::open(time_point now) noexcept {
  state_ = BreakerState::open;
  since_ = now;
}

// A fresh start: what the window held described the dependency before it recovered.
void CircuitBreaker::close() noexcept {
  state_ = BreakerState::closed;
  failed_.assign(settings_.window, false);
  next_ = 0;
  calls_ = 0;
  failures_ = 0;
  failure_run_ = 0;
}

}  // namespace latencylab::graph
