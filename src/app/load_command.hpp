// Entry point of the `latencylab load` subcommand, called by src/app/main.cpp: the composition
// root of a load run (flags -> RunPlan, one LoadEngine per io thread, the reporter, the summary,
// and the OTEL_* metrics export when OTEL_METRICS_EXPORTER is set).
//
// argv[0] is "load"; the rest are its flags (see --help and docs/LOAD.md). Returns the process
// exit code: 0 when the run met its gates, 1 when it did not (target rate not reached, error rate
// above --max-error-rate, no successful response), 2 for bad flags or configuration (including a
// non-loopback target or an invalid OTEL_* variable), 3 when a result file could not be written.
//
//   int main(int argc, char** argv) {
//     return latencylab::app::run_load_command(argc - 1, argv + 1);  // argv[1] == "load"
//   }
#pragma once

#include "telemetry/otel_env.hpp"

namespace latencylab::app {

// `env` supplies the OTEL_* variables (injected so tests are deterministic).
int run_load_command(int argc, char** argv,
                     const telemetry::EnvLookup& env = telemetry::process_environment());

}  // namespace latencylab::app
