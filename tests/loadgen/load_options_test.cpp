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

}  // namespace
}  // namespace latencylab::loadgen
