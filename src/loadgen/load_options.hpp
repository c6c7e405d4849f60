// The command line of `latencylab load`, parsed with Boost.Program_options into plain values.
// Semantic checks (loopback targets, model choice, durations) happen in build_run_plan().
//
//   core::Result<LoadCommandLine> parsed = parse_load_options(argc, argv);  // argv[0] == "load"
//   if (!parsed) { std::cerr << parsed.error().message << '\n'; return 2; }
//   if (auto* help = std::get_if<core::HelpRequested>(&*parsed)) { std::cout << help->text; }
//   const LoadOptions& options = std::get<LoadOptions>(*parsed);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace latencylab::loadgen {

struct LoadOptions {
  std::vector<std::string> targets;     // [NAME=]URL[@RATE], from -t and positional arguments
  std::optional<std::string> scenario;  // none: each URL is loaded as written
  bool base_path = false;               // --scenario: URL paths prefix the scenario's paths
  std::optional<std::string> method;    // URL targets: the request (-m, -H, --body, --body-file)
  std::vector<std::string> headers;
  std::optional<std::string> body;
  std::string body_file;
  std::optional<std::string> expect_status;  // URL targets: "200,201,402"; none: 2xx and 3xx
  std::optional<double> rate;
  std::string stages;
  std::optional<std::size_t> connections;
  std::string think_time = "0";
  std::string duration;  // empty: the stages' length, else 10s
  std::string warmup = "0";
  std::string timeout = "10s";
  std::string late_after = "10ms";
  std::size_t max_in_flight = 1024;
  std::size_t max_backlog = 100'000;
  std::uint64_t requests = 0;
  unsigned threads = 1;
  unsigned source_addresses = 1;
  bool connection_per_request = false;
  std::uint64_t seed = 1;
  std::string json_path;
  std::string timeline_path;
  std::string report_path;  // --report: the HTML page
  std::optional<double> max_error_rate;
  double rate_tolerance = 0.05;
  bool quiet = false;
};

// What a valid command line asks for: a run with these options, or the help (usage, every flag).
using LoadCommandLine = std::variant<LoadOptions, core::HelpRequested>;

// A Problem ("latencylab load: <what>" (see --help)) when a flag is unknown or malformed.
[[nodiscard]] core::Result<LoadCommandLine> parse_load_options(int argc, char** argv);

}  // namespace latencylab::loadgen
