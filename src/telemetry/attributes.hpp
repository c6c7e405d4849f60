// Building and comparing attribute sets (the AttributeList of metric_data.hpp).
//
// Attribute sets are built once, when an instrument series is bound (startup or the first time a
// combination appears), never per recording. make_attributes() sorts by key and rejects duplicate
// keys so two spellings of the same set compare equal and map to one series.
//
//   AttributeList attrs =
//       make_attributes({{"http.route", "/health"}, {"http.request.method", "GET"}});
#pragma once

#include <initializer_list>
#include <string_view>

#include "telemetry/metric_data.hpp"

namespace latencylab::telemetry {

// Sorts by key; throws std::invalid_argument on a duplicate key (a programming error at bind time).
[[nodiscard]] AttributeList make_attributes(AttributeList attributes);
[[nodiscard]] AttributeList make_attributes(std::initializer_list<Attribute> attributes);

// Strict weak order over whole sets, for the bind-time index.
struct AttributeListLess {
  bool operator()(const AttributeList& a, const AttributeList& b) const noexcept;
};

// nullptr when the key is absent.
[[nodiscard]] const AttributeValue* find_attribute(const AttributeList& attributes,
                                                   std::string_view key) noexcept;

}  // namespace latencylab::telemetry
