#include "handlers/payments_handler.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "handlers/json_body.hpp"
#include "http/response.hpp"

namespace latencylab::handlers {

PaymentsHandler::PaymentsHandler(const config::PaymentsConfig& config, double time_scale,
                                 sim::Rng& rng, BusinessMetrics& metrics)
    : model_(config, time_scale),
      decline_rate_(config.decline_rate),
      max_amount_(config.max_amount),
      currencies_(config.currencies),
      rng_(rng),
      metrics_(metrics) {}

awaitable<http::Response> PaymentsHandler::operator()(http::RequestContext& ctx) {
  boost::json::monotonic_resource memory;
  auto body = parse_json_body(ctx.request, memory);
  if (auto* rejected = std::get_if<BodyRejection>(&body)) {
    co_return http::error_response(ctx.request, rejected->status, rejected->code,
                                   rejected->message);
  }
  auto payment = validate_payment(std::get<boost::json::value>(body), currencies_, max_amount_);
  if (auto* invalid = std::get_if<ValidationError>(&payment)) {
    co_return http::error_response(ctx.request, http::Status::bad_request, "invalid_field",
                                   invalid->message);
  }

  co_await simulate_delay(model_.latency.sample(rng_));
  if (model_.fails(rng_)) {
    metrics_.payments_failed.add(1);
    co_return simulated_failure(ctx.request, model_, "payment gateway");
  }
  const Payment& valid = std::get<Payment>(payment);
  const std::string payment_id = "PAY-" + std::to_string(next_sequence_++);
  if (sim::chance(rng_, decline_rate_)) {
    metrics_.payments_declined.add(1);
    co_return http::json_response(
        ctx.request, http::Status::payment_required,
        boost::json::serialize(boost::json::object{
            {"payment_id", payment_id}, {"status", "declined"}, {"reason", "insufficient_funds"}}));
  }
  metrics_.payments_approved.add(1);
  co_return http::json_response(
      ctx.request, http::Status::created,
      boost::json::serialize(boost::json::object{{"payment_id", payment_id},
                                                 {"status", "approved"},
                                                 {"amount", valid.amount},
                                                 {"currency", valid.currency},
                                                 {"order_id", valid.order_id}}));
}

}  // namespace latencylab::handlers
