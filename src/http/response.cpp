#include "http/response.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/object.hpp>

#include "core/json_writer.hpp"
#include "http/request_id.hpp"

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

void serialize_head(const Response& response, std::string_view request_id, std::string& out) {
  const unsigned status = response.result_int();
  const char status_digits[3] = {static_cast<char>('0' + status / 100 % 10),
                                 static_cast<char>('0' + status / 10 % 10),
                                 static_cast<char>('0' + status % 10)};
  out += response.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out.append(status_digits, sizeof status_digits);
  out += ' ';
  out += response.reason();
  out += "\r\n";
  for (const auto& field : response) {
    out += field.name_string();
    out += ": ";
    out += field.value();
    out += "\r\n";
  }
  if (!request_id.empty()) {
    out += kRequestIdField;
    out += ": ";
    out += request_id;
    out += "\r\n";
  }
  out += "\r\n";
}

}  // namespace latencylab::http
