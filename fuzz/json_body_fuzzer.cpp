// Fuzzes request body validation: the Content-Type check and JSON parse of json_body.cpp, then
// order and payment validation (order_validation.cpp, payment_validation.cpp) with the service's
// default limits, as POST /api/orders and POST /api/payments run them.
//
// Input: the Content-Type header value up to the first line break, the request body after the
// newline (a parsed header value never contains CR or LF).
#include <algorithm>
#include <boost/json/monotonic_resource.hpp>
#include <cmath>

#include "config/graph_file.hpp"
#include "fuzz_target.hpp"
#include "handlers/json_body.hpp"
#include "handlers/order_validation.hpp"
#include "handlers/payment_validation.hpp"

namespace {

using namespace latencylab;
using latencylab::fuzz::require;

// A rejection names the field it is about (an empty field is the body itself) and the rule.
void check_error(const core::Problem& error) {
  require(!error.message.empty(), "a validation error has a message");
  require(error.message.starts_with(error.path), "a validation error message names its field");
}

void check_order(const boost::json::value& body, std::size_t max_items) {
  auto result = handlers::validate_order(body, max_items);
  if (!result) return check_error(result.error());
  const handlers::Order& order = *result;
  require(!order.user_id.empty() && order.user_id.size() <= 128, "user_id is 1-128 bytes");
  require(!order.items.empty() && order.items.size() <= max_items, "1 to max_items items");
  for (const auto& item : order.items) {
    require(!item.id.empty(), "an item has an id");
    require(item.qty >= 1 && item.qty <= handlers::kMaxItemQuantity, "an item's qty is in range");
  }
  require(std::isfinite(order.total) && order.total > 0 && order.total <= handlers::kMaxOrderTotal,
          "the total is a positive finite number in range");
}

void check_payment(const boost::json::value& body, const config::Business& business) {
  auto result = handlers::validate_payment(body, business.currencies, business.max_payment_amount);
  if (!result) return check_error(result.error());
  const handlers::Payment& payment = *result;
  require(std::isfinite(payment.amount) && payment.amount > 0 &&
              payment.amount <= business.max_payment_amount,
          "the amount is a positive finite number up to max_amount");
  require(std::find(business.currencies.begin(), business.currencies.end(), payment.currency) !=
              business.currencies.end(),
          "the currency is a configured one");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The business parameters of the default graph, which today's endpoints validate against.
  static const config::Business& business = config::default_graph().services.front().business;
  const std::string_view input = latencylab::fuzz::as_text(data, size);
  const std::size_t newline = input.find('\n');
  const std::string_view content_type = input.substr(0, input.find_first_of("\r\n"));
  const std::string_view body =
      newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);

  http::Request request{http::Verb::post, "/api/orders", 11};
  request.set(http::beast_http::field::content_type, content_type);
  request.body() = std::string(body);

  boost::json::monotonic_resource memory;
  auto parsed = handlers::parse_json_body(request, memory);
  if (!parsed) {
    require(!parsed.error().message.empty(), "a rejection is explained");
    const http::Response answer = handlers::unparsable_body_response(request, parsed.error());
    require((answer.result() == http::Status::unsupported_media_type) ==
                !handlers::is_json_content_type(request[http::beast_http::field::content_type]),
            "415 exactly when the Content-Type is not JSON");
    return 0;
  }
  const boost::json::value& json = *parsed;
  check_order(json, business.max_order_items);
  check_payment(json, business);
  return 0;
}
