// Cost of reading a POST body as the handlers do: parse_json_body (Content-Type check, bounded
// depth, into a monotonic buffer) and then validate_order / validate_payment, for the bodies
// `latencylab load` generates. Validation alone is measured too, to separate it from parsing.
//
//   build/<dir>/bench/handlers_validation_benchmark
#include <benchmark/benchmark.h>

#include <boost/json/monotonic_resource.hpp>
#include <string>
#include <vector>

#include "handlers/json_body.hpp"
#include "handlers/order_validation.hpp"
#include "handlers/payment_validation.hpp"

namespace latencylab::handlers {
namespace {

// Shaped like the load generator's `generate: order` and `generate: payment` bodies.
constexpr const char* kOrderBody =
    R"({"user_id":"user-417","items":[{"id":"sku-0032","qty":2},{"id":"sku-1001","qty":1},)"
    R"({"id":"sku-0007","qty":3}],"total":187.45})";
constexpr const char* kPaymentBody =
    R"({"order_id":"ORD-1700000000-000042","amount":59.98,"currency":"EUR","method":"card"})";
constexpr std::size_t kMaxItems = 100;
constexpr double kMaxAmount = 100000.0;

const std::vector<std::string>& currencies() {
  static const std::vector<std::string> value{"USD", "EUR", "GBP", "JPY"};
  return value;
}

http::Request json_request(const char* body) {
  http::Request request{http::Verb::post, "/api/orders", 11};
  request.set(http::beast_http::field::content_type, "application/json");
  request.body() = body;
  request.prepare_payload();
  return request;
}

boost::json::value parsed(const char* body) {
  boost::json::monotonic_resource memory;
  const http::Request request = json_request(body);
  auto result = parse_json_body(request, memory);
  // Copy out of the monotonic buffer into default storage.
  return boost::json::value(result.value(), {});
}

void BM_ParseAndValidateOrder(benchmark::State& state) {
  const http::Request request = json_request(kOrderBody);
  for (auto _ : state) {
    boost::json::monotonic_resource memory;
    auto body = parse_json_body(request, memory);
    auto order = validate_order(body.value(), kMaxItems);
    benchmark::DoNotOptimize(order);
  }
}
BENCHMARK(BM_ParseAndValidateOrder);

void BM_ValidateOrder(benchmark::State& state) {
  const boost::json::value body = parsed(kOrderBody);
  for (auto _ : state) {
    auto order = validate_order(body, kMaxItems);
    benchmark::DoNotOptimize(order);
  }
}
BENCHMARK(BM_ValidateOrder);

void BM_ParseAndValidatePayment(benchmark::State& state) {
  const http::Request request = json_request(kPaymentBody);
  for (auto _ : state) {
    boost::json::monotonic_resource memory;
    auto body = parse_json_body(request, memory);
    auto payment = validate_payment(body.value(), currencies(), kMaxAmount);
    benchmark::DoNotOptimize(payment);
  }
}
BENCHMARK(BM_ParseAndValidatePayment);

void BM_ValidatePayment(benchmark::State& state) {
  const boost::json::value body = parsed(kPaymentBody);
  for (auto _ : state) {
    auto payment = validate_payment(body, currencies(), kMaxAmount);
    benchmark::DoNotOptimize(payment);
  }
}
BENCHMARK(BM_ValidatePayment);

// A rejected body: the 400 path builds the error message naming the field.
void BM_ValidateOrderRejected(benchmark::State& state) {
  const boost::json::value body =
      parsed(R"({"user_id":"user-417","items":[{"id":"sku-0032","qty":0}],"total":10.0})");
  for (auto _ : state) {
    auto order = validate_order(body, kMaxItems);
    benchmark::DoNotOptimize(order);
  }
}
BENCHMARK(BM_ValidateOrderRejected);

}  // namespace
}  // namespace latencylab::handlers
