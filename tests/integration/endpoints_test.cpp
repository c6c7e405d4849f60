// Every endpoint over loopback: status, headers and body as a client sees them.
#include <gtest/gtest.h>

#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "app/healthcheck_command.hpp"
#include "service_fixture.hpp"

namespace latencylab::testing {
namespace {

using beast_http::field;
using beast_http::verb;

boost::json::object json_of(const Response& response) {
  EXPECT_EQ(response[field::content_type], "application/json");
  return boost::json::parse(response.body()).as_object();
}

// No simulated failures or declines, so every assertion below is deterministic.
void reliable(app::ServiceOptions& options) {
  static const GraphFile graph("reliable", [](config::Service& service) {
    for (auto& route : service.routes) {
      for_each_fail_step(route.steps, [](config::FailStep& fail) { fail.probability = 0.0; });
    }
    service.business.decline_rate = 0.0;
  });
  options.config.graph = graph.path();
}

class EndpointsTest : public ::testing::Test {
 protected:
  ServiceFixture service_{reliable};
};

TEST_F(EndpointsTest, HealthReportsOkWithTimestamp) {
  const auto response = service_.request(verb::get, "/health");
  EXPECT_EQ(response.result_int(), 200);
  const auto body = json_of(response);
  EXPECT_EQ(body.at("status"), "ok");
  EXPECT_EQ(body.at("timestamp").as_string().size(), 24u);  // 2026-11-24T10:35:59.123Z
}

TEST_F(EndpointsTest, ReadyWhileServing) {
  const auto response = service_.request(verb::get, "/ready");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(json_of(response).at("status"), "ready");
}

TEST_F(EndpointsTest, UsersListsUsers) {
  const auto response = service_.request(verb::get, "/api/users");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(json_of(response).at("users").as_array().size(), 10u);
}

TEST_F(EndpointsTest, OrderIsCreatedThenRetrievable) {
  const auto created =
      service_.request(verb::post, "/api/orders",
                       R"({"user_id":"u7","items":[{"id":"sku-1","qty":2}],"total":12.5})");
  ASSERT_EQ(created.result_int(), 201) << created.body();
  const auto body = json_of(created);
  EXPECT_EQ(body.at("status"), "created");
  ASSERT_TRUE(body.contains("created_at"));
  const std::string id(body.at("order_id").as_string());

  const auto fetched = service_.request(verb::get, "/api/orders/" + id);
  EXPECT_EQ(fetched.result_int(), 200);
  EXPECT_EQ(json_of(fetched).at("user_id"), "u7");

  const auto missing = service_.request(verb::get, "/api/orders/ORD-nope");
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(json_of(missing).at("error"), "order_not_found");
}

// Numbers come back the way the client wrote them, not in exponent form (10, not 1E1).
TEST_F(EndpointsTest, NumbersInResponsesReadAsWritten) {
  const auto whole = service_.request(verb::post, "/api/orders",
                                      R"({"user_id":"u","items":[{"id":"a","qty":2}],"total":10})");
  ASSERT_EQ(whole.result_int(), 201) << whole.body();
  EXPECT_NE(whole.body().find(R"("items":[{"id":"a","qty":2}],"total":10})"), std::string::npos)
      << whole.body();
  const auto fraction = service_.request(
      verb::post, "/api/orders", R"({"user_id":"u","items":[{"id":"a","qty":1}],"total":0.1})");
  EXPECT_NE(fraction.body().find(R"("total":0.1})"), std::string::npos) << fraction.body();
  const auto payment =
      service_.request(verb::post, "/api/payments", R"({"amount":25,"currency":"EUR"})");
  EXPECT_NE(payment.body().find(R"("amount":25,)"), std::string::npos) << payment.body();
  const auto products = service_.request(verb::get, "/api/products");
  EXPECT_NE(products.body().find(R"("price":129})"), std::string::npos) << products.body();
  EXPECT_NE(products.body().find(R"("price":39.9})"), std::string::npos) << products.body();
}

TEST_F(EndpointsTest, InvalidOrdersAre400NamingTheField) {
  const auto response = service_.request(
      verb::post, "/api/orders", R"({"user_id":"u","items":[{"id":"a","qty":0}],"total":1})");
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_NE(json_of(response).at("message").as_string().find("items[0].qty"), std::string::npos);
}

TEST_F(EndpointsTest, OrdersNeedJsonContentType) {
  const auto response = service_.request(verb::post, "/api/orders", "user_id=u", "text/plain");
  EXPECT_EQ(response.result_int(), 415);
  EXPECT_NE(json_of(response).at("message").as_string().find("application/json"),
            std::string::npos);
}

TEST_F(EndpointsTest, MalformedAndTooDeepJsonAre400) {
  EXPECT_EQ(service_.request(verb::post, "/api/orders", R"({"user_id":)").result_int(), 400);
  const std::string deep = std::string(64, '[') + std::string(64, ']');
  EXPECT_EQ(service_.request(verb::post, "/api/orders", deep).result_int(), 400);
  EXPECT_EQ(service_
                .request(verb::post, "/api/orders",
                         R"({"user_id":"u","items":[{"id":"a","qty":1}],"total":1e999})")
                .result_int(),
            400);
}

TEST_F(EndpointsTest, SlowAnswersItsMessage) {
  const auto response = service_.request(verb::get, "/api/slow");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(json_of(response).at("message"), "This was intentionally slow");
}

TEST_F(EndpointsTest, ProductsAndReports) {
  EXPECT_EQ(json_of(service_.request(verb::get, "/api/products")).at("count"), 10);
  const auto report = json_of(service_.request(verb::get, "/api/reports"));
  EXPECT_TRUE(report.contains("report_id"));
  EXPECT_TRUE(report.contains("rows"));
}

TEST_F(EndpointsTest, SearchNeedsQ) {
  const auto found = service_.request(verb::get, "/api/search?q=usb");
  EXPECT_EQ(found.result_int(), 200);
  EXPECT_EQ(json_of(found).at("count"), 1);
  const auto missing = service_.request(verb::get, "/api/search");
  EXPECT_EQ(missing.result_int(), 400);
  EXPECT_NE(json_of(missing).at("message").as_string().find("q"), std::string::npos);
}

TEST_F(EndpointsTest, PaymentsValidateThenApprove) {
  const auto approved =
      service_.request(verb::post, "/api/payments", R"({"amount":10,"currency":"EUR"})");
  EXPECT_EQ(approved.result_int(), 201);
  EXPECT_EQ(json_of(approved).at("status"), "approved");
  const auto invalid =
      service_.request(verb::post, "/api/payments", R"({"amount":10,"currency":"XXX"})");
  EXPECT_EQ(invalid.result_int(), 400);
}

TEST_F(EndpointsTest, UnknownPathIs404Json) {
  const auto response = service_.request(verb::get, "/nope");
  EXPECT_EQ(response.result_int(), 404);
  EXPECT_EQ(json_of(response).at("error"), "not_found");
}

TEST_F(EndpointsTest, WrongMethodIs405WithAllow) {
  const auto response = service_.request(verb::delete_, "/api/users");
  EXPECT_EQ(response.result_int(), 405);
  EXPECT_EQ(response[field::allow], "GET, HEAD");
  EXPECT_EQ(json_of(response).at("error"), "method_not_allowed");
}

TEST_F(EndpointsTest, HeadHasGetsHeadersWithoutBody) {
  auto socket = service_.connect();
  boost::asio::write(
      socket, boost::asio::buffer(std::string_view("HEAD /api/products HTTP/1.1\r\nHost: x\r\n\r\n"
                                                   "GET /health HTTP/1.1\r\nHost: x\r\n\r\n")));
  boost::beast::flat_buffer buffer;
  beast_http::response_parser<beast_http::string_body> head;
  head.skip(true);  // a response to HEAD has no body, whatever Content-Length says
  beast_http::read(socket, buffer, head);
  EXPECT_EQ(head.get().result_int(), 200);
  EXPECT_GT(std::stoul(std::string(head.get()[field::content_length])), 100u);
  EXPECT_TRUE(head.get().body().empty());
  // Had the server sent a body, it would now be parsed as the next response and fail.
  Response next;
  beast_http::read(socket, buffer, next);
  EXPECT_EQ(json_of(next).at("status"), "ok");
}

TEST_F(EndpointsTest, RequestIdIsEchoedOrGenerated) {
  auto socket = service_.connect();
  auto echoed =
      exchange_raw(socket, "GET /health HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc-123\r\n\r\n");
  EXPECT_EQ(echoed.response["X-Request-Id"], "abc-123");
  auto generated = service_.request(verb::get, "/health");
  EXPECT_FALSE(generated["X-Request-Id"].empty());
  EXPECT_NE(generated["X-Request-Id"], service_.request(verb::get, "/health")["X-Request-Id"]);
}

TEST_F(EndpointsTest, KeepAliveAndPipelinedRequestsAnsweredInOrder) {
  auto socket = service_.connect();
  const std::string pipelined =
      "GET /api/slow HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n";
  boost::asio::write(socket, boost::asio::buffer(pipelined));
  boost::beast::flat_buffer buffer;
  std::vector<unsigned> statuses;
  for (int i = 0; i < 3; ++i) {
    Response response;
    beast_http::read(socket, buffer, response);
    statuses.push_back(response.result_int());
  }
  EXPECT_EQ(statuses, (std::vector<unsigned>{200, 200, 404}));
}

// The container HEALTHCHECK must work for an IPv6 listener: the URL's [::1] is resolved as ::1
// and sent as "[::1]:port" in the Host header.
TEST(Healthcheck, ReachesAnIpv6Listener) {
  ServiceFixture service{
      [](app::ServiceOptions& options) { options.config.server.address = "::1"; }};
  std::string command = "healthcheck";
  std::string flag = "--url";
  std::string url = "http://[::1]:" + std::to_string(service.port()) + "/health";
  std::vector<char*> argv{command.data(), flag.data(), url.data()};
  EXPECT_EQ(app::run_healthcheck_command(static_cast<int>(argv.size()), argv.data()), 0);
}

}  // namespace
}  // namespace latencylab::testing
