#include "config/resolved_service.hpp"

#include <algorithm>
#include <string_view>

#include "config/config_loader.hpp"
#include "config/graph_file.hpp"
#include "config/graph_overrides.hpp"
#include "config/json_text.hpp"

namespace latencylab::config {
namespace {

std::string service_names(const Graph& graph) {
  std::string names;
  for (const auto& service : graph.services) {
    if (!names.empty()) names += ", ";
    names += service.name;
  }
  return names;
}

std::string graph_origin(const Config& config) {
  return config.graph.empty() ? "the built-in graph " + std::string(kDefaultGraphFile)
                              : "graph file \"" + config.graph + "\"";
}

// The graph file (or the built-in graph) with config.graph_overrides applied to its JSON first.
Graph read_graph(const Config& config, const std::string& origin) {
  if (config.graph_overrides.empty()) {
    return config.graph.empty() ? default_graph() : load_graph_file(config.graph);
  }
  boost::json::value document =
      parse_json_text(config.graph.empty() ? std::string(default_graph_text())
                                           : read_text_file(config.graph, origin),
                      origin);
  apply_graph_overrides(document, config.graph_overrides);
  return parse_graph(document, origin + " with graph_overrides");
}

Service* find_service(Graph& graph, std::string_view name) {
  const auto it = std::find_if(graph.services.begin(), graph.services.end(),
                               [&](const Service& service) { return service.name == name; });
  return it == graph.services.end() ? nullptr : &*it;
}

}  // namespace

ResolvedService resolve_service(const Config& config) {
  ResolvedService resolved;
  const std::string origin = graph_origin(config);
  resolved.graph = read_graph(config, origin);
  Graph& graph = resolved.graph;

  // validate() checked each entry's form: name=http://host:port.
  for (const auto& peer : config.peers) {
    const auto equals = peer.find('=');
    Service* service = find_service(graph, std::string_view(peer).substr(0, equals));
    if (service == nullptr) {
      throw ConfigError("peers: \"" + peer + "\" names no service of " + origin +
                        " (services: " + service_names(graph) + ")");
    }
    service->url = peer.substr(equals + 1);
  }

  if (config.service.empty()) {
    if (graph.services.size() != 1) {
      throw ConfigError("service: " + origin + " has several services (" + service_names(graph) +
                        "): choose the one this process runs with --service NAME or "
                        "LATENCYLAB_SERVICE");
    }
  } else {
    const Service* chosen = find_service(graph, config.service);
    if (chosen == nullptr) {
      throw ConfigError("service: no service \"" + config.service + "\" in " + origin +
                        " (services: " + service_names(graph) + ")");
    }
    resolved.service_index = static_cast<std::size_t>(chosen - graph.services.data());
  }

  for (const auto& downstream : resolved.service().downstreams) {
    // validate_graph made sure the downstream's service exists.
    const Service& callee = graph.service(downstream.service);
    if (callee.url.empty()) {
      throw ConfigError("services." + resolved.service().name + ".downstreams." + downstream.name +
                        ": service \"" + callee.name + "\" has no url in " + origin +
                        "; give one with --peer " + callee.name +
                        "=http://host:port (LATENCYLAB_PEERS)");
    }
    resolved.downstream_urls.emplace(downstream.name, callee.url);
  }
  return resolved;
}

}  // namespace latencylab::config
