// GET /api/search?q=...: a long-tailed (lognormal by default) latency, 400 without a non-empty q.
//
//   SearchHandler search{{endpoints.search, config.time_scale}, rng, catalog};
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "handlers/catalog.hpp"
#include "handlers/endpoint_model.hpp"

namespace latencylab::handlers {

inline constexpr std::size_t kMaxSearchQueryLength = 256;

// The percent-decoded value of `q` in a raw query string; an error naming `q` when it is missing,
// empty, too long or not decodable.
[[nodiscard]] core::Result<std::string> search_query(std::string_view raw_query);

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
