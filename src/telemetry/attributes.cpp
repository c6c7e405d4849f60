#include "telemetry/attributes.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace latencylab::telemetry {

AttributeList make_attributes(AttributeList attributes) {
  std::sort(attributes.begin(), attributes.end(),
            [](const Attribute& a, const Attribute& b) { return a.key < b.key; });
  const auto duplicate =
      std::adjacent_find(attributes.begin(), attributes.end(),
                         [](const Attribute& a, const Attribute& b) { return a.key == b.key; });
  if (duplicate != attributes.end()) {
    throw std::invalid_argument("duplicate attribute key: " + duplicate->key);
  }
  return attributes;
}

AttributeList make_attributes(std::initializer_list<Attribute> attributes) {
  return make_attributes(AttributeList(attributes));
}

bool AttributeListLess::operator()(const AttributeList& a, const AttributeList& b) const noexcept {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](const Attribute& x, const Attribute& y) {
                                        if (x.key != y.key) return x.key < y.key;
                                        return x.value < y.value;
                                      });
}

const AttributeValue* find_attribute(const AttributeList& attributes,
                                     std::string_view key) noexcept {
  for (const auto& attribute : attributes) {
    if (attribute.key == key) return &attribute.value;
  }
  return nullptr;
}

}  // namespace latencylab::telemetry
