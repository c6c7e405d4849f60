#include "config/config_loader.hpp"

#include <unistd.h>  // environ

#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>
#include <set>

#include "config/described_json.hpp"
#include "config/graph_file.hpp"
#include "config/json_text.hpp"

namespace latencylab::config {
namespace {

constexpr std::string_view kEnvironmentPrefix = "LATENCYLAB_";

// "server.header_timeout_ms" -> "LATENCYLAB_SERVER__HEADER_TIMEOUT_MS". Keys are
// lower-case with single underscores, so "__" between levels cannot be mistaken for part of a name.
std::string environment_name(std::string_view key) {
  std::string name(kEnvironmentPrefix);
  for (const char c : key) {
    if (c == '.') {
      name += "__";
    } else {
      name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return name;
}

// The inverse: "LATENCYLAB_SERVER__PROT" -> "server.prot", to say which key a stray variable means.
std::string key_of_environment_name(std::string_view name) {
  std::string key;
  for (std::size_t i = kEnvironmentPrefix.size(); i < name.size(); ++i) {
    if (name.compare(i, 2, "__") == 0) {
      key += '.';
      ++i;
    } else {
      key += static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
    }
  }
  return key;
}

// The endpoints.* keys became the service graph (docs/GRAPHS.md): where each old endpoint lives in
// the default graph, so a stale config or variable says what to change instead of "unknown key".
struct MovedEndpoint {
  std::string_view name;
  std::string_view method;
  std::string_view path;
};
constexpr MovedEndpoint kMovedEndpoints[] = {
    {"users", "GET", "/api/users"},
    {"orders_create", "POST", "/api/orders"},
    {"orders_get", "GET", "/api/orders/{id}"},
    {"slow", "GET", "/api/slow"},
    {"products", "GET", "/api/products"},
    {"search", "GET", "/api/search"},
    {"reports", "GET", "/api/reports"},
    {"payments", "POST", "/api/payments"},
};

// Keys of an endpoint that are resources or business parameters of the service, not its route.
struct MovedField {
  std::string_view endpoint;
  std::string_view field;
  std::string_view to;
};
constexpr MovedField kMovedFields[] = {
    {"users", "cache", "caches.users"},
    {"orders_create", "store_capacity", "business.order_store_capacity"},
    {"orders_create", "max_items", "business.max_order_items"},
    {"payments", "decline_rate", "business.decline_rate"},
    {"payments", "max_amount", "business.max_payment_amount"},
    {"payments", "currencies", "business.currencies"},
};

constexpr std::string_view kMovedSection = "endpoints";

// The problem for a key under endpoints.*, or nullopt for any other key.
std::optional<std::string> moved_key_problem(std::string_view key) {
  if (key != kMovedSection && !key.starts_with(std::string(kMovedSection) + ".")) {
    return std::nullopt;
  }
  const auto parts = std::string_view(key).substr(std::min(key.size(), kMovedSection.size() + 1));
  const std::string_view endpoint = parts.substr(0, parts.find('.'));
  const std::string_view field =
      endpoint.size() < parts.size() ? parts.substr(endpoint.size() + 1) : std::string_view{};
  const Service& service = default_graph().services.front();
  std::string to = "services." + service.name;
  if (const auto* moved = std::find_if(std::begin(kMovedFields), std::end(kMovedFields),
                                       [&](const MovedField& m) {
                                         return m.endpoint == endpoint &&
                                                field.substr(0, field.find('.')) == m.field;
                                       });
      moved != std::end(kMovedFields)) {
    to += '.';
    to += moved->to;
  } else if (const auto* route =
                 std::find_if(std::begin(kMovedEndpoints), std::end(kMovedEndpoints),
                              [&](const MovedEndpoint& m) { return m.name == endpoint; });
             route != std::end(kMovedEndpoints)) {
    const auto& routes = service.routes;
    const auto index = std::find_if(routes.begin(), routes.end(),
                                    [&](const Route& r) {
                                      return r.method == route->method && r.path == route->path;
                                    }) -
                       routes.begin();
    to += ".routes[" + std::to_string(index) + "] (" + std::string(route->method) + " " +
          std::string(route->path) + ")";
  } else {
    to += ".routes";
  }
  return "moved to the service graph: " + to + " in " + std::string(kDefaultGraphFile) +
         "; change a value of it with --graph-set PATH=VALUE (LATENCYLAB_GRAPH_OVERRIDES), or "
         "copy that file, change it and pass it with --graph (LATENCYLAB_GRAPH); see "
         "docs/GRAPHS.md";
}

// "endpoints.slow.error_rate" for {"endpoints": {"slow": {"error_rate": ...}}}: the first leaf.
std::string first_leaf_key(std::string key, const boost::json::value& value) {
  const auto* object = value.if_object();
  if (object == nullptr || object->empty()) return key;
  const auto& [name, child] = *object->begin();
  return first_leaf_key(detail::join_key(key, name), child);
}

void apply_file(Config& config, const std::string& path) {
  const std::string origin = "config file \"" + path + "\"";
  const boost::json::value json = parse_json_text(read_text_file(path, origin), origin);
  if (const auto* object = json.if_object()) {
    if (const auto* moved = object->if_contains(kMovedSection)) {
      const std::string key = first_leaf_key(std::string(kMovedSection), *moved);
      detail::fail(detail::Where{origin, key}, *moved_key_problem(key));
    }
  }
  detail::read_value(json, config, detail::Where{origin, ""});
}

void apply_environment(Config& config, const ConfigSources& sources) {
  std::set<std::string, std::less<>> known{kConfigFileVariable};
  detail::for_each_leaf(config, "", [&](const std::string& key, auto& leaf) {
    std::string name = environment_name(key);
    const char* text = sources.getenv ? sources.getenv(name.c_str()) : nullptr;
    if (text != nullptr) {
      const std::string origin = "environment variable " + name;
      using Leaf = std::remove_reference_t<decltype(leaf)>;
      detail::read_value(detail::value_from_text_for<Leaf>(text), leaf, detail::Where{origin, key});
    }
    known.insert(std::move(name));
  });
  for (const auto& name : sources.environment_names) {
    if (!name.starts_with(kEnvironmentPrefix) || known.contains(name)) continue;
    const std::string key = key_of_environment_name(name);
    const std::string origin = "environment variable " + name;
    if (const auto moved = moved_key_problem(key)) detail::fail(detail::Where{origin, key}, *moved);
    const bool names_an_object = detail::visit_key(config, key, [](auto&) {});
    detail::fail(detail::Where{origin, key},
                 (names_an_object ? std::string("is an object, and variables set single keys")
                                  : detail::unknown_key_problem_below(config, key)) +
                     "; a variable is LATENCYLAB_ + the dotted key upper-cased with \"__\" "
                     "between levels, and " +
                     kConfigFileVariable + " names the config file");
  }
}

void apply_override(Config& config, const std::string& assignment) {
  const std::string origin = "--set \"" + assignment + "\"";
  const auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0) {
    throw ConfigError(origin + ": expected dotted.key=value");
  }
  const std::string key = assignment.substr(0, equals);
  const std::string_view text = std::string_view(assignment).substr(equals + 1);
  if (const auto moved = moved_key_problem(key)) detail::fail(detail::Where{origin, key}, *moved);
  const bool found = detail::visit_key(config, key, [&](auto& field) {
    using Field = std::remove_reference_t<decltype(field)>;
    detail::read_value(detail::value_from_text_for<Field>(text), field, detail::Where{origin, key});
  });
  if (!found)
    detail::fail(detail::Where{origin, key}, detail::unknown_key_problem_below(config, key));
}

}  // namespace

std::vector<std::string> process_environment_names() {
  std::vector<std::string> names;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    if (!variable.starts_with(kEnvironmentPrefix)) continue;
    names.emplace_back(variable.substr(0, variable.find('=')));
  }
  return names;
}

Config load_config(const ConfigSources& sources) {
  Config config = default_config();
  if (!sources.file.empty()) apply_file(config, sources.file);
  apply_environment(config, sources);
  for (const auto& assignment : sources.overrides) apply_override(config, assignment);
  validate(config);
  return config;
}

boost::json::value to_json(const Config& config) {
  return detail::write_value(config);
}

}  // namespace latencylab::config
