#include "graph/graph_service.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/url/parse.hpp>
#include <stdexcept>

#include "config/config_loader.hpp"

namespace latencylab::graph {
namespace {

std::chrono::nanoseconds scaled_ms(double ms, double time_scale) {
  return std::chrono::nanoseconds(static_cast<std::int64_t>(ms * time_scale * 1e6));
}

CircuitBreakerSettings breaker_settings(const config::Breaker& breaker, double time_scale) {
  return CircuitBreakerSettings{.window = breaker.window,
                                .min_calls = breaker.min_calls,
                                .failure_ratio = breaker.failure_ratio,
                                .consecutive_failures = breaker.consecutive_failures,
                                .open_duration = scaled_ms(breaker.open_ms, time_scale),
                                .half_open_probes = breaker.half_open_probes};
}

RetrySettings retry_settings(const config::Retry& retry, double time_scale) {
  return RetrySettings{.max_attempts = retry.max_attempts,
                       .base_backoff = scaled_ms(retry.initial_backoff_ms, time_scale),
                       .max_backoff = scaled_ms(retry.max_backoff_ms, time_scale),
                       .multiplier = retry.multiplier,
                       .jitter = retry.jitter};
}

// The address of "http://host:port" (validated by the graph loader). A name is resolved once, at
// startup: peers in compose are reached by service name.
asio::ip::tcp::endpoint resolve(const asio::any_io_executor& executor, const std::string& url,
                                std::string& host) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed) throw config::ConfigError("downstream url \"" + url + "\" is not a URL");
  host = parsed->host_address();
  const std::string port = parsed->port();
  boost::system::error_code ec;
  asio::ip::tcp::resolver resolver(executor);
  const auto results = resolver.resolve(host, port, ec);
  if (ec || results.empty()) {
    throw config::ConfigError("downstream url \"" + url + "\": cannot resolve " + host + ": " +
                              ec.message());
  }
  return results.begin()->endpoint();
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
      runtime_{context.executor, context.rng, business_},
      db_metrics_(context.meter),
      client_metrics_(context.meter),
      downstream_metrics_(context.meter) {
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
  for (const config::Downstream& downstream : service.downstreams) {
    const auto url = context.downstream_urls.find(downstream.name);
    if (url == context.downstream_urls.end()) {
      throw config::ConfigError("service " + name_ + ": no url for downstream " + downstream.name);
    }
    DownstreamSettings settings{
        .name = downstream.name,
        .server = {},
        .host = {},
        .connections = downstream.connections,
        .try_timeout = scaled_ms(downstream.timeout_ms, time_scale_),
        .retry = retry_settings(downstream.retry, time_scale_),
        .breaker = downstream.breaker
                       ? std::optional(breaker_settings(*downstream.breaker, time_scale_))
                       : std::nullopt};
    settings.server = resolve(context.executor, url->second, settings.host);
    downstreams_.push_back(std::make_unique<Downstream>(
        context.executor, std::move(settings), client_metrics_, downstream_metrics_, context.rng));
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

Downstream& GraphService::downstream(const std::string& name) const {
  for (const auto& downstream : downstreams_) {
    if (downstream->settings().name == name) return *downstream;
  }
  throw std::logic_error("service " + name_ + " has no downstream " + name);
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
        } else if constexpr (std::is_same_v<Action, config::CallStep>) {
          return Step{Call{&downstream(action.downstream),
                           http::beast_http::string_to_verb(action.method), action.path,
                           action.forward_body, action.retry, action.on_error}};
        } else if constexpr (std::is_same_v<Action, config::ParallelStep>) {
          return Step{Parallel{compile(action.steps)}};
        } else if constexpr (std::is_same_v<Action, config::FailStep>) {
          return Step{Fail{action.probability, http::beast_http::int_to_status(action.status),
                           "simulated " + action.what + " failure"}};
        } else if constexpr (std::is_same_v<Action, config::CpuStep>) {
          return Step{Cpu{
              std::chrono::nanoseconds(static_cast<std::int64_t>(action.us * time_scale_ * 1e3))}};
        } else {
          static_assert(std::is_same_v<Action, config::BusinessStep>);
          return Step{Business{action.action}};
        }
      },
      step.action);
}

}  // namespace latencylab::graph
