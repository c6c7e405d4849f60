#include "graph/downstream.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

namespace latencylab::graph {
namespace {

using Clock = std::chrono::steady_clock;

CallResult classify(unsigned status) noexcept {
  if (status >= 500) return CallResult::server_error;
  if (status >= 400) return CallResult::client_error;
  return CallResult::ok;
}

CallResult classify(http::ClientError error) noexcept {
  switch (error) {
    case http::ClientError::timeout:
      return CallResult::timeout;
    case http::ClientError::connection_error:
      return CallResult::connection_error;
    case http::ClientError::invalid_response:
    case http::ClientError::cancelled:  // handled by the caller before classifying
      break;
  }
  return CallResult::invalid_response;
}

std::string_view state_name(BreakerState state) noexcept {
  switch (state) {
    case BreakerState::closed:
      return "closed";
    case BreakerState::open:
      return "open";
    case BreakerState::half_open:
      return "half_open";
  }
  return "closed";
}

}  // namespace

DownstreamMetrics::DownstreamMetrics(telemetry::Meter& meter)
    : meter_(meter),
      retries_(meter.create_counter<std::int64_t>({"latencylab.downstream.retries",
                                                   "Downstream call attempts that were retries",
                                                   "{retry}"})),
      rejections_(meter.create_counter<std::int64_t>(
          {"latencylab.downstream.breaker.rejections",
           "Downstream calls refused by an open circuit breaker without being attempted",
           "{call}"})) {}

Downstream::Downstream(const asio::any_io_executor& executor, DownstreamSettings settings,
                       http::ClientMetrics& client_metrics, DownstreamMetrics& metrics,
                       sim::Rng& rng)
    : settings_(std::move(settings)),
      pool_(executor,
            http::ClientPoolSettings{.server = settings_.server,
                                     .max_connections = settings_.connections,
                                     .peer_name = settings_.host,
                                     .try_timeout = settings_.try_timeout},
            client_metrics),
      retry_(settings_.retry),
      rng_(rng),
      retries_(metrics.retries_.bind({{"latencylab.downstream.name", settings_.name}})),
      rejections_(metrics.rejections_.bind({{"latencylab.downstream.name", settings_.name}})) {
  if (!settings_.breaker) return;
  breaker_.emplace(*settings_.breaker);
  metrics.meter_.create_observable_gauge<std::int64_t>(
      {"latencylab.downstream.breaker.state",
       "1 for the circuit breaker's current state, 0 for the others", "1"},
      [this](telemetry::ObservableResult<std::int64_t>& result) {
        for (const BreakerState state :
             {BreakerState::closed, BreakerState::open, BreakerState::half_open}) {
          result.observe(breaker_->state() == state ? 1 : 0,
                         {{"latencylab.downstream.name", settings_.name},
                          {"latencylab.breaker.state", std::string(state_name(state))}});
        }
      });
}

std::optional<BreakerState> Downstream::breaker_state() const noexcept {
  if (!breaker_) return std::nullopt;
  return breaker_->state();
}

awaitable<CallOutcome> Downstream::attempt(http::Verb method, std::string_view target,
                                           std::string_view body, std::string_view request_id) {
  http::ClientResult result = co_await pool_.exchange(method, target, body, request_id);
  if (!result) {
    if (result.error() == http::ClientError::cancelled) co_return CallOutcome{.cancelled = true};
    co_return CallOutcome{.result = classify(result.error())};
  }
  const unsigned status = result->status;
  co_return CallOutcome{
      .result = classify(status), .status = status, .body = std::move(result->body)};
}

awaitable<CallOutcome> Downstream::call(http::Verb method, std::string_view target,
                                        std::string_view body, std::string_view request_id,
                                        std::optional<bool> retry_allowed) {
  for (unsigned attempts = 1;; ++attempts) {
    if (breaker_ && !breaker_->try_acquire(Clock::now())) {
      rejections_.add(1);
      co_return CallOutcome{.result = CallResult::circuit_open};
    }
    CallOutcome outcome = co_await attempt(method, target, body, request_id);
    if (outcome.cancelled) co_return outcome;
    if (breaker_) breaker_->record(!is_failure(outcome.result), Clock::now());
    const bool retry =
        retry_allowed.value_or(true) &&
        retry_.should_retry(method, retry_allowed.value_or(false), outcome.result, attempts);
    if (!retry) co_return outcome;
    retries_.add(1);
    asio::steady_timer backoff(co_await asio::this_coro::executor, retry_.backoff(attempts, rng_));
    const auto [ec] = co_await backoff.async_wait(use_nothrow);
    if (ec) co_return CallOutcome{.cancelled = true};
  }
}

}  // namespace latencylab::graph
