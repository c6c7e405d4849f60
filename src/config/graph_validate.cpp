// validate_graph(): the rules a graph must satisfy beyond its syntax (docs/GRAPHS.md lists them).
// Paths are rebuilt from the structs: resources are keyed by name and steps keep their file
// indices, so "services.orders.routes[2].steps[1].db" is where the problem is in the file.
#include <algorithm>
#include <array>
#include <boost/url/parse.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "config/described_json.hpp"
#include "config/graph_file.hpp"
#include "config/json_reader.hpp"
#include "config/latency_rules.hpp"

namespace latencylab::config {
namespace {

constexpr std::array<std::string_view, 6> kMethods{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"};

// Served by every service itself (graph/), so no route may claim them.
constexpr std::array<std::string_view, 2> kBuiltinPaths{"/health", "/ready"};

template <class T>
std::string shown(const T& value) {
  return detail::show(detail::write_value(value));
}

std::string quoted(std::string_view text) {
  return detail::show(boost::json::value(boost::json::string(text)));
}

template <class Resource>
std::string names_of(const std::vector<Resource>& resources) {
  if (resources.empty()) return "none";
  std::string names;
  for (const auto& resource : resources) {
    if (!names.empty()) names += ", ";
    names += resource.name;
  }
  return names;
}

template <class Resource>
const Resource* find_named(const std::vector<Resource>& resources, std::string_view name) {
  const auto it = std::find_if(resources.begin(), resources.end(),
                               [&](const Resource& resource) { return resource.name == name; });
  return it == resources.end() ? nullptr : &*it;
}

bool is_method(std::string_view method) {
  return std::find(kMethods.begin(), kMethods.end(), method) != kMethods.end();
}

bool is_currency_code(const std::string& code) {
  return code.size() == 3 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::vector<std::string_view> path_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 1;  // after the leading '/'
  while (start <= path.size()) {
    const auto end = std::min(path.find('/', start), path.size());
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool is_parameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// "/api/orders/{}" for "/api/orders/{id}": two templates the router cannot tell apart.
std::string route_key(std::string_view method, std::string_view path) {
  std::string key(method);
  key += ' ';
  for (const auto segment : path_segments(path)) {
    key += '/';
    key += is_parameter(segment) ? std::string_view("{}") : segment;
  }
  return key;
}

// Whether a request `method path` (a concrete path, maybe with a query) reaches `route`, as the
// router matches: a {param} segment takes any one segment, and GET routes answer HEAD.
bool reaches(const Route& route, std::string_view method, std::string_view path) {
  if (route.method != method && !(route.method == "GET" && method == "HEAD")) return false;
  const auto request = path_segments(path.substr(0, path.find('?')));
  const auto templ = path_segments(route.path);
  if (request.size() != templ.size()) return false;
  for (std::size_t i = 0; i < templ.size(); ++i) {
    if (!is_parameter(templ[i]) && templ[i] != request[i]) return false;
  }
  return true;
}

class GraphChecker {
 public:
  explicit GraphChecker(const Graph& graph) : graph_(graph) {}

  JsonProblems check() {
    if (graph_.services.empty()) problems_.add("services", "the graph has no service");
    for (const auto& service : graph_.services) check_service(service);
    check_cycles();
    return std::move(problems_);
  }

 private:
  void require(bool ok, std::string_view path, std::string_view rule, const auto& value) {
    if (!ok) problems_.add(path, std::string(rule) + " (got " + shown(value) + ")");
  }
  void probability(std::string_view path, double value) {
    require(value >= 0.0 && value <= 1.0, path, "must be a probability in [0, 1]", value);
  }
  void non_negative(std::string_view path, double value) {
    require(value >= 0.0, path, "must not be negative", value);
  }
  void at_least_one(std::string_view path, std::uint32_t value) {
    require(value >= 1, path, "must be at least 1", value);
  }
  void status(std::string_view path, std::uint32_t value) {
    require(value >= 100 && value <= 599, path, "must be an HTTP status in [100, 599]", value);
  }
  void name(std::string_view path, std::string_view value) {
    require(is_service_name(value), path,
            "a name is lower-case letters, digits, '_' and '-' (it appears in environment "
            "variables, flags and metric attributes)",
            std::string(value));
  }
  void latency(const std::string& path, const sim::LatencySpec& spec) {
    const std::string fields_path =
        child_path(path, detail::write_value(spec.distribution).get_string());
    for (const auto& broken : latency_problems(spec)) {
      require(false, child_path(fields_path, broken.field), broken.rule, broken.value);
    }
  }

  void check_service(const Service& service) {
    const std::string path = child_path("services", service.name);
    name(path, service.name);
    if (!service.url.empty()) {
      if (const auto problem = service_url_problem(service.url)) {
        problems_.add(child_path(path, "url"), *problem);
      }
    }
    check_business(child_path(path, "business"), service.business);
    for (const auto& database : service.databases) {
      const std::string at = child_path(child_path(path, "databases"), database.name);
      name(at, database.name);
      at_least_one(child_path(at, "pool_size"), database.pool_size);
      non_negative(child_path(at, "acquire_timeout_ms"), database.acquire_timeout_ms);
    }
    for (const auto& cache : service.caches) {
      const std::string at = child_path(child_path(path, "caches"), cache.name);
      name(at, cache.name);
      probability(child_path(at, "hit_rate"), cache.hit_rate);
      latency(child_path(at, "latency"), cache.latency);
    }
    for (const auto& downstream : service.downstreams) {
      check_downstream(child_path(child_path(path, "downstreams"), downstream.name), downstream);
    }
    std::map<std::string, std::size_t> routes_by_key;
    for (std::size_t i = 0; i < service.routes.size(); ++i) {
      const std::string at = index_path(child_path(path, "routes"), i);
      const Route& route = service.routes[i];
      const auto [first, inserted] = routes_by_key.emplace(route_key(route.method, route.path), i);
      if (!inserted) {
        problems_.add(at, "duplicates routes[" + std::to_string(first->second) + "] (" +
                              route.method + " " + route.path + ")");
      }
      check_route(at, service, route);
    }
  }

  void check_business(const std::string& path, const Business& business) {
    at_least_one(child_path(path, "max_order_items"), business.max_order_items);
    at_least_one(child_path(path, "order_store_capacity"), business.order_store_capacity);
    require(business.max_payment_amount > 0.0, child_path(path, "max_payment_amount"),
            "must be greater than 0", business.max_payment_amount);
    require(!business.currencies.empty(), child_path(path, "currencies"),
            "must list at least one currency", business.currencies);
    for (const auto& code : business.currencies) {
      require(is_currency_code(code), child_path(path, "currencies"),
              "must be three-letter upper-case ISO 4217 codes such as \"USD\"", code);
    }
    probability(child_path(path, "decline_rate"), business.decline_rate);
  }

  void check_downstream(const std::string& path, const Downstream& downstream) {
    name(path, downstream.name);
    if (find_named(graph_.services, downstream.service) == nullptr) {
      problems_.add(child_path(path, "service"),
                    "no service " + quoted(downstream.service) +
                        " in the graph (services: " + names_of(graph_.services) + ")");
    }
    at_least_one(child_path(path, "connections"), downstream.connections);
    require(downstream.timeout_ms > 0.0, child_path(path, "timeout_ms"), "must be greater than 0",
            downstream.timeout_ms);
    const std::string retry_path = child_path(path, "retry");
    const Retry& retry = downstream.retry;
    at_least_one(child_path(retry_path, "max_attempts"), retry.max_attempts);
    non_negative(child_path(retry_path, "initial_backoff_ms"), retry.initial_backoff_ms);
    require(retry.max_backoff_ms >= retry.initial_backoff_ms,
            child_path(retry_path, "max_backoff_ms"),
            "must not be below initial_backoff_ms (" + shown(retry.initial_backoff_ms) + ")",
            retry.max_backoff_ms);
    require(retry.multiplier >= 1.0, child_path(retry_path, "multiplier"), "must be at least 1",
            retry.multiplier);
    require(retry.jitter >= 0.0 && retry.jitter <= 1.0, child_path(retry_path, "jitter"),
            "must be a fraction in [0, 1]", retry.jitter);
    if (const auto& breaker = downstream.breaker) {
      const std::string at = child_path(path, "breaker");
      at_least_one(child_path(at, "min_calls"), breaker->min_calls);
      require(breaker->window >= breaker->min_calls, child_path(at, "window"),
              "must be at least min_calls (" + shown(breaker->min_calls) + ")", breaker->window);
      require(breaker->failure_ratio >= 0.0 && breaker->failure_ratio <= 1.0,
              child_path(at, "failure_ratio"), "must be a ratio in [0, 1]", breaker->failure_ratio);
      non_negative(child_path(at, "open_ms"), breaker->open_ms);
      at_least_one(child_path(at, "half_open_probes"), breaker->half_open_probes);
    }
  }

  void check_route(const std::string& path, const Service& service, const Route& route) {
    require(is_method(route.method), child_path(path, "method"),
            "must be one of GET, HEAD, POST, PUT, DELETE, PATCH", route.method);
    const std::string path_path = child_path(path, "path");
    require(route.path.starts_with('/'), path_path, "must start with '/'", route.path);
    require(
        std::find(kBuiltinPaths.begin(), kBuiltinPaths.end(), route.path) == kBuiltinPaths.end(),
        path_path, "is served by every service itself (/health and /ready)", route.path);
    non_negative(child_path(path, "timeout_ms"), route.timeout_ms);
    const std::string response_path = child_path(path, "response");
    const Response& response = route.response;
    status(child_path(response_path, "status"), response.status);
    const int bodies = int{response.json.has_value()} + int{response.body_bytes.has_value()} +
                       int{response.content.has_value()};
    if (bodies > 1) {
      problems_.add(response_path, "gives more than one of json, body_bytes and content");
    }
    RouteContext context{service, route, {}};
    check_steps(child_path(path, "steps"), route.steps, context);
  }

  struct RouteContext {
    const Service& service;
    const Route& route;
    std::set<BusinessAction> validated;  // the business steps met so far, in step order
  };

  void check_steps(const std::string& path, const Steps& steps, RouteContext& context) {
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const std::string at = index_path(path, i);
      std::visit([&](const auto& step) { check_step(at, step, context); }, steps[i].action);
    }
  }

  void check_step(const std::string& path, const DelayStep& step, RouteContext&) {
    latency(child_path(path, "delay"), step.latency);
  }

  void check_step(const std::string& path, const CacheStep& step, RouteContext& context) {
    const std::string at = child_path(path, "cache");
    if (find_named(context.service.caches, step.name) == nullptr) {
      problems_.add(at, "no cache " + quoted(step.name) +
                            " (caches: " + names_of(context.service.caches) + ")");
    }
    check_steps(child_path(at, "miss"), step.miss, context);
  }

  void check_step(const std::string& path, const DbStep& step, RouteContext& context) {
    const std::string at = child_path(path, "db");
    if (find_named(context.service.databases, step.database) == nullptr) {
      problems_.add(at, "no database " + quoted(step.database) +
                            " (databases: " + names_of(context.service.databases) + ")");
    }
    require(!step.operation.empty(), child_path(at, "operation"), "must not be empty",
            step.operation);
    latency(child_path(at, "latency"), step.latency);
    status(child_path(child_path(at, "on_error"), "pool_timeout"), step.on_error.pool_timeout);
  }

  void check_step(const std::string& path, const CallStep& step, RouteContext& context) {
    const std::string at = child_path(path, "call");
    require(is_method(step.method), child_path(at, "method"),
            "must be one of GET, HEAD, POST, PUT, DELETE, PATCH", step.method);
    require(step.path.starts_with('/'), child_path(at, "path"), "must start with '/'", step.path);
    const std::string on_error = child_path(at, "on_error");
    status(child_path(on_error, "server_error"), step.on_error.server_error);
    status(child_path(on_error, "invalid_response"), step.on_error.invalid_response);
    status(child_path(on_error, "connection_error"), step.on_error.connection_error);
    status(child_path(on_error, "timeout"), step.on_error.timeout);
    status(child_path(on_error, "circuit_open"), step.on_error.circuit_open);

    const Downstream* downstream = find_named(context.service.downstreams, step.downstream);
    if (downstream == nullptr) {
      problems_.add(at, "no downstream " + quoted(step.downstream) +
                            " (downstreams: " + names_of(context.service.downstreams) + ")");
      return;
    }
    // A typo in the called path would otherwise show up only as 404s at run time.
    const Service* callee = find_named(graph_.services, downstream->service);
    if (callee == nullptr || !is_method(step.method) || !step.path.starts_with('/')) return;
    const bool reached =
        std::any_of(callee->routes.begin(), callee->routes.end(),
                    [&](const Route& r) { return reaches(r, step.method, step.path); });
    if (!reached) {
      problems_.add(at, "service " + quoted(callee->name) + " has no route for " + step.method +
                            " " + step.path);
    }
  }

  void check_step(const std::string& path, const ParallelStep& step, RouteContext& context) {
    const std::string at = child_path(path, "parallel");
    if (step.steps.empty()) problems_.add(at, "must run at least one step");
    check_steps(at, step.steps, context);
  }

  void check_step(const std::string& path, const FailStep& step, RouteContext&) {
    const std::string at = child_path(path, "fail");
    probability(child_path(at, "probability"), step.probability);
    require(step.status >= 400 && step.status <= 599, child_path(at, "status"),
            "must be an error status in [400, 599]", step.status);
  }

  void check_step(const std::string& path, const CpuStep& step, RouteContext&) {
    non_negative(child_path(child_path(path, "cpu"), "us"), step.us);
  }

  void check_step(const std::string& path, const BusinessStep& step, RouteContext& context) {
    const std::string at = child_path(path, "business");
    const auto requires_earlier = [&](BusinessAction earlier, std::string_view what) {
      if (!context.validated.contains(earlier)) {
        problems_.add(at, std::string(what) + " needs " +
                              (earlier == BusinessAction::validate_order ? "validate_order"
                                                                         : "validate_payment") +
                              " earlier in the route");
      }
    };
    switch (step.action) {
      case BusinessAction::store_order:
        requires_earlier(BusinessAction::validate_order, "store_order");
        break;
      case BusinessAction::charge_payment:
        requires_earlier(BusinessAction::validate_payment, "charge_payment");
        break;
      case BusinessAction::get_order: {
        const auto segments = path_segments(context.route.path);
        if (std::none_of(segments.begin(), segments.end(), is_parameter)) {
          problems_.add(at, "get_order needs a {param} in the route's path (got " +
                                quoted(context.route.path) + ")");
        }
        break;
      }
      case BusinessAction::validate_order:
      case BusinessAction::validate_payment:
      case BusinessAction::validate_search:
        break;
    }
    context.validated.insert(step.action);
  }

  // Each call cycle once, named from where the file closes it: "a -> b -> a".
  void check_cycles() {
    std::map<std::string_view, int> state;  // absent: unvisited, 1: on the path, 2: done
    std::vector<std::string_view> trail;
    const auto visit = [&](const auto& self, const Service& service) -> void {
      state[service.name] = 1;
      trail.push_back(service.name);
      for (const auto& downstream : service.downstreams) {
        const Service* callee = find_named(graph_.services, downstream.service);
        if (callee == nullptr) continue;
        const int callee_state = state[callee->name];
        if (callee_state == 1) {
          std::string cycle;
          const auto start = std::find(trail.begin(), trail.end(), callee->name);
          for (auto it = start; it != trail.end(); ++it) {
            cycle += *it;
            cycle += " -> ";
          }
          cycle += callee->name;
          problems_.add(
              child_path(child_path(child_path(child_path("services", service.name), "downstreams"),
                                    downstream.name),
                         "service"),
              "call cycle: " + cycle);
        } else if (callee_state == 0) {
          self(self, *callee);
        }
      }
      trail.pop_back();
      state[service.name] = 2;
    };
    for (const auto& service : graph_.services) {
      if (state[service.name] == 0) visit(visit, service);
    }
  }

  const Graph& graph_;
  JsonProblems problems_;
};

}  // namespace

void validate_graph(const Graph& graph, std::string_view origin) {
  GraphChecker(graph).check().throw_if_any(origin);
}

bool is_service_name(std::string_view name) noexcept {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::optional<std::string> service_url_problem(std::string_view url) {
  const std::string text(url);  // Boost.URL 1.81 reads its input up to a NUL
  const auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) return "expected http://host:port, got " + quoted(url);
  if (parsed->scheme_id() != boost::urls::scheme::http) {
    return "expected http://host:port (plain http: the simulated services speak no TLS), got " +
           quoted(url);
  }
  if (parsed->has_userinfo()) {
    return "expected http://host:port without user information, got " + quoted(url);
  }
  if (parsed->encoded_host().empty() || !parsed->has_port() || parsed->port_number() == 0 ||
      parsed->port() != std::to_string(parsed->port_number())) {
    return "expected http://host:port with a port in [1, 65535], got " + quoted(url);
  }
  if (!(parsed->encoded_path().empty() || parsed->encoded_path() == "/") || parsed->has_query()) {
    return "expected http://host:port without a path (the calls name the path), got " + quoted(url);
  }
  return std::nullopt;
}

}  // namespace latencylab::config
