#include "handlers/orders_handler.hpp"

#include <array>
#include <boost/json/value.hpp>
#include <cstdio>

#include "core/json_writer.hpp"
#include "core/wall_clock.hpp"
#include "handlers/json_body.hpp"
#include "http/response.hpp"

namespace latencylab::handlers {

std::string created_order_json(const Order& order, std::string_view order_id,
                               std::chrono::system_clock::time_point created_at) {
  boost::json::array items;
  items.reserve(order.items.size());
  for (const auto& item : order.items) items.push_back({{"id", item.id}, {"qty", item.qty}});
  return core::json::serialize(boost::json::object{{"order_id", order_id},
                                                   {"status", "created"},
                                                   {"created_at", core::format_rfc3339(created_at)},
                                                   {"user_id", order.user_id},
                                                   {"items", std::move(items)},
                                                   {"total", order.total}});
}

OrdersHandler::OrdersHandler(const OrdersCreateSettings& create_config,
                             const EndpointSettings& get_config, double time_scale, sim::Rng& rng,
                             BusinessMetrics& metrics)
    : create_model_(create_config, time_scale),
      get_model_(get_config, time_scale),
      max_items_(create_config.max_items),
      store_(create_config.store_capacity),
      id_prefix_(rng() & 0xffff'ffffu),
      rng_(rng),
      metrics_(metrics) {}

std::string OrdersHandler::next_order_id() {
  // Unique within the process (sequence) and unlikely to collide across replicas (prefix).
  std::array<char, 40> buffer{};
  const int n = std::snprintf(buffer.data(), buffer.size(), "ORD-%08llx-%08llx",
                              static_cast<unsigned long long>(id_prefix_),
                              static_cast<unsigned long long>(next_sequence_++));
  return std::string(buffer.data(), static_cast<std::size_t>(n));
}

awaitable<http::Response> OrdersHandler::create(http::RequestContext& ctx) {
  auto order = read_valid_body<Order>(ctx.request, [this](const boost::json::value& json) {
    return validate_order(json, max_items_);
  });
  if (auto* rejection = std::get_if<http::Response>(&order)) {
    metrics_.orders_rejected.add(1);
    co_return std::move(*rejection);
  }

  co_await simulate_delay(create_model_.latency.sample(rng_));
  if (create_model_.fails(rng_)) {
    metrics_.orders_failed.add(1);
    co_return simulated_failure(ctx.request, create_model_, "order processing");
  }

  const Order& valid = std::get<Order>(order);
  std::string order_id = next_order_id();
  std::string json = created_order_json(valid, order_id, std::chrono::system_clock::now());
  store_.insert(std::move(order_id), json);
  metrics_.orders_created.add(1);
  metrics_.order_value.add(valid.total);
  co_return http::json_response(ctx.request, http::Status::created, std::move(json));
}

awaitable<http::Response> OrdersHandler::get(http::RequestContext& ctx) {
  co_await simulate_delay(get_model_.latency.sample(rng_));
  if (get_model_.fails(rng_)) co_return simulated_failure(ctx.request, get_model_, "order lookup");
  if (const std::string* json = store_.find(ctx.path_param)) {
    co_return http::json_response(ctx.request, http::Status::ok, *json);
  }
  co_return http::error_response(ctx.request, http::Status::not_found, "order_not_found",
                                 "no order with id " + std::string(ctx.path_param));
}

}  // namespace latencylab::handlers
