#include "handlers/order_store.hpp"

#include <gtest/gtest.h>

namespace latencylab::handlers {
namespace {

TEST(OrderStoreTest, FindsWhatWasInserted) {
  OrderStore store{10};
  store.insert("a", "{\"order_id\":\"a\"}");
  ASSERT_NE(store.find("a"), nullptr);
  EXPECT_EQ(*store.find("a"), "{\"order_id\":\"a\"}");
  EXPECT_EQ(store.find("b"), nullptr);
}

TEST(OrderStoreTest, EvictsTheOldestBeyondCapacity) {
  OrderStore store{2};
  store.insert("a", "1");
  store.insert("b", "2");
  store.insert("c", "3");
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(store.find("a"), nullptr);
  EXPECT_NE(store.find("b"), nullptr);
  EXPECT_NE(store.find("c"), nullptr);
}

}  // namespace
}  // namespace latencylab::handlers
