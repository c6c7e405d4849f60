#include "handlers/business_metrics.hpp"

namespace latencylab::handlers {

BusinessMetrics make_business_metrics(telemetry::Meter& meter) {
  const auto orders = meter.create_counter<std::int64_t>(
      {"latencylab.orders", "Orders by outcome: created, rejected (invalid input), failed",
       "{order}"});
  const auto order_value = meter.create_counter<double>(
      {"latencylab.orders.value", "Summed total of created orders", "{USD}"});
  const auto payments = meter.create_counter<std::int64_t>(
      {"latencylab.payments", "Payments by outcome: approved, declined, failed", "{payment}"});

  return BusinessMetrics{
      .orders_created = orders.bind({{"outcome", std::string("created")}}),
      .orders_rejected = orders.bind({{"outcome", std::string("rejected")}}),
      .orders_failed = orders.bind({{"outcome", std::string("failed")}}),
      .order_value = order_value.bind(),
      .payments_approved = payments.bind({{"outcome", std::string("approved")}}),
      .payments_declined = payments.bind({{"outcome", std::string("declined")}}),
      .payments_failed = payments.bind({{"outcome", std::string("failed")}}),
  };
}

}  // namespace latencylab::handlers
