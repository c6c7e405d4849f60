// A load scenario: the weighted request mix and, optionally, the targets it is aimed at.
//
// Scenarios are JSON (Boost.JSON). The built-in ones are the files in config/scenarios/, compiled
// into the binary, so `--scenario demo` works without the repository; any other value of
// --scenario is read as a file path. Schema (docs/LOAD.md has the full description):
//
//   {
//     "name": "demo",
//     "description": "...",
//     "endpoints": [
//       {"name": "health", "method": "GET", "path": "/health", "weight": 50},
//       {"name": "orders", "method": "POST", "path": "/api/orders", "weight": 15,
//        "generate": "order"},                      // or "body": "{...}" (+ "content_type")
//       {"name": "payments", "method": "POST", "path": "/api/payments", "weight": 5,
//        "generate": "payment", "expected_statuses": [201, 402]},  // default: 2xx and 3xx
//       ...
//     ],
//     "targets": [                                 // optional; --target overrides
//       {"name": "prod", "url": "http://127.0.0.1:8081", "rate": 50},
//       {"name": "dev", "url": "http://127.0.0.1:8082", "stages": "10s:5,0s:20,5s:20,0s:5"}
//     ]
//   }
//
//   auto scenario = load_scenario("storefront");
//   if (!scenario) std::cerr << scenario.error().message;  // names the file or built-in and why
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace latencylab::loadgen {

enum class BodyGenerator { none, order, payment, checkout, search_query };

struct EndpointSpec {
  std::string name;
  std::string method = "GET";
  std::string path;
  unsigned weight = 1;
  std::string body;                               // fixed body, when generator == none
  std::string content_type = "application/json";  // "" sends no Content-Type of our own
  std::vector<std::string> headers;               // extra "Name: value" lines (-H), sent as given
  std::vector<unsigned> expected_statuses;  // empty: 2xx and 3xx; any other status is an error
  BodyGenerator generator = BodyGenerator::none;
};

struct ScenarioTarget {
  std::string name;
  std::string url;
  std::optional<double> rate;
  std::string stages;  // stage notation, see duration_text.hpp
};

struct Scenario {
  std::string name;
  std::string description;
  std::vector<EndpointSpec> endpoints;
  std::vector<ScenarioTarget> targets;
};

[[nodiscard]] core::Result<Scenario> parse_scenario_json(std::string_view json);

// A built-in name (see builtin_scenario_names) or a path to a JSON file.
[[nodiscard]] core::Result<Scenario> load_scenario(std::string_view name_or_path);

[[nodiscard]] std::vector<std::string_view> builtin_scenario_names();

// "200,201,402" (--expect-status) as status codes in [100, 599], or a Problem quoting the text.
[[nodiscard]] core::Result<std::vector<unsigned>> parse_status_list(std::string_view text);

}  // namespace latencylab::loadgen
