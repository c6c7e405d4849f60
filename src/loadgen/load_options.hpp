// The command line of `latencylab load`, parsed with Boost.Program_options into plain values.
// Semantic checks (loopback targets, model choice, durations) happen in build_run_plan().
//
//   ParsedLoadOptions parsed = parse_load_options(argc, argv);   // argv[0] == "load"
//   if (parsed.outcome == ParsedLoadOptions::Outcome::help) std::cout << parsed.message;
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace latencylab::loadgen {

struct LoadOptions {
  std::vector<std::string> targets;  // [NAME=]URL[@RATE]
  std::string scenario = "demo";
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
  std::optional<double> max_error_rate;
  double rate_tolerance = 0.05;
  bool quiet = false;
};

struct ParsedLoadOptions {
  enum class Outcome { run, help, error } outcome = Outcome::run;
  std::string message;  // help text or error
  LoadOptions options;
};

[[nodiscard]] ParsedLoadOptions parse_load_options(int argc, char** argv);

}  // namespace latencylab::loadgen
