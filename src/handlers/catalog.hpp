// The fixed data the read endpoints serve: users and the product catalogue. Serialized once at
// startup; handlers copy the prepared text instead of building JSON per request.
//
//   Catalog catalog;  // once, at startup
//   ctx.response = json_response(ctx.request, Status::ok, catalog.users_json());
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace latencylab::handlers {

struct Product {
  std::string id;
  std::string name;
  std::string category;
  double price;
};

class Catalog {
 public:
  Catalog();

  [[nodiscard]] const std::string& users_json() const noexcept { return users_json_; }
  [[nodiscard]] const std::string& products_json() const noexcept { return products_json_; }

  // {"query": q, "results": [...products whose name contains q, case-insensitively...]}
  [[nodiscard]] std::string search_json(std::string_view query) const;

 private:
  std::vector<Product> products_;
  std::string users_json_;
  std::string products_json_;
};

}  // namespace latencylab::handlers
