#include "graph/steps.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include "http/response.hpp"

namespace latencylab::graph {
namespace {

using telemetry::FailureCause;

// The answer of a step whose wait was cancelled. Only the route deadline cancels a script, and it
// answers 504 itself: this value is never sent, it only stops the script.
ScriptAnswer cancelled_answer(const http::RequestContext& ctx) {
  return failure_answer(ctx.request, http::Status::gateway_timeout, FailureCause::timeout,
                        "the route's deadline expired");
}

// False when the wait was cancelled.
awaitable<bool> sleep_for(std::chrono::nanoseconds delay) {
  if (delay <= std::chrono::nanoseconds::zero()) co_return true;
  asio::steady_timer timer(co_await asio::this_coro::executor, delay);
  const auto [ec] = co_await timer.async_wait(use_nothrow);
  co_return !ec;
}

void spin_for(std::chrono::nanoseconds duration) noexcept {
  // Busy on purpose: this step models CPU work that holds the io thread.
  const auto end = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < end) {
  }
}

awaitable<void> run_step(const Step& step, ScriptRun& run, StepAnswer& answer);

bool never_waits(const Step& step) noexcept {
  return std::holds_alternative<Fail>(step.action) || std::holds_alternative<Cpu>(step.action) ||
         std::holds_alternative<Business>(step.action);
}

// A step for which never_waits() holds.
StepAnswer run_without_waiting(const Step& step, ScriptRun& run) {
  if (const auto* fail = std::get_if<Fail>(&step.action)) {
    if (!sim::chance(run.service.rng, fail->probability)) return std::nullopt;
    // No cause: a simulated failure is reported by its status, as a real handler's would be.
    return ScriptAnswer{
        http::error_response(run.ctx.request, fail->status, "simulated_failure", fail->message)};
  }
  if (const auto* cpu = std::get_if<Cpu>(&step.action)) {
    spin_for(cpu->duration);
    return std::nullopt;
  }
  const auto& business = std::get<Business>(step.action);
  if (!run.business) run.business = std::make_unique<BusinessState>();
  std::optional<http::Response> answer =
      run.service.business.run(business.action, run.ctx, *run.business);
  if (!answer) return std::nullopt;
  return ScriptAnswer{std::move(*answer)};
}

ScriptAnswer call_failed(const http::RequestContext& ctx, unsigned status, FailureCause cause,
                         std::string_view message) {
  return failure_answer(ctx.request, http::beast_http::int_to_status(status), cause, message);
}

// The default mapping (configurable per step): a 4xx passes through, a 5xx or an invalid
// response is 502, a timeout 504, an open breaker 503. The error names the low-cardinality
// error.type: the cause, or for a downstream's status (no cause) the caller's own status code.
awaitable<StepAnswer> run_call(const Call& call, ScriptRun& run) {
  const http::Request& request = run.ctx.request;
  const std::string_view body = call.forward_body ? std::string_view(request.body()) : "";
  CallOutcome outcome = co_await call.downstream->call(call.method, call.target, body,
                                                       request["X-Request-Id"], call.retry);
  if (outcome.cancelled) co_return cancelled_answer(run.ctx);
  const std::string& name = call.downstream->settings().name;
  const config::CallErrorStatuses& on_error = call.on_error;
  switch (outcome.result) {
    case CallResult::ok:
      co_return std::nullopt;
    case CallResult::client_error:
      if (on_error.pass_client_errors) {
        co_return ScriptAnswer{http::json_response(
            request, http::beast_http::int_to_status(outcome.status), std::move(outcome.body))};
      }
      [[fallthrough]];
    case CallResult::server_error:
      co_return ScriptAnswer{http::error_response(
          request, http::beast_http::int_to_status(on_error.server_error),
          std::to_string(outcome.status),
          "downstream " + name + " answered " + std::to_string(outcome.status))};
    case CallResult::timeout:
      co_return call_failed(run.ctx, on_error.timeout, FailureCause::timeout,
                            "downstream " + name + " did not answer within its timeout");
    case CallResult::connection_error:
      co_return call_failed(run.ctx, on_error.connection_error, FailureCause::connection_error,
                            "the connection to downstream " + name + " failed");
    case CallResult::invalid_response:
      co_return call_failed(run.ctx, on_error.invalid_response, FailureCause::invalid_response,
                            "downstream " + name + " sent an invalid response");
    case CallResult::circuit_open:
      co_return call_failed(run.ctx, on_error.circuit_open, FailureCause::circuit_open,
                            "the circuit breaker of downstream " + name + " is open");
  }
  co_return cancelled_answer(run.ctx);
}

StepAnswer query_answer(const DbQuery& query, DbOutcome outcome, ScriptRun& run) {
  switch (outcome) {
    case DbOutcome::ok:
      return std::nullopt;
    case DbOutcome::pool_timeout:
      return failure_answer(run.ctx.request, query.pool_timeout_status, FailureCause::pool_timeout,
                            "no connection of database " + query.pool->settings().name +
                                " within its acquire timeout");
    case DbOutcome::queue_full:
      return failure_answer(
          run.ctx.request, query.pool_timeout_status, FailureCause::pool_timeout,
          "database " + query.pool->settings().name + " has no connection and its queue is full");
    case DbOutcome::cancelled:
      break;
  }
  return cancelled_answer(run.ctx);
}

awaitable<StepAnswer> run_parallel(const Parallel& parallel, ScriptRun& run) {
  namespace experimental = asio::experimental;
  const auto executor = co_await asio::this_coro::executor;
  std::vector<StepAnswer> answers(parallel.steps.size());  // one per branch, in step order
  using Operation = decltype(asio::co_spawn(
      executor, run_step(parallel.steps.front(), run, answers.front()), asio::deferred));
  std::vector<Operation> operations;
  operations.reserve(parallel.steps.size());
  for (std::size_t i = 0; i < parallel.steps.size(); ++i) {
    operations.push_back(
        asio::co_spawn(executor, run_step(parallel.steps[i], run, answers[i]), asio::deferred));
  }
  auto [completion_order, exceptions] =
      co_await experimental::make_parallel_group(std::move(operations))
          .async_wait(experimental::wait_for_all(), asio::deferred);
  for (const auto& exception : exceptions) {
    if (exception) std::rethrow_exception(exception);
  }
  // The first failure in step order decides, whichever finished first.
  for (auto& answer : answers) {
    if (answer) co_return std::move(answer);
  }
  co_return std::nullopt;
}

awaitable<void> run_step(const Step& step, ScriptRun& run, StepAnswer& answer) {
  sim::Rng& rng = run.service.rng;
  if (const auto* delay = std::get_if<Delay>(&step.action)) {
    // The result is named first: GCC 12 miscompiles co_await inside an if condition.
    const bool slept = co_await sleep_for(delay->latency.sample(rng));
    if (!slept) answer = cancelled_answer(run.ctx);
    co_return;
  }
  if (const auto* lookup = std::get_if<CacheLookup>(&step.action)) {
    const bool slept = co_await sleep_for(lookup->cache->latency().sample(rng));
    if (!slept) {
      answer = cancelled_answer(run.ctx);
    } else if (!lookup->cache->lookup(rng)) {
      co_await run_steps(lookup->miss, run, answer);
    }
    co_return;
  }
  if (const auto* query = std::get_if<DbQuery>(&step.action)) {
    const DbOutcome outcome =
        co_await query->pool->query(query->operation, query->latency.sample(rng));
    answer = query_answer(*query, outcome, run);
    co_return;
  }
  if (const auto* call = std::get_if<Call>(&step.action)) {
    answer = co_await run_call(*call, run);
    co_return;
  }
  if (const auto* parallel = std::get_if<Parallel>(&step.action)) {
    answer = co_await run_parallel(*parallel, run);
    co_return;
  }
  answer = run_without_waiting(step, run);
}

}  // namespace

ScriptAnswer failure_answer(const http::Request& request, http::Status status, FailureCause cause,
                            std::string_view message) {
  return ScriptAnswer{
      http::error_response(request, status, telemetry::failure_cause_name(cause), message), cause};
}

// Delays, cache lookups, queries and the steps that never wait run in this frame: a coroutine per
// step (run_step, then sleep_for or a query's) would cost every request two more frames, ~1,000
// instructions and ~1-2 KB while it is parked (docs/BENCHMARKS.md, "Service graphs"). The answer
// goes to the caller's `answer` rather than being returned: returned, a StepAnswer would sit in
// this frame's promise and again in the caller's frame as the co_await's result.
awaitable<void> run_steps(const Steps& steps, ScriptRun& run, StepAnswer& answer) {
  for (const Step& step : steps) {
    const auto* delay = std::get_if<Delay>(&step.action);
    const auto* lookup = std::get_if<CacheLookup>(&step.action);
    if (delay != nullptr || lookup != nullptr) {
      sim::Rng& rng = run.service.rng;
      const std::chrono::nanoseconds wait =
          delay != nullptr ? delay->latency.sample(rng) : lookup->cache->latency().sample(rng);
      if (wait > std::chrono::nanoseconds::zero()) {
        asio::steady_timer timer(run.service.executor, wait);
        const auto [ec] = co_await wait_in_frame(timer);
        if (ec) {
          answer = cancelled_answer(run.ctx);
          break;
        }
      }
      if (delay != nullptr || lookup->cache->lookup(rng)) continue;
      co_await run_steps(lookup->miss, run, answer);  // a frame only for a miss's steps
    } else if (const auto* query = std::get_if<DbQuery>(&step.action)) {
      const DbOutcome outcome =
          co_await query->pool->query(query->operation, query->latency.sample(run.service.rng));
      answer = query_answer(*query, outcome, run);
    } else if (never_waits(step)) {
      answer = run_without_waiting(step, run);
    } else {
      co_await run_step(step, run, answer);
    }
    if (answer) break;
  }
}

}  // namespace latencylab::graph
