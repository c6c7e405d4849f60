#include "handlers/order_validation.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace latencylab::handlers {
namespace {

core::Result<Order> validate(std::string_view json) {
  return validate_order(boost::json::parse(json), /*max_items=*/3);
}

// The field the error names, or "<valid>".
std::string error_field(std::string_view json) {
  auto result = validate(json);
  if (!result) return result.error().path;
  return "<valid>";
}

TEST(OrderValidationTest, AcceptsAWellFormedOrder) {
  auto result = validate(R"({"user_id":"u1","items":[{"id":"sku-1","qty":2}],"total":59.9})");
  ASSERT_TRUE(result.has_value());
  const Order& order = *result;
  EXPECT_EQ(order.user_id, "u1");
  ASSERT_EQ(order.items.size(), 1u);
  EXPECT_EQ(order.items[0].id, "sku-1");
  EXPECT_EQ(order.items[0].qty, 2);
  EXPECT_DOUBLE_EQ(order.total, 59.9);
}

TEST(OrderValidationTest, NamesTheBadTopLevelField) {
  EXPECT_EQ(error_field(R"([])"), "");
  EXPECT_EQ(error_field(R"({"items":[{"id":"a","qty":1}],"total":1})"), "user_id");
  EXPECT_EQ(error_field(R"({"user_id":"","items":[{"id":"a","qty":1}],"total":1})"), "user_id");
  EXPECT_EQ(error_field(R"({"user_id":7,"items":[{"id":"a","qty":1}],"total":1})"), "user_id");
  EXPECT_EQ(error_field(R"({"user_id":"u","total":1})"), "items");
  EXPECT_EQ(error_field(R"({"user_id":"u","items":[],"total":1})"), "items");
  EXPECT_EQ(error_field(R"({"user_id":"u","items":{},"total":1})"), "items");
  EXPECT_EQ(error_field(R"({"user_id":"u","items":[{"id":"a","qty":1}]})"), "total");
  EXPECT_EQ(error_field(R"({"user_id":"u","items":[{"id":"a","qty":1}],"total":0})"), "total");
  EXPECT_EQ(error_field(R"({"user_id":"u","items":[{"id":"a","qty":1}],"total":-3})"), "total");
  EXPECT_EQ(error_field(R"({"user_id":"u","items":[{"id":"a","qty":1}],"total":"9"})"), "total");
  EXPECT_EQ(error_field(R"({"user_id":"u","items":[{"id":"a","qty":1}],"total":1e300})"), "total");
}

TEST(OrderValidationTest, NamesTheBadItemField) {
  EXPECT_EQ(error_field(R"({"user_id":"u","items":[{"id":"a","qty":1},3],"total":1})"), "items[1]");
  EXPECT_EQ(error_field(R"({"user_id":"u","items":[{"qty":1}],"total":1})"), "items[0].id");
  EXPECT_EQ(error_field(R"({"user_id":"u","items":[{"id":"a","qty":0}],"total":1})"),
            "items[0].qty");
  EXPECT_EQ(error_field(R"({"user_id":"u","items":[{"id":"a","qty":1.5}],"total":1})"),
            "items[0].qty");
  EXPECT_EQ(error_field(R"({"user_id":"u","items":[{"id":"a","qty":2.0}],"total":1})"),
            "items[0].qty");
  EXPECT_EQ(
      error_field(R"({"user_id":"u","items":[{"id":"a","qty":99999999999999999999}],"total":1})"),
      "items[0].qty");
}

TEST(OrderValidationTest, BoundsTheNumberOfItems) {
  EXPECT_EQ(error_field(R"({"user_id":"u","items":[{"id":"a","qty":1},{"id":"b","qty":1},
                          {"id":"c","qty":1},{"id":"d","qty":1}],"total":1})"),
            "items");
}

TEST(OrderValidationTest, MessagesNameTheFieldAndTheRule) {
  auto result = validate(R"({"user_id":"u","items":[{"id":"a","qty":0}],"total":1})");
  ASSERT_TRUE(result.has_error());
  EXPECT_EQ(result.error().message, "items[0].qty must be an integer from 1 to 10000");
}

}  // namespace
}  // namespace latencylab::handlers
