// `latencylab serve`: parse flags, build the effective config and telemetry from flags,
// LATENCYLAB_* / OTEL_* environment and the config file, then run the service until drained.
//
//   if (command == "serve") return latencylab::app::run_serve_command(argc - 1, argv + 1);
#pragma once

namespace latencylab::app {

// argv[0] is "serve". Returns the process exit code (2 on bad flags or config).
int run_serve_command(int argc, char** argv);

}  // namespace latencylab::app
