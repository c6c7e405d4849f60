// The plain simulated endpoint: wait the sampled latency, fail with the configured rate, otherwise
// answer 200 with a body. Serves /api/slow, /api/products and /api/reports, which differ only in
// their model and body.
//
//   SimulatedHandler slow{{endpoints.slow, config.time_scale}, rng, "slow backend", [] {
//     return std::string(R"({"message":"This was intentionally slow"})");
//   }};
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "handlers/endpoint_model.hpp"

namespace latencylab::handlers {

class SimulatedHandler {
 public:
  using BodyFactory = std::function<std::string()>;

  SimulatedHandler(EndpointModel model, sim::Rng& rng, std::string_view what_fails,
                   BodyFactory body);

  awaitable<http::Response> operator()(http::RequestContext& ctx);

 private:
  EndpointModel model_;
  sim::Rng& rng_;
  std::string what_fails_;
  BodyFactory body_;
};

// GET /api/reports body: {"report_id","generated_at","period","rows","revenue"}, varying per call.
[[nodiscard]] std::string report_json(sim::Rng& rng, std::chrono::system_clock::time_point now);

}  // namespace latencylab::handlers
