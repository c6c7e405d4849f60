#include "handlers/endpoint_model.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <string>

#include "http/response.hpp"

namespace latencylab::handlers {

EndpointModel::EndpointModel(const EndpointSettings& config, double time_scale) noexcept
    : latency(config.latency, time_scale),
      error_rate(config.error_rate),
      error_status(http::beast_http::int_to_status(config.error_status)) {}

awaitable<void> simulate_delay(std::chrono::nanoseconds delay) {
  if (delay <= std::chrono::nanoseconds::zero()) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor, delay);
  co_await timer.async_wait(use_nothrow);
}

http::Response simulated_failure(const http::Request& request, const EndpointModel& model,
                                 std::string_view what_failed) {
  return http::error_response(request, model.error_status, "simulated_failure",
                              "simulated " + std::string(what_failed) + " failure");
}

}  // namespace latencylab::handlers
