// Fuzzes the load generator's scenario files: parse_scenario_json() (loadgen/scenario.cpp), then,
// for a scenario that parses, what building a run plan does with it next: each target's URL through
// parse_target_url() and its stage text through parse_stages().
//
// Invariants: errors are values (no exception), a rejection says why, and an accepted scenario
// satisfies what the request mix relies on (endpoints, a positive total weight, clean paths).
#include <string>

#include "fuzz_target.hpp"
#include "loadgen/duration_text.hpp"
#include "loadgen/scenario.hpp"
#include "loadgen/target_url.hpp"

namespace {

using namespace latencylab;
using latencylab::fuzz::require;

void check_scenario(const loadgen::Scenario& scenario) {
  require(!scenario.endpoints.empty(), "an accepted scenario has endpoints");
  std::uint64_t total_weight = 0;
  for (const auto& endpoint : scenario.endpoints) {
    total_weight += endpoint.weight;
    require(endpoint.path.starts_with('/'), "an endpoint path starts with /");
    require(!endpoint.method.empty() && !endpoint.name.empty(), "an endpoint has a method, name");
    require(endpoint.method.find_first_of(" \r\n") == std::string::npos &&
                endpoint.path.find_first_of(" \r\n") == std::string::npos,
            "method and path cannot break the request line");
  }
  require(total_weight > 0, "an accepted scenario has a positive total weight");

  for (const auto& target : scenario.targets) {
    require(!target.url.empty(), "a target has a URL");
    require(!target.rate || *target.rate > 0, "a target rate is positive");
    if (const auto address = loadgen::parse_target_url(target.url); !address) {
      require(!address.error().message.empty(), "a rejected target URL says why");
    }
    if (target.stages.empty()) continue;
    const auto stages = loadgen::parse_stages(target.stages);
    if (!stages) {
      require(!stages.error().message.empty(), "stages that do not parse say why");
      continue;
    }
    require(!stages->empty(), "stages that parse are not empty");
    for (const auto& stage : *stages) {
      require(stage.duration.count() >= 0 && stage.target_rate >= 0, "stages are non-negative");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto scenario = loadgen::parse_scenario_json(latencylab::fuzz::as_text(data, size));
  if (!scenario) {
    require(!scenario.error().message.empty(), "a rejected scenario says why");
    return 0;
  }
  check_scenario(*scenario);
  return 0;
}
