// One service of the graph, ready to serve: its resources (caches, database pools, downstreams)
// built from the graph file, its route scripts compiled against them, and its routes registered on
// the router. Built at startup; serves on the io thread.
//
//   const config::Graph& graph = config::default_graph();
//   GraphService service{graph.service("latencylab"), {io.get_executor(), rng, meter, 1.0}};
//   service.register_routes(router);  // after /health and /ready, before listening
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/graph.hpp"
#include "graph/business_steps.hpp"
#include "graph/db_pool.hpp"
#include "graph/downstream.hpp"
#include "graph/route_script.hpp"
#include "graph/simulated_cache.hpp"
#include "graph/steps.hpp"
#include "http/client_metrics.hpp"
#include "http/router.hpp"
#include "sim/random.hpp"
#include "telemetry/meter.hpp"

namespace latencylab::graph {

struct GraphServiceContext {
  asio::any_io_executor executor;
  sim::Rng& rng;
  telemetry::Meter& meter;
  double time_scale = 1.0;  // multiplies every duration of the graph
  // Where each downstream is reached ("http://host:port"), by downstream name
  // (config::ResolvedService::downstream_urls); a service without downstreams needs none.
  std::map<std::string, std::string, std::less<>> downstream_urls = {};
};

class GraphService {
 public:
  // Throws config::ConfigError for what the graph validation cannot see (none today).
  GraphService(const config::Service& service, GraphServiceContext context);
  GraphService(const GraphService&) = delete;
  GraphService& operator=(const GraphService&) = delete;

  void register_routes(http::Router& router);

 private:
  struct CompiledRoute {
    http::Verb method;
    std::string path;
    std::unique_ptr<RouteScript> script;  // stable address: the router's handler points at it
  };

  [[nodiscard]] Steps compile(const config::Steps& steps) const;
  [[nodiscard]] Step compile(const config::Step& step) const;
  [[nodiscard]] const SimulatedCache& cache(const std::string& name) const;
  [[nodiscard]] DbPool& database(const std::string& name) const;
  [[nodiscard]] Downstream& downstream(const std::string& name) const;

  std::string name_;
  double time_scale_;
  BusinessSteps business_;
  ServiceRuntime runtime_;
  std::vector<std::pair<std::string, std::unique_ptr<SimulatedCache>>> caches_;
  DbClientMetrics db_metrics_;
  std::vector<std::unique_ptr<DbPool>> databases_;
  http::ClientMetrics client_metrics_;
  DownstreamMetrics downstream_metrics_;
  std::vector<std::unique_ptr<Downstream>> downstreams_;
  std::vector<CompiledRoute> routes_;
};

// A JSON body of exactly `bytes` bytes: {"data":"xx...x"}, or {} padded with spaces when
// `bytes` is too small for that.
[[nodiscard]] std::string generated_body(std::uint32_t bytes);

}  // namespace latencylab::graph
