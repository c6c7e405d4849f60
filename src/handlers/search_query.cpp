#include "handlers/search_query.hpp"

#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

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

}  // namespace latencylab::handlers
