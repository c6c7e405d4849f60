#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "config/config_loader.hpp"
#include "config_error.hpp"

namespace latencylab::config {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// The message validate() throws for the defaults changed by `change`, or "" when it passes.
std::string validation_error(const std::function<void(Config&)>& change) {
  Config config = default_config();
  change(config);
  return config_error([&] { validate(config); });
}

TEST(Validate, DefaultsAreValid) {
  EXPECT_NO_THROW(validate(default_config()));
}

struct BrokenRule {
  const char* name;
  std::function<void(Config&)> change;
  const char* message;  // "key = value: rule", as the user sees it
};

void PrintTo(const BrokenRule& rule, std::ostream* out) {
  *out << rule.name;
}

class ValidateRejects : public ::testing::TestWithParam<BrokenRule> {};

TEST_P(ValidateRejects, NamingKeyValueAndRule) {
  EXPECT_THAT(validation_error(GetParam().change), HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    EveryRule, ValidateRejects,
    ::testing::Values(
        BrokenRule{"sample_rate", [](Config& c) { c.log.access_log_sample_rate = 1.01; },
                   "log.access_log_sample_rate = 1.01: must be a probability in [0, 1]"},
        BrokenRule{"time_scale_zero", [](Config& c) { c.time_scale = 0; },
                   "time_scale = 0: must be in (0, 1000]"},
        BrokenRule{"time_scale_negative", [](Config& c) { c.time_scale = -1; },
                   "time_scale = -1: must be in (0, 1000]"},
        BrokenRule{"time_scale_huge", [](Config& c) { c.time_scale = 1000.5; },
                   "time_scale = 1000.5: must be in (0, 1000]"},
        BrokenRule{"port", [](Config& c) { c.server.port = 65536; },
                   "server.port = 65536: must be a TCP port in [0, 65535]"},
        BrokenRule{"address", [](Config& c) { c.server.address = "localhost"; },
                   R"(server.address = "localhost": must be an IPv4 or IPv6 address)"},
        BrokenRule{"max_connections", [](Config& c) { c.server.max_connections = 0; },
                   "server.max_connections = 0: must be greater than 0"},
        BrokenRule{"header_limit", [](Config& c) { c.server.header_limit_bytes = 0; },
                   "server.header_limit_bytes = 0: must be greater than 0"},
        BrokenRule{"body_limit", [](Config& c) { c.server.body_limit_bytes = 0; },
                   "server.body_limit_bytes = 0: must be greater than 0"},
        BrokenRule{"header_timeout", [](Config& c) { c.server.header_timeout_ms = 0; },
                   "server.header_timeout_ms = 0: must be greater than 0"},
        BrokenRule{"body_timeout", [](Config& c) { c.server.body_timeout_ms = 0; },
                   "server.body_timeout_ms = 0: must be greater than 0"},
        BrokenRule{"idle_timeout", [](Config& c) { c.server.idle_timeout_ms = 0; },
                   "server.idle_timeout_ms = 0: must be greater than 0"},
        BrokenRule{"write_timeout", [](Config& c) { c.server.write_timeout_ms = 0; },
                   "server.write_timeout_ms = 0: must be greater than 0"},
        BrokenRule{"drain_timeout", [](Config& c) { c.server.drain_timeout_ms = 0; },
                   "server.drain_timeout_ms = 0: must be greater than 0"},
        BrokenRule{"log_level", [](Config& c) { c.log.level = "verbose"; },
                   R"(log.level = "verbose": must be one of "debug", "info", "warn", "error")"},
        BrokenRule{"service_name", [](Config& c) { c.service = "Orders"; },
                   R"(service = "Orders": must be a service name)"},
        BrokenRule{"peer_without_url", [](Config& c) { c.peers = {"orders"}; },
                   R"(peers = "orders": must be name=http://host:port)"}),
    [](const ::testing::TestParamInfo<BrokenRule>& rule) { return rule.param.name; });

TEST(Validate, ReportsEveryBrokenRuleAtOnce) {
  const std::string message = validation_error([](Config& c) {
    c.time_scale = 0;
    c.log.access_log_sample_rate = 3;
  });
  EXPECT_THAT(message, AllOf(HasSubstr("invalid configuration: "), HasSubstr("time_scale = 0"),
                             HasSubstr("log.access_log_sample_rate = 3")));
}

TEST(Validate, AcceptsTheEdgesOfEachRange) {
  // The rules must not be stricter than documented.
  EXPECT_EQ(validation_error([](Config& c) {
              c.time_scale = 1000;
              c.server.port = 0;  // a free port, for tests
              c.server.retry_after_s = 0;
              c.server.address = "::";
              c.service = "a-b_9";
              c.peers = {"orders=http://orders:9102", "payments=http://[::1]:1"};
              c.log.level = "error";
              c.log.access_log_sample_rate = 0;
            }),
            "");
}

}  // namespace
}  // namespace latencylab::config
