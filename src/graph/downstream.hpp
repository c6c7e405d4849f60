// A downstream service as a route's call steps see it: the pooled HTTP client to its address, the
// retry policy and the circuit breaker, with latencylab's own metrics for retries and the breaker
// (the http.client.* ones are the client pool's). One per `downstreams` entry of a graph service,
// built at startup; calls run on the io thread.
//
// A call: ask the breaker (refused: circuit_open, not attempted, not retried), try, classify
// (ok, 4xx, 5xx, timeout, connection error, invalid response), tell the breaker, and retry a
// failure while the policy allows, after a jittered backoff. A caller cancelled through its
// cancellation slot (the route deadline) stops at once, waiting or in flight.
//
// Metrics, bound at startup (latencylab.downstream.name = the downstream's name):
// latencylab.downstream.retries (counter), latencylab.downstream.breaker.rejections (counter, calls
// refused while open) and latencylab.downstream.breaker.state (gauge: 1 for the current state of
// latencylab.breaker.state = closed|open|half_open, 0 for the others).
//
//   http::ClientMetrics client_metrics(meter);
//   DownstreamMetrics metrics(meter);
//   Downstream payments(executor, settings, client_metrics, metrics, rng);
//   CallOutcome outcome = co_await payments.call(http::Verb::post, "/api/payments", body, id, false);
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/asio.hpp"
#include "graph/circuit_breaker.hpp"
#include "graph/retry_policy.hpp"
#include "http/client_metrics.hpp"
#include "http/client_pool.hpp"
#include "http/message.hpp"
#include "sim/random.hpp"
#include "telemetry/meter.hpp"

namespace latencylab::graph {

struct DownstreamSettings {
  std::string name;  // the graph's downstream name
  asio::ip::tcp::endpoint server;
  std::string host;  // the url's host: Host header and server.address
  std::uint32_t connections = 32;
  std::chrono::nanoseconds try_timeout = std::chrono::seconds(1);
  RetrySettings retry;
  std::optional<CircuitBreakerSettings> breaker;  // absent: none
};

// How a call ended. `result` is the last attempt's; `status` and `body` are the downstream's
// answer when one came (ok, client_error, server_error).
struct CallOutcome {
  CallResult result = CallResult::ok;
  unsigned status = 0;
  std::string body{};
  bool cancelled = false;  // the caller was cancelled (the route deadline): nothing to answer
};

// The instruments of every downstream of one Meter.
class DownstreamMetrics {
 public:
  explicit DownstreamMetrics(telemetry::Meter& meter);

 private:
  friend class Downstream;
  telemetry::Meter& meter_;
  telemetry::Counter<std::int64_t> retries_;
  telemetry::Counter<std::int64_t> rejections_;
};

class Downstream {
 public:
  // Throws std::invalid_argument on settings out of range (startup).
  Downstream(const asio::any_io_executor& executor, DownstreamSettings settings,
             http::ClientMetrics& client_metrics, DownstreamMetrics& metrics, sim::Rng& rng);
  Downstream(const Downstream&) = delete;
  Downstream& operator=(const Downstream&) = delete;

  // `retry_allowed`: the step allows retrying a POST; nullopt: the policy's default by method;
  // false: never retried. The views must stay valid until the call returns.
  awaitable<CallOutcome> call(http::Verb method, std::string_view target, std::string_view body,
                              std::string_view request_id, std::optional<bool> retry_allowed);

  [[nodiscard]] const DownstreamSettings& settings() const noexcept { return settings_; }
  [[nodiscard]] std::optional<BreakerState> breaker_state() const noexcept;

 private:
  awaitable<CallOutcome> attempt(http::Verb method, std::string_view target, std::string_view body,
                                 std::string_view request_id);

  DownstreamSettings settings_;
  http::ClientPool pool_;
  RetryPolicy retry_;
  std::optional<CircuitBreaker> breaker_;
  sim::Rng& rng_;
  telemetry::BoundCounter<std::int64_t> retries_;
  telemetry::BoundCounter<std::int64_t> rejections_;
};

}  // namespace latencylab::graph
