#include "telemetry/otlp/otlp_retry_policy.hpp"

#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace latencylab::telemetry::otlp {
namespace {

using std::chrono::milliseconds;

std::string status_details_with_retry_info(std::int64_t seconds, std::int32_t nanos) {
  google::rpc::RetryInfo retry_info;
  retry_info.mutable_retry_delay()->set_seconds(seconds);
  retry_info.mutable_retry_delay()->set_nanos(nanos);
  google::rpc::Status status;
  status.set_code(static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED));
  status.add_details()->PackFrom(retry_info);
  return status.SerializeAsString();
}

TEST(OtlpRetryPolicy, TransientCodesAreRetried) {
  for (auto code : {grpc::StatusCode::UNAVAILABLE, grpc::StatusCode::CANCELLED,
                    grpc::StatusCode::DEADLINE_EXCEEDED, grpc::StatusCode::ABORTED,
                    grpc::StatusCode::OUT_OF_RANGE, grpc::StatusCode::DATA_LOSS}) {
    const RetryVerdict verdict = classify_export_failure(code, "");
    EXPECT_TRUE(verdict.retryable) << status_code_name(code);
    EXPECT_FALSE(verdict.server_delay.has_value());
  }
}

TEST(OtlpRetryPolicy, PermanentCodesAreNotRetried) {
  for (auto code : {grpc::StatusCode::INVALID_ARGUMENT, grpc::StatusCode::UNAUTHENTICATED,
                    grpc::StatusCode::PERMISSION_DENIED, grpc::StatusCode::UNIMPLEMENTED,
                    grpc::StatusCode::INTERNAL, grpc::StatusCode::NOT_FOUND,
                    grpc::StatusCode::FAILED_PRECONDITION, grpc::StatusCode::UNKNOWN}) {
    EXPECT_FALSE(classify_export_failure(code, status_details_with_retry_info(1, 0)).retryable)
        << status_code_name(code);
  }
}

TEST(OtlpRetryPolicy, ResourceExhaustedOnlyWithRetryInfo) {
  EXPECT_FALSE(classify_export_failure(grpc::StatusCode::RESOURCE_EXHAUSTED, "").retryable);
  const RetryVerdict verdict = classify_export_failure(
      grpc::StatusCode::RESOURCE_EXHAUSTED, status_details_with_retry_info(2, 5'000'000));
  EXPECT_TRUE(verdict.retryable);
  EXPECT_EQ(verdict.server_delay, milliseconds(2005));
}

TEST(OtlpRetryPolicy, RetryInfoDelayIsReadFromAnyRetryableCode) {
  const RetryVerdict verdict =
      classify_export_failure(grpc::StatusCode::UNAVAILABLE, status_details_with_retry_info(0, 1));
  EXPECT_TRUE(verdict.retryable);
  EXPECT_EQ(verdict.server_delay, milliseconds(1));  // rounded up, never shorter than asked
}

TEST(OtlpRetryPolicy, MalformedOrForeignDetailsMeanNoDelay) {
  EXPECT_FALSE(retry_delay_from_status_details("\xff\xff not a status").has_value());
  google::rpc::Status status_without_retry_info;
  status_without_retry_info.set_code(8);
  status_without_retry_info.add_details()->PackFrom(google::rpc::Status{});
  EXPECT_FALSE(
      retry_delay_from_status_details(status_without_retry_info.SerializeAsString()).has_value());
  EXPECT_EQ(retry_delay_from_status_details(status_details_with_retry_info(-3, 0)),
            milliseconds(0));
}

TEST(OtlpRetryPolicy, BackoffGrowsAndIsCapped) {
  OtlpRetryPolicy policy;  // 1 s, x1.5, max 5 s, jitter 0.2
  // unit_random 0.5 is the middle of the jitter range: factor exactly 1.
  EXPECT_EQ(backoff_delay(policy, 1, 0.5), milliseconds(1000));
  EXPECT_EQ(backoff_delay(policy, 2, 0.5), milliseconds(1500));
  EXPECT_EQ(backoff_delay(policy, 3, 0.5), milliseconds(2250));
  EXPECT_EQ(backoff_delay(policy, 4, 0.5), milliseconds(3375));
  EXPECT_EQ(backoff_delay(policy, 5, 0.5), milliseconds(5000));
  EXPECT_EQ(backoff_delay(policy, 50, 0.5), milliseconds(5000));
}

TEST(OtlpRetryPolicy, JitterSpreadsDelaysWithinBounds) {
  OtlpRetryPolicy policy;
  EXPECT_EQ(backoff_delay(policy, 1, 0.0), milliseconds(800));
  EXPECT_EQ(backoff_delay(policy, 1, 0.999999), milliseconds(1200));
  EXPECT_EQ(backoff_delay(policy, 2, 0.25), milliseconds(1350));
  // Jitter never pushes a delay past the cap.
  EXPECT_EQ(backoff_delay(policy, 10, 0.999999), milliseconds(5000));
  EXPECT_EQ(backoff_delay(policy, 10, 0.0), milliseconds(4000));
}

}  // namespace
}  // namespace latencylab::telemetry::otlp
