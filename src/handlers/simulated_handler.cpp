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

}  // namespace latencylab::handlers
