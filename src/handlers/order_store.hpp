// The bounded in-memory order store behind POST /api/orders and GET /api/orders/{id}.
//
// Orders are kept as their serialized JSON so a GET is a lookup and a copy. Beyond `capacity`
// the oldest order is evicted (a later GET for it is a 404), so memory stays bounded however long
// a load test runs.
//
// Threading: io thread only.
//
//   OrderStore store{10'000};
//   store.insert("ORD-00000001", R"({"order_id":"ORD-00000001",...})");
//   const std::string* json = store.find("ORD-00000001");
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace latencylab::handlers {

class OrderStore {
 public:
  explicit OrderStore(std::size_t capacity);

  void insert(std::string order_id, std::string order_json);
  [[nodiscard]] const std::string* find(std::string_view order_id) const;
  [[nodiscard]] std::size_t size() const noexcept { return orders_.size(); }

 private:
  // Transparent hashing: find() by string_view without building a std::string.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const noexcept {
      return std::hash<std::string_view>{}(key);
    }
  };

  std::size_t capacity_;
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> orders_;
  std::deque<std::string> insertion_order_;  // oldest first, for eviction
};

}  // namespace latencylab::handlers
