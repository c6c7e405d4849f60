#include "graph/route_script.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include "http/response.hpp"

namespace latencylab::graph {

RouteScript::RouteScript(Steps steps, ResponsePlan plan, std::chrono::nanoseconds deadline,
                         ServiceRuntime& service) noexcept
    : steps_(std::move(steps)), plan_(std::move(plan)), deadline_(deadline), service_(service) {}

awaitable<void> RouteScript::operator()(http::RequestContext& ctx) const {
  ScriptRun run{ctx, service_, {}};
  StepAnswer answer;  // set by the step that answers, if one does
  // One co_await (each co_await takes frame slots of its own), not inside the ?: (GCC 12
  // miscompiles that: use after free). Without a deadline, the steps run from this frame.
  awaitable<void> script = deadline_ > std::chrono::nanoseconds::zero()
                               ? run_with_deadline(ctx, run, answer)
                               : run_steps(steps_, run, answer);
  co_await std::move(script);
  if (answer) {
    ctx.response = std::move(answer->response);
    ctx.failure_cause = answer->cause;
  } else {
    ctx.response = planned_response(ctx, run);
  }
  if (run.business) service_.business.finish(*run.business);
}

http::Response RouteScript::planned_response(const http::RequestContext& ctx,
                                             const ScriptRun& run) const {
  static const BusinessState no_business_step_ran;
  const BusinessState& business = run.business ? *run.business : no_business_step_ran;
  std::string body =
      plan_.content ? service_.business.content(*plan_.content, business) : plan_.body;
  return http::json_response(ctx.request, plan_.status, std::move(body));
}

awaitable<void> RouteScript::run_with_deadline(const http::RequestContext& ctx, ScriptRun& run,
                                               StepAnswer& answer) const {
  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer deadline(co_await asio::this_coro::executor, deadline_);
  // The loser is cancelled and awaited: when the timer wins, the script's pending wait ends with
  // operation_aborted and the script returns before this line goes on.
  const auto winner = co_await (run_steps(steps_, run, answer) || deadline.async_wait(use_nothrow));
  if (winner.index() == 0) co_return;
  answer =
      failure_answer(ctx.request, http::Status::gateway_timeout, telemetry::FailureCause::timeout,
                     "the route did not finish within its deadline");
}

}  // namespace latencylab::graph
