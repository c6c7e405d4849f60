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

Validated<Payment> validate_payment(const boost::json::value& body,
                                    const std::vector<std::string>& currencies, double max_amount) {
  const boost::json::object* object = body.if_object();
  if (object == nullptr) return ValidationError{"", "the body must be a JSON object"};

  Payment payment;
  auto amount = required_positive_number(*object, "amount", "amount", max_amount);
  if (auto* error = std::get_if<ValidationError>(&amount)) return std::move(*error);
  payment.amount = std::get<double>(amount);

  auto currency = required_string(*object, "currency", "currency", 16);
  if (auto* error = std::get_if<ValidationError>(&currency)) return std::move(*error);
  payment.currency = std::get<std::string_view>(currency);
  if (std::find(currencies.begin(), currencies.end(), payment.currency) == currencies.end()) {
    return ValidationError{"currency", "currency must be one of " + join(currencies)};
  }

  if (object->contains("order_id")) {
    auto order_id = required_string(*object, "order_id", "order_id");
    if (auto* error = std::get_if<ValidationError>(&order_id)) return std::move(*error);
    payment.order_id = std::get<std::string_view>(order_id);
  }
  return payment;
}

}  // namespace latencylab::handlers
