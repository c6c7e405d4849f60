#include "handlers/order_validation.hpp"

#include "handlers/json_fields.hpp"

namespace latencylab::handlers {

core::Result<Order> validate_order(const boost::json::value& body, std::size_t max_items) {
  const boost::json::object* object = body.if_object();
  if (object == nullptr) return core::Problem{"", "the body must be a JSON object"};

  Order order;
  auto user_id = required_string(*object, "user_id", "user_id");
  if (!user_id) return user_id.error();
  order.user_id = *user_id;

  const boost::json::value* items = object->if_contains("items");
  if (items == nullptr) return missing_field("items");
  const boost::json::array* item_array = items->if_array();
  if (item_array == nullptr || item_array->empty() || item_array->size() > max_items) {
    return invalid_field("items", "an array of 1 to " + std::to_string(max_items) + " items");
  }
  order.items.reserve(item_array->size());
  for (std::size_t i = 0; i < item_array->size(); ++i) {
    const std::string path = "items[" + std::to_string(i) + "]";
    const boost::json::object* item = (*item_array)[i].if_object();
    if (item == nullptr) return invalid_field(path, "an object");
    auto id = required_string(*item, "id", path + ".id");
    if (!id) return id.error();
    auto qty = required_integer(*item, "qty", path + ".qty", 1, kMaxItemQuantity);
    if (!qty) return qty.error();
    order.items.push_back(OrderItem{std::string(*id), *qty});
  }

  auto total = required_positive_number(*object, "total", "total", kMaxOrderTotal);
  if (!total) return total.error();
  order.total = *total;
  return order;
}

}  // namespace latencylab::handlers
