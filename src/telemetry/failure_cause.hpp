// Why a server request failed, when more is known than its status code: the low-cardinality
// error.type values a service graph's steps report (docs/METRICS.md). A request with a cause is
// recorded with error.type = the cause's name whatever its status (a pool timeout answers 503 by
// default, but a graph may map it to 429); one without keeps the status code rule (5xx).
//
//   ctx.failure_cause = FailureCause::pool_timeout;         // a handler, before it answers
//   std::string_view name = failure_cause_name(FailureCause::pool_timeout);  // "pool_timeout"
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace latencylab::telemetry {

enum class FailureCause : std::uint8_t {
  none,
  timeout,           // the route's deadline or a downstream call's timeout expired
  pool_timeout,      // no database connection within the acquire timeout, or its queue was full
  circuit_open,      // a downstream's circuit breaker refused the call
  connection_error,  // the connection to a downstream failed
  invalid_response,  // a downstream answered something that is not a usable HTTP response
};
inline constexpr std::size_t kFailureCauseCount = 6;

// Indexed by FailureCause, in the enum's order.
inline constexpr std::array<std::string_view, kFailureCauseCount> kFailureCauseNames{
    "", "timeout", "pool_timeout", "circuit_open", "connection_error", "invalid_response"};

[[nodiscard]] constexpr std::string_view failure_cause_name(FailureCause cause) noexcept {
  return kFailureCauseNames[static_cast<std::size_t>(cause)];
}
static_assert(failure_cause_name(FailureCause::invalid_response) == "invalid_response",
              "kFailureCauseNames follows the enum");

}  // namespace latencylab::telemetry
