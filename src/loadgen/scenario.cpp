#include "loadgen/scenario.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <fstream>
#include <sstream>

#include "loadgen/builtin_scenarios.hpp"

namespace latencylab::loadgen {
namespace {

namespace json = boost::json;

// Reads an optional string member; false (with `error` set) when present but not a string.
bool read_string(const json::object& object, std::string_view key, std::string& out,
                 std::string& error) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr) return true;
  if (!value->is_string()) {
    error = "'" + std::string(key) + "' must be a string";
    return false;
  }
  out = std::string(value->get_string());
  return true;
}

std::optional<BodyGenerator> generator_named(std::string_view name) {
  if (name.empty()) return BodyGenerator::none;
  if (name == "order") return BodyGenerator::order;
  if (name == "payment") return BodyGenerator::payment;
  if (name == "search") return BodyGenerator::search_query;
  return std::nullopt;
}

std::optional<EndpointSpec> parse_endpoint(const json::value& value, std::string& error) {
  if (!value.is_object()) {
    error = "each endpoint must be an object";
    return std::nullopt;
  }
  const auto& object = value.get_object();
  EndpointSpec endpoint;
  std::string generator;
  if (!read_string(object, "name", endpoint.name, error) ||
      !read_string(object, "method", endpoint.method, error) ||
      !read_string(object, "path", endpoint.path, error) ||
      !read_string(object, "body", endpoint.body, error) ||
      !read_string(object, "content_type", endpoint.content_type, error) ||
      !read_string(object, "generate", generator, error)) {
    return std::nullopt;
  }
  if (!endpoint.path.starts_with('/')) {
    error = "endpoint '" + endpoint.name + "' needs a \"path\" starting with /";
    return std::nullopt;
  }
  if (endpoint.name.empty()) endpoint.name = endpoint.method + " " + endpoint.path;
  if (endpoint.method.empty() || endpoint.method.find_first_of(" \r\n") != std::string::npos ||
      endpoint.path.find_first_of(" \r\n") != std::string::npos) {
    error = "endpoint '" + endpoint.name + "' has an invalid method or path";
    return std::nullopt;
  }
  const auto body_generator = generator_named(generator);
  if (!body_generator) {
    error = "endpoint '" + endpoint.name + "': unknown generator '" + generator +
            "' (order, payment, search)";
    return std::nullopt;
  }
  endpoint.generator = *body_generator;
  if (const json::value* weight = object.if_contains("weight")) {
    if (!weight->is_int64() && !weight->is_uint64()) {
      error = "endpoint '" + endpoint.name + "': \"weight\" must be a non-negative integer";
      return std::nullopt;
    }
    // The error_code overload: an integer beyond int64 (found by fuzz/scenario_fuzzer.cpp) must
    // be an error value, not the exception the throwing to_number() raises.
    boost::system::error_code not_exact;
    const auto w = weight->to_number<std::int64_t>(not_exact);
    if (not_exact || w < 0 || w > 1'000'000) {
      error = "endpoint '" + endpoint.name + "': \"weight\" must be in [0, 1000000]";
      return std::nullopt;
    }
    endpoint.weight = static_cast<unsigned>(w);
  }
  return endpoint;
}

std::optional<ScenarioTarget> parse_target(const json::value& value, std::string& error) {
  if (!value.is_object()) {
    error = "each target must be an object";
    return std::nullopt;
  }
  const auto& object = value.get_object();
  ScenarioTarget target;
  if (!read_string(object, "name", target.name, error) ||
      !read_string(object, "url", target.url, error) ||
      !read_string(object, "stages", target.stages, error)) {
    return std::nullopt;
  }
  if (target.url.empty()) {
    error = "target '" + target.name + "' needs a \"url\"";
    return std::nullopt;
  }
  if (const json::value* rate = object.if_contains("rate")) {
    if (!rate->is_number() || rate->to_number<double>() <= 0) {
      error = "target '" + target.name + "': \"rate\" must be a number > 0";
      return std::nullopt;
    }
    target.rate = rate->to_number<double>();
  }
  return target;
}

}  // namespace

std::optional<Scenario> parse_scenario_json(std::string_view text, std::string& error) {
  boost::system::error_code ec;
  const json::value root = json::parse(text, ec);
  if (ec) {
    error = "invalid JSON: " + ec.message();
    return std::nullopt;
  }
  if (!root.is_object()) {
    error = "a scenario must be a JSON object";
    return std::nullopt;
  }
  const auto& object = root.as_object();
  Scenario scenario;
  if (!read_string(object, "name", scenario.name, error) ||
      !read_string(object, "description", scenario.description, error)) {
    return std::nullopt;
  }
  const json::value* endpoints = object.if_contains("endpoints");
  if (endpoints == nullptr || !endpoints->is_array() || endpoints->get_array().empty()) {
    error = "a scenario needs a non-empty \"endpoints\" array";
    return std::nullopt;
  }
  unsigned total_weight = 0;
  for (const auto& item : endpoints->get_array()) {
    auto endpoint = parse_endpoint(item, error);
    if (!endpoint) return std::nullopt;
    total_weight += endpoint->weight;
    scenario.endpoints.push_back(std::move(*endpoint));
  }
  if (total_weight == 0) {
    error = "the endpoint weights add up to 0";
    return std::nullopt;
  }
  if (const json::value* targets = object.if_contains("targets")) {
    if (!targets->is_array()) {
      error = "\"targets\" must be an array";
      return std::nullopt;
    }
    for (const auto& item : targets->get_array()) {
      auto target = parse_target(item, error);
      if (!target) return std::nullopt;
      scenario.targets.push_back(std::move(*target));
    }
  }
  return scenario;
}

std::optional<Scenario> load_scenario(std::string_view name_or_path, std::string& error) {
  for (const auto& builtin : builtin_scenarios()) {
    if (builtin.name != name_or_path) continue;
    auto scenario = parse_scenario_json(builtin.json, error);
    if (!scenario) error = "built-in scenario '" + std::string(builtin.name) + "': " + error;
    return scenario;
  }
  std::ifstream file{std::string(name_or_path)};
  if (!file) {
    error = "scenario '" + std::string(name_or_path) +
            "' is neither a built-in name nor a readable file";
    return std::nullopt;
  }
  std::ostringstream text;
  text << file.rdbuf();
  auto scenario = parse_scenario_json(text.str(), error);
  if (!scenario) {
    error = std::string(name_or_path) + ": " + error;
    return std::nullopt;
  }
  if (scenario->name.empty()) scenario->name = std::string(name_or_path);
  return scenario;
}

std::vector<std::string_view> builtin_scenario_names() {
  std::vector<std::string_view> names;
  for (const auto& builtin : builtin_scenarios()) names.push_back(builtin.name);
  return names;
}

}  // namespace latencylab::loadgen
