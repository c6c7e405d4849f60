// Retry policy of the OTLP exporter: which gRPC failures are retried and how long to wait.
//
// Follows the OTLP/gRPC specification: UNAVAILABLE, CANCELLED, DEADLINE_EXCEEDED, ABORTED,
// OUT_OF_RANGE and DATA_LOSS are transient; RESOURCE_EXHAUSTED is retried only when the server
// says when (google.rpc.RetryInfo in the status details); every other code is permanent. A server
// RetryInfo delay wins over our own exponential backoff. All functions are pure (the jitter draw is
// passed in) so tests pin exact delays. The exporter measures its deadline and waits between
// attempts on a RetryClock, so tests replace real waits with a manual clock.
//
//   RetryVerdict verdict = classify_export_failure(status.error_code(), status.error_details());
//   if (verdict.retryable) {
//     auto delay = verdict.server_delay.value_or(backoff_delay(policy, attempt, uniform01(rng)));
//   }
#pragma once

#include <grpcpp/support/status.h>

#include <chrono>
#include <optional>
#include <stop_token>
#include <string_view>

namespace latencylab::telemetry::otlp {

// Defaults are those of the official OpenTelemetry SDKs (Java, .NET): 5 attempts, 1 s initial
// backoff growing x1.5 up to 5 s. Whatever the policy says, the whole export (all attempts and
// waits) ends by the export timeout.
struct OtlpRetryPolicy {
  int max_attempts = 5;  // including the first; 1 disables retries
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{5000};
  double backoff_multiplier = 1.5;
  // Each backoff is scaled by a factor drawn uniformly from [1 - jitter, 1 + jitter] so many
  // processes restarted together do not retry in lockstep.
  double jitter = 0.2;
};

struct RetryVerdict {
  bool retryable = false;
  std::optional<std::chrono::milliseconds> server_delay;  // from RetryInfo, when present
};

// `error_details` is grpc::Status::error_details(): a serialized google.rpc.Status, or empty.
[[nodiscard]] RetryVerdict classify_export_failure(grpc::StatusCode code,
                                                   std::string_view error_details);

// The RetryInfo.retry_delay carried in serialized google.rpc.Status details, if any (negative
// delays read as zero). Malformed details read as absent.
[[nodiscard]] std::optional<std::chrono::milliseconds> retry_delay_from_status_details(
    std::string_view error_details);

// Delay before retry number `failed_attempts` (1 after the first failure): initial_backoff *
// multiplier^(failed_attempts-1), capped at max_backoff, then scaled by the jitter factor for
// `unit_random` in [0, 1) and capped again.
[[nodiscard]] std::chrono::milliseconds backoff_delay(const OtlpRetryPolicy& policy,
                                                      int failed_attempts, double unit_random);

// Where the exporter reads the time (its export deadline) and waits before a retry.
class RetryClock {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  virtual ~RetryClock() = default;
  [[nodiscard]] virtual time_point now() = 0;
  // Returns true at `until`, or false as soon as `stop` is requested.
  virtual bool sleep_until(time_point until, const std::stop_token& stop) = 0;
};

// std::chrono::steady_clock and a real wait on it. Stateless; shared by every exporter.
[[nodiscard]] RetryClock& steady_retry_clock();

// "UNAVAILABLE", "RESOURCE_EXHAUSTED", ...: for error messages and logs.
[[nodiscard]] std::string_view status_code_name(grpc::StatusCode code);

}  // namespace latencylab::telemetry::otlp
