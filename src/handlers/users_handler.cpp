#include "handlers/users_handler.hpp"

#include <chrono>

#include "http/response.hpp"

namespace latencylab::handlers {

UsersHandler::UsersHandler(const UsersSettings& config, double time_scale, sim::Rng& rng,
                           BusinessMetrics& metrics, const Catalog& catalog)
    : db_query_(config, time_scale),
      cache_latency_(config.cache_latency, time_scale),
      cache_hit_rate_(config.cache_hit_rate),
      rng_(rng),
      metrics_(metrics),
      catalog_(catalog) {}

awaitable<http::Response> UsersHandler::operator()(http::RequestContext& ctx) {
  co_await simulate_delay(cache_latency_.sample(rng_));
  if (sim::chance(rng_, cache_hit_rate_)) {
    metrics_.cache_hits.add(1);
  } else {
    metrics_.cache_misses.add(1);
    const auto query_start = std::chrono::steady_clock::now();
    co_await simulate_delay(db_query_.latency.sample(rng_));
    metrics_.db_select_users.record(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - query_start).count());
  }
  // The configured rate applies to every request, hit or miss, so dashboards see exactly it.
  if (db_query_.fails(rng_)) co_return simulated_failure(ctx.request, db_query_, "user lookup");
  co_return http::json_response(ctx.request, http::Status::ok, catalog_.users_json());
}

}  // namespace latencylab::handlers
