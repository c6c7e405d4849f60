#include "handlers/simulated_handler.hpp"

#include <boost/json/value.hpp>

#include "core/json_writer.hpp"
#include "core/wall_clock.hpp"
#include "http/response.hpp"

namespace latencylab::handlers {

SimulatedHandler::SimulatedHandler(EndpointModel model, sim::Rng& rng, std::string_view what_fails,
                                   BodyFactory body)
    : model_(std::move(model)), rng_(rng), what_fails_(what_fails), body_(std::move(body)) {}

awaitable<http::Response> SimulatedHandler::operator()(http::RequestContext& ctx) {
  co_await simulate_delay(model_.latency.sample(rng_));
  if (model_.fails(rng_)) co_return simulated_failure(ctx.request, model_, what_fails_);
  co_return http::json_response(ctx.request, http::Status::ok, body_());
}

std::string report_json(sim::Rng& rng, std::chrono::system_clock::time_point now) {
  const auto rows = std::uniform_int_distribution<std::int64_t>(500, 5000)(rng);
  const double revenue =
      std::round(std::uniform_real_distribution<double>(10'000.0, 250'000.0)(rng) * 100.0) / 100.0;
  return core::json::serialize(
      boost::json::object{{"report_id", "RPT-" + std::to_string(rng() % 1'000'000'000)},
                          {"generated_at", core::format_rfc3339(now)},
                          {"period", "last_30_days"},
                          {"rows", rows},
                          {"revenue", revenue}});
}

}  // namespace latencylab::handlers
