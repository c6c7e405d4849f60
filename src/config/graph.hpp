// The service graph: services, the bounded resources each one owns, and the routes each one
// serves as scripts of steps. Read from a graph file (config/graph_file.hpp); the built-in default
// graph (config/graphs/default.json) is today's single service with its ten routes.
//
// Plain data, validated at load time with the path of every problem in the message
// ("services.orders.routes[2].steps[1].db: no database \"main\""). Durations are milliseconds
// before `time_scale`; the step engine (graph/) scales them when it compiles a service.
//
// The BOOST_DESCRIBE_STRUCT after a struct lists the keys of its JSON object in the file, which
// config/graph_file.cpp reads and writes through; a key is optional (absent: the member's
// initializer) unless kRequiredKey marks it. The `name` of a service or resource is its key in
// the enclosing object ({"databases": {"main": {...}}}), so it is not listed. The undescribed
// shapes (a step as one key naming its kind, a delay, parallel or business step as its one
// member, a latency as one key naming its distribution) are graph_file.cpp's own.
//
//   config::Graph graph = config::load_graph_file("config/graphs/shop.json");
//   const config::Service& orders = graph.service("orders");  // throws ConfigError when unknown
//   for (const config::Route& route : orders.routes) std::cout << route.method << ' ' << route.path;
#pragma once

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/latency_spec.hpp"

namespace latencylab::config {

// Whether a graph file must give the described member `Member` (&DbStep::database).
template <auto Member>
inline constexpr bool kRequiredKey = false;

// Whether the described member `Member` holds any JSON value of the file as its text.
template <auto Member>
inline constexpr bool kJsonTextKey = false;

struct Step;
using Steps = std::vector<Step>;

// ---- steps: a JSON object with exactly one key naming the kind ----

// {"delay": {"uniform": {"min_ms": 5, "max_ms": 20}}}: await a sampled latency.
struct DelayStep {
  sim::LatencySpec latency;
};

// {"cache": {"name": "users", "miss": [steps]}}: a lookup in the named cache (its own latency);
// a hit skips `miss`, the steps the cache guards.
struct CacheStep {
  std::string name;
  Steps miss;
};
BOOST_DESCRIBE_STRUCT(CacheStep, (), (name, miss))
template <>
inline constexpr bool kRequiredKey<&CacheStep::name> = true;

// What a db step answers when it cannot get a connection.
struct DbErrorStatuses {
  std::uint32_t pool_timeout = 503;  // acquire timeout or full wait queue
};
BOOST_DESCRIBE_STRUCT(DbErrorStatuses, (), (pool_timeout))

// {"db": {"database": "main", "operation": "SELECT", "collection": "users", "latency": {...}}}:
// acquire a connection from the pool (FIFO), hold it for the query latency, release it.
struct DbStep {
  std::string database;
  std::string operation = "SELECT";
  std::string collection;
  sim::LatencySpec latency;
  DbErrorStatuses on_error;
};
BOOST_DESCRIBE_STRUCT(DbStep, (), (database, operation, collection, latency, on_error))
template <>
inline constexpr bool kRequiredKey<&DbStep::database> = true;

// How a call step maps a failed downstream call to this route's answer.
struct CallErrorStatuses {
  bool pass_client_errors = true;    // a downstream 4xx is answered as is
  std::uint32_t server_error = 502;  // downstream 5xx
  std::uint32_t invalid_response = 502;
  std::uint32_t connection_error = 502;
  std::uint32_t timeout = 504;
  std::uint32_t circuit_open = 503;
};
BOOST_DESCRIBE_STRUCT(CallErrorStatuses, (),
                      (pass_client_errors, server_error, invalid_response, connection_error,
                       timeout, circuit_open))

// {"call": {"downstream": "payments", "method": "POST", "path": "/api/payments",
//           "forward_body": true, "retry": true}}: one HTTP request to a downstream service.
struct CallStep {
  std::string downstream;
  std::string method = "GET";
  std::string path;
  bool forward_body = false;  // send the incoming request's body
  std::optional<bool> retry;  // absent: GET, HEAD, PUT, DELETE retried; POST not
  CallErrorStatuses on_error;
};
BOOST_DESCRIBE_STRUCT(CallStep, (), (downstream, method, path, forward_body, retry, on_error))
template <>
inline constexpr bool kRequiredKey<&CallStep::downstream> = true;
template <>
inline constexpr bool kRequiredKey<&CallStep::path> = true;

// {"parallel": [steps]}: run the steps concurrently and await them all; the first failure (in
// step order) decides the answer.
struct ParallelStep {
  Steps steps;
};

// {"fail": {"probability": 0.05, "status": 500, "what": "user lookup"}}.
struct FailStep {
  double probability = 0.0;
  std::uint32_t status = 500;
  std::string what = "simulated failure";  // the error message says "<what> failed"
};
BOOST_DESCRIBE_STRUCT(FailStep, (), (probability, status, what))
template <>
inline constexpr bool kRequiredKey<&FailStep::probability> = true;

// {"cpu": {"us": 200}}: busy-spin on the io thread for this much wall time; the one step meant to
// saturate the event loop.
struct CpuStep {
  double us = 0.0;
};
BOOST_DESCRIBE_STRUCT(CpuStep, (), (us))
template <>
inline constexpr bool kRequiredKey<&CpuStep::us> = true;

// {"business": "validate_order"}: the seed endpoints' logic, built on handlers/' pure functions.
enum class BusinessAction {
  validate_order,    // 400/422 unless the body is a valid order (before any latency)
  store_order,       // stores the validated order; answers 201 with it
  get_order,         // answers the stored order named by the route's {id}, or 404
  validate_payment,  // 400/422 unless the body is a valid payment
  charge_payment,    // declines (402) with business.decline_rate, else answers 201
  validate_search,   // 400 unless the query has a valid q
};
BOOST_DESCRIBE_ENUM(BusinessAction, validate_order, store_order, get_order, validate_payment,
                    charge_payment, validate_search)

struct BusinessStep {
  BusinessAction action;
};

struct Step {
  std::variant<DelayStep, CacheStep, DbStep, CallStep, ParallelStep, FailStep, CpuStep,
               BusinessStep>
      action;
};

// ---- routes ----

// The built-in bodies of the seed endpoints.
enum class ResponseContent { users, products, search_results, report };
BOOST_DESCRIBE_ENUM(ResponseContent, users, products, search_results, report)

// {"status": 200, "json": {...}} | {"status": 200, "body_bytes": 512} |
// {"status": 200, "content": "users"}. The answer when every step passed and no business step
// answered; default: 200 with {}.
struct Response {
  std::uint32_t status = 200;
  std::optional<std::string> json;  // serialized JSON text
  std::optional<std::uint32_t> body_bytes;
  std::optional<ResponseContent> content;
};
BOOST_DESCRIBE_STRUCT(Response, (), (status, json, body_bytes, content))
template <>
inline constexpr bool kJsonTextKey<&Response::json> = true;

struct Route {
  std::string method;       // GET, HEAD, POST, PUT, DELETE, PATCH
  std::string path;         // a router template: "/api/orders/{id}"
  double timeout_ms = 0.0;  // 0: no deadline; else the script is cancelled and answers 504
  Steps steps;
  Response response;
};
BOOST_DESCRIBE_STRUCT(Route, (), (method, path, timeout_ms, steps, response))
template <>
inline constexpr bool kRequiredKey<&Route::method> = true;
template <>
inline constexpr bool kRequiredKey<&Route::path> = true;

// ---- resources ----

struct Database {
  std::string name;
  std::string system = "other_sql";  // db.system.name
  std::uint32_t pool_size = 10;
  std::uint32_t max_waiting = 1000;
  double acquire_timeout_ms = 1000.0;
};
BOOST_DESCRIBE_STRUCT(Database, (), (system, pool_size, max_waiting, acquire_timeout_ms))

struct Cache {
  std::string name;
  double hit_rate = 0.0;
  sim::LatencySpec latency;
};
BOOST_DESCRIBE_STRUCT(Cache, (), (hit_rate, latency))

// The defaults are graph::RetrySettings' (Envoy's for service-to-service calls).
struct Retry {
  std::uint32_t max_attempts = 2;  // including the first; 1: no retry
  double initial_backoff_ms = 25.0;
  double max_backoff_ms = 250.0;
  double multiplier = 2.0;
  double jitter = 1.0;  // share of each backoff drawn at random; 1 = full jitter
};
BOOST_DESCRIBE_STRUCT(Retry, (),
                      (max_attempts, initial_backoff_ms, max_backoff_ms, multiplier, jitter))

struct Breaker {
  std::uint32_t window = 20;     // sliding count of the last calls
  std::uint32_t min_calls = 10;  // the ratio applies once this many calls are in the window
  double failure_ratio = 0.5;
  std::uint32_t consecutive_failures = 0;  // 0: off
  double open_ms = 5000.0;
  std::uint32_t half_open_probes = 1;
};
BOOST_DESCRIBE_STRUCT(Breaker, (),
                      (window, min_calls, failure_ratio, consecutive_failures, open_ms,
                       half_open_probes))

struct Downstream {
  std::string name;
  std::string service;  // a service of the graph: its url, unless a --peer overrides it
  std::uint32_t connections = 32;
  double timeout_ms = 1000.0;  // per try
  Retry retry;
  std::optional<Breaker> breaker;  // absent: no breaker
};
BOOST_DESCRIBE_STRUCT(Downstream, (), (service, connections, timeout_ms, retry, breaker))
template <>
inline constexpr bool kRequiredKey<&Downstream::service> = true;

// Parameters of the business steps.
struct Business {
  std::uint32_t max_order_items = 100;
  std::uint32_t order_store_capacity = 10'000;  // oldest orders are evicted beyond this
  double max_payment_amount = 100'000.0;
  std::vector<std::string> currencies{"USD", "EUR", "GBP", "JPY"};
  double decline_rate = 0.1;
};
BOOST_DESCRIBE_STRUCT(Business, (),
                      (max_order_items, order_store_capacity, max_payment_amount, currencies,
                       decline_rate))

struct Service {
  std::string name;
  std::string description;
  std::string url;  // where peers reach it: "http://127.0.0.1:9101"; may be empty for a leaf
  Business business;
  std::vector<Database> databases;
  std::vector<Cache> caches;
  std::vector<Downstream> downstreams;
  std::vector<Route> routes;
};
BOOST_DESCRIBE_STRUCT(Service, (),
                      (description, url, business, databases, caches, downstreams, routes))

struct Graph {
  std::string description;
  std::vector<Service> services;

  // Throws ConfigError naming the services the graph has.
  [[nodiscard]] const Service& service(std::string_view name) const;
};
BOOST_DESCRIBE_STRUCT(Graph, (), (description, services))
template <>
inline constexpr bool kRequiredKey<&Graph::services> = true;

}  // namespace latencylab::config
