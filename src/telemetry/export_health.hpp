// Tracks whether exports are succeeding and says when that changed, so the reader logs once per
// state change (first result, failing -> ok, ok -> failing) instead of once per interval.
//
//   ExportHealth health;
//   if (auto change = health.observe(result)) log_change(*change, result);
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "telemetry/metric_exporter.hpp"

namespace latencylab::telemetry {

class ExportHealth {
 public:
  enum class State { unknown, ok, failing };

  // Returns the new state when it differs from the previous one; nullopt otherwise. A change of
  // error text while failing is not a state change (a flapping reason must not flood the log).
  std::optional<State> observe(const ExportResult& result) noexcept {
    const State next = result.ok ? State::ok : State::failing;
    failures_in_a_row_ = result.ok ? 0 : failures_in_a_row_ + 1;
    if (next == state_) return std::nullopt;
    state_ = next;
    return next;
  }

  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] std::uint64_t failures_in_a_row() const noexcept { return failures_in_a_row_; }

 private:
  State state_ = State::unknown;
  std::uint64_t failures_in_a_row_ = 0;
};

}  // namespace latencylab::telemetry
