#include <gtest/gtest.h>

#include "handlers/search_handler.hpp"

namespace latencylab::handlers {
namespace {

TEST(SearchQueryTest, DecodesQ) {
  auto query = search_query("q=usb%20dock&page=2");
  ASSERT_TRUE(std::holds_alternative<std::string>(query));
  EXPECT_EQ(std::get<std::string>(query), "usb dock");
  EXPECT_EQ(std::get<std::string>(search_query("page=1&q=mouse")), "mouse");
}

TEST(SearchQueryTest, MissingOrEmptyQIsAnErrorNamingQ) {
  for (std::string_view raw : {"", "page=1", "q=", "q"}) {
    auto query = search_query(raw);
    ASSERT_TRUE(std::holds_alternative<ValidationError>(query)) << raw;
    EXPECT_EQ(std::get<ValidationError>(query).field, "q") << raw;
  }
}

TEST(SearchQueryTest, RejectsOverlongQueries) {
  const std::string raw = "q=" + std::string(kMaxSearchQueryLength + 1, 'a');
  EXPECT_TRUE(std::holds_alternative<ValidationError>(search_query(raw)));
}

}  // namespace
}  // namespace latencylab::handlers
