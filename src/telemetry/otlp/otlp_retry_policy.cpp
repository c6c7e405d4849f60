#include "telemetry/otlp/otlp_retry_policy.hpp"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <mutex>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace latencylab::telemetry::otlp {

std::optional<std::chrono::milliseconds> retry_delay_from_status_details(
    std::string_view error_details) {
  if (error_details.empty()) {
    return std::nullopt;
  }
  google::rpc::Status status;
  if (!status.ParseFromArray(error_details.data(), static_cast<int>(error_details.size()))) {
    return std::nullopt;
  }
  for (const google::protobuf::Any& detail : status.details()) {
    google::rpc::RetryInfo retry_info;
    if (!detail.Is<google::rpc::RetryInfo>() || !detail.UnpackTo(&retry_info)) {
      continue;
    }
    const auto& delay = retry_info.retry_delay();
    const auto total =
        std::chrono::seconds(delay.seconds()) + std::chrono::nanoseconds(delay.nanos());
    // Round up: waiting slightly longer than asked honours the server, shorter would not.
    return std::max(std::chrono::milliseconds::zero(),
                    std::chrono::ceil<std::chrono::milliseconds>(total));
  }
  return std::nullopt;
}

RetryVerdict classify_export_failure(grpc::StatusCode code, std::string_view error_details) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::DATA_LOSS:
      return {true, retry_delay_from_status_details(error_details)};
    case grpc::StatusCode::RESOURCE_EXHAUSTED: {
      // Throttling without a hint means "this will not succeed soon": the spec says drop.
      auto delay = retry_delay_from_status_details(error_details);
      return {delay.has_value(), delay};
    }
    default:
      return {false, std::nullopt};
  }
}

std::chrono::milliseconds backoff_delay(const OtlpRetryPolicy& policy, int failed_attempts,
                                        double unit_random) {
  const double max_ms = static_cast<double>(policy.max_backoff.count());
  const double exponent = std::max(0, failed_attempts - 1);
  const double base_ms = std::min(max_ms, static_cast<double>(policy.initial_backoff.count()) *
                                              std::pow(policy.backoff_multiplier, exponent));
  const double factor = 1.0 + policy.jitter * (2.0 * std::clamp(unit_random, 0.0, 1.0) - 1.0);
  const double jittered_ms = std::clamp(base_ms * factor, 0.0, max_ms);
  return std::chrono::milliseconds(std::llround(jittered_ms));
}

std::string_view status_code_name(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    default:
      return "UNKNOWN_STATUS_CODE";
  }
}

RetryClock& steady_retry_clock() {
  class SteadyRetryClock final : public RetryClock {
   public:
    time_point now() override { return std::chrono::steady_clock::now(); }
    bool sleep_until(time_point until, const std::stop_token& stop) override {
      std::mutex mutex;
      std::condition_variable_any stop_requested;
      std::unique_lock lock(mutex);
      // Nothing notifies but the stop request; the predicate only filters spurious wake-ups.
      stop_requested.wait_until(lock, stop, until, [] { return false; });
      return !stop.stop_requested();
    }
  };
  static SteadyRetryClock clock;
  return clock;
}

}  // namespace latencylab::telemetry::otlp
