#include "handlers/order_store.hpp"

namespace latencylab::handlers {

OrderStore::OrderStore(std::size_t capacity) : capacity_(capacity) {}

void OrderStore::insert(std::string order_id, std::string order_json) {
  if (capacity_ == 0) return;
  if (orders_.size() >= capacity_) {
    orders_.erase(insertion_order_.front());
    insertion_order_.pop_front();
  }
  insertion_order_.push_back(order_id);
  orders_.insert_or_assign(std::move(order_id), std::move(order_json));
}

const std::string* OrderStore::find(std::string_view order_id) const {
  const auto it = orders_.find(order_id);
  return it == orders_.end() ? nullptr : &it->second;
}

}  // namespace latencylab::handlers
