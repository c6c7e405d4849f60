// Fuzzes service graph parsing: parse_graph() on the fuzz input as a graph file's text
// (json_text.cpp parse, graph_file.cpp read, graph_validate.cpp rules). The outcome must be a
// Graph or a ConfigError starting with the origin, never a crash or another exception.
//
// Invariant: a graph that parses is written (graph_to_json) to a text that parses back to a graph
// written the same way: the reader and the writer agree on every field.
#include <exception>
#include <string>

#include "config/config_loader.hpp"
#include "config/graph_file.hpp"
#include "core/json_writer.hpp"
#include "fuzz_target.hpp"

namespace {

using namespace latencylab;
using latencylab::fuzz::require;

constexpr std::string_view kOrigin = "graph file \"fuzz.json\"";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string written;
  try {
    const config::Graph graph = config::parse_graph(latencylab::fuzz::as_text(data, size), kOrigin);
    written = core::json::serialize(config::graph_to_json(graph));
  } catch (const config::ConfigError& error) {
    const std::string_view message = error.what();
    require(message.starts_with(kOrigin) && message.substr(kOrigin.size()).starts_with(": "),
            "a graph error starts with its origin");
    return 0;
  } catch (const std::exception&) {
    require(false, "parsing a graph throws nothing but ConfigError");
  }
  try {
    const config::Graph reread = config::parse_graph(written, "written");
    require(core::json::serialize(config::graph_to_json(reread)) == written,
            "a written graph reads back to the same graph");
  } catch (const std::exception&) {
    require(false, "a written graph parses");
  }
  return 0;
}
