// Turns parsed flags and the chosen scenario into a validated RunPlan, with a message naming the
// offending flag when something is wrong (non-loopback target, both or neither load model,
// malformed duration, ...). Startup code only.
//
//   std::string error;
//   std::optional<RunPlan> plan = build_run_plan(options, error);
//   if (!plan) { std::cerr << "latencylab load: " << error << '\n'; return 2; }
#pragma once

#include <optional>
#include <string>

#include "loadgen/load_options.hpp"
#include "loadgen/run_plan.hpp"

namespace latencylab::loadgen {

[[nodiscard]] std::optional<RunPlan> build_run_plan(const LoadOptions& options, std::string& error);

}  // namespace latencylab::loadgen
