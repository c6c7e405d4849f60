#include "handlers/payment_validation.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace latencylab::handlers {
namespace {

const std::vector<std::string> kCurrencies{"USD", "EUR"};

core::Result<Payment> validate(std::string_view json) {
  return validate_payment(boost::json::parse(json), kCurrencies, /*max_amount=*/1000.0);
}

std::string error_message(std::string_view json) {
  auto result = validate(json);
  if (!result) return result.error().message;
  return "<valid>";
}

TEST(PaymentValidationTest, AcceptsAValidPayment) {
  auto result = validate(R"({"amount":12.5,"currency":"EUR","order_id":"ORD-1"})");
  ASSERT_TRUE(result.has_value());
  EXPECT_DOUBLE_EQ(result->amount, 12.5);
  EXPECT_EQ(result->currency, "EUR");
  EXPECT_EQ(result->order_id, "ORD-1");
  EXPECT_EQ(validate(R"({"amount":1,"currency":"USD"})").value().order_id, "");
}

TEST(PaymentValidationTest, RejectsBadAmounts) {
  EXPECT_EQ(error_message(R"({"currency":"USD"})"), "amount is required");
  EXPECT_EQ(error_message(R"({"amount":0,"currency":"USD"})"),
            "amount must be a number greater than 0 and at most 1000");
  EXPECT_NE(error_message(R"({"amount":1000.01,"currency":"USD"})"), "<valid>");
  EXPECT_NE(error_message(R"({"amount":"5","currency":"USD"})"), "<valid>");
}

TEST(PaymentValidationTest, RejectsUnknownCurrenciesListingTheAllowedOnes) {
  EXPECT_EQ(error_message(R"({"amount":5,"currency":"XYZ"})"), "currency must be one of USD, EUR");
  EXPECT_EQ(error_message(R"({"amount":5,"currency":"usd"})"), "currency must be one of USD, EUR");
  EXPECT_EQ(error_message(R"({"amount":5})"), "currency is required");
}

TEST(PaymentValidationTest, OptionalOrderIdMustStillBeAString) {
  EXPECT_EQ(error_message(R"({"amount":5,"currency":"USD","order_id":5})"),
            "order_id must be a string");
}

}  // namespace
}  // namespace latencylab::handlers
