#include "config/config_loader.hpp"

#include <unistd.h>  // environ

#include <cctype>
#include <set>

#include "config/described_json.hpp"
#include "config/json_text.hpp"

namespace latencylab::config {
namespace {

constexpr std::string_view kEnvironmentPrefix = "LATENCYLAB_";

// "endpoints.users.cache.hit_rate" -> "LATENCYLAB_ENDPOINTS__USERS__CACHE__HIT_RATE". Keys are
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

void apply_file(Config& config, const std::string& path) {
  const std::string origin = "config file \"" + path + "\"";
  detail::read_value(parse_json_text(read_text_file(path, origin), origin), config,
                     detail::Where{origin, ""});
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
