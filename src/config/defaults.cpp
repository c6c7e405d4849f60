// default_config(): the product's documented endpoint behaviour (docs/CONFIG.md lists it; the
// bundled config/latencylab.json writes the same values out). Latencies are in ms before
// time_scale.
#include "config/config.hpp"

namespace latencylab::config {
namespace {

using sim::Distribution;
using sim::LatencySpec;

constexpr LatencySpec uniform_ms(double min_ms, double max_ms) {
  return LatencySpec{.distribution = Distribution::uniform, .min_ms = min_ms, .max_ms = max_ms};
}

}  // namespace

Config default_config() {
  Config config;
  EndpointsConfig& endpoints = config.endpoints;

  // A cache in front of the DB: 70% of lookups answer in 1-3 ms, a miss also pays the DB query.
  endpoints.users.cache.hit_rate = 0.7;
  endpoints.users.cache.latency = uniform_ms(1, 3);
  endpoints.users.latency = uniform_ms(50, 200);
  endpoints.users.error_rate = 0.05;

  endpoints.orders_create.latency = uniform_ms(100, 300);
  endpoints.orders_create.error_rate = 0.10;
  endpoints.orders_create.store_capacity = 10'000;

  endpoints.orders_get.latency = uniform_ms(1, 5);

  // Always succeeds, always slow: the endpoint that shows up in the high latency buckets.
  endpoints.slow.latency = uniform_ms(3000, 5000);

  endpoints.products.latency = uniform_ms(5, 20);

  // Variable latency with a long tail; the cap keeps a rare extreme draw from stalling a client.
  endpoints.search.latency = LatencySpec{
      .distribution = Distribution::lognormal, .max_ms = 5000, .p50_ms = 40, .p99_ms = 400};
  endpoints.search.error_rate = 0.01;

  endpoints.reports.latency = uniform_ms(1000, 3000);
  endpoints.reports.error_rate = 0.02;

  // A simulated failure is the upstream payment gateway failing, which is what 502 means.
  endpoints.payments.latency = uniform_ms(80, 250);
  endpoints.payments.error_rate = 0.02;
  endpoints.payments.error_status = 502;
  endpoints.payments.decline_rate = 0.1;

  return config;
}

}  // namespace latencylab::config
