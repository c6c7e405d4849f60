#include "http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace latencylab::http {
namespace {

Handler noop() {
  return [](RequestContext&) -> awaitable<void> { co_return; };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    health_ = router_.add("/health", Verb::get, noop());
    orders_ = router_.add("/api/orders", Verb::post, noop());
    order_ = router_.add("/api/orders/{id}", Verb::get, noop());
  }
  Router router_;
  std::size_t health_ = 0, orders_ = 0, order_ = 0;
};

TEST_F(RouterTest, MatchesExactPaths) {
  const auto match = router_.match(Verb::get, "/health");
  EXPECT_EQ(match.kind, Router::Match::Kind::found);
  EXPECT_EQ(match.route_index, health_);
  EXPECT_NE(match.handler, nullptr);
}

TEST_F(RouterTest, CapturesTheParameterSegment) {
  const auto match = router_.match(Verb::get, "/api/orders/ORD-42");
  ASSERT_EQ(match.kind, Router::Match::Kind::found);
  EXPECT_EQ(match.route_index, order_);
  EXPECT_EQ(match.param, "ORD-42");
}

TEST_F(RouterTest, ParameterMustBeOneNonEmptySegment) {
  EXPECT_EQ(router_.match(Verb::get, "/api/orders/").kind, Router::Match::Kind::not_found);
  EXPECT_EQ(router_.match(Verb::get, "/api/orders/a/b").kind, Router::Match::Kind::not_found);
}

TEST_F(RouterTest, UnknownPathsAndNearMissesAreNotFound) {
  EXPECT_EQ(router_.match(Verb::get, "/").kind, Router::Match::Kind::not_found);
  EXPECT_EQ(router_.match(Verb::get, "/health/").kind, Router::Match::Kind::not_found);
  EXPECT_EQ(router_.match(Verb::get, "/healthz").kind, Router::Match::Kind::not_found);
  EXPECT_EQ(router_.match(Verb::get, "health").kind, Router::Match::Kind::not_found);
}

TEST_F(RouterTest, WrongMethodReportsAllowedMethods) {
  const auto match = router_.match(Verb::delete_, "/api/orders");
  EXPECT_EQ(match.kind, Router::Match::Kind::method_not_allowed);
  EXPECT_EQ(match.route_index, orders_);
  EXPECT_EQ(match.allow, "POST");
  EXPECT_EQ(router_.match(Verb::post, "/health").allow, "GET, HEAD");
}

TEST_F(RouterTest, HeadIsServedByTheGetHandler) {
  const auto match = router_.match(Verb::head, "/health");
  EXPECT_EQ(match.kind, Router::Match::Kind::found);
  EXPECT_EQ(match.route_index, health_);
}

TEST_F(RouterTest, RouteTemplatesAreIndexedByRoute) {
  const auto templates = router_.route_templates();
  ASSERT_EQ(templates.size(), 3u);
  EXPECT_EQ(templates[order_], "/api/orders/{id}");
}

TEST_F(RouterTest, DuplicateOrMalformedRegistrationsAreRejected) {
  EXPECT_THROW(router_.add("/health", Verb::get, noop()), std::invalid_argument);
  EXPECT_THROW(router_.add("health", Verb::get, noop()), std::invalid_argument);
  EXPECT_NO_THROW(router_.add("/health", Verb::post, noop()));
  EXPECT_EQ(router_.match(Verb::put, "/health").allow, "GET, HEAD, POST");
}

}  // namespace
}  // namespace latencylab::http
