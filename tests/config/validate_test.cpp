#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "config/config_loader.hpp"

namespace latencylab::config {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// The message validate() throws for the defaults changed by `change`, or "" when it passes.
std::string validation_error(const std::function<void(Config&)>& change) {
  Config config = default_config();
  change(config);
  try {
    validate(config);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
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

sim::LatencySpec lognormal(double p50, double p99) {
  return {.distribution = sim::Distribution::lognormal, .p50_ms = p50, .p99_ms = p99};
}

INSTANTIATE_TEST_SUITE_P(
    EveryRule, ValidateRejects,
    ::testing::Values(
        BrokenRule{"negative_latency", [](Config& c) { c.endpoints.users.latency.min_ms = -1; },
                   "endpoints.users.latency.min_ms = -1: must not be negative"},
        BrokenRule{"negative_fixed",
                   [](Config& c) {
                     c.endpoints.slow.latency = {.distribution = sim::Distribution::fixed,
                                                 .value_ms = -0.5};
                   },
                   "endpoints.slow.latency.value_ms = -0.5: must not be negative"},
        BrokenRule{"negative_cache_latency",
                   [](Config& c) { c.endpoints.users.cache.latency.max_ms = -3; },
                   "endpoints.users.cache.latency.max_ms = -3: must not be negative"},
        BrokenRule{"uniform_min_above_max",
                   [](Config& c) { c.endpoints.products.latency.min_ms = 30; },
                   "endpoints.products.latency.min_ms = 30: must not exceed max_ms (20) for a "
                   "uniform distribution"},
        BrokenRule{"normal_p99_below_p50",
                   [](Config& c) {
                     c.endpoints.search.latency = {
                         .distribution = sim::Distribution::normal, .p50_ms = 100, .p99_ms = 50};
                   },
                   "endpoints.search.latency.p99_ms = 50: must be greater than p50_ms (100)"},
        BrokenRule{"lognormal_p99_equal_p50",
                   [](Config& c) { c.endpoints.search.latency = lognormal(40, 40); },
                   "endpoints.search.latency.p99_ms = 40: must be greater than p50_ms (40)"},
        BrokenRule{"lognormal_zero_p50",
                   [](Config& c) { c.endpoints.search.latency = lognormal(0, 40); },
                   "endpoints.search.latency.p50_ms = 0: must be greater than 0 for a lognormal"},
        BrokenRule{"clamp_above_median",
                   [](Config& c) {
                     c.endpoints.users.latency.distribution = sim::Distribution::lognormal;
                     c.endpoints.users.latency.p50_ms = 40;
                     c.endpoints.users.latency.p99_ms = 400;
                   },
                   "endpoints.users.latency.min_ms = 50: is a lower clamp for this distribution "
                   "and must not exceed p50_ms (40)"},
        BrokenRule{"clamp_below_p99", [](Config& c) { c.endpoints.search.latency.max_ms = 300; },
                   "endpoints.search.latency.max_ms = 300: is an upper clamp for this "
                   "distribution (0 = none) and must not be below p99_ms (400)"},
        BrokenRule{"error_rate_above_one", [](Config& c) { c.endpoints.reports.error_rate = 1.5; },
                   "endpoints.reports.error_rate = 1.5: must be a probability in [0, 1]"},
        BrokenRule{"error_rate_negative",
                   [](Config& c) { c.endpoints.orders_get.error_rate = -0.01; },
                   "endpoints.orders_get.error_rate = -0.01: must be a probability in [0, 1]"},
        BrokenRule{"decline_rate", [](Config& c) { c.endpoints.payments.decline_rate = 1.1; },
                   "endpoints.payments.decline_rate = 1.1: must be a probability in [0, 1]"},
        BrokenRule{"hit_rate", [](Config& c) { c.endpoints.users.cache.hit_rate = 2; },
                   "endpoints.users.cache.hit_rate = 2: must be a probability in [0, 1]"},
        BrokenRule{"sample_rate", [](Config& c) { c.log.access_log_sample_rate = 1.01; },
                   "log.access_log_sample_rate = 1.01: must be a probability in [0, 1]"},
        BrokenRule{"error_status_4xx", [](Config& c) { c.endpoints.users.error_status = 404; },
                   "endpoints.users.error_status = 404: must be a 5xx status in [500, 599]"},
        BrokenRule{"error_status_600", [](Config& c) { c.endpoints.payments.error_status = 600; },
                   "endpoints.payments.error_status = 600: must be a 5xx status"},
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
        BrokenRule{"store_capacity",
                   [](Config& c) { c.endpoints.orders_create.store_capacity = 0; },
                   "endpoints.orders_create.store_capacity = 0: must be greater than 0"},
        BrokenRule{"max_items", [](Config& c) { c.endpoints.orders_create.max_items = 0; },
                   "endpoints.orders_create.max_items = 0: must be greater than 0"},
        BrokenRule{"log_level", [](Config& c) { c.log.level = "verbose"; },
                   R"(log.level = "verbose": must be one of "debug", "info", "warn", "error")"},
        BrokenRule{"no_currencies", [](Config& c) { c.endpoints.payments.currencies.clear(); },
                   "endpoints.payments.currencies = []: must list at least one currency"},
        BrokenRule{"bad_currency",
                   [](Config& c) {
                     c.endpoints.payments.currencies = {"USD", "usd"};
                   },
                   R"(endpoints.payments.currencies = "usd": must be a three-letter upper-case)"},
        BrokenRule{"max_amount", [](Config& c) { c.endpoints.payments.max_amount = 0; },
                   "endpoints.payments.max_amount = 0: must be greater than 0"}),
    [](const ::testing::TestParamInfo<BrokenRule>& rule) { return rule.param.name; });

TEST(Validate, ReportsEveryBrokenRuleAtOnce) {
  const std::string message = validation_error([](Config& c) {
    c.time_scale = 0;
    c.endpoints.users.error_rate = 3;
  });
  EXPECT_THAT(message, AllOf(HasSubstr("invalid configuration: "), HasSubstr("time_scale = 0"),
                             HasSubstr("endpoints.users.error_rate = 3")));
}

TEST(Validate, AcceptsTheEdgesOfEachRange) {
  // The rules must not be stricter than documented.
  EXPECT_EQ(validation_error([](Config& c) {
              c.time_scale = 1000;
              c.server.port = 0;  // a free port, for tests
              c.server.retry_after_s = 0;
              c.server.address = "::";
              c.endpoints.users.error_rate = 1;
              c.endpoints.users.error_status = 599;
              c.endpoints.products.error_rate = 0;
              c.endpoints.products.latency = {
                  .distribution = sim::Distribution::uniform, .min_ms = 7, .max_ms = 7};
              c.endpoints.search.latency.max_ms = 0;  // no upper clamp
              c.endpoints.reports.latency = {
                  .distribution = sim::Distribution::normal, .p50_ms = 0, .p99_ms = 1};
              c.log.level = "error";
              c.log.access_log_sample_rate = 0;
            }),
            "");
}

}  // namespace
}  // namespace latencylab::config
