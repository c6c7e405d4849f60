// Proofs of a graph service's downstream calls against raw loopback servers the test controls: the
// circuit breaker opens on failures, fails fast without calling, and closes once the downstream
// recovers; garbage, resets and silence answer 502/502/504 with their error.type and never crash
// the caller; a failed GET is retried once, a POST only where the step allows it.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "config/graph_file.hpp"
#include "graph_loopback.hpp"
#include "snapshot_helpers.hpp"

namespace latencylab::testing {
namespace {

using namespace std::chrono_literals;
using telemetry::testing::gauge_of;
using telemetry::testing::histogram_of;
using telemetry::testing::point_with;
using telemetry::testing::sum_of;

// `front` calls `raw` through several downstreams; the test points each at its own RawServer.
constexpr std::string_view kGraph = R"({
  "services": {
    "front": {
      "downstreams": {
        "flaky": {"service": "raw", "timeout_ms": 1000, "retry": {"max_attempts": 1},
                  "breaker": {"window": 20, "min_calls": 10, "consecutive_failures": 3,
                              "open_ms": 300, "half_open_probes": 1}},
        "garbage": {"service": "raw", "timeout_ms": 200, "retry": {"max_attempts": 1}},
        "reset": {"service": "raw", "timeout_ms": 200, "retry": {"max_attempts": 1}},
        "silent": {"service": "raw", "timeout_ms": 200, "retry": {"max_attempts": 1}},
        "getting": {"service": "raw", "timeout_ms": 1000,
                    "retry": {"max_attempts": 2, "initial_backoff_ms": 1, "max_backoff_ms": 1}},
        "posting": {"service": "raw", "timeout_ms": 1000,
                    "retry": {"max_attempts": 2, "initial_backoff_ms": 1, "max_backoff_ms": 1}}
      },
      "routes": [
        {"method": "GET", "path": "/flaky", "steps": [{"call": {"downstream": "flaky", "path": "/x"}}]},
        {"method": "GET", "path": "/garbage", "steps": [{"call": {"downstream": "garbage", "path": "/x"}}]},
        {"method": "GET", "path": "/reset", "steps": [{"call": {"downstream": "reset", "path": "/x"}}]},
        {"method": "GET", "path": "/silent", "steps": [{"call": {"downstream": "silent", "path": "/x"}}]},
        {"method": "GET", "path": "/get", "steps": [{"call": {"downstream": "getting", "path": "/x"}}]},
        {"method": "GET", "path": "/get-once", "steps": [
          {"call": {"downstream": "getting", "path": "/x", "retry": false}}]},
        {"method": "GET", "path": "/post", "steps": [
          {"call": {"downstream": "posting", "method": "POST", "path": "/x"}}]},
        {"method": "GET", "path": "/post-retried", "steps": [
          {"call": {"downstream": "posting", "method": "POST", "path": "/x", "retry": true}}]}
      ]
    },
    "raw": {
      "routes": [{"method": "GET", "path": "/x"}, {"method": "POST", "path": "/x"}]
    }
  }
})";

// Every downstream of `front`, at `used` or else at a port nothing listens on (never called).
std::map<std::string, std::string, std::less<>> urls(
    std::map<std::string, std::string, std::less<>> used) {
  for (const char* name : {"flaky", "garbage", "reset", "silent", "getting", "posting"}) {
    used.try_emplace(name, "http://127.0.0.1:1");
  }
  return used;
}

std::int64_t value_with(const std::vector<telemetry::NumberPoint>& points,
                        telemetry::AttributeList attributes) {
  const auto* point = point_with(points, std::move(attributes));
  return point == nullptr ? -1 : std::get<std::int64_t>(point->value);
}

TEST(GraphDownstream, BreakerOpensFailsFastAndClosesWhenTheDownstreamRecovers) {
  std::atomic<bool> healthy{false};
  RawServer raw{[&](std::size_t) { return healthy ? RawReply::ok : RawReply::unavailable; }};
  const config::Graph graph = config::parse_graph(kGraph, "downstream graph");
  auto front =
      start_service(graph.service("front"), urls({{"flaky", loopback_url(raw.port())}}), 1.0);

  for (int i = 0; i < 3; ++i) {
    const Answer failed = request_once(front->port(), "GET", "/flaky");
    EXPECT_EQ(failed.status, 502U);
    EXPECT_EQ(failed.error, "503");
  }
  EXPECT_EQ(raw.requests(), 3U);
  // Three failures in a row opened it: calls fail fast, without a request.
  for (int i = 0; i < 5; ++i) {
    const Answer refused = request_once(front->port(), "GET", "/flaky");
    EXPECT_EQ(refused.status, 503U);
    EXPECT_EQ(refused.error, "circuit_open");
  }
  EXPECT_EQ(raw.requests(), 3U) << "an open breaker does not call";

  healthy = true;
  std::this_thread::sleep_for(400ms);  // past open_ms: the next call is a probe
  for (int i = 0; i < 4; ++i) {
    const Answer answer = request_once(front->port(), "GET", "/flaky");
    EXPECT_EQ(answer.status, 200U);
  }
  EXPECT_EQ(raw.requests(), 7U);
  front->stop();

  const auto snapshot = front->service().meter().collect();
  // A downstream's 5xx is the caller's own 502 (no cause); a refusal names the breaker.
  EXPECT_EQ(server_requests(snapshot, "/flaky", 502, "502"), 3U);
  EXPECT_EQ(server_requests(snapshot, "/flaky", 503, "circuit_open"), 5U);
  EXPECT_EQ(value_with(sum_of(snapshot, "latencylab.downstream.breaker.rejections").points,
                       {{"latencylab.downstream.name", "flaky"}}),
            5);
  const auto& state = gauge_of(snapshot, "latencylab.downstream.breaker.state").points;
  EXPECT_EQ(value_with(state, {{"latencylab.downstream.name", "flaky"},
                               {"latencylab.breaker.state", "closed"}}),
            1);
  EXPECT_EQ(value_with(state, {{"latencylab.downstream.name", "flaky"},
                               {"latencylab.breaker.state", "open"}}),
            0);
}

TEST(GraphDownstream, GarbageResetsAndSilenceAnswer502And504NeverACrash) {
  RawServer garbage{[](std::size_t) { return RawReply::garbage; }};
  RawServer reset{[](std::size_t) { return RawReply::reset; }};
  RawServer silent{[](std::size_t) { return RawReply::silent; }};
  const config::Graph graph = config::parse_graph(kGraph, "downstream graph");
  auto front = start_service(graph.service("front"),
                             urls({{"garbage", loopback_url(garbage.port())},
                                   {"reset", loopback_url(reset.port())},
                                   {"silent", loopback_url(silent.port())}}),
                             1.0);

  for (int round = 0; round < 3; ++round) {
    const Answer invalid = request_once(front->port(), "GET", "/garbage");
    EXPECT_EQ(invalid.status, 502U);
    EXPECT_EQ(invalid.error, "invalid_response");
    const Answer refused = request_once(front->port(), "GET", "/reset");
    EXPECT_EQ(refused.status, 502U);
    EXPECT_EQ(refused.error, "connection_error");
    const Answer timed_out = request_once(front->port(), "GET", "/silent");
    EXPECT_EQ(timed_out.status, 504U);
    EXPECT_EQ(timed_out.error, "timeout");
    EXPECT_GE(timed_out.latency, 200ms) << "after the per-try timeout";
  }
  EXPECT_EQ(request_once(front->port(), "GET", "/health").status, 200U);
  EXPECT_EQ(garbage.requests(), 3U);
  EXPECT_EQ(reset.requests(), 3U);
  EXPECT_EQ(silent.requests(), 3U);
  front->stop();

  const auto snapshot = front->service().meter().collect();
  EXPECT_EQ(server_requests(snapshot, "/garbage", 502, "invalid_response"), 3U);
  EXPECT_EQ(server_requests(snapshot, "/reset", 502, "connection_error"), 3U);
  EXPECT_EQ(server_requests(snapshot, "/silent", 504, "timeout"), 3U);
}

TEST(GraphDownstream, FailedGetIsRetriedOncePostOnlyWhereTheStepSaysSo) {
  // Resets the first request; answers the rest.
  RawServer getting{[](std::size_t n) { return n == 0 ? RawReply::reset : RawReply::ok; }};
  // Resets the first two requests: the plain POST's and the retried POST's first try.
  RawServer posting{[](std::size_t n) { return n < 2 ? RawReply::reset : RawReply::ok; }};
  const config::Graph graph = config::parse_graph(kGraph, "downstream graph");
  auto front = start_service(
      graph.service("front"),
      urls({{"getting", loopback_url(getting.port())}, {"posting", loopback_url(posting.port())}}),
      1.0);

  EXPECT_EQ(request_once(front->port(), "GET", "/get").status, 200U);
  EXPECT_EQ(getting.requests(), 2U) << "the reset try and its retry";

  const Answer post = request_once(front->port(), "GET", "/post");
  EXPECT_EQ(post.status, 502U);
  EXPECT_EQ(post.error, "connection_error");
  EXPECT_EQ(posting.requests(), 1U) << "a POST is not retried by default";

  EXPECT_EQ(request_once(front->port(), "GET", "/post-retried").status, 200U);
  EXPECT_EQ(posting.requests(), 3U) << "\"retry\": true retries the POST";
  front->stop();

  const auto snapshot = front->service().meter().collect();
  const auto& retries = sum_of(snapshot, "latencylab.downstream.retries");
  EXPECT_EQ(value_with(retries.points, {{"latencylab.downstream.name", "getting"}}), 1);
  EXPECT_EQ(value_with(retries.points, {{"latencylab.downstream.name", "posting"}}), 1);
}

TEST(GraphDownstream, A5xxGetIsRetriedOnce) {
  RawServer getting{[](std::size_t n) { return n == 0 ? RawReply::unavailable : RawReply::ok; }};
  const config::Graph graph = config::parse_graph(kGraph, "downstream graph");
  auto front =
      start_service(graph.service("front"), urls({{"getting", loopback_url(getting.port())}}), 1.0);

  EXPECT_EQ(request_once(front->port(), "GET", "/get").status, 200U);
  EXPECT_EQ(getting.requests(), 2U) << "the 503 try and its retry";
  front->stop();

  const auto snapshot = front->service().meter().collect();
  EXPECT_EQ(value_with(sum_of(snapshot, "latencylab.downstream.retries").points,
                       {{"latencylab.downstream.name", "getting"}}),
            1);
}

TEST(GraphDownstream, ClientErrorsPassThroughAndAreNotFailures) {
  RawServer missing{[](std::size_t) { return RawReply::not_found; }};
  const config::Graph graph = config::parse_graph(kGraph, "downstream graph");
  auto front = start_service(
      graph.service("front"),
      urls({{"flaky", loopback_url(missing.port())}, {"getting", loopback_url(missing.port())}}),
      1.0);

  // Five 404s in a row: passed through, and the breaker (3 consecutive failures) stays closed.
  for (int i = 0; i < 5; ++i) {
    const Answer answer = request_once(front->port(), "GET", "/flaky");
    EXPECT_EQ(answer.status, 404U);
    EXPECT_EQ(answer.error, "missing") << "the downstream's body, as is";
  }
  EXPECT_EQ(missing.requests(), 5U);
  // A 404 is an answer: a GET is not retried on it.
  EXPECT_EQ(request_once(front->port(), "GET", "/get").status, 404U);
  EXPECT_EQ(missing.requests(), 6U);
  front->stop();

  const auto snapshot = front->service().meter().collect();
  EXPECT_EQ(value_with(sum_of(snapshot, "latencylab.downstream.breaker.rejections").points,
                       {{"latencylab.downstream.name", "flaky"}}),
            0);
  EXPECT_EQ(value_with(sum_of(snapshot, "latencylab.downstream.retries").points,
                       {{"latencylab.downstream.name", "getting"}}),
            0);
}

TEST(GraphDownstream, RetryFalseTurnsRetriesOffForAGet) {
  RawServer getting{[](std::size_t n) { return n == 0 ? RawReply::reset : RawReply::ok; }};
  const config::Graph graph = config::parse_graph(kGraph, "downstream graph");
  auto front =
      start_service(graph.service("front"), urls({{"getting", loopback_url(getting.port())}}), 1.0);

  const Answer answer = request_once(front->port(), "GET", "/get-once");
  EXPECT_EQ(answer.status, 502U);
  EXPECT_EQ(answer.error, "connection_error");
  EXPECT_EQ(getting.requests(), 1U);
  EXPECT_EQ(request_once(front->port(), "GET", "/get-once").status, 200U);
  EXPECT_EQ(getting.requests(), 2U);
}

}  // namespace
}  // namespace latencylab::testing
