#include "handlers/payments_handler.hpp"

#include <boost/json/value.hpp>

#include "core/json_writer.hpp"
#include "handlers/json_body.hpp"
#include "http/response.hpp"

namespace latencylab::handlers {

PaymentsHandler::PaymentsHandler(const PaymentsSettings& config, double time_scale, sim::Rng& rng,
                                 BusinessMetrics& metrics)
    : model_(config, time_scale),
      decline_rate_(config.decline_rate),
      max_amount_(config.max_amount),
      currencies_(config.currencies),
      rng_(rng),
      metrics_(metrics) {}

awaitable<http::Response> PaymentsHandler::operator()(http::RequestContext& ctx) {
  auto payment = read_valid_body<Payment>(ctx.request, [this](const boost::json::value& json) {
    return validate_payment(json, currencies_, max_amount_);
  });
  if (auto* rejection = std::get_if<http::Response>(&payment)) co_return std::move(*rejection);

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
        core::json::serialize(boost::json::object{
            {"payment_id", payment_id}, {"status", "declined"}, {"reason", "insufficient_funds"}}));
  }
  metrics_.payments_approved.add(1);
  co_return http::json_response(
      ctx.request, http::Status::created,
      core::json::serialize(boost::json::object{{"payment_id", payment_id},
                                                {"status", "approved"},
                                                {"amount", valid.amount},
                                                {"currency", valid.currency},
                                                {"order_id", valid.order_id}}));
}

}  // namespace latencylab::handlers
