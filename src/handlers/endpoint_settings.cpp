#include "handlers/endpoint_settings.hpp"

#include <algorithm>
#include <variant>

#include "config/config_loader.hpp"

namespace latencylab::handlers {
namespace {

const config::Route& route_of(const config::Service& service, std::string_view method,
                              std::string_view path) {
  const auto it = std::find_if(
      service.routes.begin(), service.routes.end(),
      [&](const config::Route& route) { return route.method == method && route.path == path; });
  if (it == service.routes.end()) {
    throw config::ConfigError("service \"" + service.name + "\" has no route " +
                              std::string(method) + " " + std::string(path) +
                              ": until the step engine lands, a service serves the routes of "
                              "the default graph (config/graphs/default.json)");
  }
  return *it;
}

// The first delay or db latency and the first fail step, depth first (into a cache's miss).
void read_steps(const config::Steps& steps, EndpointSettings& out, bool& has_latency,
                bool& has_fail) {
  for (const auto& step : steps) {
    if (const auto* delay = std::get_if<config::DelayStep>(&step.action); delay && !has_latency) {
      out.latency = delay->latency;
      has_latency = true;
    } else if (const auto* db = std::get_if<config::DbStep>(&step.action); db && !has_latency) {
      out.latency = db->latency;
      has_latency = true;
    } else if (const auto* fail = std::get_if<config::FailStep>(&step.action); fail && !has_fail) {
      out.error_rate = fail->probability;
      out.error_status = fail->status;
      has_fail = true;
    } else if (const auto* cache = std::get_if<config::CacheStep>(&step.action)) {
      read_steps(cache->miss, out, has_latency, has_fail);
    }
  }
}

template <class Settings = EndpointSettings>
Settings settings_of(const config::Service& service, std::string_view method,
                     std::string_view path) {
  Settings settings;
  bool has_latency = false;
  bool has_fail = false;
  read_steps(route_of(service, method, path).steps, settings, has_latency, has_fail);
  return settings;
}

}  // namespace

SeedEndpoints seed_endpoints(const config::Service& service) {
  SeedEndpoints endpoints;
  const config::Business& business = service.business;

  endpoints.users = settings_of<UsersSettings>(service, "GET", "/api/users");
  for (const auto& step : route_of(service, "GET", "/api/users").steps) {
    const auto* lookup = std::get_if<config::CacheStep>(&step.action);
    if (lookup == nullptr) continue;
    for (const auto& cache : service.caches) {
      if (cache.name != lookup->name) continue;
      endpoints.users.cache_hit_rate = cache.hit_rate;
      endpoints.users.cache_latency = cache.latency;
    }
  }

  endpoints.orders_create = settings_of<OrdersCreateSettings>(service, "POST", "/api/orders");
  endpoints.orders_create.store_capacity = business.order_store_capacity;
  endpoints.orders_create.max_items = business.max_order_items;
  endpoints.orders_get = settings_of(service, "GET", "/api/orders/{id}");
  endpoints.slow = settings_of(service, "GET", "/api/slow");
  endpoints.products = settings_of(service, "GET", "/api/products");
  endpoints.search = settings_of(service, "GET", "/api/search");
  endpoints.reports = settings_of(service, "GET", "/api/reports");
  endpoints.payments = settings_of<PaymentsSettings>(service, "POST", "/api/payments");
  endpoints.payments.decline_rate = business.decline_rate;
  endpoints.payments.max_amount = business.max_payment_amount;
  endpoints.payments.currencies = business.currencies;
  return endpoints;
}

}  // namespace latencylab::handlers
