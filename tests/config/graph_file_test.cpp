#include "config/graph_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/config_loader.hpp"
#include "config_error.hpp"
#include "core/json_writer.hpp"

namespace latencylab::config {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The message parse_graph throws for `json`, or "" when it parses.
std::string graph_error(std::string_view json) {
  return config_error([&] { (void)parse_graph(json, "graph file \"test.json\""); });
}

// A graph of the service "shop" (whose JSON members are `shop_members`) beside a service "pay"
// that serves POST /api/payments, so shop may declare a downstream to it.
std::string shop_graph(std::string_view shop_members) {
  return R"({"services": {"shop": {)" + std::string(shop_members) +
         R"(}, "pay": {"url": "http://127.0.0.1:9102",
                  "routes": [{"method": "POST", "path": "/api/payments"}]}}})";
}

// The shop graph with one route GET /api/a running `steps` and the given resources.
std::string route_graph(std::string_view steps, std::string_view resources = "") {
  std::string members(resources);
  if (!members.empty()) members += ", ";
  members +=
      R"("routes": [{"method": "GET", "path": "/api/a", "steps": )" + std::string(steps) + "}]";
  return shop_graph(members);
}

// The kinds of a script's steps, for comparing scripts at a glance.
std::vector<std::string> kinds(const Steps& steps) {
  static constexpr const char* kKinds[] = {"delay",    "cache", "db",  "call",
                                           "parallel", "fail",  "cpu", "business"};
  std::vector<std::string> out;
  for (const auto& step : steps) out.emplace_back(kKinds[step.action.index()]);
  return out;
}

template <class T>
const T& step_as(const Steps& steps, std::size_t i) {
  return std::get<T>(steps.at(i).action);
}

TEST(DefaultGraph, IsTodaysServiceWithItsRoutes) {
  const Graph& graph = default_graph();
  ASSERT_EQ(graph.services.size(), 1u);
  const Service& service = graph.service("latencylab");
  EXPECT_EQ(service.url, "http://127.0.0.1:8080");
  ASSERT_EQ(service.routes.size(), 8u) << "/health and /ready are built in, not routes";

  std::vector<std::string> routes;
  for (const auto& route : service.routes) routes.push_back(route.method + " " + route.path);
  EXPECT_THAT(routes, ElementsAre("GET /api/users", "POST /api/orders", "GET /api/orders/{id}",
                                  "GET /api/slow", "GET /api/products", "GET /api/search",
                                  "GET /api/reports", "POST /api/payments"));

  const Route& users = service.routes[0];
  EXPECT_THAT(kinds(users.steps), ElementsAre("cache", "fail"));
  const auto& cache = step_as<CacheStep>(users.steps, 0);
  EXPECT_EQ(cache.name, "users");
  EXPECT_THAT(kinds(cache.miss), ElementsAre("db"));
  const auto& query = step_as<DbStep>(cache.miss, 0);
  EXPECT_EQ(query.database, "users_db");
  EXPECT_EQ(query.latency.distribution, sim::Distribution::uniform);
  EXPECT_EQ(query.latency.min_ms, 50.0);
  EXPECT_EQ(query.latency.max_ms, 200.0);
  EXPECT_EQ(step_as<FailStep>(users.steps, 1).probability, 0.05);
  EXPECT_EQ(users.response.content, ResponseContent::users);
  ASSERT_EQ(service.caches.size(), 1u);
  EXPECT_EQ(service.caches[0].hit_rate, 0.7);

  EXPECT_THAT(kinds(service.routes[1].steps), ElementsAre("business", "delay", "fail", "business"));
  EXPECT_EQ(step_as<BusinessStep>(service.routes[1].steps, 3).action, BusinessAction::store_order);
  EXPECT_EQ(step_as<FailStep>(service.routes[1].steps, 2).probability, 0.10);
  EXPECT_THAT(kinds(service.routes[2].steps), ElementsAre("delay", "business"));
  EXPECT_EQ(step_as<BusinessStep>(service.routes[2].steps, 1).action, BusinessAction::get_order);

  const Route& slow = service.routes[3];
  EXPECT_THAT(kinds(slow.steps), ElementsAre("delay"));
  EXPECT_EQ(step_as<DelayStep>(slow.steps, 0).latency.min_ms, 3000.0);
  EXPECT_EQ(step_as<DelayStep>(slow.steps, 0).latency.max_ms, 5000.0);
  EXPECT_EQ(slow.response.json, R"({"message":"This was intentionally slow"})");

  EXPECT_THAT(kinds(service.routes[4].steps), ElementsAre("delay"));
  EXPECT_EQ(service.routes[4].response.content, ResponseContent::products);

  const Route& search = service.routes[5];
  EXPECT_THAT(kinds(search.steps), ElementsAre("business", "delay", "fail"));
  const sim::LatencySpec& search_latency = step_as<DelayStep>(search.steps, 1).latency;
  EXPECT_EQ(search_latency.distribution, sim::Distribution::lognormal);
  EXPECT_EQ(search_latency.p50_ms, 40.0);
  EXPECT_EQ(search_latency.p99_ms, 400.0);
  EXPECT_EQ(search_latency.max_ms, 5000.0);

  EXPECT_THAT(kinds(service.routes[6].steps), ElementsAre("delay", "fail"));
  EXPECT_EQ(service.routes[6].response.content, ResponseContent::report);

  const Route& payments = service.routes[7];
  EXPECT_THAT(kinds(payments.steps), ElementsAre("business", "delay", "fail", "business"));
  EXPECT_EQ(step_as<FailStep>(payments.steps, 2).status, 502u);
  EXPECT_EQ(step_as<BusinessStep>(payments.steps, 3).action, BusinessAction::charge_payment);
  EXPECT_EQ(service.business.decline_rate, 0.1);
}

TEST(DefaultGraph, IsTheFileInTheRepository) {
  std::ifstream file(LATENCYLAB_DEFAULT_GRAPH_FILE);
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(default_graph_text(), text);
}

TEST(DefaultGraph, IsTheFirstExampleOfTheGraphsDoc) {
  std::ifstream file(LATENCYLAB_GRAPHS_DOC);
  const std::string doc((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const auto start = doc.find("```json\n");
  ASSERT_NE(start, std::string::npos);
  const auto body = start + 8;
  const std::string example = doc.substr(body, doc.find("```", body) - body);
  EXPECT_EQ(example, std::string(default_graph_text()));
}

TEST(ShippedGraphs, EveryFileInConfigGraphsIsValid) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(LATENCYLAB_GRAPHS_DIR)) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    EXPECT_NO_THROW((void)load_graph_file(entry.path().string())) << entry.path();
  }
  EXPECT_GE(files, 2) << "default.json and shop.json at least";
}

TEST(GraphService, UnknownNameListsTheServices) {
  const Graph graph = parse_graph(shop_graph(R"("url": "http://127.0.0.1:9101")"), "test");
  EXPECT_EQ(graph.service("pay").url, "http://127.0.0.1:9102");
  EXPECT_THAT(config_error([&] { (void)graph.service("orders"); }),
              HasSubstr(R"(no service "orders" (services: shop, pay))"));
}

struct BrokenGraph {
  const char* name;
  std::string json;
  const char* message;  // "<path>: <problem>", as the user sees it
};

void PrintTo(const BrokenGraph& broken, std::ostream* out) {
  *out << broken.name;
}

class GraphRejects : public ::testing::TestWithParam<BrokenGraph> {};

TEST_P(GraphRejects, NamingOriginPathAndProblem) {
  EXPECT_THAT(graph_error(GetParam().json),
              AllOf(HasSubstr("graph file \"test.json\": "), HasSubstr(GetParam().message)));
}

const std::string kPayDownstream = R"("downstreams": {"bank": {"service": "pay"}})";

INSTANTIATE_TEST_SUITE_P(
    EveryRule, GraphRejects,
    ::testing::Values(
        BrokenGraph{"unknown_key",
                    shop_graph(R"("routes": [{"method": "GET", "path": "/a", "stpes": []}])"),
                    "services.shop.routes[0].stpes: unknown key (keys in services.shop.routes[0]: "
                    "method, path, timeout_ms, steps, response)"},
        BrokenGraph{"unknown_top_level_key", R"({"services": {}, "servces": {}})",
                    "servces: unknown key (keys in the file: description, services)"},
        BrokenGraph{
            "unknown_latency_field",
            route_graph(R"([{"delay": {"uniform": {"min_ms": 1, "max_ms": 2, "p50_ms": 1}}}])"),
            "services.shop.routes[0].steps[0].delay.uniform.p50_ms: unknown key (keys in "
            "services.shop.routes[0].steps[0].delay.uniform: min_ms, max_ms)"},
        BrokenGraph{"unknown_distribution",
                    route_graph(R"([{"delay": {"gaussian": {"p50_ms": 1}}}])"),
                    "services.shop.routes[0].steps[0].delay.gaussian: unknown distribution "
                    "(distributions: fixed, uniform, normal, lognormal)"},
        BrokenGraph{"missing_key", route_graph(R"([{"delay": {"uniform": {"min_ms": 1}}}])"),
                    "services.shop.routes[0].steps[0].delay.uniform: missing key \"max_ms\""},
        BrokenGraph{"unknown_step_kind", route_graph(R"([{"sleep": 5}])"),
                    "services.shop.routes[0].steps[0].sleep: unknown step kind (kinds: delay, "
                    "cache, db, call, parallel, fail, cpu, business)"},
        BrokenGraph{"step_with_two_kinds",
                    route_graph(R"([{"cpu": {"us": 1}, "fail": {"probability": 0}}])"),
                    "services.shop.routes[0].steps[0]: a step is an object with one key naming "
                    "its kind"},
        BrokenGraph{"unknown_business_action", route_graph(R"([{"business": "refund"}])"),
                    "services.shop.routes[0].steps[0].business: expected one of "
                    "\"validate_order\""},
        BrokenGraph{"wrong_type", route_graph(R"([{"cpu": {"us": "fast"}}])"),
                    "services.shop.routes[0].steps[0].cpu.us: expected a finite number, got "
                    "\"fast\""},
        BrokenGraph{"non_finite_number", route_graph(R"([{"cpu": {"us": 1e999}}])"),
                    "services.shop.routes[0].steps[0].cpu.us: expected a finite number"},
        BrokenGraph{"negative_integer", shop_graph(R"("databases": {"main": {"pool_size": -1}})"),
                    "services.shop.databases.main.pool_size: expected an integer in [0, "
                    "4294967295], got -1"},
        BrokenGraph{"unknown_database",
                    route_graph(R"([{"cpu": {"us": 1}}, {"db": {"database": "main"}}])",
                                R"("databases": {"users_db": {}})"),
                    "services.shop.routes[0].steps[1].db: no database \"main\" (databases: "
                    "users_db)"},
        BrokenGraph{"unknown_cache", route_graph(R"([{"cache": {"name": "hot"}}])"),
                    "services.shop.routes[0].steps[0].cache: no cache \"hot\" (caches: none)"},
        BrokenGraph{"unknown_downstream",
                    route_graph(R"([{"call": {"downstream": "bnk", "path": "/api/payments"}}])",
                                kPayDownstream),
                    "services.shop.routes[0].steps[0].call: no downstream \"bnk\" (downstreams: "
                    "bank)"},
        BrokenGraph{"unknown_downstream_service",
                    shop_graph(R"("downstreams": {"bank": {"service": "payments"}})"),
                    "services.shop.downstreams.bank.service: no service \"payments\" in the graph "
                    "(services: shop, pay)"},
        BrokenGraph{"call_to_no_route",
                    route_graph(R"([{"call": {"downstream": "bank", "path": "/api/payments"}}])",
                                kPayDownstream),
                    "services.shop.routes[0].steps[0].call: service \"pay\" has no route for GET "
                    "/api/payments"},
        BrokenGraph{"call_cycle",
                    R"({"services": {
                          "a": {"downstreams": {"to_b": {"service": "b"}}},
                          "b": {"downstreams": {"to_c": {"service": "c"}}},
                          "c": {"downstreams": {"back": {"service": "a"}}}}})",
                    "services.c.downstreams.back.service: call cycle: a -> b -> c -> a"},
        BrokenGraph{"self_call",
                    R"({"services": {"a": {"downstreams": {"me": {"service": "a"}}}}})",
                    "services.a.downstreams.me.service: call cycle: a -> a"},
        BrokenGraph{"negative_latency", route_graph(R"([{"delay": {"fixed": {"value_ms": -5}}}])"),
                    "services.shop.routes[0].steps[0].delay.fixed.value_ms: must not be negative "
                    "(got -5)"},
        BrokenGraph{"uniform_min_above_max",
                    route_graph(R"([{"delay": {"uniform": {"min_ms": 30, "max_ms": 20}}}])"),
                    "services.shop.routes[0].steps[0].delay.uniform.min_ms: must not exceed max_ms "
                    "(20) for a uniform distribution (got 30)"},
        BrokenGraph{
            "lognormal_p99_not_above_p50",
            shop_graph(
                R"("caches": {"hot": {"latency": {"lognormal": {"p50_ms": 40, "p99_ms": 40}}}})"),
            "services.shop.caches.hot.latency.lognormal.p99_ms: must be greater than "
            "p50_ms (40)"},
        BrokenGraph{"normal_p99_below_p50",
                    route_graph(R"([{"delay": {"normal": {"p50_ms": 100, "p99_ms": 50}}}])"),
                    "services.shop.routes[0].steps[0].delay.normal.p99_ms: must be greater than "
                    "p50_ms (100)"},
        BrokenGraph{"lognormal_zero_p50",
                    route_graph(R"([{"delay": {"lognormal": {"p50_ms": 0, "p99_ms": 40}}}])"),
                    "services.shop.routes[0].steps[0].delay.lognormal.p50_ms: must be greater than "
                    "0 for a lognormal distribution (got 0)"},
        BrokenGraph{
            "clamp_above_median",
            route_graph(
                R"([{"delay": {"lognormal": {"p50_ms": 40, "p99_ms": 400, "min_ms": 50}}}])"),
            "services.shop.routes[0].steps[0].delay.lognormal.min_ms: is a lower clamp for "
            "this distribution and must not exceed p50_ms (40) (got 50)"},
        BrokenGraph{
            "clamp_below_p99",
            route_graph(
                R"([{"db": {"database": "main", "latency": {"normal": {"p50_ms": 40, "p99_ms": 400, "max_ms": 300}}}}])",
                R"("databases": {"main": {}})"),
            "services.shop.routes[0].steps[0].db.latency.normal.max_ms: is an upper clamp "
            "for this distribution (0 = none) and must not be below p99_ms (400) (got 300)"},
        BrokenGraph{"negative_timeout",
                    shop_graph(R"("routes": [{"method": "GET", "path": "/a", "timeout_ms": -1}])"),
                    "services.shop.routes[0].timeout_ms: must not be negative (got -1)"},
        BrokenGraph{"negative_cpu", route_graph(R"([{"cpu": {"us": -3}}])"),
                    "services.shop.routes[0].steps[0].cpu.us: must not be negative (got -3)"},
        BrokenGraph{"fail_probability", route_graph(R"([{"fail": {"probability": 1.5}}])"),
                    "services.shop.routes[0].steps[0].fail.probability: must be a probability in "
                    "[0, 1] (got 1.5)"},
        BrokenGraph{"cache_hit_rate", shop_graph(R"("caches": {"hot": {"hit_rate": -0.1}})"),
                    "services.shop.caches.hot.hit_rate: must be a probability in [0, 1] (got "
                    "-0.1)"},
        BrokenGraph{"decline_rate", shop_graph(R"("business": {"decline_rate": 2})"),
                    "services.shop.business.decline_rate: must be a probability in [0, 1] (got 2)"},
        BrokenGraph{"currency", shop_graph(R"("business": {"currencies": ["usd"]})"),
                    "services.shop.business.currencies: must be three-letter upper-case ISO 4217 "
                    "codes such as \"USD\" (got \"usd\")"},
        BrokenGraph{
            "breaker_failure_ratio",
            shop_graph(
                R"("downstreams": {"bank": {"service": "pay", "breaker": {"failure_ratio": 1.1}}})"),
            "services.shop.downstreams.bank.breaker.failure_ratio: must be a ratio in [0, "
            "1] (got 1.1)"},
        BrokenGraph{
            "retry_jitter",
            shop_graph(R"("downstreams": {"bank": {"service": "pay", "retry": {"jitter": 1.2}}})"),
            "services.shop.downstreams.bank.retry.jitter: must be a fraction in [0, 1] "
            "(got 1.2)"},
        BrokenGraph{
            "retry_max_attempts",
            shop_graph(
                R"("downstreams": {"bank": {"service": "pay", "retry": {"max_attempts": 0}}})"),
            "services.shop.downstreams.bank.retry.max_attempts: must be at least 1 (got 0)"},
        BrokenGraph{
            "retry_backoffs",
            shop_graph(
                R"("downstreams": {"bank": {"service": "pay", "retry": {"initial_backoff_ms": 100, "max_backoff_ms": 50}}})"),
            "services.shop.downstreams.bank.retry.max_backoff_ms: must not be below "
            "initial_backoff_ms (100) (got 50)"},
        BrokenGraph{"downstream_connections",
                    shop_graph(R"("downstreams": {"bank": {"service": "pay", "connections": 0}})"),
                    "services.shop.downstreams.bank.connections: must be at least 1 (got 0)"},
        BrokenGraph{"pool_size", shop_graph(R"("databases": {"main": {"pool_size": 0}})"),
                    "services.shop.databases.main.pool_size: must be at least 1 (got 0)"},
        BrokenGraph{
            "breaker_window_below_min_calls",
            shop_graph(
                R"("downstreams": {"bank": {"service": "pay", "breaker": {"window": 5, "min_calls": 10}}})"),
            "services.shop.downstreams.bank.breaker.window: must be at least min_calls "
            "(10) (got 5)"},
        BrokenGraph{
            "breaker_min_calls",
            shop_graph(
                R"("downstreams": {"bank": {"service": "pay", "breaker": {"min_calls": 0}}})"),
            "services.shop.downstreams.bank.breaker.min_calls: must be at least 1 (got 0)"},
        BrokenGraph{
            "breaker_half_open_probes",
            shop_graph(
                R"("downstreams": {"bank": {"service": "pay", "breaker": {"half_open_probes": 0}}})"),
            "services.shop.downstreams.bank.breaker.half_open_probes: must be at least 1 "
            "(got 0)"},
        BrokenGraph{
            "response_status",
            shop_graph(
                R"("routes": [{"method": "GET", "path": "/a", "response": {"status": 600}}])"),
            "services.shop.routes[0].response.status: must be an HTTP status in [100, "
            "599] (got 600)"},
        BrokenGraph{"fail_status",
                    route_graph(R"([{"fail": {"probability": 0.1, "status": 200}}])"),
                    "services.shop.routes[0].steps[0].fail.status: must be an error status in "
                    "[400, 599] (got 200)"},
        BrokenGraph{
            "call_error_status",
            route_graph(
                R"([{"call": {"downstream": "bank", "method": "POST", "path": "/api/payments", "on_error": {"timeout": 99}}}])",
                kPayDownstream),
            "services.shop.routes[0].steps[0].call.on_error.timeout: must be an HTTP "
            "status in [100, 599] (got 99)"},
        BrokenGraph{"route_method", shop_graph(R"("routes": [{"method": "get", "path": "/a"}])"),
                    "services.shop.routes[0].method: must be one of GET, HEAD, POST, PUT, DELETE, "
                    "PATCH (got \"get\")"},
        BrokenGraph{"route_path", shop_graph(R"("routes": [{"method": "GET", "path": "a"}])"),
                    "services.shop.routes[0].path: must start with '/' (got \"a\")"},
        BrokenGraph{"route_on_health",
                    shop_graph(R"("routes": [{"method": "GET", "path": "/health"}])"),
                    "services.shop.routes[0].path: is served by every service itself"},
        BrokenGraph{
            "duplicate_route",
            shop_graph(
                R"("routes": [{"method": "GET", "path": "/o/{id}"}, {"method": "POST", "path": "/o/{id}"}, {"method": "GET", "path": "/o/{key}"}])"),
            "services.shop.routes[2]: duplicates routes[0] (GET /o/{key})"},
        BrokenGraph{
            "response_with_two_bodies",
            shop_graph(
                R"("routes": [{"method": "GET", "path": "/a", "response": {"json": {}, "body_bytes": 10}}])"),
            "services.shop.routes[0].response: gives more than one of json, body_bytes "
            "and content"},
        BrokenGraph{"get_order_without_param", route_graph(R"([{"business": "get_order"}])"),
                    "services.shop.routes[0].steps[0].business: get_order needs a {param} in the "
                    "route's path (got \"/api/a\")"},
        BrokenGraph{"store_order_before_validation",
                    route_graph(R"([{"business": "store_order"}, {"business": "validate_order"}])"),
                    "services.shop.routes[0].steps[0].business: store_order needs validate_order "
                    "earlier in the route"},
        BrokenGraph{
            "charge_without_validation",
            route_graph(R"([{"business": "validate_order"}, {"business": "charge_payment"}])"),
            "services.shop.routes[0].steps[1].business: charge_payment needs "
            "validate_payment earlier in the route"},
        BrokenGraph{"https_url", shop_graph(R"("url": "https://127.0.0.1:9101")"),
                    "services.shop.url: expected http://host:port (plain http"},
        BrokenGraph{"url_with_path", shop_graph(R"("url": "http://127.0.0.1:9101/api")"),
                    "services.shop.url: expected http://host:port without a path"},
        BrokenGraph{"url_without_port", shop_graph(R"("url": "http://orders")"),
                    "services.shop.url: expected http://host:port with a port in [1, 65535], got "
                    "\"http://orders\""},
        BrokenGraph{"empty_parallel", route_graph(R"([{"parallel": []}])"),
                    "services.shop.routes[0].steps[0].parallel: must run at least one step"},
        BrokenGraph{
            "nested_step_path",
            route_graph(
                R"([{"parallel": [{"cpu": {"us": 1}}, {"cache": {"name": "hot", "miss": [{"fail": {"probability": 7}}]}}]}])",
                R"("caches": {"hot": {}})"),
            "services.shop.routes[0].steps[0].parallel[1].cache.miss[0].fail.probability: "
            "must be a probability in [0, 1] (got 7)"},
        BrokenGraph{"service_name", R"({"services": {"Shop": {}}})",
                    "services.Shop: a name is lower-case letters, digits, '_' and '-'"},
        BrokenGraph{"no_services", R"({"services": {}})", "services: the graph has no service"},
        BrokenGraph{"invalid_json", "{\"services\": {\n  \"a\": {,}}}",
                    "invalid JSON at line 2, column 9"}));

TEST(GraphFile, ReportsEveryProblemAtOnce) {
  const std::string message = graph_error(route_graph(
      R"([{"fail": {"probability": 2}}, {"db": {"database": "main"}}])",
      R"("databases": {"main": {"pool_size": 0}}, "caches": {"hot": {"hit_rate": 3}})"));
  EXPECT_THAT(message, AllOf(HasSubstr("services.shop.databases.main.pool_size"),
                             HasSubstr("services.shop.caches.hot.hit_rate"),
                             HasSubstr("services.shop.routes[0].steps[0].fail.probability")));
  EXPECT_THAT(graph_error(shop_graph(R"("databases": {"a": {"size": 1}, "b": {"pool": 2}})")),
              AllOf(HasSubstr("services.shop.databases.a.size: unknown key"),
                    HasSubstr("services.shop.databases.b.pool: unknown key")));
}

TEST(GraphFile, LoadsAFileAndNamesItInErrors) {
  const auto path = std::filesystem::path(::testing::TempDir()) / "latencylab_graph_test.json";
  std::ofstream(path) << route_graph(R"([{"cpu": {"us": -1}}])");
  EXPECT_THAT(
      config_error([&] { (void)load_graph_file(path.string()); }),
      HasSubstr("graph file \"" + path.string() + "\": services.shop.routes[0].steps[0].cpu.us"));
  std::ofstream(path) << route_graph(R"([{"cpu": {"us": 250}}])");
  EXPECT_EQ(step_as<CpuStep>(load_graph_file(path.string()).service("shop").routes[0].steps, 0).us,
            250.0);
  std::filesystem::remove(path);
  EXPECT_THAT(graph_error(""), HasSubstr("invalid JSON"));
  EXPECT_THAT(config_error([&] { (void)load_graph_file(path.string()); }),
              HasSubstr("cannot open"));
}

// Every field with a value other than its default, so a field the reader or the writer dropped
// shows up as a default after the round trip.
constexpr std::string_view kEveryStepKind = R"({
  "description": "round trip",
  "services": {
    "front": {
      "description": "entry", "url": "http://127.0.0.1:9101",
      "business": {"max_order_items": 7, "order_store_capacity": 70, "max_payment_amount": 700.5,
                   "currencies": ["CHF"], "decline_rate": 0.25},
      "databases": {"main": {"system": "postgresql", "pool_size": 4, "max_waiting": 9,
                             "acquire_timeout_ms": 250}},
      "caches": {"hot": {"hit_rate": 0.4, "latency": {"fixed": {"value_ms": 2}}}},
      "downstreams": {"pay": {
        "service": "payments", "connections": 8, "timeout_ms": 300,
        "retry": {"max_attempts": 3, "initial_backoff_ms": 20, "max_backoff_ms": 400,
                  "multiplier": 3, "jitter": 0.2},
        "breaker": {"window": 30, "min_calls": 5, "failure_ratio": 0.6, "consecutive_failures": 4,
                    "open_ms": 2500, "half_open_probes": 2}}},
      "routes": [{
        "method": "POST", "path": "/checkout/{id}", "timeout_ms": 1500,
        "steps": [
          {"business": "validate_order"},
          {"cache": {"name": "hot", "miss": [
            {"db": {"database": "main", "operation": "UPDATE", "collection": "orders",
                    "latency": {"normal": {"p50_ms": 10, "p99_ms": 30, "min_ms": 1, "max_ms": 60}},
                    "on_error": {"pool_timeout": 429}}}]}},
          {"parallel": [
            {"delay": {"uniform": {"min_ms": 1, "max_ms": 2}}},
            {"call": {"downstream": "pay", "method": "PUT", "path": "/pay/7", "forward_body": true,
                      "retry": false,
                      "on_error": {"pass_client_errors": false, "server_error": 500,
                                   "invalid_response": 501, "connection_error": 503,
                                   "timeout": 408, "circuit_open": 429}}}]},
          {"fail": {"probability": 0.3, "status": 418, "what": "teapot"}},
          {"cpu": {"us": 150}},
          {"business": "store_order"}],
        "response": {"status": 202, "json": {"ok": [1, "two"]}}}]},
    "payments": {
      "url": "http://127.0.0.1:9102",
      "routes": [{"method": "PUT", "path": "/pay/{id}",
                  "steps": [{"delay": {"lognormal": {"p50_ms": 40, "p99_ms": 400}}}],
                  "response": {"status": 201, "body_bytes": 512}},
                 {"method": "GET", "path": "/pay", "response": {"content": "report"}}]}}})";

void expect_every_field(const Graph& graph) {
  EXPECT_EQ(graph.description, "round trip");
  ASSERT_EQ(graph.services.size(), 2u);
  const Service& front = graph.service("front");
  EXPECT_EQ(front.description, "entry");
  EXPECT_EQ(front.url, "http://127.0.0.1:9101");
  EXPECT_EQ(front.business.max_order_items, 7u);
  EXPECT_EQ(front.business.order_store_capacity, 70u);
  EXPECT_EQ(front.business.max_payment_amount, 700.5);
  EXPECT_THAT(front.business.currencies, ElementsAre("CHF"));
  EXPECT_EQ(front.business.decline_rate, 0.25);

  ASSERT_EQ(front.databases.size(), 1u);
  const Database& main = front.databases[0];
  EXPECT_EQ(main.name, "main");
  EXPECT_EQ(main.system, "postgresql");
  EXPECT_EQ(main.pool_size, 4u);
  EXPECT_EQ(main.max_waiting, 9u);
  EXPECT_EQ(main.acquire_timeout_ms, 250.0);

  ASSERT_EQ(front.caches.size(), 1u);
  EXPECT_EQ(front.caches[0].name, "hot");
  EXPECT_EQ(front.caches[0].hit_rate, 0.4);
  EXPECT_EQ(front.caches[0].latency.distribution, sim::Distribution::fixed);
  EXPECT_EQ(front.caches[0].latency.value_ms, 2.0);

  ASSERT_EQ(front.downstreams.size(), 1u);
  const Downstream& pay = front.downstreams[0];
  EXPECT_EQ(pay.name, "pay");
  EXPECT_EQ(pay.service, "payments");
  EXPECT_EQ(pay.connections, 8u);
  EXPECT_EQ(pay.timeout_ms, 300.0);
  EXPECT_EQ(pay.retry.max_attempts, 3u);
  EXPECT_EQ(pay.retry.initial_backoff_ms, 20.0);
  EXPECT_EQ(pay.retry.max_backoff_ms, 400.0);
  EXPECT_EQ(pay.retry.multiplier, 3.0);
  EXPECT_EQ(pay.retry.jitter, 0.2);
  ASSERT_TRUE(pay.breaker.has_value());
  EXPECT_EQ(pay.breaker->window, 30u);
  EXPECT_EQ(pay.breaker->min_calls, 5u);
  EXPECT_EQ(pay.breaker->failure_ratio, 0.6);
  EXPECT_EQ(pay.breaker->consecutive_failures, 4u);
  EXPECT_EQ(pay.breaker->open_ms, 2500.0);
  EXPECT_EQ(pay.breaker->half_open_probes, 2u);

  ASSERT_EQ(front.routes.size(), 1u);
  const Route& checkout = front.routes[0];
  EXPECT_EQ(checkout.method, "POST");
  EXPECT_EQ(checkout.path, "/checkout/{id}");
  EXPECT_EQ(checkout.timeout_ms, 1500.0);
  EXPECT_EQ(checkout.response.status, 202u);
  EXPECT_EQ(checkout.response.json, R"({"ok":[1,"two"]})");
  EXPECT_FALSE(checkout.response.body_bytes.has_value());
  EXPECT_FALSE(checkout.response.content.has_value());
  ASSERT_THAT(kinds(checkout.steps),
              ElementsAre("business", "cache", "parallel", "fail", "cpu", "business"));
  EXPECT_EQ(step_as<BusinessStep>(checkout.steps, 0).action, BusinessAction::validate_order);

  const auto& cache = step_as<CacheStep>(checkout.steps, 1);
  EXPECT_EQ(cache.name, "hot");
  ASSERT_THAT(kinds(cache.miss), ElementsAre("db"));
  const auto& db = step_as<DbStep>(cache.miss, 0);
  EXPECT_EQ(db.database, "main");
  EXPECT_EQ(db.operation, "UPDATE");
  EXPECT_EQ(db.collection, "orders");
  EXPECT_EQ(db.latency.distribution, sim::Distribution::normal);
  EXPECT_EQ(db.latency.p50_ms, 10.0);
  EXPECT_EQ(db.latency.p99_ms, 30.0);
  EXPECT_EQ(db.latency.min_ms, 1.0);
  EXPECT_EQ(db.latency.max_ms, 60.0);
  EXPECT_EQ(db.on_error.pool_timeout, 429u);

  const auto& parallel = step_as<ParallelStep>(checkout.steps, 2);
  ASSERT_THAT(kinds(parallel.steps), ElementsAre("delay", "call"));
  const auto& delay = step_as<DelayStep>(parallel.steps, 0);
  EXPECT_EQ(delay.latency.distribution, sim::Distribution::uniform);
  EXPECT_EQ(delay.latency.min_ms, 1.0);
  EXPECT_EQ(delay.latency.max_ms, 2.0);
  const auto& call = step_as<CallStep>(parallel.steps, 1);
  EXPECT_EQ(call.downstream, "pay");
  EXPECT_EQ(call.method, "PUT");
  EXPECT_EQ(call.path, "/pay/7");
  EXPECT_TRUE(call.forward_body);
  EXPECT_EQ(call.retry, std::optional<bool>(false));
  EXPECT_FALSE(call.on_error.pass_client_errors);
  EXPECT_EQ(call.on_error.server_error, 500u);
  EXPECT_EQ(call.on_error.invalid_response, 501u);
  EXPECT_EQ(call.on_error.connection_error, 503u);
  EXPECT_EQ(call.on_error.timeout, 408u);
  EXPECT_EQ(call.on_error.circuit_open, 429u);

  const auto& fail = step_as<FailStep>(checkout.steps, 3);
  EXPECT_EQ(fail.probability, 0.3);
  EXPECT_EQ(fail.status, 418u);
  EXPECT_EQ(fail.what, "teapot");
  EXPECT_EQ(step_as<CpuStep>(checkout.steps, 4).us, 150.0);
  EXPECT_EQ(step_as<BusinessStep>(checkout.steps, 5).action, BusinessAction::store_order);

  const Service& payments = graph.service("payments");
  ASSERT_EQ(payments.routes.size(), 2u);
  const auto& lognormal = step_as<DelayStep>(payments.routes[0].steps, 0).latency;
  EXPECT_EQ(lognormal.distribution, sim::Distribution::lognormal);
  EXPECT_EQ(lognormal.p50_ms, 40.0);
  EXPECT_EQ(lognormal.p99_ms, 400.0);
  EXPECT_EQ(payments.routes[0].response.status, 201u);
  EXPECT_EQ(payments.routes[0].response.body_bytes, std::optional<std::uint32_t>(512));
  EXPECT_EQ(payments.routes[1].response.content, ResponseContent::report);
}

TEST(GraphFile, EveryStepKindSurvivesARoundTrip) {
  const Graph parsed = parse_graph(kEveryStepKind, "original");
  expect_every_field(parsed);
  const std::string written = core::json::serialize(graph_to_json(parsed));
  expect_every_field(parse_graph(written, "written"));
}

TEST(GraphFile, AcceptsTheEdgesOfEachRange) {
  // The rules must not be stricter than documented.
  EXPECT_EQ(
      graph_error(route_graph(
          R"([{"delay": {"uniform": {"min_ms": 7, "max_ms": 7}}},
                    {"delay": {"normal": {"p50_ms": 0, "p99_ms": 1}}},
                    {"delay": {"lognormal": {"p50_ms": 40, "p99_ms": 400, "min_ms": 40, "max_ms": 400}}},
                    {"fail": {"probability": 1, "status": 599}}, {"fail": {"probability": 0, "status": 400}},
                    {"cpu": {"us": 0}}])",
          R"("caches": {"c": {"hit_rate": 1}}, "databases": {"d": {"pool_size": 1, "max_waiting": 0, "acquire_timeout_ms": 0}},
                   "downstreams": {"bank": {"service": "pay", "connections": 1,
                     "retry": {"max_attempts": 1, "multiplier": 1, "jitter": 1, "initial_backoff_ms": 0, "max_backoff_ms": 0},
                     "breaker": {"window": 1, "min_calls": 1, "failure_ratio": 0, "open_ms": 0}}})")),
      "");
}

TEST(GraphFile, DefaultsOfOptionalKeys) {
  const Graph graph = parse_graph(
      route_graph(R"([{"db": {"database": "main"}}, {"fail": {"probability": 0.5}},
                      {"call": {"downstream": "bank", "method": "POST", "path": "/api/payments"}}])",
                  R"("databases": {"main": {}}, "downstreams": {"bank": {"service": "pay"}})"),
      "test");
  const Service& shop = graph.service("shop");
  EXPECT_EQ(shop.databases[0].pool_size, 10u);
  EXPECT_EQ(shop.databases[0].acquire_timeout_ms, 1000.0);
  EXPECT_EQ(shop.downstreams[0].retry.max_attempts, 2u);
  EXPECT_EQ(shop.downstreams[0].retry.initial_backoff_ms, 25.0);
  EXPECT_EQ(shop.downstreams[0].retry.jitter, 1.0);
  EXPECT_FALSE(shop.downstreams[0].breaker.has_value());
  const Route& route = shop.routes[0];
  EXPECT_EQ(step_as<DbStep>(route.steps, 0).operation, "SELECT");
  EXPECT_EQ(step_as<DbStep>(route.steps, 0).on_error.pool_timeout, 503u);
  EXPECT_EQ(step_as<FailStep>(route.steps, 1).status, 500u);
  EXPECT_FALSE(step_as<CallStep>(route.steps, 2).retry.has_value());
  EXPECT_EQ(step_as<CallStep>(route.steps, 2).on_error.timeout, 504u);
  EXPECT_EQ(route.response.status, 200u);
  EXPECT_EQ(route.timeout_ms, 0.0);
}

}  // namespace
}  // namespace latencylab::config
