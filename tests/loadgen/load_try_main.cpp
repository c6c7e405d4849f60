// Test-only executable for trying `latencylab load` by hand before src/app exists:
//   build/<dir>/tests/loadgen/latencylab_load_try --help
// Not a product binary; the real entry point is `latencylab load` (src/app).
#include "app/load_command.hpp"

int main(int argc, char** argv) {
  // Present the flags as the subcommand sees them: argv[0] == "load".
  char name[] = "load";
  argv[0] = name;
  return latencylab::app::run_load_command(argc, argv);
}
