// parse_graph() and graph_to_json(): the graph file format of docs/GRAPHS.md, read into and written
// from config/graph.hpp's structs. The rules beyond syntax live in graph_validate.cpp.
#include "config/graph_file.hpp"

#include <array>
#include <concepts>
#include <type_traits>
#include <utility>

#include "config/config_loader.hpp"
#include "config/described_json.hpp"
#include "config/json_reader.hpp"
#include "config/json_text.hpp"
#include "core/json_writer.hpp"

namespace latencylab::config {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

// ---- names of enumerations: one table each, for reading and writing ----

template <class E>
struct Named {
  std::string_view name;
  E value;
};

constexpr std::array kDistributions{
    Named<sim::Distribution>{"fixed", sim::Distribution::fixed},
    Named<sim::Distribution>{"uniform", sim::Distribution::uniform},
    Named<sim::Distribution>{"normal", sim::Distribution::normal},
    Named<sim::Distribution>{"lognormal", sim::Distribution::lognormal},
};

constexpr std::array kBusinessActions{
    Named<BusinessAction>{"validate_order", BusinessAction::validate_order},
    Named<BusinessAction>{"store_order", BusinessAction::store_order},
    Named<BusinessAction>{"get_order", BusinessAction::get_order},
    Named<BusinessAction>{"validate_payment", BusinessAction::validate_payment},
    Named<BusinessAction>{"charge_payment", BusinessAction::charge_payment},
    Named<BusinessAction>{"validate_search", BusinessAction::validate_search},
};

constexpr std::array kResponseContents{
    Named<ResponseContent>{"users", ResponseContent::users},
    Named<ResponseContent>{"products", ResponseContent::products},
    Named<ResponseContent>{"search_results", ResponseContent::search_results},
    Named<ResponseContent>{"report", ResponseContent::report},
};

// The key naming each alternative of Step::action, in the variant's order.
constexpr std::array<std::string_view, std::variant_size_v<decltype(Step::action)>> kStepKinds{
    "delay", "cache", "db", "call", "parallel", "fail", "cpu", "business"};

template <class E, std::size_t N>
std::string_view name_of(const std::array<Named<E>, N>& table, E wanted) {
  for (const auto& entry : table) {
    if (entry.value == wanted) return entry.name;
  }
  return {};
}

template <class Names>
std::string listed(const Names& names) {
  std::string text;
  for (const auto& entry : names) {
    if (!text.empty()) text += ", ";
    if constexpr (std::same_as<std::remove_cvref_t<decltype(entry)>, std::string_view>) {
      text += entry;
    } else {
      text += entry.name;
    }
  }
  return text;
}

template <class E, std::size_t N>
void read_named(const value& in, E& out, std::string_view path, JsonProblems& problems,
                const std::array<Named<E>, N>& table) {
  if (const auto* text = in.if_string()) {
    for (const auto& entry : table) {
      if (*text == entry.name) {
        out = entry.value;
        return;
      }
    }
  }
  std::string names;
  for (const auto& entry : table) {
    if (!names.empty()) names += ", ";
    names += '"' + std::string(entry.name) + '"';
  }
  problems.add(path, "expected one of " + names + ", got " + detail::show(in));
}

// ---- reading ----

// {"uniform": {"min_ms": 50, "max_ms": 200}}: one key naming the distribution, holding the fields
// that distribution uses.
sim::LatencySpec read_latency(const value& in, const std::string& path, JsonProblems& problems) {
  sim::LatencySpec spec;
  const auto* wrapper = in.if_object();
  if (wrapper == nullptr || wrapper->size() != 1) {
    problems.add(path, "expected an object with one key naming the distribution (" +
                           listed(kDistributions) +
                           "), as {\"uniform\": {\"min_ms\": 50, \"max_ms\": "
                           "200}}, got " +
                           detail::show(in));
    return spec;
  }
  const auto& [name, fields] = *wrapper->begin();
  const std::string fields_path = child_path(path, name);
  bool known = false;
  for (const auto& entry : kDistributions) {
    if (name == entry.name) {
      spec.distribution = entry.value;
      known = true;
    }
  }
  if (!known) {
    problems.add(fields_path,
                 "unknown distribution (distributions: " + listed(kDistributions) + ")");
    return spec;
  }
  JsonObjectReader reader(fields, fields_path, problems);
  switch (spec.distribution) {
    case sim::Distribution::fixed:
      reader.required("value_ms", spec.value_ms);
      break;
    case sim::Distribution::uniform:
      reader.required("min_ms", spec.min_ms);
      reader.required("max_ms", spec.max_ms);
      break;
    case sim::Distribution::normal:
    case sim::Distribution::lognormal:
      reader.required("p50_ms", spec.p50_ms);
      reader.required("p99_ms", spec.p99_ms);
      reader.optional("min_ms", spec.min_ms);
      reader.optional("max_ms", spec.max_ms);
      break;
  }
  reader.finish();
  return spec;
}

Steps read_steps(const value& in, const std::string& path, JsonProblems& problems);

DbStep read_db_step(const value& in, const std::string& path, JsonProblems& problems) {
  DbStep step;
  JsonObjectReader reader(in, path, problems);
  reader.required("database", step.database);
  reader.optional("operation", step.operation);
  reader.optional("collection", step.collection);
  if (const auto* latency = reader.find("latency")) {
    step.latency = read_latency(*latency, reader.path_of("latency"), problems);
  }
  if (const auto* on_error = reader.find("on_error")) {
    JsonObjectReader statuses(*on_error, reader.path_of("on_error"), problems);
    statuses.optional("pool_timeout", step.on_error.pool_timeout);
    statuses.finish();
  }
  reader.finish();
  return step;
}

CallStep read_call_step(const value& in, const std::string& path, JsonProblems& problems) {
  CallStep step;
  JsonObjectReader reader(in, path, problems);
  reader.required("downstream", step.downstream);
  reader.optional("method", step.method);
  reader.required("path", step.path);
  reader.optional("forward_body", step.forward_body);
  reader.optional("retry", step.retry);
  if (const auto* on_error = reader.find("on_error")) {
    JsonObjectReader statuses(*on_error, reader.path_of("on_error"), problems);
    CallErrorStatuses& out = step.on_error;
    statuses.optional("pass_client_errors", out.pass_client_errors);
    statuses.optional("server_error", out.server_error);
    statuses.optional("invalid_response", out.invalid_response);
    statuses.optional("connection_error", out.connection_error);
    statuses.optional("timeout", out.timeout);
    statuses.optional("circuit_open", out.circuit_open);
    statuses.finish();
  }
  reader.finish();
  return step;
}

// A step is an object with exactly one key, naming its kind. A step that does not read is kept as
// a default (zero delay) step, so the indices in later paths stay those of the file.
Step read_step(const value& in, const std::string& path, JsonProblems& problems) {
  const auto* wrapper = in.if_object();
  if (wrapper == nullptr || wrapper->size() != 1) {
    problems.add(path, "a step is an object with one key naming its kind (" + listed(kStepKinds) +
                           "), got " + detail::show(in));
    return Step{};
  }
  const auto& [kind, body] = *wrapper->begin();
  const std::string body_path = child_path(path, kind);
  if (kind == "delay") return Step{DelayStep{read_latency(body, body_path, problems)}};
  if (kind == "cache") {
    CacheStep step;
    JsonObjectReader reader(body, body_path, problems);
    reader.required("name", step.name);
    if (const auto* miss = reader.find("miss")) {
      step.miss = read_steps(*miss, reader.path_of("miss"), problems);
    }
    reader.finish();
    return Step{std::move(step)};
  }
  if (kind == "db") return Step{read_db_step(body, body_path, problems)};
  if (kind == "call") return Step{read_call_step(body, body_path, problems)};
  if (kind == "parallel") return Step{ParallelStep{read_steps(body, body_path, problems)}};
  if (kind == "fail") {
    FailStep step;
    JsonObjectReader reader(body, body_path, problems);
    reader.required("probability", step.probability);
    reader.optional("status", step.status);
    reader.optional("what", step.what);
    reader.finish();
    return Step{std::move(step)};
  }
  if (kind == "cpu") {
    CpuStep step;
    JsonObjectReader reader(body, body_path, problems);
    reader.required("us", step.us);
    reader.finish();
    return Step{step};
  }
  if (kind == "business") {
    BusinessStep step{BusinessAction::validate_order};
    read_named(body, step.action, body_path, problems, kBusinessActions);
    return Step{step};
  }
  problems.add(body_path, "unknown step kind (kinds: " + listed(kStepKinds) + ")");
  return Step{};
}

Steps read_steps(const value& in, const std::string& path, JsonProblems& problems) {
  Steps steps;
  const auto* items = in.if_array();
  if (items == nullptr) {
    problems.add(path, "expected an array of steps, got " + detail::show(in));
    return steps;
  }
  steps.reserve(items->size());
  for (std::size_t i = 0; i < items->size(); ++i) {
    steps.push_back(read_step((*items)[i], index_path(path, i), problems));
  }
  return steps;
}

Response read_response(const value& in, const std::string& path, JsonProblems& problems) {
  Response response;
  JsonObjectReader reader(in, path, problems);
  reader.optional("status", response.status);
  if (const auto* json = reader.find("json")) response.json = core::json::serialize(*json);
  reader.optional("body_bytes", response.body_bytes);
  if (const auto* content = reader.find("content")) {
    ResponseContent read = ResponseContent::users;
    const std::size_t problems_before = problems.lines().size();
    read_named(*content, read, reader.path_of("content"), problems, kResponseContents);
    if (problems.lines().size() == problems_before) response.content = read;
  }
  reader.finish();
  return response;
}

Route read_route(const value& in, const std::string& path, JsonProblems& problems) {
  Route route;
  JsonObjectReader reader(in, path, problems);
  reader.required("method", route.method);
  reader.required("path", route.path);
  reader.optional("timeout_ms", route.timeout_ms);
  if (const auto* steps = reader.find("steps")) {
    route.steps = read_steps(*steps, reader.path_of("steps"), problems);
  }
  if (const auto* response = reader.find("response")) {
    route.response = read_response(*response, reader.path_of("response"), problems);
  }
  reader.finish();
  return route;
}

Retry read_retry(const value& in, const std::string& path, JsonProblems& problems) {
  Retry retry;
  JsonObjectReader reader(in, path, problems);
  reader.optional("max_attempts", retry.max_attempts);
  reader.optional("initial_backoff_ms", retry.initial_backoff_ms);
  reader.optional("max_backoff_ms", retry.max_backoff_ms);
  reader.optional("multiplier", retry.multiplier);
  reader.optional("jitter", retry.jitter);
  reader.finish();
  return retry;
}

Breaker read_breaker(const value& in, const std::string& path, JsonProblems& problems) {
  Breaker breaker;
  JsonObjectReader reader(in, path, problems);
  reader.optional("window", breaker.window);
  reader.optional("min_calls", breaker.min_calls);
  reader.optional("failure_ratio", breaker.failure_ratio);
  reader.optional("consecutive_failures", breaker.consecutive_failures);
  reader.optional("open_ms", breaker.open_ms);
  reader.optional("half_open_probes", breaker.half_open_probes);
  reader.finish();
  return breaker;
}

void read_resource(const value& in, const std::string& path, JsonProblems& problems,
                   Database& database) {
  JsonObjectReader reader(in, path, problems);
  reader.optional("system", database.system);
  reader.optional("pool_size", database.pool_size);
  reader.optional("max_waiting", database.max_waiting);
  reader.optional("acquire_timeout_ms", database.acquire_timeout_ms);
  reader.finish();
}

void read_resource(const value& in, const std::string& path, JsonProblems& problems, Cache& cache) {
  JsonObjectReader reader(in, path, problems);
  reader.optional("hit_rate", cache.hit_rate);
  if (const auto* latency = reader.find("latency")) {
    cache.latency = read_latency(*latency, reader.path_of("latency"), problems);
  }
  reader.finish();
}

void read_resource(const value& in, const std::string& path, JsonProblems& problems,
                   Downstream& downstream) {
  JsonObjectReader reader(in, path, problems);
  reader.required("service", downstream.service);
  reader.optional("connections", downstream.connections);
  reader.optional("timeout_ms", downstream.timeout_ms);
  if (const auto* retry = reader.find("retry")) {
    downstream.retry = read_retry(*retry, reader.path_of("retry"), problems);
  }
  if (const auto* breaker = reader.find("breaker")) {
    downstream.breaker = read_breaker(*breaker, reader.path_of("breaker"), problems);
  }
  reader.finish();
}

void read_resource(const value& in, const std::string& path, JsonProblems& problems,
                   Service& service);

// {"main": {...}, "replica": {...}}: resources keyed by name, in file order.
template <class Resource>
std::vector<Resource> read_keyed(const value& in, const std::string& path, JsonProblems& problems) {
  std::vector<Resource> resources;
  const auto* items = in.if_object();
  if (items == nullptr) {
    problems.add(path, "expected an object keyed by name, got " + detail::show(in));
    return resources;
  }
  for (const auto& [name, body] : *items) {
    Resource resource;
    resource.name = name;
    read_resource(body, child_path(path, name), problems, resource);
    resources.push_back(std::move(resource));
  }
  return resources;
}

Business read_business(const value& in, const std::string& path, JsonProblems& problems) {
  Business business;
  JsonObjectReader reader(in, path, problems);
  reader.optional("max_order_items", business.max_order_items);
  reader.optional("order_store_capacity", business.order_store_capacity);
  reader.optional("max_payment_amount", business.max_payment_amount);
  reader.optional("currencies", business.currencies);
  reader.optional("decline_rate", business.decline_rate);
  reader.finish();
  return business;
}

void read_resource(const value& in, const std::string& path, JsonProblems& problems,
                   Service& service) {
  JsonObjectReader reader(in, path, problems);
  reader.optional("description", service.description);
  reader.optional("url", service.url);
  if (const auto* business = reader.find("business")) {
    service.business = read_business(*business, reader.path_of("business"), problems);
  }
  if (const auto* databases = reader.find("databases")) {
    service.databases = read_keyed<Database>(*databases, reader.path_of("databases"), problems);
  }
  if (const auto* caches = reader.find("caches")) {
    service.caches = read_keyed<Cache>(*caches, reader.path_of("caches"), problems);
  }
  if (const auto* downstreams = reader.find("downstreams")) {
    service.downstreams =
        read_keyed<Downstream>(*downstreams, reader.path_of("downstreams"), problems);
  }
  if (const auto* routes = reader.find("routes")) {
    const std::string routes_path = reader.path_of("routes");
    if (const auto* items = routes->if_array()) {
      for (std::size_t i = 0; i < items->size(); ++i) {
        service.routes.push_back(read_route((*items)[i], index_path(routes_path, i), problems));
      }
    } else {
      problems.add(routes_path, "expected an array of routes, got " + detail::show(*routes));
    }
  }
  reader.finish();
}

// ---- writing: every field, in the order the reader takes them ----

value write_latency(const sim::LatencySpec& spec) {
  object fields;
  switch (spec.distribution) {
    case sim::Distribution::fixed:
      fields["value_ms"] = spec.value_ms;
      break;
    case sim::Distribution::uniform:
      fields["min_ms"] = spec.min_ms;
      fields["max_ms"] = spec.max_ms;
      break;
    case sim::Distribution::normal:
    case sim::Distribution::lognormal:
      fields["p50_ms"] = spec.p50_ms;
      fields["p99_ms"] = spec.p99_ms;
      if (spec.min_ms != 0.0) fields["min_ms"] = spec.min_ms;
      if (spec.max_ms != 0.0) fields["max_ms"] = spec.max_ms;
      break;
  }
  object out;
  out[name_of(kDistributions, spec.distribution)] = std::move(fields);
  return out;
}

value write_steps(const Steps& steps);

value write_step_body(const DelayStep& step) {
  return write_latency(step.latency);
}

value write_step_body(const CacheStep& step) {
  return object{{"name", step.name}, {"miss", write_steps(step.miss)}};
}

value write_step_body(const DbStep& step) {
  return object{{"database", step.database},
                {"operation", step.operation},
                {"collection", step.collection},
                {"latency", write_latency(step.latency)},
                {"on_error", object{{"pool_timeout", step.on_error.pool_timeout}}}};
}

value write_step_body(const CallStep& step) {
  object out{{"downstream", step.downstream},
             {"method", step.method},
             {"path", step.path},
             {"forward_body", step.forward_body}};
  if (step.retry) out["retry"] = *step.retry;
  const CallErrorStatuses& on_error = step.on_error;
  out["on_error"] = object{{"pass_client_errors", on_error.pass_client_errors},
                           {"server_error", on_error.server_error},
                           {"invalid_response", on_error.invalid_response},
                           {"connection_error", on_error.connection_error},
                           {"timeout", on_error.timeout},
                           {"circuit_open", on_error.circuit_open}};
  return out;
}

value write_step_body(const ParallelStep& step) {
  return write_steps(step.steps);
}

value write_step_body(const FailStep& step) {
  return object{{"probability", step.probability}, {"status", step.status}, {"what", step.what}};
}

value write_step_body(const CpuStep& step) {
  return object{{"us", step.us}};
}

value write_step_body(const BusinessStep& step) {
  return value(name_of(kBusinessActions, step.action));
}

value write_steps(const Steps& steps) {
  array out;
  for (const auto& step : steps) {
    object wrapper;
    wrapper[kStepKinds[step.action.index()]] =
        std::visit([](const auto& body) { return write_step_body(body); }, step.action);
    out.push_back(std::move(wrapper));
  }
  return out;
}

value write_response(const Response& response) {
  object out{{"status", response.status}};
  if (response.json) out["json"] = parse_json_text(*response.json, "response json");
  if (response.body_bytes) out["body_bytes"] = *response.body_bytes;
  if (response.content) out["content"] = name_of(kResponseContents, *response.content);
  return out;
}

value write_route(const Route& route) {
  return object{{"method", route.method},
                {"path", route.path},
                {"timeout_ms", route.timeout_ms},
                {"steps", write_steps(route.steps)},
                {"response", write_response(route.response)}};
}

value write_resource(const Database& database) {
  return object{{"system", database.system},
                {"pool_size", database.pool_size},
                {"max_waiting", database.max_waiting},
                {"acquire_timeout_ms", database.acquire_timeout_ms}};
}

value write_resource(const Cache& cache) {
  return object{{"hit_rate", cache.hit_rate}, {"latency", write_latency(cache.latency)}};
}

value write_resource(const Downstream& downstream) {
  const Retry& retry = downstream.retry;
  object out{{"service", downstream.service},
             {"connections", downstream.connections},
             {"timeout_ms", downstream.timeout_ms},
             {"retry", object{{"max_attempts", retry.max_attempts},
                              {"initial_backoff_ms", retry.initial_backoff_ms},
                              {"max_backoff_ms", retry.max_backoff_ms},
                              {"multiplier", retry.multiplier},
                              {"jitter", retry.jitter}}}};
  if (const auto& breaker = downstream.breaker) {
    out["breaker"] = object{{"window", breaker->window},
                            {"min_calls", breaker->min_calls},
                            {"failure_ratio", breaker->failure_ratio},
                            {"consecutive_failures", breaker->consecutive_failures},
                            {"open_ms", breaker->open_ms},
                            {"half_open_probes", breaker->half_open_probes}};
  }
  return out;
}

value write_resource(const Service& service);

template <class Resource>
value write_keyed(const std::vector<Resource>& resources) {
  object out;
  for (const auto& resource : resources) out[resource.name] = write_resource(resource);
  return out;
}

value write_resource(const Service& service) {
  const Business& business = service.business;
  array routes;
  for (const auto& route : service.routes) routes.push_back(write_route(route));
  return object{{"description", service.description},
                {"url", service.url},
                {"business", object{{"max_order_items", business.max_order_items},
                                    {"order_store_capacity", business.order_store_capacity},
                                    {"max_payment_amount", business.max_payment_amount},
                                    {"currencies", detail::write_value(business.currencies)},
                                    {"decline_rate", business.decline_rate}}},
                {"databases", write_keyed(service.databases)},
                {"caches", write_keyed(service.caches)},
                {"downstreams", write_keyed(service.downstreams)},
                {"routes", std::move(routes)}};
}

}  // namespace

Graph parse_graph(std::string_view json_text, std::string_view origin) {
  return parse_graph(parse_json_text(json_text, origin), origin);
}

Graph parse_graph(const boost::json::value& json, std::string_view origin) {
  Graph graph;
  JsonProblems problems;
  JsonObjectReader reader(json, "", problems);
  reader.optional("description", graph.description);
  if (const auto* services = reader.find_required("services")) {
    graph.services = read_keyed<Service>(*services, "services", problems);
  }
  reader.finish();
  problems.throw_if_any(origin);
  validate_graph(graph, origin);
  return graph;
}

Graph load_graph_file(const std::string& path) {
  const std::string origin = "graph file \"" + path + "\"";
  return parse_graph(read_text_file(path, origin), origin);
}

const Graph& default_graph() {
  static const Graph graph =
      parse_graph(default_graph_text(), "built-in graph " + std::string(kDefaultGraphFile));
  return graph;
}

boost::json::value graph_to_json(const Graph& graph) {
  return object{{"description", graph.description}, {"services", write_keyed(graph.services)}};
}

const Service& Graph::service(std::string_view name) const {
  for (const auto& candidate : services) {
    if (candidate.name == name) return candidate;
  }
  std::string names;
  for (const auto& candidate : services) {
    if (!names.empty()) names += ", ";
    names += candidate.name;
  }
  throw ConfigError("the graph has no service \"" + std::string(name) + "\" (services: " + names +
                    ")");
}

}  // namespace latencylab::config
