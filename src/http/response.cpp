#include "http/response.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/object.hpp>

#include "core/json_writer.hpp"

namespace latencylab::http {
namespace {

constexpr std::string_view kJson = "application/json";

std::string error_body(std::string_view code, std::string_view message) {
  return core::json::serialize(boost::json::object{{"error", code}, {"message", message}});
}

}  // namespace

Response json_response(const Request& request, Status status, std::string body) {
  Response response{status, request.version()};
  response.set(beast_http::field::content_type, kJson);
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response error_response(const Request& request, Status status, std::string_view code,
                        std::string_view message) {
  return json_response(request, status, error_body(code, message));
}

Response error_response_closing(Status status, std::string_view code, std::string_view message) {
  Response response{status, 11};
  response.set(beast_http::field::content_type, kJson);
  response.keep_alive(false);
  response.body() = error_body(code, message);
  response.prepare_payload();
  return response;
}

}  // namespace latencylab::http
