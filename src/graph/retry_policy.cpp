#include "graph/retry_policy.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

namespace latencylab::graph {

bool is_failure(CallResult result) noexcept {
  switch (result) {
    case CallResult::server_error:
    case CallResult::timeout:
    case CallResult::connection_error:
    case CallResult::invalid_response:
      return true;
    case CallResult::ok:
    case CallResult::client_error:
    case CallResult::circuit_open:
      return false;
  }
  return false;
}

RetryPolicy::RetryPolicy(RetrySettings settings) : settings_(settings) {
  if (settings_.max_attempts == 0) {
    throw std::invalid_argument("retries: max_attempts must be >= 1");
  }
  if (settings_.base_backoff < std::chrono::nanoseconds::zero() ||
      settings_.max_backoff < settings_.base_backoff) {
    throw std::invalid_argument("retries: backoff must satisfy 0 <= base_backoff <= max_backoff");
  }
  if (!(settings_.multiplier >= 1.0 && std::isfinite(settings_.multiplier))) {
    throw std::invalid_argument("retries: multiplier must be a finite number >= 1");
  }
  if (!(settings_.jitter >= 0.0 && settings_.jitter <= 1.0)) {
    throw std::invalid_argument("retries: jitter must be in [0, 1]");
  }
}

bool RetryPolicy::should_retry(boost::beast::http::verb method, bool step_allows_post,
                               CallResult result, unsigned attempts_made) const noexcept {
  using boost::beast::http::verb;
  if (attempts_made >= settings_.max_attempts || !is_failure(result)) return false;
  switch (method) {
    case verb::get:
    case verb::head:
    case verb::put:
    case verb::delete_:
      return true;
    case verb::post:
      return step_allows_post;
    default:
      return false;
  }
}

std::chrono::nanoseconds RetryPolicy::backoff(unsigned retry_number, sim::Rng& rng) const {
  if (settings_.base_backoff == std::chrono::nanoseconds::zero()) return {};  // 0 * inf is NaN
  // In double: base * multiplier^(n-1) overflows any integer long before the cap stops mattering.
  const double exponent = retry_number == 0 ? 0.0 : static_cast<double>(retry_number - 1);
  const double ceiling = std::min(static_cast<double>(settings_.max_backoff.count()),
                                  static_cast<double>(settings_.base_backoff.count()) *
                                      std::pow(settings_.multiplier, exponent));
  const double draw = std::uniform_real_distribution<double>(0.0, 1.0)(rng);  // [0, 1)
  const double wait = ceiling * (1.0 - settings_.jitter * draw);
  return std::chrono::nanoseconds(static_cast<std::chrono::nanoseconds::rep>(wait));
}

}  // namespace latencylab::graph
