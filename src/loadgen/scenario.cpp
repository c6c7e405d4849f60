#include "loadgen/scenario.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <utility>

#include "loadgen/builtin_scenarios.hpp"

namespace latencylab::loadgen {
namespace {

namespace json = boost::json;

// Reads each listed string member that is present into its string; absent ones keep their value.
core::Result<void> read_strings(
    const json::object& object,
    std::initializer_list<std::pair<std::string_view, std::string*>> members) {
  for (const auto& [key, out] : members) {
    const json::value* value = object.if_contains(key);
    if (value == nullptr) continue;
    if (!value->is_string()) {
      return core::Problem{std::string(key), "'" + std::string(key) + "' must be a string"};
    }
    *out = std::string(value->get_string());
  }
  return {};
}

// A misspelt key would otherwise be ignored and its default used without a word. `where` prefixes
// the message ("endpoint 'a': "); the keys are listed in the order the docs give them.
core::Result<void> only_known_keys(const json::object& object, std::string_view where,
                                   std::initializer_list<std::string_view> keys) {
  for (const auto& member : object) {
    if (std::find(keys.begin(), keys.end(), member.key()) != keys.end()) continue;
    std::string message =
        std::string(where) + "unknown key \"" + std::string(member.key()) + "\" (keys: ";
    for (const std::string_view key : keys) {
      if (key != *keys.begin()) message += ", ";
      message += key;
    }
    return core::Problem{std::string(member.key()), message + ")"};
  }
  return {};
}

std::optional<BodyGenerator> generator_named(std::string_view name) {
  if (name.empty()) return BodyGenerator::none;
  if (name == "order") return BodyGenerator::order;
  if (name == "payment") return BodyGenerator::payment;
  if (name == "checkout") return BodyGenerator::checkout;
  if (name == "search") return BodyGenerator::search_query;
  return std::nullopt;
}

core::Result<EndpointSpec> parse_endpoint(const json::value& value) {
  if (!value.is_object()) return core::Problem{"endpoints", "each endpoint must be an object"};
  const auto& object = value.get_object();
  EndpointSpec endpoint;
  std::string generator;
  if (auto read = read_strings(object, {{"name", &endpoint.name},
                                        {"method", &endpoint.method},
                                        {"path", &endpoint.path},
                                        {"body", &endpoint.body},
                                        {"content_type", &endpoint.content_type},
                                        {"generate", &generator}});
      !read) {
    return read.error();
  }
  if (endpoint.name.empty()) endpoint.name = endpoint.method + " " + endpoint.path;
  const auto problem = [&](std::string_view key, std::string_view what) {
    return core::Problem{std::string(key), "endpoint '" + endpoint.name + "'" + std::string(what)};
  };
  if (auto known = only_known_keys(object, "endpoint '" + endpoint.name + "': ",
                                   {"name", "method", "path", "weight", "generate",
                                    "expected_statuses", "body", "content_type"});
      !known) {
    return known.error();
  }
  if (!endpoint.path.starts_with('/')) return problem("path", " needs a \"path\" starting with /");
  if (endpoint.method.empty() || endpoint.method.find_first_of(" \r\n") != std::string::npos ||
      endpoint.path.find_first_of(" \r\n") != std::string::npos) {
    return problem("method", " has an invalid method or path");
  }
  const auto body_generator = generator_named(generator);
  if (!body_generator) {
    return problem("generate",
                   ": unknown generator '" + generator + "' (order, payment, checkout, search)");
  }
  endpoint.generator = *body_generator;
  if (const json::value* statuses = object.if_contains("expected_statuses")) {
    const auto* list = statuses->if_array();
    if (list == nullptr || list->empty()) {
      return problem("expected_statuses", ": \"expected_statuses\" must be a non-empty array");
    }
    for (const auto& status : *list) {
      boost::system::error_code not_exact;
      const auto code = status.is_number() ? status.to_number<std::int64_t>(not_exact) : 0;
      if (!status.is_number() || not_exact || code < 100 || code > 599) {
        return problem("expected_statuses",
                       ": \"expected_statuses\" holds status codes in [100, 599]");
      }
      endpoint.expected_statuses.push_back(static_cast<unsigned>(code));
    }
  }
  if (const json::value* weight = object.if_contains("weight")) {
    if (!weight->is_int64() && !weight->is_uint64()) {
      return problem("weight", ": \"weight\" must be a non-negative integer");
    }
    // The error_code overload: an integer beyond int64 (found by fuzz/scenario_fuzzer.cpp) must
    // be an error value, not the exception the throwing to_number() raises.
    boost::system::error_code not_exact;
    const auto w = weight->to_number<std::int64_t>(not_exact);
    if (not_exact || w < 0 || w > 1'000'000) {
      return problem("weight", ": \"weight\" must be in [0, 1000000]");
    }
    endpoint.weight = static_cast<unsigned>(w);
  }
  return endpoint;
}

core::Result<ScenarioTarget> parse_target(const json::value& value) {
  if (!value.is_object()) return core::Problem{"targets", "each target must be an object"};
  const auto& object = value.get_object();
  ScenarioTarget target;
  if (auto read = read_strings(
          object, {{"name", &target.name}, {"url", &target.url}, {"stages", &target.stages}});
      !read) {
    return read.error();
  }
  if (auto known = only_known_keys(
          object, "target '" + target.name + "': ", {"name", "url", "rate", "stages"});
      !known) {
    return known.error();
  }
  if (target.url.empty()) {
    return core::Problem{"url", "target '" + target.name + "' needs a \"url\""};
  }
  if (const json::value* rate = object.if_contains("rate")) {
    if (!rate->is_number() || rate->to_number<double>() <= 0) {
      return core::Problem{"rate", "target '" + target.name + "': \"rate\" must be a number > 0"};
    }
    target.rate = rate->to_number<double>();
  }
  return target;
}

}  // namespace

core::Result<Scenario> parse_scenario_json(std::string_view text) {
  boost::system::error_code ec;
  const json::value root = json::parse(text, ec);
  if (ec) return core::Problem{"", "invalid JSON: " + ec.message()};
  if (!root.is_object()) return core::Problem{"", "a scenario must be a JSON object"};
  const auto& object = root.as_object();
  Scenario scenario;
  if (auto read =
          read_strings(object, {{"name", &scenario.name}, {"description", &scenario.description}});
      !read) {
    return read.error();
  }
  if (auto known = only_known_keys(object, "", {"name", "description", "endpoints", "targets"});
      !known) {
    return known.error();
  }
  const json::value* endpoints = object.if_contains("endpoints");
  if (endpoints == nullptr || !endpoints->is_array() || endpoints->get_array().empty()) {
    return core::Problem{"endpoints", "a scenario needs a non-empty \"endpoints\" array"};
  }
  unsigned total_weight = 0;
  for (const auto& item : endpoints->get_array()) {
    auto endpoint = parse_endpoint(item);
    if (!endpoint) return endpoint.error();
    total_weight += endpoint->weight;
    scenario.endpoints.push_back(*std::move(endpoint));
  }
  if (total_weight == 0) return core::Problem{"endpoints", "the endpoint weights add up to 0"};
  if (const json::value* targets = object.if_contains("targets")) {
    if (!targets->is_array()) return core::Problem{"targets", "\"targets\" must be an array"};
    for (const auto& item : targets->get_array()) {
      auto target = parse_target(item);
      if (!target) return target.error();
      scenario.targets.push_back(*std::move(target));
    }
  }
  return scenario;
}

core::Result<Scenario> load_scenario(std::string_view name_or_path) {
  // The problem of a scenario from `origin`, with the origin in front of the message.
  const auto from = [](std::string_view origin, core::Problem problem) {
    problem.message = std::string(origin) + ": " + problem.message;
    return problem;
  };
  for (const auto& builtin : builtin_scenarios()) {
    if (builtin.name != name_or_path) continue;
    auto scenario = parse_scenario_json(builtin.json);
    if (!scenario) {
      return from("built-in scenario '" + std::string(builtin.name) + "'", scenario.error());
    }
    return scenario;
  }
  std::ifstream file{std::string(name_or_path)};
  if (!file) {
    return core::Problem{"", "scenario '" + std::string(name_or_path) +
                                 "' is neither a built-in name nor a readable file"};
  }
  std::ostringstream text;
  text << file.rdbuf();
  auto scenario = parse_scenario_json(text.str());
  if (!scenario) return from(name_or_path, scenario.error());
  if (scenario->name.empty()) scenario->name = std::string(name_or_path);
  return scenario;
}

core::Result<std::vector<unsigned>> parse_status_list(std::string_view text) {
  std::vector<unsigned> statuses;
  const std::string whole(text);
  for (;;) {
    const auto comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    unsigned code = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), code);
    if (ec != std::errc{} || end != item.data() + item.size() || code < 100 || code > 599) {
      return core::Problem{"--expect-status", "--expect-status '" + whole +
                                                  "' is not a list of status codes in [100, 599] "
                                                  "(e.g. 200,201,402)"};
    }
    statuses.push_back(code);
    if (comma == std::string_view::npos) return statuses;
    text.remove_prefix(comma + 1);
  }
}

std::vector<std::string_view> builtin_scenario_names() {
  std::vector<std::string_view> names;
  for (const auto& builtin : builtin_scenarios()) names.push_back(builtin.name);
  return names;
}

}  // namespace latencylab::loadgen
