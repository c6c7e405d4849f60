#include "handlers/json_body.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/json/parse.hpp>

namespace latencylab::handlers {

bool is_json_content_type(std::string_view content_type) noexcept {
  // "application/json", optionally followed by parameters such as "; charset=utf-8".
  const std::size_t semicolon = content_type.find(';');
  std::string_view media_type = content_type.substr(0, semicolon);
  while (!media_type.empty() && (media_type.back() == ' ' || media_type.back() == '\t')) {
    media_type.remove_suffix(1);
  }
  return boost::beast::iequals(media_type, "application/json");
}

std::variant<boost::json::value, BodyRejection> parse_json_body(
    const http::Request& request, boost::json::monotonic_resource& memory) {
  const auto content_type = request[http::beast_http::field::content_type];
  if (!is_json_content_type(content_type)) {
    return BodyRejection{
        http::Status::unsupported_media_type, "unsupported_media_type",
        "Content-Type must be application/json, got '" + std::string(content_type) + "'"};
  }
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::json::error_code ec;
  boost::json::value value = boost::json::parse(request.body(), ec, &memory, options);
  if (ec) {
    return BodyRejection{http::Status::bad_request, "malformed_json",
                         "the body is not valid JSON: " + ec.message()};
  }
  return value;
}

}  // namespace latencylab::handlers
