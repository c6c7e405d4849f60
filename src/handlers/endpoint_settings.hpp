// The numbers of the hand-written seed endpoint handlers, read from a service of the graph whose
// routes have the default graph's shape (config/graphs/default.json): each route's delay or db
// latency, its fail step, the users cache and the business parameters. An interim bridge: the
// step engine (graph/) runs any graph and replaces these handlers.
//
//   const SeedEndpoints endpoints = seed_endpoints(config::default_graph().service("latencylab"));
//   EndpointModel slow{endpoints.slow, config.time_scale};
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/graph.hpp"
#include "sim/latency_spec.hpp"

namespace latencylab::handlers {

// Latency + failure behaviour shared by every simulated endpoint.
struct EndpointSettings {
  sim::LatencySpec latency;
  double error_rate = 0.0;           // probability in [0, 1] that the request fails
  std::uint32_t error_status = 500;  // status of a simulated failure
};

// GET /api/users: a cache lookup in front of the DB query; a miss pays `latency` (the DB query).
struct UsersSettings : EndpointSettings {
  double cache_hit_rate = 0.0;
  sim::LatencySpec cache_latency;
};

struct OrdersCreateSettings : EndpointSettings {
  std::uint32_t store_capacity = 10'000;  // oldest orders are evicted beyond this
  std::uint32_t max_items = 100;
};

struct PaymentsSettings : EndpointSettings {
  double decline_rate = 0.0;  // probability a valid payment is declined (402), not an error
  double max_amount = 0.0;
  std::vector<std::string> currencies;
};

struct SeedEndpoints {
  UsersSettings users;
  OrdersCreateSettings orders_create;
  EndpointSettings orders_get;
  EndpointSettings slow;
  EndpointSettings products;
  EndpointSettings search;
  EndpointSettings reports;
  PaymentsSettings payments;
};

// Throws config::ConfigError naming a seed route the service lacks.
[[nodiscard]] SeedEndpoints seed_endpoints(const config::Service& service);

}  // namespace latencylab::handlers
