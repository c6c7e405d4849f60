// The simulated behaviour of one endpoint: a latency model, a failure probability and the status
// a simulated failure returns. Built from config at startup; sampled on the io thread.
//
//   EndpointModel model{endpoints.slow, config.time_scale};
//   co_await simulate_delay(model.latency.sample(rng));
//   if (model.fails(rng)) co_return simulated_failure(ctx.request, model, "report generation");
#pragma once

#include <chrono>
#include <string_view>

#include "core/asio.hpp"
#include "handlers/endpoint_settings.hpp"
#include "http/message.hpp"
#include "sim/latency_model.hpp"
#include "sim/random.hpp"

namespace latencylab::handlers {

struct EndpointModel {
  EndpointModel(const EndpointSettings& config, double time_scale) noexcept;

  [[nodiscard]] bool fails(sim::Rng& rng) const noexcept { return sim::chance(rng, error_rate); }

  sim::LatencyModel latency;
  double error_rate;
  http::Status error_status;
};

// Awaits a steady_timer on the current executor: the only way latency is simulated.
awaitable<void> simulate_delay(std::chrono::nanoseconds delay);

// The response of a simulated failure: the configured 5xx naming what failed.
[[nodiscard]] http::Response simulated_failure(const http::Request& request,
                                               const EndpointModel& model,
                                               std::string_view what_failed);

}  // namespace latencylab::handlers
