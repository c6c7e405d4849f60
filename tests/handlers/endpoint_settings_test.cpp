#include "handlers/endpoint_settings.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config_loader.hpp"
#include "config/graph_file.hpp"

namespace latencylab::handlers {
namespace {

using sim::Distribution;

void expect_uniform(const sim::LatencySpec& spec, double min_ms, double max_ms) {
  EXPECT_EQ(spec.distribution, Distribution::uniform);
  EXPECT_EQ(spec.min_ms, min_ms);
  EXPECT_EQ(spec.max_ms, max_ms);
}

// The documented behaviour per endpoint (README, docs/GRAPHS.md), as the default graph gives it to
// the handlers; a change here is a product change.
TEST(SeedEndpoints, DefaultGraphGivesTheDocumentedEndpointBehaviour) {
  const SeedEndpoints e = seed_endpoints(config::default_graph().service("latencylab"));

  EXPECT_EQ(e.users.cache_hit_rate, 0.7);
  expect_uniform(e.users.cache_latency, 1, 3);
  expect_uniform(e.users.latency, 50, 200);
  EXPECT_EQ(e.users.error_rate, 0.05);
  EXPECT_EQ(e.users.error_status, 500U);

  expect_uniform(e.orders_create.latency, 100, 300);
  EXPECT_EQ(e.orders_create.error_rate, 0.10);
  EXPECT_EQ(e.orders_create.store_capacity, 10000U);

  expect_uniform(e.orders_get.latency, 1, 5);
  EXPECT_EQ(e.orders_get.error_rate, 0.0);

  expect_uniform(e.slow.latency, 3000, 5000);
  EXPECT_EQ(e.slow.error_rate, 0.0);

  expect_uniform(e.products.latency, 5, 20);
  EXPECT_EQ(e.products.error_rate, 0.0);

  EXPECT_EQ(e.search.latency.distribution, Distribution::lognormal);
  EXPECT_EQ(e.search.latency.p50_ms, 40.0);
  EXPECT_EQ(e.search.latency.p99_ms, 400.0);
  EXPECT_EQ(e.search.latency.max_ms, 5000.0);
  EXPECT_EQ(e.search.error_rate, 0.01);

  expect_uniform(e.reports.latency, 1000, 3000);
  EXPECT_EQ(e.reports.error_rate, 0.02);

  expect_uniform(e.payments.latency, 80, 250);
  EXPECT_EQ(e.payments.error_rate, 0.02);
  EXPECT_EQ(e.payments.error_status, 502U);
  EXPECT_EQ(e.payments.decline_rate, 0.1);
  EXPECT_EQ(e.payments.max_amount, 100000.0);
  EXPECT_EQ(e.payments.currencies, (std::vector<std::string>{"USD", "EUR", "GBP", "JPY"}));
}

TEST(SeedEndpoints, ServiceWithoutASeedRouteIsAnErrorNamingIt) {
  config::Service service = config::default_graph().service("latencylab");
  service.routes.pop_back();
  try {
    (void)seed_endpoints(service);
    FAIL() << "no throw";
  } catch (const config::ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("has no route POST /api/payments"), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace latencylab::handlers
