// Every endpoint of `latencylab serve`, built from config (the numbers from the graph's service,
// handlers/endpoint_settings.hpp) and registered on the router. Owns the handler objects, so it
// must outlive the server's sessions.
//
//   ServiceHandlers handlers{config, rng, business_metrics, registry};
//   handlers.register_routes(router);   // before listen: the route table is then frozen
#pragma once

#include "config/config.hpp"
#include "handlers/business_metrics.hpp"
#include "handlers/catalog.hpp"
#include "handlers/endpoint_settings.hpp"
#include "handlers/health_handler.hpp"
#include "handlers/orders_handler.hpp"
#include "handlers/payments_handler.hpp"
#include "handlers/search_handler.hpp"
#include "handlers/simulated_handler.hpp"
#include "handlers/users_handler.hpp"
#include "http/connection_registry.hpp"
#include "http/router.hpp"

namespace latencylab::handlers {

class ServiceHandlers {
 public:
  ServiceHandlers(const config::Config& config, sim::Rng& rng, BusinessMetrics& metrics,
                  const http::ConnectionRegistry& registry);

  void register_routes(http::Router& router);

 private:
  ServiceHandlers(const SeedEndpoints& endpoints, const config::Config& config, sim::Rng& rng,
                  BusinessMetrics& metrics, const http::ConnectionRegistry& registry);

  Catalog catalog_;
  HealthHandler health_;
  UsersHandler users_;
  OrdersHandler orders_;
  SimulatedHandler slow_;
  SimulatedHandler products_;
  SimulatedHandler reports_;
  SearchHandler search_;
  PaymentsHandler payments_;
};

}  // namespace latencylab::handlers
