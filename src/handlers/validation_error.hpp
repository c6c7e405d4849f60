// The outcome of validating a request body: the typed value, or which field is wrong and why.
//
//   Validated<Order> result = validate_order(json);
//   if (auto* error = std::get_if<ValidationError>(&result)) { /* 400 naming error->field */ }
#pragma once

#include <string>
#include <variant>

namespace latencylab::handlers {

struct ValidationError {
  std::string field;    // dotted path into the body, e.g. "items[0].qty"; empty for the body itself
  std::string message;  // names the field and the rule, e.g. "items[0].qty must be an integer >= 1"
};

template <typename T>
using Validated = std::variant<T, ValidationError>;

}  // namespace latencylab::handlers
