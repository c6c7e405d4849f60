#include "graph/business_steps.hpp"

#include <array>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdio>

#include "core/json_writer.hpp"
#include "core/wall_clock.hpp"
#include "handlers/json_body.hpp"
#include "handlers/report.hpp"
#include "handlers/search_query.hpp"
#include "http/response.hpp"

namespace latencylab::graph {
namespace {

using config::BusinessAction;

std::string created_order_json(const handlers::Order& order, std::string_view order_id,
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

}  // namespace

BusinessSteps::BusinessSteps(const config::Business& business, sim::Rng& rng,
                             telemetry::Meter& meter)
    : max_order_items_(business.max_order_items),
      max_payment_amount_(business.max_payment_amount),
      currencies_(business.currencies),
      decline_rate_(business.decline_rate),
      orders_(business.order_store_capacity),
      order_id_prefix_(rng() & 0xffff'ffffu),
      rng_(rng),
      metrics_(handlers::make_business_metrics(meter)) {}

std::string BusinessSteps::next_order_id() {
  // Unique within the process (sequence) and unlikely to collide across replicas (prefix).
  std::array<char, 40> buffer{};
  const int n = std::snprintf(buffer.data(), buffer.size(), "ORD-%08llx-%08llx",
                              static_cast<unsigned long long>(order_id_prefix_),
                              static_cast<unsigned long long>(next_order_sequence_++));
  return std::string(buffer.data(), static_cast<std::size_t>(n));
}

std::optional<http::Response> BusinessSteps::run(BusinessAction action,
                                                 const http::RequestContext& ctx,
                                                 BusinessState& state) {
  const http::Request& request = ctx.request;
  switch (action) {
    case BusinessAction::validate_order: {
      auto order = handlers::read_valid_body<handlers::Order>(
          request, [this](const boost::json::value& json) {
            return handlers::validate_order(json, max_order_items_);
          });
      if (auto* rejection = std::get_if<http::Response>(&order)) {
        metrics_.orders_rejected.add(1);
        return std::move(*rejection);
      }
      state.order = std::get<handlers::Order>(std::move(order));
      return std::nullopt;
    }
    case BusinessAction::store_order: {
      const handlers::Order& order = *state.order;  // validation guarantees validate_order ran
      std::string order_id = next_order_id();
      std::string json = created_order_json(order, order_id, std::chrono::system_clock::now());
      orders_.insert(std::move(order_id), json);
      state.order_stored = true;
      metrics_.orders_created.add(1);
      metrics_.order_value.add(order.total);
      return http::json_response(request, http::Status::created, std::move(json));
    }
    case BusinessAction::get_order:
      if (const std::string* json = orders_.find(ctx.path_param)) {
        return http::json_response(request, http::Status::ok, *json);
      }
      return http::error_response(request, http::Status::not_found, "order_not_found",
                                  "no order with id " + std::string(ctx.path_param));
    case BusinessAction::validate_payment: {
      auto payment = handlers::read_valid_body<handlers::Payment>(
          request, [this](const boost::json::value& json) {
            return handlers::validate_payment(json, currencies_, max_payment_amount_);
          });
      if (auto* rejection = std::get_if<http::Response>(&payment)) return std::move(*rejection);
      state.payment = std::get<handlers::Payment>(std::move(payment));
      return std::nullopt;
    }
    case BusinessAction::charge_payment: {
      const handlers::Payment& payment = *state.payment;  // validation guarantees the order
      state.payment_charged = true;
      const std::string payment_id = "PAY-" + std::to_string(next_payment_sequence_++);
      if (sim::chance(rng_, decline_rate_)) {
        metrics_.payments_declined.add(1);
        return http::json_response(
            request, http::Status::payment_required,
            core::json::serialize(boost::json::object{{"payment_id", payment_id},
                                                      {"status", "declined"},
                                                      {"reason", "insufficient_funds"}}));
      }
      metrics_.payments_approved.add(1);
      return http::json_response(
          request, http::Status::created,
          core::json::serialize(boost::json::object{{"payment_id", payment_id},
                                                    {"status", "approved"},
                                                    {"amount", payment.amount},
                                                    {"currency", payment.currency},
                                                    {"order_id", payment.order_id}}));
    }
    case BusinessAction::validate_search: {
      auto query = handlers::search_query(ctx.query);
      if (!query) {
        return http::error_response(request, http::Status::bad_request, "invalid_query",
                                    query.error().message);
      }
      state.search_query = *std::move(query);
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::string BusinessSteps::content(config::ResponseContent content,
                                   const BusinessState& state) const {
  switch (content) {
    case config::ResponseContent::users:
      return catalog_.users_json();
    case config::ResponseContent::products:
      return catalog_.products_json();
    case config::ResponseContent::search_results:
      return catalog_.search_json(state.search_query);
    case config::ResponseContent::report:
      return handlers::report_json(rng_, std::chrono::system_clock::now());
  }
  return "{}";
}

void BusinessSteps::finish(const BusinessState& state) noexcept {
  if (state.order && !state.order_stored) metrics_.orders_failed.add(1);
  if (state.payment && !state.payment_charged) metrics_.payments_failed.add(1);
}

}  // namespace latencylab::graph
