#include "handlers/search_handler.hpp"

#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

#include "http/response.hpp"

namespace latencylab::handlers {

core::Result<std::string> search_query(std::string_view raw) {
  // Boost.URL 1.81's compiled parse_query reads its input up to a NUL (ASan caught it reading
  // past the request target), so it gets a NUL-terminated copy.
  const std::string raw_query(raw);
  if (auto valid = boost::urls::parse_query(raw_query); !valid) {
    return core::Problem{"q", "the query string is not valid: " + valid.error().message()};
  }
  // Validated above, so this does not throw; it decodes percent escapes and '+' as space.
  const boost::urls::params_view params(raw_query);
  const auto it = params.find("q");
  if (it == params.end()) return core::Problem{"q", "query parameter q is required"};
  std::string query = (*it).value;
  if (query.empty()) return core::Problem{"q", "query parameter q must not be empty"};
  if (query.size() > kMaxSearchQueryLength) {
    return core::Problem{"q", "query parameter q must be at most " +
                                  std::to_string(kMaxSearchQueryLength) + " characters"};
  }
  return query;
}

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
