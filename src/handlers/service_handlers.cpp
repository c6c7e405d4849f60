#include "handlers/service_handlers.hpp"

#include "config/resolved_service.hpp"

namespace latencylab::handlers {

using http::Verb;

ServiceHandlers::ServiceHandlers(const config::Config& config, sim::Rng& rng,
                                 BusinessMetrics& metrics, const http::ConnectionRegistry& registry)
    : ServiceHandlers(seed_endpoints(config::resolve_service(config).service()), config, rng,
                      metrics, registry) {}

ServiceHandlers::ServiceHandlers(const SeedEndpoints& endpoints, const config::Config& config,
                                 sim::Rng& rng, BusinessMetrics& metrics,
                                 const http::ConnectionRegistry& registry)
    : health_([&registry] { return registry.draining(); }),
      users_(endpoints.users, config.time_scale, rng, metrics, catalog_),
      orders_(endpoints.orders_create, endpoints.orders_get, config.time_scale, rng, metrics),
      slow_({endpoints.slow, config.time_scale}, rng, "slow backend",
            [] { return std::string(R"({"message":"This was intentionally slow"})"); }),
      products_({endpoints.products, config.time_scale}, rng, "catalogue",
                [this] { return catalog_.products_json(); }),
      reports_({endpoints.reports, config.time_scale}, rng, "report generation",
               [&rng] { return report_json(rng, std::chrono::system_clock::now()); }),
      search_({endpoints.search, config.time_scale}, rng, catalog_),
      payments_(endpoints.payments, config.time_scale, rng, metrics) {}

void ServiceHandlers::register_routes(http::Router& router) {
  router.add("/health", Verb::get, [this](auto& ctx) { return health_.health(ctx); });
  router.add("/ready", Verb::get, [this](auto& ctx) { return health_.ready(ctx); });
  router.add("/api/users", Verb::get, [this](auto& ctx) { return users_(ctx); });
  router.add("/api/orders", Verb::post, [this](auto& ctx) { return orders_.create(ctx); });
  router.add("/api/orders/{id}", Verb::get, [this](auto& ctx) { return orders_.get(ctx); });
  router.add("/api/slow", Verb::get, [this](auto& ctx) { return slow_(ctx); });
  router.add("/api/products", Verb::get, [this](auto& ctx) { return products_(ctx); });
  router.add("/api/search", Verb::get, [this](auto& ctx) { return search_(ctx); });
  router.add("/api/reports", Verb::get, [this](auto& ctx) { return reports_(ctx); });
  router.add("/api/payments", Verb::post, [this](auto& ctx) { return payments_(ctx); });
}

}  // namespace latencylab::handlers
