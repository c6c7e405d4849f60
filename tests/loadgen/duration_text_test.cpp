#include "loadgen/duration_text.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace latencylab::loadgen {
namespace {

using namespace std::chrono_literals;

TEST(DurationText, ParsesEveryUnitAndFractions) {
  EXPECT_EQ(parse_duration("250ms").value(), Nanos{250ms});
  EXPECT_EQ(parse_duration("30s").value(), Nanos{30s});
  EXPECT_EQ(parse_duration("1.5s").value(), Nanos{1500ms});
  EXPECT_EQ(parse_duration("2m").value(), Nanos{120s});
  EXPECT_EQ(parse_duration("1h").value(), Nanos{3600s});
  EXPECT_EQ(parse_duration("80us").value(), Nanos{80us});
  EXPECT_EQ(parse_duration("900ns").value(), Nanos{900});
  EXPECT_EQ(parse_duration("0").value(), Nanos{0});
}

TEST(DurationText, RejectsMissingUnitsNegativesAndJunk) {
  for (const char* bad : {"", "10", "s", "-1s", "1x", "1.5.2s", "ms10", "abc"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  }
  EXPECT_EQ(parse_duration(" 10x ").error().message,
            "'10x' is not a duration (e.g. 500ms, 30s, 2m)");
}

TEST(DurationText, ParsesStagesAndNamesTheBadOne) {
  const auto stages = parse_stages("30s:100, 60s:500,0s:0");
  ASSERT_TRUE(stages.has_value()) << stages.error().message;
  ASSERT_EQ(stages->size(), 3u);
  EXPECT_EQ((*stages)[1].duration, Nanos{60s});
  EXPECT_DOUBLE_EQ((*stages)[1].target_rate, 500.0);
  EXPECT_EQ(parse_stages("30s:100,60s").error().message,
            "stage '60s' is not DURATION:RATE (e.g. 30s:100)");
  EXPECT_EQ(parse_stages("30s:-5").error().message,
            "stage '30s:-5' has an invalid rate (requests per second >= 0)");
  EXPECT_EQ(parse_stages(" ").error().message, "stage '' is not DURATION:RATE (e.g. 30s:100)");
}

TEST(DurationText, FormatsForHumans) {
  EXPECT_EQ(format_duration(Nanos{1500ms}), "1.5s");
  EXPECT_EQ(format_duration(Nanos{2340us}), "2.34ms");
  EXPECT_EQ(format_duration(Nanos{80us}), "80us");
  EXPECT_EQ(format_duration(Nanos{900}), "900ns");
}

}  // namespace
}  // namespace latencylab::loadgen
