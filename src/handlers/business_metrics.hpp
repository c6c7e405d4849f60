// The business metrics the business steps (graph/business_steps.hpp) record, bound once at startup
// to their attribute sets so a recording is a plain add on the io thread.
//
//   BusinessMetrics metrics = make_business_metrics(meter);
//   metrics.orders_created.add(1);
//   metrics.order_value.add(order.total);
#pragma once

#include <cstdint>

#include "telemetry/meter.hpp"

namespace latencylab::handlers {

struct BusinessMetrics {
  // latencylab.orders{outcome}: created, rejected (invalid input), failed (simulated failure)
  telemetry::BoundCounter<std::int64_t> orders_created;
  telemetry::BoundCounter<std::int64_t> orders_rejected;
  telemetry::BoundCounter<std::int64_t> orders_failed;
  // latencylab.orders.value: the summed `total` of created orders
  telemetry::BoundCounter<double> order_value;
  // latencylab.payments{outcome}: approved, declined, failed
  telemetry::BoundCounter<std::int64_t> payments_approved;
  telemetry::BoundCounter<std::int64_t> payments_declined;
  telemetry::BoundCounter<std::int64_t> payments_failed;
};

// Creates the instruments on `meter` and binds every handle (startup only).
[[nodiscard]] BusinessMetrics make_business_metrics(telemetry::Meter& meter);

}  // namespace latencylab::handlers
