#include "core/log.hpp"

#include <gtest/gtest.h>

namespace latencylab::log {
namespace {

TEST(LogTest, ParsesLevelNamesOnly) {
  Level level = Level::info;
  EXPECT_TRUE(parse_level("warn", level));
  EXPECT_EQ(level, Level::warn);
  EXPECT_FALSE(parse_level("WARNING", level));
  EXPECT_EQ(level, Level::warn);
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
