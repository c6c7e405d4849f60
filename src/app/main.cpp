// latencylab: one executable, several subcommands.
//
//   latencylab serve --config config/latencylab.json
//   latencylab load --target http://127.0.0.1:8080 --rate 200 --duration 30s
//   latencylab healthcheck --url http://127.0.0.1:8080/health
#include <cstring>
#include <iostream>
#include <string_view>

#include "app/healthcheck_command.hpp"
#include "app/load_command.hpp"
#include "app/serve_command.hpp"

namespace {

constexpr std::string_view kUsage = R"(usage: latencylab <command> [options]

commands:
  serve        run the HTTP service (simulated latency and failures, OpenTelemetry metrics)
  load         run a load test against a latencylab service on this machine
  healthcheck  exit 0 when a service answers 200 on its health URL (for container healthchecks)

Run `latencylab <command> --help` for the options of a command.
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string_view command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "--version") {
    std::cout << "latencylab " << LATENCYLAB_VERSION << '\n';
    return 0;
  }
  // Each command sees argv starting at its own name.
  if (command == "serve") return latencylab::app::run_serve_command(argc - 1, argv + 1);
  if (command == "load") return latencylab::app::run_load_command(argc - 1, argv + 1);
  if (command == "healthcheck") {
    return latencylab::app::run_healthcheck_command(argc - 1, argv + 1);
  }
  std::cerr << "latencylab: unknown command '" << command << "'\n\n" << kUsage;
  return 2;
}
