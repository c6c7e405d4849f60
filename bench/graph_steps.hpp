// The per-step fixture of graph_steps_benchmark and graph_steps_instructions: one service with a
// route per step kind, each route's script a single step at zero latency (the empty script is the
// baseline), called directly on an io_context without sockets, as the session calls a handler.
//
//   bench::StepRoutes routes;
//   routes.run(bench::StepKind::delay);  // one request through GET /delay, to its response
#pragma once

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>
#include <string_view>

#include "graph/graph_service.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "telemetry/meter.hpp"

namespace latencylab::bench {

enum class StepKind { empty, delay, fail, cache_hit, cpu, validate_search, db, parallel };

struct StepRoute {
  StepKind kind;
  std::string_view name;
  std::string_view target;
};

inline constexpr std::array kStepRoutes{
    StepRoute{StepKind::empty, "empty", "/empty"},
    StepRoute{StepKind::delay, "delay", "/delay"},
    StepRoute{StepKind::fail, "fail", "/fail"},
    StepRoute{StepKind::cache_hit, "cache_hit", "/cache"},
    StepRoute{StepKind::cpu, "cpu", "/cpu"},
    StepRoute{StepKind::validate_search, "validate_search", "/search?q=laptop"},
    StepRoute{StepKind::db, "db", "/db"},
    StepRoute{StepKind::parallel, "parallel", "/parallel"},
};

class StepRoutes {
 public:
  StepRoutes() {
    graph_.emplace(service(), graph::GraphServiceContext{io_.get_executor(), rng_, meter_, 1.0});
    graph_->register_routes(router_);
    for (std::size_t i = 0; i < kStepRoutes.size(); ++i) {
      const auto [path, query] = http::split_target(kStepRoutes[i].target);
      const auto match = router_.match(http::Verb::get, path);
      handlers_[i] = match.handler;
      contexts_[i].emplace(http::RequestContext{request_, path, query, {}, responses_[i]});
    }
  }

  // One request through the route of `kind`, run to its response; returns its status code.
  unsigned run(StepKind kind) {
    const auto i = static_cast<std::size_t>(kind);
    unsigned status = 0;
    asio::co_spawn(io_, (*handlers_[i])(*contexts_[i]),
                   [&status, &response = responses_[i]](std::exception_ptr) {
                     status = response.result_int();
                   });
    io_.run();
    io_.restart();
    return status;
  }

 private:
  static config::Step step(auto action) { return config::Step{std::move(action)}; }

  static config::Route route(std::string path, config::Steps steps) {
    config::Route route;
    route.method = "GET";
    route.path = std::move(path);
    route.steps = std::move(steps);
    return route;
  }

  static config::Service service() {
    const sim::LatencySpec zero{.distribution = sim::Distribution::fixed, .value_ms = 0.0};
    config::DbStep db_step;
    db_step.database = "db";
    db_step.collection = "items";
    db_step.latency = zero;
    config::Service service;
    service.name = "bench";
    service.caches.push_back(config::Cache{.name = "hot", .hit_rate = 1.0, .latency = zero});
    service.databases.push_back(config::Database{.name = "db", .pool_size = 1, .max_waiting = 0});
    service.routes = {
        route("/empty", {}),
        route("/delay", {step(config::DelayStep{zero})}),
        route("/fail", {step(config::FailStep{.probability = 0.0})}),
        route("/cache", {step(config::CacheStep{.name = "hot", .miss = {}})}),
        route("/cpu", {step(config::CpuStep{.us = 0.0})}),
        route("/search", {step(config::BusinessStep{config::BusinessAction::validate_search})}),
        route("/db", {step(db_step)}),
        route("/parallel", {step(config::ParallelStep{
                               {step(config::DelayStep{zero}), step(config::DelayStep{zero})}})}),
    };
    return service;
  }

  asio::io_context io_;
  sim::Rng rng_{42};
  telemetry::Meter meter_;
  http::Router router_;
  std::optional<graph::GraphService> graph_;
  const http::Request request_{http::Verb::get, "/", 11};
  std::array<const http::Handler*, kStepRoutes.size()> handlers_{};
  std::array<http::Response, kStepRoutes.size()> responses_{};
  std::array<std::optional<http::RequestContext>, kStepRoutes.size()> contexts_{};
};

}  // namespace latencylab::bench
