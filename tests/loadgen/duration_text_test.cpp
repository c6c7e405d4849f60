#include "loadgen/duration_text.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace latencylab::loadgen {
namespace {

using namespace std::chrono_literals;

TEST(DurationText, ParsesEveryUnitAndFractions) {
  EXPECT_EQ(parse_duration("250ms"), Nanos{250ms});
  EXPECT_EQ(parse_duration("30s"), Nanos{30s});
  EXPECT_EQ(parse_duration("1.5s"), Nanos{1500ms});
  EXPECT_EQ(parse_duration("2m"), Nanos{120s});
  EXPECT_EQ(parse_duration("1h"), Nanos{3600s});
  EXPECT_EQ(parse_duration("80us"), Nanos{80us});
  EXPECT_EQ(parse_duration("900ns"), Nanos{900});
  EXPECT_EQ(parse_duration("0"), Nanos{0});
}

TEST(DurationText, RejectsMissingUnitsNegativesAndJunk) {
  for (const char* bad : {"", "10", "s", "-1s", "1x", "1.5.2s", "ms10", "abc"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  }
}

TEST(DurationText, ParsesStagesAndNamesTheBadOne) {
  std::string error;
  const auto stages = parse_stages("30s:100, 60s:500,0s:0", error);
  ASSERT_EQ(stages.size(), 3u) << error;
  EXPECT_EQ(stages[1].duration, Nanos{60s});
  EXPECT_DOUBLE_EQ(stages[1].target_rate, 500.0);
  EXPECT_TRUE(parse_stages("30s:100,60s", error).empty());
  EXPECT_NE(error.find("60s"), std::string::npos) << error;
  EXPECT_TRUE(parse_stages("30s:-5", error).empty());
  EXPECT_NE(error.find("rate"), std::string::npos) << error;
}

TEST(DurationText, FormatsForHumans) {
  EXPECT_EQ(format_duration(Nanos{1500ms}), "1.5s");
  EXPECT_EQ(format_duration(Nanos{2340us}), "2.34ms");
  EXPECT_EQ(format_duration(Nanos{80us}), "80us");
  EXPECT_EQ(format_duration(Nanos{900}), "900ns");
}

}  // namespace
}  // namespace latencylab::loadgen
