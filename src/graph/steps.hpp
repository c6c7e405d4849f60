// A route's script compiled for the io thread: every name in the graph file resolved to the
// resource it means, every latency to a sampling model scaled by time_scale, every status to a
// Beast status, so running a step is a switch and a call.
//
//   Steps steps;
//   steps.push_back(Step{Delay{sim::LatencyModel(spec, time_scale)}});
//   ScriptRun run{ctx, service_runtime, {}};
//   StepAnswer answer;
//   co_await run_steps(steps, run, answer);  // nullopt: every step passed
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "config/graph.hpp"
#include "core/asio.hpp"
#include "graph/business_steps.hpp"
#include "graph/db_pool.hpp"
#include "graph/downstream.hpp"
#include "graph/simulated_cache.hpp"
#include "http/message.hpp"
#include "sim/latency_model.hpp"
#include "sim/random.hpp"

namespace latencylab::graph {

struct Step;
using Steps = std::vector<Step>;

struct Delay {
  sim::LatencyModel latency;
};

struct CacheLookup {
  const SimulatedCache* cache;
  Steps miss;
};

struct DbQuery {
  DbPool* pool;
  DbPool::Operation operation;
  sim::LatencyModel latency;
  http::Status pool_timeout_status;
};

struct Call {
  Downstream* downstream;
  http::Verb method;
  std::string target;
  bool forward_body;
  std::optional<bool> retry;  // Downstream::call's retry_allowed
  config::CallErrorStatuses on_error;
};

struct Parallel {
  Steps steps;
};

struct Fail {
  double probability;
  http::Status status;
  std::string message;  // "simulated <what> failure"
};

struct Cpu {
  std::chrono::nanoseconds duration;
};

struct Business {
  config::BusinessAction action;
};

struct Step {
  std::variant<Delay, CacheLookup, DbQuery, Call, Parallel, Fail, Cpu, Business> action;
};

// What a script's service lends every run: its executor (for step timers: not asked of the
// coroutine, whose answer would take a frame slot), its random source and its business logic.
struct ServiceRuntime {
  asio::any_io_executor executor;
  sim::Rng& rng;
  BusinessSteps& business;
};

// One request's run through a script.
struct ScriptRun {
  const http::RequestContext& ctx;
  ServiceRuntime& service;
  // Made by the first business step. Most routes have none, and a parked request keeps its
  // ScriptRun in a coroutine frame: ~200 bytes per request for nothing.
  std::unique_ptr<BusinessState> business;
};

// A request's answer decided by a step or the route: its response and, for a failure with a
// known cause (pool timeout, open breaker, ...), that cause, the request's error.type.
struct ScriptAnswer {
  http::Response response;
  telemetry::FailureCause cause = telemetry::FailureCause::none;
};

// nullopt: the step passed, go on; otherwise the request's answer (a failure or a business
// answer) and the script stops.
using StepAnswer = std::optional<ScriptAnswer>;

// An answer failing for `cause`: `status` with the cause's name as the error code.
[[nodiscard]] ScriptAnswer failure_answer(const http::Request& request, http::Status status,
                                          telemetry::FailureCause cause, std::string_view message);

// Runs `steps` in order until one answers, into `answer` (left nullopt when every step passed).
// Cancellable: a terminal cancellation through the awaiting coroutine's slot (the route deadline)
// stops the step in progress.
awaitable<void> run_steps(const Steps& steps, ScriptRun& run, StepAnswer& answer);

}  // namespace latencylab::graph
