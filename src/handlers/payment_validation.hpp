// POST /api/payments body validation: pure, unit-tested without a socket.
//
//   {"amount": 42.50, "currency": "EUR", "order_id": "ORD-..."}   // order_id optional
//
//   core::Result<Payment> payment = validate_payment(json, config.currencies, config.max_amount);
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace latencylab::handlers {

struct Payment {
  double amount = 0.0;
  std::string currency;
  std::string order_id;  // empty when not given
};

[[nodiscard]] core::Result<Payment> validate_payment(const boost::json::value& body,
                                                     const std::vector<std::string>& currencies,
                                                     double max_amount);

}  // namespace latencylab::handlers
