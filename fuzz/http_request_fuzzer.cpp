// Fuzzes the server's request path before the handlers: bytes arriving on a connection, parsed by
// Beast's request parser under the service's header and body limits, our RFC 9112 framing checks,
// then the route lookup in the service's real route table. The session's socket coroutine is not
// separable from its I/O, so this replays its steps (http/session.cpp, serve_one_request) on a
// buffer: header, framing, Content-Length limit, body, route; keep-alive requests in a row.
//
// The first input byte sets how many bytes "arrive" per read (TCP segmentation), the rest is the
// byte stream. Handlers are not invoked: their body validation has its own target.
#include <boost/asio/io_context.hpp>
#include <boost/beast/http/parser.hpp>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "fuzz_target.hpp"
#include "handlers/business_metrics.hpp"
#include "handlers/service_handlers.hpp"
#include "http/connection_registry.hpp"
#include "http/framing.hpp"
#include "http/limits.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "sim/random.hpp"
#include "telemetry/meter.hpp"

namespace {

using namespace latencylab;
using http::beast_http::field;
using RequestParser = http::beast_http::request_parser<http::beast_http::string_body>;
using latencylab::fuzz::require;

// Enough keep-alive requests to reach parser state carried between requests, few enough to stay
// fast.
constexpr int kMaxRequestsPerConnection = 8;

// The service's route table, built once as `latencylab serve` builds it.
struct Service {
  boost::asio::io_context io;
  config::Config config = config::default_config();
  sim::Rng rng{1};
  telemetry::Meter meter;
  handlers::BusinessMetrics metrics = handlers::make_business_metrics(meter);
  http::ConnectionRegistry registry{io.get_executor()};
  handlers::ServiceHandlers handlers{config, rng, metrics, registry};
  http::Router router;
  http::Limits limits;  // the defaults are the service's defaults (config::ServerConfig)

  Service() { handlers.register_routes(router); }
};

// The bytes a client sent, delivered `segment` bytes per read like a socket would.
class Connection {
 public:
  Connection(std::string_view bytes, std::size_t segment) : pending_(bytes), segment_(segment) {
    read_more();  // the session's first read, before any parsing
  }

  // Appends the next segment to the read buffer; false when the client has sent everything.
  bool read_more() {
    if (pending_.empty()) return false;
    const std::size_t n = std::min(segment_, pending_.size());
    buffer_.append(pending_.substr(0, n));
    pending_.remove_prefix(n);
    return true;
  }

  // Feeds the parser until `done` holds; false on a parse error or when the input runs out.
  template <typename Done>
  bool parse_until(RequestParser& parser, Done done, error_code& ec) {
    while (!done()) {
      const std::size_t used = parser.put(boost::asio::buffer(buffer_), ec);
      buffer_.erase(0, used);
      // Beast consumes nothing from an empty buffer without reporting need_more.
      if (ec == http::beast_http::error::need_more || (!ec && used == 0)) {
        ec = {};
        if (!read_more()) return false;
        continue;
      }
      if (ec) return false;
    }
    return true;
  }

  [[nodiscard]] bool idle() const noexcept { return buffer_.empty() && pending_.empty(); }

 private:
  std::string_view pending_;
  std::size_t segment_;
  std::string buffer_;  // read but not yet consumed by a parser, like the session's flat_buffer
};

void check_match(const http::Router& router, http::Verb verb, std::string_view path) {
  const http::Router::Match match = router.match(verb, path);
  if (match.kind == http::Router::Match::Kind::not_found) return;
  require(!match.allow.empty(), "a matched route lists its allowed methods");
  require(path.starts_with('/'), "only absolute paths match a route");
  const std::string_view route = match.route_template;
  const std::size_t brace = route.find('{');
  if (brace == std::string_view::npos) {
    require(path == route, "a route without a parameter matches only its own path");
    require(match.param.empty(), "a route without a parameter yields no parameter");
  } else {
    require(path.starts_with(route.substr(0, brace)), "a matched path starts with the prefix");
    require(!match.param.empty() && match.param.find('/') == std::string_view::npos,
            "a parameter is one non-empty path segment");
  }
  require((match.kind == http::Router::Match::Kind::found) == (match.handler != nullptr),
          "a found route has a handler");
  if (verb == http::Verb::head) {
    require(match.kind == router.match(http::Verb::get, path).kind,
            "HEAD is answered wherever GET is");
  }
}

// One request of the connection; false when the session would close the connection afterwards.
bool serve_one_request(const Service& service, Connection& connection) {
  RequestParser parser;
  parser.header_limit(static_cast<std::uint32_t>(service.limits.header_limit_bytes));
  parser.body_limit(boost::none);  // as the session: decided from Content-Length
  error_code ec;
  if (!connection.parse_until(
          parser, [&] { return parser.is_header_done(); }, ec))
    return false;

  const http::Request& request = parser.get();
  const auto problem = http::check_framing(request);
  if (problem) {
    require(!problem->reason.empty(), "a framing rejection names its reason");
    return false;  // answered with 400/501 and closed
  }
  require(!(parser.chunked() && request.count(field::content_length) != 0),
          "accepted framing is never both chunked and Content-Length");
  require(request.version() < 11 || request.count(field::host) == 1,
          "an accepted HTTP/1.1 request has exactly one Host");
  if (parser.content_length().value_or(0) > service.limits.body_limit_bytes) return false;  // 413

  parser.body_limit(service.limits.body_limit_bytes);
  if (!connection.parse_until(
          parser, [&] { return parser.is_done(); }, ec))
    return false;
  require(request.body().size() <= service.limits.body_limit_bytes, "the body limit holds");

  const auto [path, query] = http::split_target(request.target());
  check_match(service.router, request.method(), path);
  return request.keep_alive();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Service service;
  if (size == 0) return 0;
  const std::size_t segment = data[0] == 0 ? 1 : data[0];
  Connection connection(latencylab::fuzz::as_text(data + 1, size - 1), segment);
  for (int i = 0; i < kMaxRequestsPerConnection && !connection.idle(); ++i) {
    if (!serve_one_request(service, connection)) break;
  }
  return 0;
}
