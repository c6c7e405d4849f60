// Parsing of the human time and rate notations used by `latencylab load` flags and scenario files.
//
// Durations: a number with a unit, "250ms", "30s", "2m", "1h", "1.5s", "500us"; a bare "0" is zero.
// Stages: comma-separated "DURATION:RATE" pairs, e.g. "30s:100,60s:500,30s:0": the rate moves
// linearly from the previous stage's rate to RATE over DURATION; "0s:RATE" is an instant step.
// Errors are values: parse functions return a core::Result whose Problem says what is wrong.
//
//   auto d = parse_duration("250ms");           // *d == std::chrono::nanoseconds{250'000'000}
//   auto stages = parse_stages("10s:100,0s:800,5s:800");
//   if (!stages) std::cerr << stages.error().message;  // e.g. "stage '5s' is not DURATION:RATE"
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace latencylab::loadgen {

using Nanos = std::chrono::nanoseconds;

struct RateStage {
  Nanos duration{};
  double target_rate = 0;  // requests per second at the end of the stage
};

// A Problem quoting the text when it is not a duration.
[[nodiscard]] core::Result<Nanos> parse_duration(std::string_view text);

// A Problem naming the malformed stage.
[[nodiscard]] core::Result<std::vector<RateStage>> parse_stages(std::string_view text);

// "1.5s", "250ms", "80us", "900ns": the shortest exact-enough form, for reports.
[[nodiscard]] std::string format_duration(Nanos value);

}  // namespace latencylab::loadgen
