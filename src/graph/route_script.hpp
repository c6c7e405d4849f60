// One route of a graph service: its compiled steps, its deadline and the answer when every step
// passes. The handler the router calls for the route's method and path.
//
// With a deadline (`timeout_ms`), the script races a timer: when the timer wins, the script is
// cancelled (a pool waiter leaves its queue, a downstream call is abandoned) and the route
// answers 504 with error "timeout". A failing step's cause (pool_timeout, circuit_open, ...)
// becomes the request's failure cause (ctx.failure_cause), its error.type.
//
//   RouteScript script{std::move(steps), std::move(plan), std::chrono::seconds(2), runtime};
//   router.add("/api/checkout", Verb::post, [&script](auto& ctx) { return script(ctx); });
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "graph/steps.hpp"

namespace latencylab::graph {

// The answer of a script whose steps all passed without a business step answering.
struct ResponsePlan {
  http::Status status = http::Status::ok;
  std::string body = "{}";                         // prepared JSON text, copied per response
  std::optional<config::ResponseContent> content;  // built per request instead of `body`
};

class RouteScript {
 public:
  // deadline zero: none.
  RouteScript(Steps steps, ResponsePlan plan, std::chrono::nanoseconds deadline,
              ServiceRuntime& service) noexcept;

  // Answers into ctx.response.
  awaitable<void> operator()(http::RequestContext& ctx) const;

 private:
  // The steps raced against the deadline; the 504 into `answer` when the deadline wins.
  awaitable<void> run_with_deadline(const http::RequestContext& ctx, ScriptRun& run,
                                    StepAnswer& answer) const;
  // The answer when every step passed: the plan's status and body.
  [[nodiscard]] http::Response planned_response(const http::RequestContext& ctx,
                                                const ScriptRun& run) const;

  Steps steps_;
  ResponsePlan plan_;
  std::chrono::nanoseconds deadline_;
  ServiceRuntime& service_;
};

}  // namespace latencylab::graph
