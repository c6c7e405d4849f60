#include "handlers/order_validation.hpp"

#include "handlers/json_fields.hpp"

namespace latencylab::handlers {

Validated<Order> validate_order(const boost::json::value& body, std::size_t max_items) {
  const boost::json::object* object = body.if_object();
  if (object == nullptr) return ValidationError{"", "the body must be a JSON object"};

  Order order;
  auto user_id = required_string(*object, "user_id", "user_id");
  if (auto* error = std::get_if<ValidationError>(&user_id)) return std::move(*error);
  order.user_id = std::get<std::string_view>(user_id);

  const boost::json::value* items = object->if_contains("items");
  if (items == nullptr) return missing_field("items");
  const boost::json::array* item_array = items->if_array();
  if (item_array == nullptr || item_array->empty() || item_array->size() > max_items) {
    return ValidationError{
        "items", "items must be an array of 1 to " + std::to_string(max_items) + " items"};
  }
  order.items.reserve(item_array->size());
  for (std::size_t i = 0; i < item_array->size(); ++i) {
    const std::string path = "items[" + std::to_string(i) + "]";
    const boost::json::object* item = (*item_array)[i].if_object();
    if (item == nullptr) return ValidationError{path, path + " must be an object"};
    auto id = required_string(*item, "id", path + ".id");
    if (auto* error = std::get_if<ValidationError>(&id)) return std::move(*error);
    auto qty = required_integer(*item, "qty", path + ".qty", 1, kMaxItemQuantity);
    if (auto* error = std::get_if<ValidationError>(&qty)) return std::move(*error);
    order.items.push_back(
        OrderItem{std::string(std::get<std::string_view>(id)), std::get<std::int64_t>(qty)});
  }

  auto total = required_positive_number(*object, "total", "total", kMaxOrderTotal);
  if (auto* error = std::get_if<ValidationError>(&total)) return std::move(*error);
  order.total = std::get<double>(total);
  return order;
}

}  // namespace latencylab::handlers
