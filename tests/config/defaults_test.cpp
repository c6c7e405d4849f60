#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>

#include "config/config_loader.hpp"
#include "config_equality.hpp"
#include "core/json_writer.hpp"

namespace latencylab::config {
namespace {

using sim::Distribution;

void expect_uniform(const sim::LatencySpec& spec, double min_ms, double max_ms) {
  EXPECT_EQ(spec.distribution, Distribution::uniform);
  EXPECT_EQ(spec.min_ms, min_ms);
  EXPECT_EQ(spec.max_ms, max_ms);
}

// The documented behaviour per endpoint (docs/CONFIG.md); a change here is a product change.
TEST(DefaultConfig, MatchesTheDocumentedEndpointBehaviour) {
  const EndpointsConfig e = default_config().endpoints;

  EXPECT_EQ(e.users.cache.hit_rate, 0.7);
  expect_uniform(e.users.cache.latency, 1, 3);
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
}

std::string bundled_file_text() {
  std::ifstream in(LATENCYLAB_BUNDLED_CONFIG, std::ios::binary);
  EXPECT_TRUE(in) << LATENCYLAB_BUNDLED_CONFIG;
  std::string text(std::filesystem::file_size(LATENCYLAB_BUNDLED_CONFIG), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  return text;
}

TEST(BundledConfig, IsTheDefaultsListeningOnLoopback) {
  const Config loaded = load_config({.file = LATENCYLAB_BUNDLED_CONFIG});
  Config expected = default_config();
  expected.server.address = "127.0.0.1";
  EXPECT_TRUE(loaded == expected) << as_text(loaded);
}

TEST(BundledConfig, WritesOutEveryKey) {
  // Users tweak the bundled file: every knob must be in it, with the value in effect.
  const Config loaded = load_config({.file = LATENCYLAB_BUNDLED_CONFIG});
  // Compared as written out (whole numbers as integers, like the file), then parsed back.
  EXPECT_EQ(boost::json::parse(bundled_file_text()),
            boost::json::parse(core::json::serialize(to_json(loaded))));
}

}  // namespace
}  // namespace latencylab::config
