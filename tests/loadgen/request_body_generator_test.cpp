#include "loadgen/request_body_generator.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "handlers/order_validation.hpp"
#include "handlers/payment_validation.hpp"

namespace latencylab::loadgen {
namespace {

// The shop graph's checkout forwards one body to POST /api/orders and POST /api/payments: every
// generated checkout must pass both services' validation (the graph's business defaults), and
// pay exactly the order's total.
TEST(RequestBodyGenerator, EveryCheckoutIsAValidOrderAndAValidPaymentOfItsTotal) {
  const std::vector<std::string> currencies{"USD", "EUR", "GBP", "JPY"};
  BodyRng rng{7};
  for (int i = 0; i < 200; ++i) {
    const std::string body = generate_checkout_body(rng);
    const auto json = boost::json::parse(body);
    const auto order = handlers::validate_order(json, /*max_items=*/100);
    ASSERT_TRUE(order.has_value()) << body << ": " << order.error().message;
    const auto payment = handlers::validate_payment(json, currencies, /*max_amount=*/100'000.0);
    ASSERT_TRUE(payment.has_value()) << body << ": " << payment.error().message;
    EXPECT_DOUBLE_EQ(payment->amount, order->total) << body;
  }
}

TEST(RequestBodyGenerator, OrdersCarryNoPaymentFields) {
  BodyRng rng{7};
  const auto order = boost::json::parse(generate_order_body(rng)).as_object();
  EXPECT_FALSE(order.contains("amount"));
  EXPECT_FALSE(order.contains("currency"));
  EXPECT_TRUE(order.contains("total"));
}

}  // namespace
}  // namespace latencylab::loadgen
