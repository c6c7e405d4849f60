// `latencylab healthcheck --url URL`: exits 0 when the URL answers 200 within the timeout, 1
// otherwise. Container images have no curl; this is their HEALTHCHECK.
//
//   if (command == "healthcheck") {
//     return latencylab::app::run_healthcheck_command(argc - 1, argv + 1);
//   }
#pragma once

namespace latencylab::app {

// argv[0] is "healthcheck". Returns the process exit code.
int run_healthcheck_command(int argc, char** argv);

}  // namespace latencylab::app
