#include "core/log.hpp"

#include <gtest/gtest.h>

namespace latencylab::log {
namespace {

TEST(LogTest, ParsesLevelNamesOnly) {
  EXPECT_EQ(parse_level("warn").value(), Level::warn);
  const auto unknown = parse_level("WARNING");
  ASSERT_TRUE(unknown.has_error());
  EXPECT_EQ(unknown.error().message, "expected debug, info, warn or error, got \"WARNING\"");
}

TEST(LogTest, MinimumLevelFiltersBeforeFormatting) {
  set_min_level(Level::warn);
  EXPECT_FALSE(enabled(Level::info));
  EXPECT_TRUE(enabled(Level::error));
  set_min_level(Level::info);
  EXPECT_TRUE(enabled(Level::info));
}

}  // namespace
}  // namespace latencylab::log
