// Turns parsed flags and the chosen scenario into a validated RunPlan, with a message naming the
// offending flag when something is wrong (non-loopback target, both or neither load model,
// malformed duration, ...). Startup code only.
//
//   core::Result<RunPlan> plan = build_run_plan(options);
//   if (!plan) { std::cerr << "latencylab load: " << plan.error().message << '\n'; return 2; }
#pragma once

#include "core/result.hpp"
#include "loadgen/load_options.hpp"
#include "loadgen/run_plan.hpp"

namespace latencylab::loadgen {

[[nodiscard]] core::Result<RunPlan> build_run_plan(const LoadOptions& options);

}  // namespace latencylab::loadgen
