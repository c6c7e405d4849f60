#include "core/open_file_limit.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

namespace latencylab::core {
namespace {

rlimit current_limit() {
  rlimit limit{};
  EXPECT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  return limit;
}

// Lowers the soft limit for one test and puts the original back afterwards.
class OpenFileLimitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (original_.rlim_max != RLIM_INFINITY && original_.rlim_max < 512) {
      GTEST_SKIP() << "hard RLIMIT_NOFILE below 512";
    }
    const rlimit lowered{256, original_.rlim_max};
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &lowered), 0);
  }
  void TearDown() override { ::setrlimit(RLIMIT_NOFILE, &original_); }

  const rlimit original_ = current_limit();
};

TEST_F(OpenFileLimitTest, RaisesTheSoftLimitToWhatIsWanted) {
  EXPECT_EQ(raise_open_file_limit(300), 300u);
  EXPECT_EQ(current_limit().rlim_cur, 300u);
}

TEST_F(OpenFileLimitTest, NeverLowersIt) {
  EXPECT_EQ(raise_open_file_limit(100), 256u);
  EXPECT_EQ(current_limit().rlim_cur, 256u);
}

TEST_F(OpenFileLimitTest, StopsAtTheHardLimit) {
  if (original_.rlim_max == RLIM_INFINITY) GTEST_SKIP() << "no finite hard limit to stop at";
  EXPECT_EQ(raise_open_file_limit(original_.rlim_max + 1000), original_.rlim_max);
  EXPECT_EQ(current_limit().rlim_cur, original_.rlim_max);
}

TEST_F(OpenFileLimitTest, ByDefaultRaisesAsFarAsAllowed) {
  const std::uint64_t limit = raise_open_file_limit();
  EXPECT_EQ(current_limit().rlim_cur, limit);
  if (original_.rlim_max != RLIM_INFINITY) {
    EXPECT_EQ(limit, original_.rlim_max);
  } else {
    EXPECT_GE(limit, 256u);  // unlimited hard limit: the kernel may refuse; never lower
  }
}

}  // namespace
}  // namespace latencylab::core
