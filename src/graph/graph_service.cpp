#include "graph/graph_service.hpp"

#include <boost/beast/http/verb.hpp>
#include <stdexcept>

namespace latencylab::graph {
namespace {

std::chrono::nanoseconds scaled_ms(double ms, double time_scale) {
  return std::chrono::nanoseconds(static_cast<std::int64_t>(ms * time_scale * 1e6));
}

ResponsePlan response_plan(const config::Response& response) {
  ResponsePlan plan;
  plan.status = http::beast_http::int_to_status(response.status);
  if (response.json) plan.body = *response.json;
  if (response.body_bytes) plan.body = generated_body(*response.body_bytes);
  plan.content = response.content;
  return plan;
}

}  // namespace

std::string generated_body(std::uint32_t bytes) {
  constexpr std::string_view kEnvelope = R"({"data":""})";
  if (bytes < kEnvelope.size()) return "{}" + std::string(bytes > 2 ? bytes - 2 : 0, ' ');
  return R"({"data":")" + std::string(bytes - kEnvelope.size(), 'x') + R"("})";
}

GraphService::GraphService(const config::Service& service, GraphServiceContext context)
    : name_(service.name),
      time_scale_(context.time_scale),
      business_(service.business, context.rng, context.meter),
      runtime_{context.rng, business_},
      db_metrics_(context.meter) {
  for (const config::Database& database : service.databases) {
    databases_.push_back(std::make_unique<DbPool>(
        context.executor,
        DbPoolSettings{.name = database.name,
                       .system = database.system,
                       .size = database.pool_size,
                       .max_waiting = database.max_waiting,
                       .acquire_timeout = scaled_ms(database.acquire_timeout_ms, time_scale_)},
        db_metrics_));
  }
  for (const config::Cache& cache : service.caches) {
    caches_.emplace_back(cache.name,
                         std::make_unique<SimulatedCache>(cache, time_scale_, context.meter));
  }
  for (const config::Route& route : service.routes) {
    routes_.push_back(CompiledRoute{
        http::beast_http::string_to_verb(route.method), route.path,
        std::make_unique<RouteScript>(compile(route.steps), response_plan(route.response),
                                      scaled_ms(route.timeout_ms, time_scale_), runtime_)});
  }
}

void GraphService::register_routes(http::Router& router) {
  for (const CompiledRoute& route : routes_) {
    const RouteScript& script = *route.script;
    router.add(route.path, route.method,
               [&script](http::RequestContext& ctx) { return script(ctx); });
  }
}

Steps GraphService::compile(const config::Steps& steps) const {
  Steps compiled;
  compiled.reserve(steps.size());
  for (const config::Step& step : steps) compiled.push_back(compile(step));
  return compiled;
}

const SimulatedCache& GraphService::cache(const std::string& name) const {
  for (const auto& [cache_name, cache] : caches_) {
    if (cache_name == name) return *cache;
  }
  // The graph validation rejects unknown names, so this is a bug, not a user error.
  throw std::logic_error("service " + name_ + " has no cache " + name);
}

DbPool& GraphService::database(const std::string& name) const {
  for (const auto& pool : databases_) {
    if (pool->settings().name == name) return *pool;
  }
  throw std::logic_error("service " + name_ + " has no database " + name);
}

Step GraphService::compile(const config::Step& step) const {
  return std::visit(
      [this](const auto& action) -> Step {
        using Action = std::decay_t<decltype(action)>;
        if constexpr (std::is_same_v<Action, config::DelayStep>) {
          return Step{Delay{sim::LatencyModel(action.latency, time_scale_)}};
        } else if constexpr (std::is_same_v<Action, config::CacheStep>) {
          return Step{CacheLookup{&cache(action.name), compile(action.miss)}};
        } else if constexpr (std::is_same_v<Action, config::DbStep>) {
          DbPool& pool = database(action.database);
          return Step{DbQuery{&pool, pool.operation(action.operation, action.collection),
                              sim::LatencyModel(action.latency, time_scale_),
                              http::beast_http::int_to_status(action.on_error.pool_timeout)}};
        } else if constexpr (std::is_same_v<Action, config::ParallelStep>) {
          return Step{Parallel{compile(action.steps)}};
        } else if constexpr (std::is_same_v<Action, config::FailStep>) {
          return Step{Fail{action.probability, http::beast_http::int_to_status(action.status),
                           "simulated " + action.what + " failure"}};
        } else if constexpr (std::is_same_v<Action, config::CpuStep>) {
          return Step{Cpu{
              std::chrono::nanoseconds(static_cast<std::int64_t>(action.us * time_scale_ * 1e3))}};
        } else if constexpr (std::is_same_v<Action, config::BusinessStep>) {
          return Step{Business{action.action}};
        } else {
          // call steps join with the downstream client.
          throw std::logic_error("service " + name_ + ": step kind not supported yet");
        }
      },
      step.action);
}

}  // namespace latencylab::graph
