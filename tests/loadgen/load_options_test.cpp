// What `latencylab load --help` promises a user who copies from it.
#include "loadgen/load_options.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <variant>
#include <vector>

#include "handlers/order_validation.hpp"

namespace latencylab::loadgen {
namespace {

std::string help_text() {
  std::string load = "load";
  std::string help = "--help";
  std::vector<char*> argv{load.data(), help.data()};
  const auto parsed = parse_load_options(static_cast<int>(argv.size()), argv.data());
  if (!parsed) return parsed.error().message;
  const auto* text = std::get_if<core::HelpRequested>(&*parsed);
  return text == nullptr ? "<not help>" : text->text;
}

// The POST example used to leave out "total", so every request it sent was answered 400.
TEST(LoadOptions, TheHelpsPostExampleSendsAnOrderTheServiceAccepts) {
  const std::string help = help_text();
  const auto start = help.find("POST");
  ASSERT_NE(start, std::string::npos) << help;
  const auto body_flag = help.find("--body '", start);
  ASSERT_NE(body_flag, std::string::npos) << help;
  const auto body_start = body_flag + std::string_view("--body '").size();
  const auto body_end = help.find('\'', body_start);
  ASSERT_NE(body_end, std::string::npos) << help;
  const std::string body = help.substr(body_start, body_end - body_start);
  const auto order = handlers::validate_order(boost::json::parse(body), /*max_items=*/100);
  EXPECT_TRUE(order.has_value()) << body << ": " << order.error().message;
}

// program_options reads unsigned numbers with lexical_cast, which turned `-n -3` into a cap of
// 18446744073709551613 requests (no cap at all) and ran.
TEST(LoadOptions, ANegativeCountIsRefusedNamingTheFlag) {
  for (const std::string flag : {"-n", "--requests", "--seed", "--threads", "--max-in-flight",
                                 "--max-backlog", "--source-addresses", "-c"}) {
    std::string load = "load";
    std::string url = "http://127.0.0.1:1";
    std::string name = flag;
    std::string value = "-3";
    std::vector<char*> argv{load.data(), url.data(), name.data(), value.data()};
    const auto parsed = parse_load_options(static_cast<int>(argv.size()), argv.data());
    ASSERT_FALSE(parsed.has_value()) << flag << " -3 was accepted";
    EXPECT_NE(parsed.error().message.find("'-3'"), std::string::npos) << parsed.error().message;
  }
}

TEST(LoadOptions, CountsReadTheirFullRange) {
  std::string load = "load";
  std::vector<std::string> args{"--seed", "18446744073709551615", "-n", "7", "-c", "3"};
  std::vector<char*> argv{load.data()};
  for (auto& arg : args) argv.push_back(arg.data());
  const auto parsed = parse_load_options(static_cast<int>(argv.size()), argv.data());
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  const auto& options = std::get<LoadOptions>(*parsed);
  EXPECT_EQ(options.seed, 18446744073709551615ull);
  EXPECT_EQ(options.requests, 7u);
  EXPECT_EQ(options.connections, 3u);
  EXPECT_EQ(options.max_in_flight, 1024u) << "the default";
}

}  // namespace
}  // namespace latencylab::loadgen
