#include "handlers/catalog.hpp"

#include <algorithm>
#include <boost/json/value.hpp>

#include "core/json_writer.hpp"
#include "core/text.hpp"

namespace latencylab::handlers {
namespace {

boost::json::object to_json(const Product& product) {
  return {{"id", product.id},
          {"name", product.name},
          {"category", product.category},
          {"price", product.price}};
}

bool contains_case_insensitive(std::string_view text, std::string_view needle) {
  const auto it =
      std::search(text.begin(), text.end(), needle.begin(), needle.end(),
                  [](char a, char b) { return core::ascii_lower(a) == core::ascii_lower(b); });
  return it != text.end();
}

std::string make_users_json() {
  boost::json::array users;
  const char* names[] = {"Ada Lovelace",   "Alan Turing",      "Grace Hopper",   "Edsger Dijkstra",
                         "Barbara Liskov", "Donald Knuth",     "Leslie Lamport", "Frances Allen",
                         "Ken Thompson",   "Margaret Hamilton"};
  int id = 1;
  for (const char* name : names) {
    std::string handle = name;
    std::replace(handle.begin(), handle.end(), ' ', '.');
    handle = core::to_lower(handle);
    users.push_back({{"id", "user" + std::to_string(id++)},
                     {"name", name},
                     {"email", handle + "@example.com"}});
  }
  return core::json::serialize(boost::json::object{{"users", users}, {"count", users.size()}});
}

}  // namespace

Catalog::Catalog()
    : products_{{"sku-1001", "Mechanical Keyboard", "peripherals", 129.00},
                {"sku-1002", "Wireless Mouse", "peripherals", 39.90},
                {"sku-1003", "27-inch Monitor", "displays", 329.00},
                {"sku-1004", "USB-C Dock", "accessories", 189.50},
                {"sku-1005", "Noise-Cancelling Headphones", "audio", 249.00},
                {"sku-1006", "Laptop Stand", "accessories", 49.00},
                {"sku-1007", "Webcam 4K", "video", 159.00},
                {"sku-1008", "Desk Microphone", "audio", 99.00},
                {"sku-1009", "Portable SSD 1TB", "storage", 119.00},
                {"sku-1010", "Ergonomic Chair", "furniture", 499.00}},
      users_json_(make_users_json()) {
  boost::json::array products;
  for (const auto& product : products_) products.push_back(to_json(product));
  products_json_ = core::json::serialize(
      boost::json::object{{"products", products}, {"count", products.size()}});
}

std::string Catalog::search_json(std::string_view query) const {
  boost::json::array results;
  for (const auto& product : products_) {
    if (contains_case_insensitive(product.name, query) ||
        contains_case_insensitive(product.category, query)) {
      results.push_back(to_json(product));
    }
  }
  return core::json::serialize(
      boost::json::object{{"query", query}, {"results", results}, {"count", results.size()}});
}

}  // namespace latencylab::handlers
