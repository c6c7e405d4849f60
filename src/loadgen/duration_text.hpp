// Parsing of the human time and rate notations used by `latencylab load` flags and scenario files.
//
// Durations: a number with a unit, "250ms", "30s", "2m", "1h", "1.5s", "500us"; a bare "0" is zero.
// Stages: comma-separated "DURATION:RATE" pairs, e.g. "30s:100,60s:500,30s:0": the rate moves
// linearly from the previous stage's rate to RATE over DURATION; "0s:RATE" is an instant step.
// Errors are values: parse functions return std::nullopt / an error text, never throw.
//
//   auto d = parse_duration("250ms");           // std::chrono::nanoseconds{250'000'000}
//   std::string error;
//   auto stages = parse_stages("10s:100,0s:800,5s:800", error);
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latencylab::loadgen {

using Nanos = std::chrono::nanoseconds;

struct RateStage {
  Nanos duration{};
  double target_rate = 0;  // requests per second at the end of the stage
};

[[nodiscard]] std::optional<Nanos> parse_duration(std::string_view text) noexcept;

// Empty result and a message in `error` when the text is malformed.
[[nodiscard]] std::vector<RateStage> parse_stages(std::string_view text, std::string& error);

// "1.5s", "250ms", "80us", "900ns": the shortest exact-enough form, for reports.
[[nodiscard]] std::string format_duration(Nanos value);

}  // namespace latencylab::loadgen
