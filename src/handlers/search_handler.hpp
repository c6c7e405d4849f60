// GET /api/search?q=...: a long-tailed (lognormal by default) latency, 400 without a non-empty q.
//
//   SearchHandler search{{config.endpoints.search, config.time_scale}, rng, catalog};
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "handlers/catalog.hpp"
#include "handlers/endpoint_model.hpp"
#include "handlers/search_query.hpp"

namespace latencylab::handlers {

class SearchHandler {
 public:
  SearchHandler(EndpointModel model, sim::Rng& rng, const Catalog& catalog);

  awaitable<http::Response> operator()(http::RequestContext& ctx);

 private:
  EndpointModel model_;
  sim::Rng& rng_;
  const Catalog& catalog_;
};

}  // namespace latencylab::handlers
