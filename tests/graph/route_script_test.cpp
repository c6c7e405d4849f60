// Route scripts run on a real io_context without sockets: each test builds a one-service graph in
// code, registers it on a Router and calls the matched handler as the session would.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <optional>

#include "graph/graph_service.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "telemetry/meter.hpp"

namespace latencylab::graph {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

sim::LatencySpec fixed_ms(double ms) {
  return sim::LatencySpec{.distribution = sim::Distribution::fixed, .value_ms = ms};
}

config::Step step(auto action) {
  return config::Step{std::move(action)};
}

config::Route route(std::string method, std::string path, config::Steps steps) {
  config::Route route;
  route.method = std::move(method);
  route.path = std::move(path);
  route.steps = std::move(steps);
  return route;
}

struct Answer {
  http::Response response;
  Clock::duration elapsed;
  telemetry::FailureCause cause;  // what the route told the session (the request's error.type)
};

class RouteScriptTest : public ::testing::Test {
 protected:
  void serve(config::Service service) {
    service.name = "test";
    graph_.emplace(service, GraphServiceContext{io_.get_executor(), rng_, meter_, 1.0});
    graph_->register_routes(router_);
  }

  Answer call(http::Verb verb, std::string target, std::string body = {}) {
    http::Request request{verb, target, 11};
    if (!body.empty()) {
      request.set(http::beast_http::field::content_type, "application/json");
      request.body() = std::move(body);
      request.prepare_payload();
    }
    const auto [path, query] = http::split_target(target);
    const auto match = router_.match(verb, path);
    EXPECT_EQ(match.kind, http::Router::Match::Kind::found) << target;
    http::Response answer;
    http::RequestContext ctx{request, path, query, match.param, answer};
    std::optional<http::Response> response;
    const auto start = Clock::now();
    asio::co_spawn(io_, (*match.handler)(ctx), [&](std::exception_ptr error) {
      if (error) std::rethrow_exception(error);
      response = std::move(answer);
    });
    io_.run();
    io_.restart();
    EXPECT_TRUE(response.has_value());
    return {std::move(*response), Clock::now() - start, ctx.failure_cause};
  }

  // Starts `count` identical requests at once and runs them all to completion.
  // Answers in the order they completed.
  std::vector<Answer> call_concurrently(int count, std::string target) {
    const http::Request request{http::Verb::get, target, 11};
    const auto match = router_.match(http::Verb::get, target);
    EXPECT_EQ(match.kind, http::Router::Match::Kind::found) << target;
    std::vector<http::Response> responses(static_cast<std::size_t>(count));
    std::vector<http::RequestContext> contexts;
    contexts.reserve(responses.size());
    for (http::Response& response : responses) {
      contexts.push_back(http::RequestContext{request, target, {}, {}, response});
    }
    std::vector<Answer> answers;
    const auto start = Clock::now();
    for (auto& ctx : contexts) {
      asio::co_spawn(io_, (*match.handler)(ctx), [&answers, &ctx, start](std::exception_ptr error) {
        if (error) std::rethrow_exception(error);
        answers.push_back({std::move(ctx.response), Clock::now() - start, ctx.failure_cause});
      });
    }
    io_.run();
    io_.restart();
    return answers;
  }

  asio::io_context io_;
  sim::Rng rng_{42};
  telemetry::Meter meter_;
  http::Router router_;
  std::optional<GraphService> graph_;
};

TEST_F(RouteScriptTest, StepsRunInOrderThenTheRouteAnswersItsResponse) {
  config::Service service;
  auto r = route("GET", "/slow",
                 {step(config::DelayStep{fixed_ms(30)}), step(config::DelayStep{fixed_ms(20)})});
  r.response.status = 202;
  r.response.json = R"({"done":true})";
  service.routes.push_back(r);
  serve(service);

  const Answer answer = call(http::Verb::get, "/slow");
  EXPECT_EQ(answer.response.result(), http::Status::accepted);
  EXPECT_EQ(answer.response.body(), R"({"done":true})");
  EXPECT_GE(answer.elapsed, 50ms);  // timers never fire early
}

TEST_F(RouteScriptTest, AFailStepAnswersItsStatusAndStopsTheScript) {
  config::Service service;
  service.routes.push_back(
      route("GET", "/flaky",
            {step(config::FailStep{.probability = 1.0, .status = 503, .what = "inventory lookup"}),
             step(config::DelayStep{fixed_ms(10'000)})}));
  service.routes.push_back(
      route("GET", "/steady", {step(config::FailStep{.probability = 0.0, .status = 500})}));
  serve(service);

  const Answer flaky = call(http::Verb::get, "/flaky");
  EXPECT_EQ(flaky.response.result(), http::Status::service_unavailable);
  EXPECT_NE(flaky.response.body().find("simulated inventory lookup failure"), std::string::npos);
  EXPECT_LT(flaky.elapsed, 5s);  // the 10 s delay after the failure never ran
  EXPECT_EQ(flaky.cause, telemetry::FailureCause::none) << "reported by its status, 503";
  EXPECT_EQ(call(http::Verb::get, "/steady").response.result(), http::Status::ok);
}

TEST_F(RouteScriptTest, ACacheHitSkipsTheStepsItGuards) {
  config::Service service;
  service.caches.push_back(config::Cache{.name = "always", .hit_rate = 1.0, .latency = {}});
  service.caches.push_back(config::Cache{.name = "never", .hit_rate = 0.0, .latency = {}});
  const auto failing_miss =
      config::Steps{step(config::FailStep{.probability = 1.0, .status = 500})};
  service.routes.push_back(
      route("GET", "/hit", {step(config::CacheStep{.name = "always", .miss = failing_miss})}));
  service.routes.push_back(
      route("GET", "/miss", {step(config::CacheStep{.name = "never", .miss = failing_miss})}));
  serve(service);

  EXPECT_EQ(call(http::Verb::get, "/hit").response.result(), http::Status::ok);
  EXPECT_EQ(call(http::Verb::get, "/miss").response.result(), http::Status::internal_server_error);
}

TEST_F(RouteScriptTest, ParallelStepsOverlapAndTheFirstFailureInStepOrderDecides) {
  config::Service service;
  // Sequentially the two 300 ms delays take 600 ms, past the 500 ms deadline (timers never fire
  // early, so that would be a certain 504); run concurrently they leave 200 ms of slack.
  auto overlapping = route("GET", "/overlap",
                           {step(config::ParallelStep{{step(config::DelayStep{fixed_ms(300)}),
                                                       step(config::DelayStep{fixed_ms(300)})}})});
  overlapping.timeout_ms = 500;
  service.routes.push_back(overlapping);
  service.routes.push_back(
      route("GET", "/both-fail",
            {step(config::ParallelStep{
                {step(config::DelayStep{fixed_ms(50)}),
                 step(config::FailStep{.probability = 1.0, .status = 502, .what = "first"}),
                 step(config::FailStep{.probability = 1.0, .status = 503, .what = "second"})}})}));
  serve(service);

  EXPECT_EQ(call(http::Verb::get, "/overlap").response.result(), http::Status::ok);
  const Answer failed = call(http::Verb::get, "/both-fail");
  EXPECT_EQ(failed.response.result(), http::Status::bad_gateway);
  EXPECT_GE(failed.elapsed, 50ms);  // every branch was awaited, the slow one included
}

TEST_F(RouteScriptTest, ADeadlineCancelsTheScriptAndAnswers504) {
  config::Service service;
  auto slow = route("GET", "/deadline", {step(config::DelayStep{fixed_ms(30'000)})});
  slow.timeout_ms = 50;
  service.routes.push_back(slow);
  serve(service);

  const Answer answer = call(http::Verb::get, "/deadline");
  EXPECT_EQ(answer.response.result(), http::Status::gateway_timeout);
  EXPECT_NE(answer.response.body().find(R"("error":"timeout")"), std::string::npos);
  EXPECT_EQ(answer.cause, telemetry::FailureCause::timeout);
  EXPECT_GE(answer.elapsed, 50ms);
  // io_.run() returned, so the 30 s timer was cancelled, not left pending.
  EXPECT_LT(answer.elapsed, 10s);
}

TEST_F(RouteScriptTest, BusinessStepsValidateStoreAndFindAnOrder) {
  config::Service service;
  service.routes.push_back(
      route("POST", "/orders",
            {step(config::BusinessStep{config::BusinessAction::validate_order}),
             step(config::BusinessStep{config::BusinessAction::store_order})}));
  service.routes.push_back(route("GET", "/orders/{id}",
                                 {step(config::BusinessStep{config::BusinessAction::get_order})}));
  serve(service);

  const Answer invalid = call(http::Verb::post, "/orders", R"({"user_id":"u1","items":[]})");
  EXPECT_EQ(invalid.response.result(), http::Status::bad_request);
  const Answer created = call(http::Verb::post, "/orders",
                              R"({"user_id":"u1","items":[{"id":"a","qty":2}],"total":10})");
  ASSERT_EQ(created.response.result(), http::Status::created);
  const auto order = boost::json::parse(created.response.body()).as_object();
  EXPECT_EQ(order.at("total").as_int64(), 10);
  const std::string id(order.at("order_id").as_string());
  const Answer found = call(http::Verb::get, "/orders/" + id);
  EXPECT_EQ(found.response.result(), http::Status::ok);
  EXPECT_EQ(found.response.body(), created.response.body());
  EXPECT_EQ(call(http::Verb::get, "/orders/ORD-none").response.result(), http::Status::not_found);
}

TEST_F(RouteScriptTest, ADbStepQueuesForThePoolAndAnswers503WhenItCannotGetAConnection) {
  config::Service service;
  service.databases.push_back(config::Database{
      .name = "main", .pool_size = 2, .max_waiting = 10, .acquire_timeout_ms = 10'000});
  service.databases.push_back(config::Database{
      .name = "tiny", .pool_size = 1, .max_waiting = 10, .acquire_timeout_ms = 20});
  service.routes.push_back(
      route("GET", "/query",
            {step(config::DbStep{
                .database = "main", .collection = "", .latency = fixed_ms(50), .on_error = {}})}));
  service.routes.push_back(
      route("GET", "/starved",
            {step(config::DbStep{
                .database = "tiny", .collection = "", .latency = fixed_ms(200), .on_error = {}})}));
  serve(service);

  // Two connections, four 50 ms queries: two waves, so at least 100 ms.
  const auto start = Clock::now();
  const auto waves = call_concurrently(4, "/query");
  EXPECT_GE(Clock::now() - start, 100ms);
  ASSERT_EQ(waves.size(), 4u);
  for (const auto& answer : waves) EXPECT_EQ(answer.response.result(), http::Status::ok);

  // One connection held 200 ms, a 20 ms acquire timeout: the second query gives up with 503.
  const auto starved = call_concurrently(2, "/starved");
  ASSERT_EQ(starved.size(), 2u);
  EXPECT_EQ(starved[0].response.result(), http::Status::service_unavailable);
  EXPECT_NE(starved[0].response.body().find(R"("error":"pool_timeout")"), std::string::npos);
  EXPECT_EQ(starved[0].cause, telemetry::FailureCause::pool_timeout);
  EXPECT_EQ(starved[1].response.result(), http::Status::ok);
  EXPECT_EQ(starved[1].cause, telemetry::FailureCause::none);
}

TEST(GeneratedBody, HasExactlyTheRequestedSizeAndIsJson) {
  for (const std::uint32_t bytes : {0u, 2u, 5u, 11u, 12u, 512u, 65'536u}) {
    const std::string body = generated_body(bytes);
    EXPECT_EQ(body.size(), std::max<std::size_t>(bytes, 2)) << bytes;
    EXPECT_NO_THROW((void)boost::json::parse(body)) << body;
  }
}

}  // namespace
}  // namespace latencylab::graph
