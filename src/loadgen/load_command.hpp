// Entry point of the `latencylab load` subcommand, called by src/app/main.cpp.
//
// argv[0] is "load"; the rest are its flags (see --help and docs/LOAD.md). Returns the process
// exit code: 0 when the run met its gates, 1 when it did not (target rate not reached, error rate
// above --max-error-rate, no successful response), 2 for bad flags or configuration (including a
// non-loopback target), 3 when a result file could not be written.
//
//   int main(int argc, char** argv) {
//     return latencylab::loadgen::run_load_command(argc - 1, argv + 1);  // argv[1] == "load"
//   }
#pragma once

namespace latencylab::loadgen {

int run_load_command(int argc, char** argv);

}  // namespace latencylab::loadgen
