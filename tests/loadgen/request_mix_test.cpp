#include "loadgen/request_mix.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cmath>
#include <set>

#include "loadgen/request_body_generator.hpp"
#include "loadgen/scenario.hpp"

namespace latencylab::loadgen {
namespace {

TargetAddress loopback_target() {
  return parse_target_url("http://127.0.0.1:8080").value();
}

TEST(RequestMix, SerializesCompleteHttp11Requests) {
  EXPECT_EQ(serialize_request("GET", "/health", "127.0.0.1:8080", "application/json", "", false),
            "GET /health HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: latencylab-load\r\n"
            "Accept: */*\r\n\r\n");
  EXPECT_EQ(serialize_request("POST", "/api/orders", "h", "application/json", "{}", true),
            "POST /api/orders HTTP/1.1\r\nHost: h\r\nUser-Agent: latencylab-load\r\nAccept: "
            "*/*\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: "
            "2\r\n\r\n{}");
}

TEST(RequestMix, PicksEndpointsInProportionToTheirWeights) {
  const auto scenario = load_scenario("demo");
  ASSERT_TRUE(scenario.has_value()) << scenario.error().message;
  const RequestMix mix(scenario->endpoints, loopback_target(), false, 1);
  ASSERT_EQ(mix.endpoint_count(), 4u);
  MixRng rng{42};
  std::vector<double> counts(mix.endpoint_count());
  constexpr int kDraws = 100'000;
  for (int i = 0; i < kDraws; ++i) ++counts[mix.pick(rng).endpoint];
  for (std::size_t e = 0; e < mix.endpoint_count(); ++e) {
    const double p =
        static_cast<double>(mix.endpoint_weight(e)) / static_cast<double>(mix.total_weight());
    const double sigma = std::sqrt(kDraws * p * (1 - p));
    EXPECT_NEAR(counts[e], kDraws * p, 5 * sigma) << mix.endpoint_name(e);
  }
}

TEST(RequestMix, GeneratedOrdersAreValidAndVaried) {
  BodyRng rng{3};
  std::set<std::string> distinct;
  for (int i = 0; i < 50; ++i) {
    const std::string body = generate_order_body(rng);
    distinct.insert(body);
    const auto order = boost::json::parse(body).as_object();
    EXPECT_TRUE(order.at("user_id").as_string().starts_with("user-"));
    const auto& items = order.at("items").as_array();
    ASSERT_FALSE(items.empty());
    EXPECT_GT(order.at("total").to_number<double>(), 0.0);
    for (const auto& item : items) EXPECT_GE(item.at("qty").as_int64(), 1);
  }
  EXPECT_GT(distinct.size(), 40u);
  const auto payment = boost::json::parse(generate_payment_body(rng)).as_object();
  EXPECT_TRUE(payment.at("order_id").as_string().starts_with("ORD-"));
  EXPECT_TRUE(generate_search_query(rng).starts_with("q="));
}

TEST(RequestMix, SameSeedPreparesTheSameRequests) {
  const auto scenario = load_scenario("storefront");
  ASSERT_TRUE(scenario.has_value()) << scenario.error().message;
  const RequestMix a(scenario->endpoints, loopback_target(), false, 9);
  const RequestMix b(scenario->endpoints, loopback_target(), false, 9);
  MixRng rng_a{5}, rng_b{5};
  for (int i = 0; i < 200; ++i) EXPECT_EQ(a.pick(rng_a).bytes, b.pick(rng_b).bytes);
}

}  // namespace
}  // namespace latencylab::loadgen
