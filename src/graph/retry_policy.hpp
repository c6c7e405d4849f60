// Retries of a downstream call: which results and methods are retried, how many attempts, and
// the wait before each retry. Pure: the random draw comes from the caller's seeded sim::Rng.
//
// Defaults (documented in the graph file's reference): 2 attempts (1 retry), backoff from 25 ms
// doubling up to 250 ms, as Envoy's router does for service-to-service calls. Methods: GET, HEAD,
// PUT and DELETE are retried (idempotent); POST only where the step allows it; every other method
// never. Results: a failure (timeout, connection error, invalid response, 5xx) is retried; a 4xx,
// a success and circuit_open (the breaker refused the call: retrying would defeat it) are not.
//
// Jitter: retry n waits c * (1 - jitter * u), c = min(max_backoff, base_backoff *
// multiplier^(n-1)) and u uniform in [0, 1). The default, jitter 1, is full jitter (a uniform draw
// from (0, c]), which spreads the retries of many callers that failed together over the whole
// interval; a smaller jitter keeps them nearer the exponential curve.
//
//   const RetryPolicy retries(RetrySettings{.max_attempts = 3});
//   for (unsigned attempt = 1;; ++attempt) {
//     const CallResult result = call_downstream();
//     if (!retries.should_retry(boost::beast::http::verb::get, false, result, attempt)) break;
//     const std::chrono::nanoseconds wait = retries.backoff(attempt, rng);
//   }
//
// Threading: const after construction; backoff() uses the caller's (io thread's) Rng.
#pragma once

#include <boost/beast/http/verb.hpp>
#include <chrono>

#include "sim/random.hpp"

namespace latencylab::graph {

// How one attempt of a downstream call ended, as retries and the circuit breaker see it.
enum class CallResult {
  ok,                // 1xx-3xx
  client_error,      // 4xx: the dependency works, the request was wrong
  server_error,      // 5xx
  timeout,           // no complete response within the per-try timeout
  connection_error,  // connect failed, reset, closed mid-response
  invalid_response,  // not HTTP, or framing the client cannot trust
  circuit_open,      // refused by the breaker without being attempted
};

// A failure for retries and the breaker: server_error, timeout, connection_error, invalid_response.
[[nodiscard]] bool is_failure(CallResult result) noexcept;

struct RetrySettings {
  unsigned max_attempts = 2;  // including the first; 1 disables retries
  std::chrono::nanoseconds base_backoff = std::chrono::milliseconds(25);
  std::chrono::nanoseconds max_backoff = std::chrono::milliseconds(250);
  double multiplier = 2.0;  // >= 1
  double jitter = 1.0;      // in [0, 1]: the share of each wait drawn at random; 1 = full jitter
};

class RetryPolicy {
 public:
  // Throws std::invalid_argument when a setting is outside its range (startup).
  explicit RetryPolicy(RetrySettings settings);

  // Whether attempt number `attempts_made` (1 = the first), which ended in `result`, is followed
  // by another. `step_allows_post`: the route's step marked its POST safe to repeat.
  [[nodiscard]] bool should_retry(boost::beast::http::verb method, bool step_allows_post,
                                  CallResult result, unsigned attempts_made) const noexcept;

  // The wait before retry number `retry_number` (1 = the first retry), jittered.
  [[nodiscard]] std::chrono::nanoseconds backoff(unsigned retry_number, sim::Rng& rng) const;

  [[nodiscard]] const RetrySettings& settings() const noexcept { return settings_; }

 private:
  RetrySettings settings_;
};

}  // namespace latencylab::graph
