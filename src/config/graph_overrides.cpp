#include "config/graph_overrides.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>
#include <string_view>
#include <variant>

#include "config/config_loader.hpp"
#include "config/described_json.hpp"
#include "config/json_reader.hpp"

namespace latencylab::config {
namespace {

// One step of a path: an object key or an array index.
using PathStep = std::variant<std::string, std::size_t>;

// "services.orders.routes[0].steps[1].fail" -> services, orders, routes, 0, steps, 1, fail.
// Returns the problem instead when the text is not of that form.
std::variant<std::vector<PathStep>, std::string> parse_path(std::string_view path) {
  std::vector<PathStep> steps;
  std::string_view rest = path;
  while (true) {
    const auto key_end = rest.find_first_of(".[]");
    if (key_end == 0) return "expected a key at \"" + std::string(rest) + "\"";
    steps.emplace_back(std::string(rest.substr(0, key_end)));
    if (key_end == std::string_view::npos) return steps;
    rest.remove_prefix(key_end);
    while (rest.starts_with('[')) {
      const auto close = rest.find(']');
      std::size_t index = 0;
      const char* first = rest.data() + 1;
      const char* last = rest.data() + (close == std::string_view::npos ? rest.size() : close);
      const auto [end, error] = std::from_chars(first, last, index);
      if (close == std::string_view::npos || first == last || error != std::errc{} || end != last) {
        return "expected an index such as [0] at \"" + std::string(rest) + "\"";
      }
      steps.emplace_back(index);
      rest.remove_prefix(close + 1);
    }
    if (rest.empty()) return steps;
    if (!rest.starts_with('.')) return "expected '.' or '[' at \"" + std::string(rest) + "\"";
    rest.remove_prefix(1);
  }
}

std::string kind_of(const boost::json::value& json) {
  switch (json.kind()) {
    case boost::json::kind::object:
      return "an object";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::null:
      return "null";
    default:
      return "a number";
  }
}

// What exists at `parent` (written as `parent_path`), for the message of a path that names nothing.
std::string what_exists(const boost::json::value& parent, const std::string& parent_path) {
  const std::string where = parent_path.empty() ? "the graph" : parent_path;
  if (const auto* object = parent.if_object()) {
    if (object->empty()) return where + " is an empty object";
    std::string keys;
    for (const auto& [key, value] : *object) {
      if (!keys.empty()) keys += ", ";
      keys += key;
    }
    return where + " has: " + keys;
  }
  if (const auto* array = parent.if_array()) {
    if (array->empty()) return where + " is an empty array";
    return where + " has [0] to [" + std::to_string(array->size() - 1) + "]";
  }
  return where + " is " + kind_of(parent);
}

// The value `path` names in `document`, or the problem: the path so far and what exists there.
std::variant<boost::json::value*, std::string> find(boost::json::value& document,
                                                    const std::vector<PathStep>& path) {
  boost::json::value* at = &document;
  std::string walked;
  for (const auto& step : path) {
    const std::string parent_path = walked;
    boost::json::value* next = nullptr;
    if (const auto* key = std::get_if<std::string>(&step)) {
      if (auto* object = at->if_object()) next = object->if_contains(*key);
      walked = child_path(walked, *key);
    } else {
      const std::size_t index = std::get<std::size_t>(step);
      if (auto* array = at->if_array(); array != nullptr && index < array->size()) {
        next = &(*array)[index];
      }
      walked = index_path(walked, index);
    }
    if (next == nullptr) return walked + " names nothing: " + what_exists(*at, parent_path);
    at = next;
  }
  return at;
}

}  // namespace

void apply_graph_overrides(boost::json::value& document,
                           const std::vector<std::string>& overrides) {
  for (const auto& entry : overrides) {
    const auto fail = [&](const std::string& problem) {
      throw ConfigError("graph_overrides: \"" + entry + "\": " + problem);
    };
    const auto equals = entry.find('=');
    if (equals == std::string::npos) fail("expected path=value");
    const auto path = parse_path(std::string_view(entry).substr(0, equals));
    if (const auto* problem = std::get_if<std::string>(&path)) fail(*problem);
    const auto found = find(document, std::get<std::vector<PathStep>>(path));
    if (const auto* problem = std::get_if<std::string>(&found)) fail(*problem);
    *std::get<boost::json::value*>(found) =
        detail::value_from_text(std::string_view(entry).substr(equals + 1));
  }
}

}  // namespace latencylab::config
