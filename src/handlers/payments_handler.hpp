// POST /api/payments: validate amount and currency (400/415 naming the problem), simulate the
// gateway latency, then fail (configured 5xx), decline (402) or approve (201).
//
//   PaymentsHandler payments{endpoints.payments, config.time_scale, rng, metrics};
#pragma once

#include <string>
#include <vector>

#include "handlers/business_metrics.hpp"
#include "handlers/endpoint_model.hpp"
#include "handlers/endpoint_settings.hpp"
#include "handlers/payment_validation.hpp"

namespace latencylab::handlers {

class PaymentsHandler {
 public:
  PaymentsHandler(const PaymentsSettings& config, double time_scale, sim::Rng& rng,
                  BusinessMetrics& metrics);

  awaitable<http::Response> operator()(http::RequestContext& ctx);

 private:
  EndpointModel model_;
  double decline_rate_;
  double max_amount_;
  std::vector<std::string> currencies_;
  std::uint64_t next_sequence_ = 1;
  sim::Rng& rng_;
  BusinessMetrics& metrics_;
};

}  // namespace latencylab::handlers
