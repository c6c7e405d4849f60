// Reading the JSON files people write (the config file, graph files): comments and trailing
// commas are accepted, and a syntax error names the line and column. Startup-time code: problems
// are ConfigError exceptions whose message starts with the origin.
//
//   const std::string origin = "graph file \"shop.json\"";
//   boost::json::value graph = parse_json_text(read_text_file("shop.json", origin), origin);
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace latencylab::config {

// The whole file; a pipe such as <(generate-config) works too.
[[nodiscard]] std::string read_text_file(const std::string& path, std::string_view origin);

[[nodiscard]] boost::json::value parse_json_text(std::string_view text, std::string_view origin);

}  // namespace latencylab::config
