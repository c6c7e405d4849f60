// Unit: the request head the downstream client writes (http/client_request.hpp).
#include "http/client_request.hpp"

#include <gtest/gtest.h>

#include <string>

namespace latencylab::http {
namespace {

std::string head_of(const ClientRequest& request) {
  std::string out = "left over from the previous request";
  serialize_request_head(request, "payments:8082", out);
  return out;
}

TEST(ClientRequestHead, AGetCarriesHostAndUserAgentOnly) {
  EXPECT_EQ(head_of({Verb::get, "/api/orders?limit=5", {}, {}}),
            "GET /api/orders?limit=5 HTTP/1.1\r\nHost: payments:8082\r\n"
            "User-Agent: latencylab\r\n\r\n");
}

TEST(ClientRequestHead, ABodyIsSentAsJsonWithItsLengthAndTheRequestIdIsPassedOn) {
  EXPECT_EQ(head_of({Verb::post, "/api/payments", R"({"amount":5})", "5f3a9c1e-00000000002a"}),
            "POST /api/payments HTTP/1.1\r\nHost: payments:8082\r\nUser-Agent: latencylab\r\n"
            "X-Request-Id: 5f3a9c1e-00000000002a\r\nContent-Type: application/json\r\n"
            "Content-Length: 12\r\n\r\n");
}

TEST(ClientRequestHead, AnEmptyPostSaysContentLengthZero) {
  EXPECT_EQ(head_of({Verb::post, "/api/orders", {}, {}}),
            "POST /api/orders HTTP/1.1\r\nHost: payments:8082\r\nUser-Agent: latencylab\r\n"
            "Content-Length: 0\r\n\r\n");
}

TEST(ClientRequestHead, IdempotentMethodsAreThoseOfRfc9110) {
  EXPECT_TRUE(is_idempotent(Verb::get));
  EXPECT_TRUE(is_idempotent(Verb::head));
  EXPECT_TRUE(is_idempotent(Verb::put));
  EXPECT_TRUE(is_idempotent(Verb::delete_));
  EXPECT_FALSE(is_idempotent(Verb::post));
  EXPECT_FALSE(is_idempotent(Verb::patch));
}

TEST(ClientErrorNames, AreTheErrorTypeValues) {
  EXPECT_EQ(client_error_name(ClientError::timeout), "timeout");
  EXPECT_EQ(client_error_name(ClientError::connection_error), "connection_error");
  EXPECT_EQ(client_error_name(ClientError::invalid_response), "invalid_response");
  EXPECT_EQ(client_error_name(ClientError::cancelled), "cancelled");
}

}  // namespace
}  // namespace latencylab::http
