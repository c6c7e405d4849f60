#include "handlers/health_handler.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace latencylab::handlers {
namespace {

http::Response call(const HealthHandler& handler, bool ready_endpoint) {
  asio::io_context io;
  http::Request request{http::Verb::get, "/ready", 11};
  http::Response response;
  http::RequestContext ctx{request, "/ready", "", "", response};
  asio::co_spawn(
      io,
      [&]() -> awaitable<void> {
        // if/else, not ?: : GCC 12 miscompiles co_await inside a conditional expression.
        if (ready_endpoint) {
          co_await handler.ready(ctx);
        } else {
          co_await handler.health(ctx);
        }
      },
      [](std::exception_ptr failure) {
        if (failure) std::rethrow_exception(failure);
      });
  io.run();
  return response;
}

TEST(HealthHandlerTest, ReadyTurns503WhenTheDrainBegins) {
  bool drain_begun = false;
  HealthHandler handler{[&drain_begun] { return drain_begun; }};
  EXPECT_EQ(call(handler, true).result_int(), 200);
  drain_begun = true;
  const auto draining = call(handler, true);
  EXPECT_EQ(draining.result_int(), 503);
  EXPECT_EQ(draining.body(), R"({"status":"draining"})");
  EXPECT_EQ(call(handler, false).result_int(), 200);  // liveness is unaffected
}

TEST(HealthHandlerTest, BodyCarriesRfc3339Timestamp) {
  const std::chrono::system_clock::time_point t{std::chrono::seconds(0)};
  EXPECT_EQ(health_body(t), R"({"status":"ok","timestamp":"1970-01-01T00:00:00.000Z"})");
}

}  // namespace
}  // namespace latencylab::handlers
