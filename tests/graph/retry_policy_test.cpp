#include "graph/retry_policy.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace latencylab::graph {
namespace {

using namespace std::chrono_literals;
using boost::beast::http::verb;

TEST(RetryPolicy, FailuresAreTimeoutsConnectionErrorsInvalidResponsesAnd5xx) {
  EXPECT_TRUE(is_failure(CallResult::timeout));
  EXPECT_TRUE(is_failure(CallResult::connection_error));
  EXPECT_TRUE(is_failure(CallResult::invalid_response));
  EXPECT_TRUE(is_failure(CallResult::server_error));
  EXPECT_FALSE(is_failure(CallResult::ok));
  EXPECT_FALSE(is_failure(CallResult::client_error));
  EXPECT_FALSE(is_failure(CallResult::circuit_open));
}

TEST(RetryPolicy, RetriesIdempotentMethodsAndPostOnlyWhereAllowed) {
  const RetryPolicy policy(RetrySettings{.max_attempts = 3});
  for (const verb method : {verb::get, verb::head, verb::put, verb::delete_}) {
    EXPECT_TRUE(policy.should_retry(method, false, CallResult::timeout, 1)) << method;
  }
  EXPECT_FALSE(policy.should_retry(verb::post, false, CallResult::timeout, 1));
  EXPECT_TRUE(policy.should_retry(verb::post, true, CallResult::timeout, 1));
  EXPECT_FALSE(policy.should_retry(verb::patch, true, CallResult::timeout, 1));
}

TEST(RetryPolicy, RetriesOnlyFailures) {
  const RetryPolicy policy(RetrySettings{.max_attempts = 3});
  for (const CallResult failure : {CallResult::timeout, CallResult::connection_error,
                                   CallResult::invalid_response, CallResult::server_error}) {
    EXPECT_TRUE(policy.should_retry(verb::get, false, failure, 1));
  }
  EXPECT_FALSE(policy.should_retry(verb::get, false, CallResult::ok, 1));
  EXPECT_FALSE(policy.should_retry(verb::get, false, CallResult::client_error, 1));
  EXPECT_FALSE(policy.should_retry(verb::get, false, CallResult::circuit_open, 1));
}

TEST(RetryPolicy, StopsAtMaxAttempts) {
  const RetryPolicy policy(RetrySettings{.max_attempts = 3});
  EXPECT_TRUE(policy.should_retry(verb::get, false, CallResult::timeout, 2));
  EXPECT_FALSE(policy.should_retry(verb::get, false, CallResult::timeout, 3));
  const RetryPolicy defaults{RetrySettings{}};
  EXPECT_TRUE(defaults.should_retry(verb::get, false, CallResult::timeout, 1));
  EXPECT_FALSE(defaults.should_retry(verb::get, false, CallResult::timeout, 2))
      << "default: one retry";
  const RetryPolicy none(RetrySettings{.max_attempts = 1});
  EXPECT_FALSE(none.should_retry(verb::get, false, CallResult::timeout, 1));
}

TEST(RetryPolicy, BackoffStaysUnderTheExponentialCeilingAndTheCap) {
  const RetryPolicy policy(RetrySettings{
      .max_attempts = 10, .base_backoff = 10ms, .max_backoff = 300ms, .multiplier = 2.0});
  sim::Rng rng{42};
  const std::vector<std::chrono::nanoseconds> ceilings = {10ms,  20ms,  40ms,  80ms, 160ms,
                                                          300ms, 300ms, 300ms, 300ms};
  for (unsigned retry = 1; retry <= ceilings.size(); ++retry) {
    for (int draw = 0; draw < 1000; ++draw) {
      const auto wait = policy.backoff(retry, rng);
      ASSERT_GE(wait, 0ns) << "retry " << retry;
      ASSERT_LE(wait, ceilings[retry - 1]) << "retry " << retry;
    }
  }
  for (const unsigned far : {64U, 1000U, 4'000'000'000U}) {
    const auto wait = policy.backoff(far, rng);
    EXPECT_GE(wait, 0ns) << "retry " << far;
    EXPECT_LE(wait, 300ms) << "retry " << far << ": capped, no overflow";
  }
}

TEST(RetryPolicy, AZeroBaseBackoffRetriesAtOnce) {
  const RetryPolicy policy(RetrySettings{.base_backoff = 0ms, .max_backoff = 1s});
  sim::Rng rng{1};
  EXPECT_EQ(policy.backoff(1, rng), 0ns);
  EXPECT_EQ(policy.backoff(4'000'000'000U, rng), 0ns);
}

TEST(RetryPolicy, FullJitterSpreadsOverTheWholeInterval) {
  const RetryPolicy policy(RetrySettings{.base_backoff = 100ms, .max_backoff = 100ms});
  sim::Rng rng{7};
  std::vector<std::chrono::nanoseconds> waits;
  for (int draw = 0; draw < 1000; ++draw) waits.push_back(policy.backoff(1, rng));
  const auto [shortest, longest] = std::minmax_element(waits.begin(), waits.end());
  EXPECT_LT(*shortest, 10ms);
  EXPECT_GT(*longest, 90ms);
}

TEST(RetryPolicy, PartialJitterKeepsWaitsNearTheCurve) {
  const RetryPolicy policy(
      RetrySettings{.base_backoff = 100ms, .max_backoff = 100ms, .jitter = 0.2});
  sim::Rng rng{7};
  for (int draw = 0; draw < 1000; ++draw) {
    const auto wait = policy.backoff(1, rng);
    ASSERT_GT(wait, 80ms);
    ASSERT_LE(wait, 100ms);
  }
  const RetryPolicy none(RetrySettings{.base_backoff = 40ms, .max_backoff = 40ms, .jitter = 0.0});
  EXPECT_EQ(none.backoff(3, rng), 40ms);
}

TEST(RetryPolicy, ASeededRngGivesTheSameSchedule) {
  const RetryPolicy policy{RetrySettings{}};
  sim::Rng first{2026};
  sim::Rng second{2026};
  sim::Rng other{2027};
  std::vector<std::chrono::nanoseconds> a;
  std::vector<std::chrono::nanoseconds> b;
  std::vector<std::chrono::nanoseconds> c;
  for (unsigned retry = 1; retry <= 8; ++retry) {
    a.push_back(policy.backoff(retry, first));
    b.push_back(policy.backoff(retry, second));
    c.push_back(policy.backoff(retry, other));
  }
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(RetryPolicy, RejectsSettingsOutsideTheirRanges) {
  EXPECT_THROW(RetryPolicy(RetrySettings{.max_attempts = 0}), std::invalid_argument);
  EXPECT_THROW(RetryPolicy(RetrySettings{.base_backoff = -1ms}), std::invalid_argument);
  EXPECT_THROW(RetryPolicy(RetrySettings{.base_backoff = 2s, .max_backoff = 1s}),
               std::invalid_argument);
  EXPECT_THROW(RetryPolicy(RetrySettings{.multiplier = 0.5}), std::invalid_argument);
}

}  // namespace
}  // namespace latencylab::graph
