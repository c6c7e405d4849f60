#include "core/wall_clock.hpp"

#include <gtest/gtest.h>

namespace latencylab {
namespace {

using namespace std::chrono;

TEST(WallClockTest, FormatsUtcWithMilliseconds) {
  const system_clock::time_point t{milliseconds(1'795'000'000'123)};
  EXPECT_EQ(format_rfc3339(t), "2026-11-18T11:06:40.123Z");
  EXPECT_EQ(format_rfc3339(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
}

TEST(WallClockTest, UnixNanos) {
  EXPECT_EQ(to_unix_nanos(system_clock::time_point{seconds(2)}), 2'000'000'000u);
}

}  // namespace
}  // namespace latencylab
