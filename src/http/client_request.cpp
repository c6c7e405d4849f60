#include "http/client_request.hpp"

#include <array>
#include <charconv>
#include <stdexcept>

namespace latencylab::http {

std::string_view client_error_name(ClientError error) noexcept {
  static constexpr std::array<std::string_view, kClientErrorCount> kNames{
      "timeout", "connection_error", "invalid_response", "cancelled"};
  return kNames[static_cast<std::size_t>(error)];
}

void throw_exception_from_error(ClientError error, const boost::source_location&) {
  throw std::runtime_error("downstream exchange failed: " + std::string(client_error_name(error)));
}

void serialize_request_head(const ClientRequest& request, std::string_view host, std::string& out) {
  const std::string_view method = beast_http::to_string(request.method);
  out.clear();
  out.append(method).append(" ").append(request.target).append(" HTTP/1.1\r\nHost: ");
  out.append(host).append("\r\nUser-Agent: latencylab\r\n");
  if (!request.request_id.empty()) {
    out.append("X-Request-Id: ").append(request.request_id).append("\r\n");
  }
  if (!request.body.empty()) out.append("Content-Type: application/json\r\n");
  // RFC 9110 8.6: a method that defines a meaning for content says "no content" with a 0.
  const bool expects_content =
      request.method == Verb::post || request.method == Verb::put || request.method == Verb::patch;
  if (!request.body.empty() || expects_content) {
    std::array<char, 24> digits{};
    const auto written =
        std::to_chars(digits.data(), digits.data() + digits.size(), request.body.size());
    out.append("Content-Length: ").append(digits.data(), written.ptr).append("\r\n");
  }
  out.append("\r\n");
}

bool is_idempotent(Verb method) noexcept {
  switch (method) {
    case Verb::get:
    case Verb::head:
    case Verb::put:
    case Verb::delete_:
    case Verb::options:
    case Verb::trace:
      return true;
    default:
      return false;
  }
}

}  // namespace latencylab::http
