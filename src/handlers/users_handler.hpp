// GET /api/users: a simulated cache lookup in front of a simulated DB query. A hit answers after
// the cache latency; a miss adds the DB query's latency. Any request fails with the configured
// rate.
//
//   UsersHandler users{endpoints.users, config.time_scale, rng, metrics, catalog};
//   router.add("/api/users", Verb::get, [&](auto& ctx) { return users(ctx); });
#pragma once

#include "handlers/business_metrics.hpp"
#include "handlers/catalog.hpp"
#include "handlers/endpoint_model.hpp"
#include "handlers/endpoint_settings.hpp"

namespace latencylab::handlers {

class UsersHandler {
 public:
  UsersHandler(const UsersSettings& config, double time_scale, sim::Rng& rng,
               BusinessMetrics& metrics, const Catalog& catalog);

  awaitable<http::Response> operator()(http::RequestContext& ctx);

 private:
  EndpointModel db_query_;
  sim::LatencyModel cache_latency_;
  double cache_hit_rate_;
  sim::Rng& rng_;
  BusinessMetrics& metrics_;
  const Catalog& catalog_;
};

}  // namespace latencylab::handlers
