// The node of the service graph this process runs, chosen by the config keys `graph` (the file;
// empty: the built-in default graph), `service` (empty: the graph's only service) and `peers`
// ("name=http://host:port", overriding where a service is reached), with `graph_overrides` applied
// to the graph's JSON before it is read (config/graph_overrides.hpp). The composition root calls
// resolve_service once at startup; errors are ConfigError naming the key and the choices.
//
//   const config::ResolvedService resolved = config::resolve_service(config);
//   const config::Service& self = resolved.service();
//   for (const config::Downstream& downstream : self.downstreams) {
//     std::cout << downstream.name << " -> " << resolved.downstream_urls.at(downstream.name);
//   }
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>

#include "config/config.hpp"
#include "config/graph.hpp"

namespace latencylab::config {

struct ResolvedService {
  Graph graph;  // as read (overrides applied), with each peer's url in place of the graph's url for
                // that service
  std::size_t service_index = 0;
  // The url of each downstream of service(), by downstream name: http://host:port.
  std::map<std::string, std::string, std::less<>> downstream_urls;

  [[nodiscard]] const Service& service() const { return graph.services.at(service_index); }
};

// Throws ConfigError when the graph does not read, an override names nothing in it, `service` names
// no service of it (or is empty and the graph has several), a peer names no service, or a
// downstream has no url.
[[nodiscard]] ResolvedService resolve_service(const Config& config);

}  // namespace latencylab::config
