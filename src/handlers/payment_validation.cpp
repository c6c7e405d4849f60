#include "handlers/payment_validation.hpp"

#include <algorithm>

#include "handlers/json_fields.hpp"

namespace latencylab::handlers {
namespace {

std::string join(const std::vector<std::string>& words) {
  std::string joined;
  for (const auto& word : words) {
    if (!joined.empty()) joined += ", ";
    joined += word;
  }
  return joined;
}

}  // namespace

core::Result<Payment> validate_payment(const boost::json::value& body,
                                       const std::vector<std::string>& currencies,
                                       double max_amount) {
  const boost::json::object* object = body.if_object();
  if (object == nullptr) return core::Problem{"", "the body must be a JSON object"};

  Payment payment;
  auto amount = required_positive_number(*object, "amount", "amount", max_amount);
  if (!amount) return amount.error();
  payment.amount = *amount;

  auto currency = required_string(*object, "currency", "currency", 16);
  if (!currency) return currency.error();
  payment.currency = *currency;
  if (std::find(currencies.begin(), currencies.end(), payment.currency) == currencies.end()) {
    return invalid_field("currency", "one of " + join(currencies));
  }

  if (object->contains("order_id")) {
    auto order_id = required_string(*object, "order_id", "order_id");
    if (!order_id) return order_id.error();
    payment.order_id = *order_id;
  }
  return payment;
}

}  // namespace latencylab::handlers
