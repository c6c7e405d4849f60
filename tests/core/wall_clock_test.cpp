#include "core/wall_clock.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <random>
#include <string>
#include <vector>

namespace latencylab::core {
namespace {

using namespace std::chrono;

TEST(WallClockTest, FormatsUtcWithMilliseconds) {
  const system_clock::time_point t{milliseconds(1'795'000'000'123)};
  EXPECT_EQ(format_rfc3339(t), "2026-11-18T11:06:40.123Z");
  EXPECT_EQ(format_rfc3339(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
}

TEST(WallClockTest, AppendsAfterWhatTheStringHolds) {
  std::string text = "at ";
  append_rfc3339(text, system_clock::time_point{milliseconds(1'795'000'000'123)});
  EXPECT_EQ(text, "at 2026-11-18T11:06:40.123Z");
  EXPECT_EQ(text.size(), 3 + kRfc3339Size);
}

// The C library's formatting, as the reference for the hand-written one.
std::string libc_rfc3339(std::int64_t unix_millis) {
  const std::time_t seconds = static_cast<std::time_t>(unix_millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::array<char, 40> text{};
  const std::size_t n = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text.data() + n, text.size() - n, ".%03dZ", static_cast<int>(unix_millis % 1000));
  return text.data();
}

TEST(WallClockTest, MatchesTheCLibraryAcrossLeapYearsAndBoundaries) {
  std::vector<std::int64_t> instants = {
      951'782'399'999,    // 2000-02-28T23:59:59.999 (2000 is a leap year)
      951'868'800'000,    // 2000-03-01
      4'107'542'399'999,  // 2100-02-28T23:59:59.999 (2100 is not)
      7'258'118'399'999   // 2199-12-31T23:59:59.999
  };
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<std::int64_t> any_instant(
      0, 9'000'000'000'000);  // system_clock ends in 2262
  for (int i = 0; i < 10000; ++i) instants.push_back(any_instant(rng));
  for (const std::int64_t millis : instants) {
    ASSERT_EQ(format_rfc3339(system_clock::time_point{milliseconds(millis)}), libc_rfc3339(millis))
        << millis;
  }
}

TEST(WallClockTest, UnixNanos) {
  EXPECT_EQ(to_unix_nanos(system_clock::time_point{seconds(2)}), 2'000'000'000u);
}

}  // namespace
}  // namespace latencylab::core
