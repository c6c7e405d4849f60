// Fuzzes the server's request path before the handlers: bytes arriving on one connection, through
// http::SessionCore (every protocol decision run_session makes: limits, framing, body size,
// 100-continue, routing, keep-alive) with the service's real limits and route table. Handlers are
// not run (their body validation has its own target): a routed request is answered 200, as a
// handler would.
//
// The first input byte sets how many bytes "arrive" per read (TCP segmentation), the rest is the
// byte stream; when it runs out the client closes.
#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <cstring>
#include <string>

#include "config/graph_file.hpp"
#include "fuzz_target.hpp"
#include "graph/graph_service.hpp"
#include "handlers/health_handler.hpp"
#include "http/connection_registry.hpp"
#include "http/limits.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/session_core.hpp"
#include "sim/random.hpp"
#include "telemetry/meter.hpp"

namespace {

using namespace latencylab;
using http::beast_http::field;
using Step = http::SessionCore::Step;
using latencylab::fuzz::require;

// Enough keep-alive requests to reach state carried between requests, few enough to stay fast.
constexpr int kMaxResponsesPerConnection = 8;

// The service's route table, built once as `latencylab serve` builds it.
struct Service {
  boost::asio::io_context io;
  sim::Rng rng{1};
  telemetry::Meter meter;
  handlers::HealthHandler health{[] { return false; }};
  graph::GraphService graph{config::default_graph().services.front(),
                            {io.get_executor(), rng, meter, 1.0}};
  http::Router router;
  http::Limits limits;  // the defaults are the service's defaults (config::ServerConfig)

  Service() {
    health.register_routes(router);
    graph.register_routes(router);
  }
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

// Invariants of a request whose header the core accepted.
void check_accepted_header(const http::Request& request) {
  require(!(request.chunked() && request.count(field::content_length) != 0),
          "accepted framing is never both chunked and Content-Length");
  require(request.version() < 11 || request.count(field::host) == 1,
          "an accepted HTTP/1.1 request has exactly one Host");
}

void check_response(const http::Response& response, const auto& send_buffers) {
  require(response[field::content_type] == "application/json", "every response is JSON");
  const std::string_view head{static_cast<const char*>(send_buffers[0].data()),
                              send_buffers[0].size()};
  require(head.starts_with("HTTP/1.") && head.ends_with("\r\n\r\n") &&
              head.find("\r\n\r\n") == head.size() - 4,
          "the head is a status line and fields, ended by one empty line");
  require(send_buffers[1].size() == response.body().size(), "the body is sent as it is");
  const unsigned status = response.result_int();
  const bool rejection =
      status == 400 || status == 408 || status == 413 || status == 431 || status == 501;
  require(!rejection || !response.keep_alive(), "a rejected request closes its connection");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Service service;
  if (size == 0) return 0;
  const std::size_t segment = data[0] == 0 ? 1 : data[0];
  std::string_view pending = latencylab::fuzz::as_text(data + 1, size - 1);

  http::SessionCore core{service.limits, service.router};
  int responses = 0;
  Step step = core.start_request();
  while (step != Step::close) {
    switch (step) {
      case Step::read: {
        if (pending.empty()) {
          step = core.read_failed(false, boost::asio::error::eof);
          break;
        }
        const boost::asio::mutable_buffer buffer = core.read_buffer();
        const std::size_t n = std::min({segment, pending.size(), buffer.size()});
        std::memcpy(buffer.data(), pending.data(), n);
        pending.remove_prefix(n);
        step = core.received(n);
        break;
      }
      case Step::header:
        step = core.check_header();
        if (step != Step::send) check_accepted_header(core.request());
        break;
      case Step::send_continue:
        step = core.continue_sent({});
        break;
      case Step::route:
        require(core.request().body().size() <= service.limits.body_limit_bytes,
                "the body limit holds");
        step = core.route(/*draining=*/false);
        check_match(service.router, core.request().method(), core.handler_context().path);
        break;
      case Step::handle:
        core.handler_context().response =
            http::json_response(core.request(), http::Status::ok, "{}");
        step = core.respond(/*draining=*/false);
        break;
      case Step::send: {
        const http::Response& response = core.response();
        check_response(response, core.send_buffers("fuzz-1"));
        const bool keep_alive = response.keep_alive();
        if (++responses == kMaxResponsesPerConnection) return 0;
        step = core.sent();
        require(keep_alive == (step != Step::close), "keep-alive decides what follows a response");
        break;
      }
      case Step::close:
        break;
    }
  }
  return 0;
}
