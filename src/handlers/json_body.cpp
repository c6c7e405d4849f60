#include "handlers/json_body.hpp"

#include <boost/json/parse.hpp>
#include <string>

#include "core/text.hpp"

namespace latencylab::handlers {

bool is_json_content_type(std::string_view content_type) noexcept {
  // "application/json", optionally followed by parameters such as "; charset=utf-8".
  return core::iequals(core::trim(content_type.substr(0, content_type.find(';'))),
                       "application/json");
}

core::Result<boost::json::value> parse_json_body(const http::Request& request,
                                                 boost::json::monotonic_resource& memory) {
  const auto content_type = request[http::beast_http::field::content_type];
  if (!is_json_content_type(content_type)) {
    return core::Problem{
        std::string(kContentTypeField),
        "Content-Type must be application/json, got '" + std::string(content_type) + "'"};
  }
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::json::error_code ec;
  boost::json::value value = boost::json::parse(request.body(), ec, &memory, options);
  if (ec) return core::Problem{"", "the body is not valid JSON: " + ec.message()};
  return value;
}

http::Response unparsable_body_response(const http::Request& request,
                                        const core::Problem& problem) {
  if (problem.path == kContentTypeField) {
    return http::error_response(request, http::Status::unsupported_media_type,
                                "unsupported_media_type", problem.message);
  }
  return http::error_response(request, http::Status::bad_request, "malformed_json",
                              problem.message);
}

}  // namespace latencylab::handlers
