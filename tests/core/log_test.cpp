#include "core/log.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <sstream>
#include <string>
#include <thread>

namespace latencylab::core::log {
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

// stderr is a pipe nobody reads: the writer blocks, the queue fills, the callers never block and
// the lines that find the queue full are counted. Once the pipe is read again, the next line
// reports the count, and every line is either written or counted.
TEST(LogTest, StuckStderrDropsLinesAndTheNextLineReportsHowMany) {
  constexpr int kLines = 20000;  // far more than the pipe (64 KiB) and the queue (8192 lines) hold
  flush();
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const int saved_stderr = ::dup(STDERR_FILENO);
  ::dup2(fds[1], STDERR_FILENO);
  ::close(fds[1]);

  for (int i = 0; i < kLines; ++i) info("filler", {{"i", i}});
  std::string captured;
  std::thread reader([&] {
    char buffer[65536];
    while (true) {
      const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
      if (n <= 0) return;
      captured.append(buffer, static_cast<std::size_t>(n));
    }
  });
  flush();  // the queue drains into the reader
  info("after_the_stall");
  flush();
  ::dup2(saved_stderr, STDERR_FILENO);  // closes the pipe's last write end: the reader sees EOF
  ::close(saved_stderr);
  reader.join();
  ::close(fds[0]);

  std::istringstream lines(captured);
  std::string line;
  int fillers = 0;
  std::int64_t reported_dropped = -1;
  while (std::getline(lines, line)) {
    const auto json = boost::json::parse(line).as_object();
    if (json.at("event") == "filler") ++fillers;
    if (json.at("event") == "after_the_stall") {
      ASSERT_TRUE(json.contains("log.dropped_lines")) << line;
      reported_dropped = json.at("log.dropped_lines").as_int64();
    }
  }
  EXPECT_GT(reported_dropped, 0);
  EXPECT_EQ(fillers + reported_dropped, kLines);
}

}  // namespace
}  // namespace latencylab::core::log
