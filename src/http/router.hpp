// The route table: path templates ("/api/orders/{id}") with one handler per method, frozen before
// the server listens (seastar-style), matched without allocation or hashing.
//
//   Router router;
//   router.add("/api/orders/{id}", Verb::get, get_order);
//   auto match = router.match(Verb::get, "/api/orders/ORD-1");  // match.param == "ORD-1"
//
// GET routes answer HEAD too. A path that matches a template but not the method is
// Match::Kind::method_not_allowed with the precomputed Allow value.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace latencylab::http {

// Answers into ctx.response (message.hpp).
using Handler = std::function<awaitable<void>(RequestContext&)>;

class Router {
 public:
  struct Match {
    enum class Kind { found, method_not_allowed, not_found };
    Kind kind = Kind::not_found;
    std::size_t route_index = 0;       // valid unless not_found
    const Handler* handler = nullptr;  // valid when found
    std::string_view param;            // the {param} segment's text, when the template has one
    std::string_view allow;            // "GET, HEAD" etc., valid unless not_found
    std::string_view route_template;   // "/api/orders/{id}", valid unless not_found
  };

  // Startup only. Throws std::invalid_argument on a malformed or duplicate registration.
  // Returns the route's index (stable; the index into route_templates()).
  std::size_t add(std::string_view path_template, Verb verb, Handler handler);

  [[nodiscard]] Match match(Verb verb, std::string_view path) const noexcept;

  // Index i is the template of route i: what http.route carries in metrics.
  [[nodiscard]] std::vector<std::string_view> route_templates() const;

 private:
  struct MethodHandler {
    Verb verb;
    Handler handler;
  };
  struct Route {
    std::string path_template;
    std::vector<std::string> segments;  // "{...}" marks the parameter segment
    std::vector<MethodHandler> methods;
    std::string allow;
  };

  static bool matches(const Route& route, std::string_view path, std::string_view& param) noexcept;
  static std::string build_allow(const std::vector<MethodHandler>& methods);

  std::vector<Route> routes_;
};

}  // namespace latencylab::http
