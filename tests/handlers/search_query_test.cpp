#include "handlers/search_query.hpp"

#include <gtest/gtest.h>

namespace latencylab::handlers {
namespace {

TEST(SearchQueryTest, DecodesQ) {
  auto query = search_query("q=usb%20dock&page=2");
  ASSERT_TRUE(query.has_value());
  EXPECT_EQ(*query, "usb dock");
  EXPECT_EQ(search_query("page=1&q=mouse").value(), "mouse");
}

TEST(SearchQueryTest, MissingOrEmptyQIsAnErrorNamingQ) {
  for (std::string_view raw : {"", "page=1", "q=", "q"}) {
    auto query = search_query(raw);
    ASSERT_TRUE(query.has_error()) << raw;
    EXPECT_EQ(query.error().path, "q") << raw;
  }
}

TEST(SearchQueryTest, RejectsOverlongQueries) {
  const std::string raw = "q=" + std::string(kMaxSearchQueryLength + 1, 'a');
  EXPECT_TRUE(search_query(raw).has_error());
}

}  // namespace
}  // namespace latencylab::handlers
