// POST /api/orders body validation: pure, unit-tested without a socket.
//
//   {"user_id": "user42", "items": [{"id": "sku-1", "qty": 2}], "total": 59.90}
//
//   core::Result<Order> order = validate_order(json, /*max_items=*/100);
//   if (!order) { /* 400 with order.error().message, e.g. "items[0].qty must be ..." */ }
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace latencylab::handlers {

struct OrderItem {
  std::string id;
  std::int64_t qty = 0;
};

struct Order {
  std::string user_id;
  std::vector<OrderItem> items;
  double total = 0.0;
};

inline constexpr std::int64_t kMaxItemQuantity = 10'000;
inline constexpr double kMaxOrderTotal = 1'000'000'000.0;

[[nodiscard]] core::Result<Order> validate_order(const boost::json::value& body,
                                                 std::size_t max_items);

}  // namespace latencylab::handlers
