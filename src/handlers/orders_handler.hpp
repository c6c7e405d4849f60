// POST /api/orders (validate, simulate processing, store, 201) and GET /api/orders/{id}.
//
//   OrdersHandler orders{endpoints.orders_create, endpoints.orders_get,
//                        config.time_scale, rng, metrics};
//   router.add("/api/orders", Verb::post, [&](auto& ctx) { return orders.create(ctx); });
//   router.add("/api/orders/{id}", Verb::get, [&](auto& ctx) { return orders.get(ctx); });
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "handlers/business_metrics.hpp"
#include "handlers/endpoint_model.hpp"
#include "handlers/endpoint_settings.hpp"
#include "handlers/order_store.hpp"
#include "handlers/order_validation.hpp"

namespace latencylab::handlers {

// The stored representation, also the 201 body:
// {"order_id","status":"created","created_at","user_id","items":[...],"total"}
[[nodiscard]] std::string created_order_json(const Order& order, std::string_view order_id,
                                             std::chrono::system_clock::time_point created_at);

class OrdersHandler {
 public:
  OrdersHandler(const OrdersCreateSettings& create_config, const EndpointSettings& get_config,
                double time_scale, sim::Rng& rng, BusinessMetrics& metrics);

  awaitable<http::Response> create(http::RequestContext& ctx);
  awaitable<http::Response> get(http::RequestContext& ctx);

 private:
  std::string next_order_id();

  EndpointModel create_model_;
  EndpointModel get_model_;
  std::size_t max_items_;
  OrderStore store_;
  std::uint64_t id_prefix_;
  std::uint64_t next_sequence_ = 1;
  sim::Rng& rng_;
  BusinessMetrics& metrics_;
};

}  // namespace latencylab::handlers
