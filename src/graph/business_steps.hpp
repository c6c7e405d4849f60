// The seed endpoints' business logic as graph steps ({"business": "validate_order"}, ...) and the
// built-in response bodies ({"content": "users"}): handlers/' pure validation, the order store and
// the catalogue behind the step interface. One per graph service, owned by the io thread.
//
// Orders and payments are counted by outcome when the request ends (finish()): one validated but
// never stored or charged (a fail step, a timeout, a full pool after validation) counts as failed.
//
//   BusinessSteps business{service_config.business, rng, meter};
//   BusinessState state;
//   if (auto answer = business.run(config::BusinessAction::validate_order, ctx, state)) {
//     co_return std::move(*answer);  // 400 naming the invalid field
//   }
//   business.finish(state);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/graph.hpp"
#include "handlers/business_metrics.hpp"
#include "handlers/catalog.hpp"
#include "handlers/order_store.hpp"
#include "handlers/order_validation.hpp"
#include "handlers/payment_validation.hpp"
#include "http/message.hpp"
#include "sim/random.hpp"
#include "telemetry/meter.hpp"

namespace latencylab::graph {

// What one request's business steps learnt, carried from step to step.
struct BusinessState {
  std::optional<handlers::Order> order;      // set by validate_order
  bool order_stored = false;                 // set by store_order
  std::optional<handlers::Payment> payment;  // set by validate_payment
  bool payment_charged = false;              // set by charge_payment (approved or declined)
  std::string search_query;                  // set by validate_search
};

class BusinessSteps {
 public:
  BusinessSteps(const config::Business& business, sim::Rng& rng, telemetry::Meter& meter);

  // Runs one business step: nullopt to go on with the script, or the request's answer.
  [[nodiscard]] std::optional<http::Response> run(config::BusinessAction action,
                                                  const http::RequestContext& ctx,
                                                  BusinessState& state);

  // The body of a built-in content response.
  [[nodiscard]] std::string content(config::ResponseContent content,
                                    const BusinessState& state) const;

  // Counts an order or payment that was validated but never completed as failed.
  void finish(const BusinessState& state) noexcept;

 private:
  [[nodiscard]] std::string next_order_id();

  std::uint32_t max_order_items_;
  double max_payment_amount_;
  std::vector<std::string> currencies_;
  double decline_rate_;
  handlers::Catalog catalog_;
  handlers::OrderStore orders_;
  std::uint64_t order_id_prefix_;
  std::uint64_t next_order_sequence_ = 1;
  std::uint64_t next_payment_sequence_ = 1;
  sim::Rng& rng_;
  handlers::BusinessMetrics metrics_;
};

}  // namespace latencylab::graph
