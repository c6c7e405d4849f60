// Reading, validating and writing service graph files (the format: docs/GRAPHS.md; the types:
// config/graph.hpp). Startup-time code: every problem of a file is collected and thrown as one
// ConfigError naming the origin and each problem's path, e.g. `graph file "shop.json":
// services.orders.routes[2].steps[1].db: no database "main" (databases: orders_db)`.
//
//   config::Graph shop = config::load_graph_file("config/graphs/shop.json");
//   const config::Graph& builtin = config::default_graph();  // config/graphs/default.json
//   config::Graph same = config::parse_graph(core::json::serialize(graph_to_json(shop)), "copy");
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "config/graph.hpp"

namespace latencylab::config {

// Parses and validates a graph. `origin` starts every error message: `graph file "shop.json"`.
// Syntax problems (types, unknown or missing keys) are reported first, all of them; once the file
// reads, every broken rule (graph_file.hpp's validate_graph) is reported.
[[nodiscard]] Graph parse_graph(std::string_view json_text, std::string_view origin);
// The same for a document already parsed (and changed by config/graph_overrides.hpp).
[[nodiscard]] Graph parse_graph(const boost::json::value& document, std::string_view origin);

[[nodiscard]] Graph load_graph_file(const std::string& path);

// The built-in graph: config/graphs/default.json, embedded at build time. Parsed on first use.
[[nodiscard]] const Graph& default_graph();
[[nodiscard]] std::string_view default_graph_text() noexcept;
inline constexpr std::string_view kDefaultGraphFile = "config/graphs/default.json";

// Throws ConfigError "<origin>: <path>: <problem>; ..." listing every broken rule: references to
// unknown resources or services, call cycles, negative durations, probabilities outside [0, 1],
// invalid statuses, methods, paths and urls, business steps out of order (docs/GRAPHS.md).
void validate_graph(const Graph& graph, std::string_view origin);

// Whether `name` may name a service or resource: lower-case letters, digits, '_' and '-' (names
// appear in environment variables, flags and metric attributes).
[[nodiscard]] bool is_service_name(std::string_view name) noexcept;

// The problem with a service url, or nullopt when it is http://host:port (no path, no https).
[[nodiscard]] std::optional<std::string> service_url_problem(std::string_view url);

// The graph in the file format, every field written out (defaults included): parse_graph reads it
// back to an equal graph.
[[nodiscard]] boost::json::value graph_to_json(const Graph& graph);

}  // namespace latencylab::config
