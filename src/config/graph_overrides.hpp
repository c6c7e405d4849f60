// The config key `graph_overrides`: "path=value" entries that change values of the service graph's
// JSON document before it is read and validated, so a run can raise an error rate or shrink a pool
// without a copy of the graph file. A path is written as the graph's validation messages write it;
// the value text is read as `--set` reads it (JSON when it parses, else a string). A path that
// names nothing is a ConfigError naming the path and what exists there. Startup-time code.
//
//   boost::json::value document = parse_json_text(default_graph_text(), "built-in graph");
//   apply_graph_overrides(document, {"services.latencylab.routes[0].steps[1].fail.probability=0.2"});
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <vector>

namespace latencylab::config {

// Replaces, in order, the value each "path=value" entry names in `document`. Throws ConfigError
// "graph_overrides: \"<entry>\": <problem>" when an entry has no '=', its path does not parse or
// names nothing (`services.orders.databases has no "orders"; it has: orders_db`).
void apply_graph_overrides(boost::json::value& document, const std::vector<std::string>& overrides);

}  // namespace latencylab::config
