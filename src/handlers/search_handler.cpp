#include "handlers/search_handler.hpp"

#include "http/response.hpp"

namespace latencylab::handlers {

SearchHandler::SearchHandler(EndpointModel model, sim::Rng& rng, const Catalog& catalog)
    : model_(std::move(model)), rng_(rng), catalog_(catalog) {}

awaitable<http::Response> SearchHandler::operator()(http::RequestContext& ctx) {
  auto query = search_query(ctx.query);
  if (!query) {
    co_return http::error_response(ctx.request, http::Status::bad_request, "invalid_query",
                                   query.error().message);
  }
  co_await simulate_delay(model_.latency.sample(rng_));
  if (model_.fails(rng_)) co_return simulated_failure(ctx.request, model_, "search backend");
  co_return http::json_response(ctx.request, http::Status::ok, catalog_.search_json(*query));
}

}  // namespace latencylab::handlers
