#include "http/session_core.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/error.hpp>
#include <cstring>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "http/response.hpp"

namespace latencylab::http {
namespace {

using Step = SessionCore::Step;
using beast_http::field;

constexpr std::string_view kRequestId = "req-1";

// Handlers are never called here: the driver below answers for them, as the session would
// with the handler's response.
awaitable<void> unused_handler(RequestContext& context) {
  context.response = json_response(context.request, Status::ok, "{}");
  co_return;
}

Router test_router() {
  Router router;
  router.add("/health", Verb::get, unused_handler);
  router.add("/api/orders", Verb::post, unused_handler);
  router.add("/api/orders/{id}", Verb::get, unused_handler);
  router.add("/boom", Verb::get, unused_handler);
  return router;
}

Limits test_limits() {
  Limits limits;
  limits.header_limit_bytes = 512;
  limits.body_limit_bytes = 64;
  return limits;
}

// How the bytes end after the last one was delivered.
enum class End { client_closes, deadline_passes };

struct Options {
  std::size_t segment = 4096;  // bytes per read, as TCP may split them
  End end = End::client_closes;
  bool draining = false;
};

struct Answer {
  unsigned status;
  bool keep_alive;
  std::string body;
  std::string allow;
  std::string content_length;
  std::string wire;  // the bytes written: head and body
};

// What a client on the other end of the connection would observe.
struct Transcript {
  std::vector<Answer> answers;
  std::vector<std::string> handled;  // "<path> <body>" of every request that reached a handler
  int continues = 0;
  std::vector<std::pair<SessionCore::ReadPhase, bool>> reads;  // phase, and whether it starts
  bool closed = false;
};

// Drives the core as run_session does, with `input` in place of a socket. A handler answers 200
// with the path as its body; the /boom handler fails.
Transcript drive(std::string_view input, Options options = {}, Limits limits = test_limits()) {
  const Router router = test_router();
  SessionCore core{limits, router};
  Transcript transcript;
  int steps = 0;
  Step step = core.start_request();
  while (step != Step::close) {
    if (++steps > 10'000) {
      ADD_FAILURE() << "the core does not come to an end";
      break;
    }
    switch (step) {
      case Step::read: {
        transcript.reads.emplace_back(core.read_phase(), core.read_starts_phase());
        if (input.empty()) {
          step = options.end == End::deadline_passes
                     ? core.read_failed(true, asio::error::operation_aborted)
                     : core.read_failed(false, asio::error::eof);
          break;
        }
        const asio::mutable_buffer buffer = core.read_buffer();
        const std::size_t n = std::min({options.segment, input.size(), buffer.size()});
        std::memcpy(buffer.data(), input.data(), n);
        input.remove_prefix(n);
        step = core.received(n);
        break;
      }
      case Step::header:
        step = core.check_header();
        break;
      case Step::send_continue:
        ++transcript.continues;
        step = core.continue_sent({});
        break;
      case Step::route:
        step = core.route(options.draining);
        break;
      case Step::handle: {
        const RequestContext context = core.handler_context();
        transcript.handled.push_back(std::string(context.path) + " " + context.request.body());
        if (context.path == "/boom") {
          step = core.handler_failed(options.draining);
        } else {
          context.response = json_response(context.request, Status::ok, std::string(context.path));
          step = core.respond(options.draining);
        }
        break;
      }
      case Step::send: {
        const Response& response = core.response();
        std::string wire;
        for (const asio::const_buffer& buffer : core.send_buffers(kRequestId)) {
          wire.append(static_cast<const char*>(buffer.data()), buffer.size());
        }
        transcript.answers.push_back({response.result_int(), response.keep_alive(), response.body(),
                                      std::string(response[field::allow]),
                                      std::string(response[field::content_length]),
                                      std::move(wire)});
        step = core.sent();
        break;
      }
      case Step::close:
        break;
    }
  }
  transcript.closed = step == Step::close;
  return transcript;
}

constexpr std::string_view kGetHealth = "GET /health HTTP/1.1\r\nHost: a\r\n\r\n";

TEST(SessionCore, GetIsRoutedAndTheConnectionKeptAlive) {
  const Transcript t = drive(kGetHealth);
  ASSERT_EQ(t.answers.size(), 1u);
  EXPECT_EQ(t.answers[0].status, 200u);
  EXPECT_TRUE(t.answers[0].keep_alive);
  EXPECT_EQ(t.handled, std::vector<std::string>{"/health "});
  EXPECT_TRUE(t.closed) << "the client closing ends the session";
}

TEST(SessionCore, ResponsesAreWrittenWithStatusLineFieldsAndBody) {
  EXPECT_EQ(drive(kGetHealth).answers.at(0).wire,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n"
            "X-Request-Id: req-1\r\n\r\n/health");
  EXPECT_EQ(drive("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").answers.at(0).wire,
            "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n"
            "Content-Length: 7\r\nX-Request-Id: req-1\r\n\r\n/health");
  EXPECT_EQ(drive("HEAD /health HTTP/1.1\r\nHost: a\r\n\r\n").answers.at(0).wire,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n"
            "X-Request-Id: req-1\r\n\r\n");
  const std::string rejected = drive("GET / HTTP/1.1\r\n\r\n").answers.at(0).wire;
  EXPECT_TRUE(rejected.starts_with("HTTP/1.1 400 Bad Request\r\n")) << rejected;
  EXPECT_NE(rejected.find("\r\nConnection: close\r\n"), std::string::npos) << rejected;
}

TEST(SessionCore, ReadsWaitIdleThenForTheHeaderThenIdleAgain) {
  const Transcript t = drive(kGetHealth, {.segment = 10});
  using P = SessionCore::ReadPhase;
  const std::vector<std::pair<P, bool>> expected = {
      {P::idle, true}, {P::header, true}, {P::header, false}, {P::header, false}, {P::idle, true}};
  EXPECT_EQ(t.reads, expected)
      << "the header deadline starts with the first byte and is not extended by later ones";
}

TEST(SessionCore, TheBodyDeadlineStartsOnceAfter100Continue) {
  const Transcript t = drive(
      "POST /api/orders HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"
      "hi",
      {.segment = 1});
  using P = SessionCore::ReadPhase;
  std::vector<std::pair<P, bool>> body_reads;
  std::copy_if(t.reads.begin(), t.reads.end(), std::back_inserter(body_reads),
               [](const auto& read) { return read.first == P::body; });
  const std::vector<std::pair<P, bool>> expected = {{P::body, true}, {P::body, false}};
  EXPECT_EQ(body_reads, expected);
}

TEST(SessionCore, PipelinedRequestsAreAnsweredInOrderWhateverTheSegmentation) {
  const std::string input =
      "GET /api/orders/A HTTP/1.1\r\nHost: a\r\n\r\n"
      "POST /api/orders HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nabcd"
      "GET /api/orders/B HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
      "GET /api/orders/C HTTP/1.1\r\nHost: a\r\n\r\n";
  for (const std::size_t segment : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
    SCOPED_TRACE(segment);
    const Transcript t = drive(input, {.segment = segment});
    const std::vector<std::string> expected = {"/api/orders/A ", "/api/orders abcd",
                                               "/api/orders/B "};
    EXPECT_EQ(t.handled, expected) << "nothing after Connection: close is answered";
    ASSERT_EQ(t.answers.size(), 3u);
    EXPECT_TRUE(t.answers[0].keep_alive);
    EXPECT_TRUE(t.answers[1].keep_alive);
    EXPECT_FALSE(t.answers[2].keep_alive);
    EXPECT_TRUE(t.closed);
  }
}

TEST(SessionCore, Http10ClosesUnlessItAsksForKeepAlive) {
  EXPECT_FALSE(drive("GET /health HTTP/1.0\r\n\r\n").answers.at(0).keep_alive);
  EXPECT_TRUE(
      drive("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").answers.at(0).keep_alive);
}

TEST(SessionCore, HeadIsAnsweredByGetWithoutTheBody) {
  const Transcript t = drive("HEAD /health HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(t.answers.size(), 1u);
  EXPECT_EQ(t.answers[0].status, 200u);
  EXPECT_EQ(t.answers[0].body, "");
  EXPECT_EQ(t.answers[0].content_length, std::to_string(std::string_view("/health").size()))
      << "Content-Length stays GET's";
  EXPECT_TRUE(t.answers[0].keep_alive);
}

TEST(SessionCore, UnknownPathIs404AndTheConnectionStaysOpen) {
  const Transcript t = drive("GET /nope HTTP/1.1\r\nHost: a\r\n\r\n" + std::string(kGetHealth));
  ASSERT_EQ(t.answers.size(), 2u);
  EXPECT_EQ(t.answers[0].status, 404u);
  EXPECT_NE(t.answers[0].body.find("no route for /nope"), std::string::npos);
  EXPECT_TRUE(t.answers[0].keep_alive);
  EXPECT_EQ(t.answers[1].status, 200u);
}

TEST(SessionCore, WrongMethodIs405WithAllow) {
  const Transcript t = drive("DELETE /api/orders/7 HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(t.answers.size(), 1u);
  EXPECT_EQ(t.answers[0].status, 405u);
  EXPECT_EQ(t.answers[0].allow, "GET, HEAD");
  EXPECT_TRUE(t.answers[0].keep_alive);
  EXPECT_TRUE(t.handled.empty());
}

TEST(SessionCore, AFailedHandlerIs500) {
  const Transcript t = drive("GET /boom HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(t.answers.size(), 1u);
  EXPECT_EQ(t.answers[0].status, 500u);
  EXPECT_NE(t.answers[0].body.find("internal_error"), std::string::npos);
}

TEST(SessionCore, WhileDrainingEveryResponseCloses) {
  const Transcript t = drive(std::string(kGetHealth) + std::string(kGetHealth), {.draining = true});
  ASSERT_EQ(t.answers.size(), 1u);
  EXPECT_FALSE(t.answers[0].keep_alive);
  EXPECT_TRUE(t.closed);
}

TEST(SessionCore, ExpectContinueIsAnsweredBeforeTheBodyIsRead) {
  const Transcript t = drive(
      "POST /api/orders HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"
      "hi");
  EXPECT_EQ(t.continues, 1);
  EXPECT_EQ(t.handled, std::vector<std::string>{"/api/orders hi"});
}

TEST(SessionCore, ExpectContinueOverTheBodyLimitIs413WithoutContinue) {
  const Transcript t = drive(
      "POST /api/orders HTTP/1.1\r\nHost: a\r\nContent-Length: 65\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(t.continues, 0);
  ASSERT_EQ(t.answers.size(), 1u);
  EXPECT_EQ(t.answers[0].status, 413u);
}

// Every rejection: the status a client sees, the connection closed, nothing after it answered.
struct Rejection {
  const char* name;
  std::string input;
  unsigned status;
  End end = End::client_closes;
};

class SessionCoreRejection : public ::testing::TestWithParam<Rejection> {};

TEST_P(SessionCoreRejection, IsAnsweredAndTheConnectionClosed) {
  const Rejection& rejection = GetParam();
  for (const std::size_t segment : {std::size_t{1}, std::size_t{4096}}) {
    SCOPED_TRACE(segment);
    const Transcript t = drive(rejection.input + std::string(kGetHealth),
                               {.segment = segment, .end = rejection.end});
    ASSERT_EQ(t.answers.size(), 1u);
    EXPECT_EQ(t.answers[0].status, rejection.status);
    EXPECT_FALSE(t.answers[0].keep_alive);
    EXPECT_NE(t.answers[0].body.find("\"error\""), std::string::npos) << t.answers[0].body;
    EXPECT_TRUE(t.handled.empty());
    EXPECT_TRUE(t.closed);
  }
}

INSTANTIATE_TEST_SUITE_P(
    EveryPath, SessionCoreRejection,
    ::testing::Values(
        Rejection{"header_over_limit",
                  "GET /health HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(600, 'x') + "\r\n\r\n",
                  431},
        Rejection{"malformed_request_line", "GET /health HTTP/9\r\nHost: a\r\n\r\n", 400},
        Rejection{"no_host", "GET /health HTTP/1.1\r\n\r\n", 400},
        Rejection{"two_hosts", "GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
        Rejection{"conflicting_content_lengths",
                  "POST /api/orders HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n"
                  "Content-Length: 2\r\n\r\nab",
                  400},
        Rejection{"content_length_and_chunked",
                  "POST /api/orders HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                  400},
        Rejection{
            "unsupported_coding",
            "POST /api/orders HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            501},
        Rejection{"content_length_over_limit",
                  "POST /api/orders HTTP/1.1\r\nHost: a\r\nContent-Length: 65\r\n\r\n", 413},
        Rejection{"chunked_body_over_limit",
                  "POST /api/orders HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "41\r\n" +
                      std::string(65, 'x') + "\r\n0\r\n\r\n",
                  413},
        Rejection{
            "bad_chunk",
            "POST /api/orders HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            400}),
    [](const auto& test) { return std::string(test.param.name); });

// The ones that depend on how the bytes end: nothing is appended after them.
TEST(SessionCore, HeaderNotCompleteByTheDeadlineIs408) {
  const Transcript t = drive("GET /health HTTP/1.1\r\nHo", {.end = End::deadline_passes});
  ASSERT_EQ(t.answers.size(), 1u);
  EXPECT_EQ(t.answers[0].status, 408u);
  EXPECT_FALSE(t.answers[0].keep_alive);
}

TEST(SessionCore, BodyNotCompleteByTheDeadlineIs408) {
  const Transcript t = drive("POST /api/orders HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\nabc",
                             {.end = End::deadline_passes});
  ASSERT_EQ(t.answers.size(), 1u);
  EXPECT_EQ(t.answers[0].status, 408u);
  EXPECT_NE(t.answers[0].body.find("body did not arrive"), std::string::npos);
  EXPECT_FALSE(t.answers[0].keep_alive);
}

TEST(SessionCore, BodyCutShortByTheClientIs400) {
  const Transcript t =
      drive("POST /api/orders HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\nabc");
  ASSERT_EQ(t.answers.size(), 1u);
  EXPECT_EQ(t.answers[0].status, 400u);
  EXPECT_FALSE(t.answers[0].keep_alive);
}

TEST(SessionCore, ClientLeavingMidHeaderOrWhileIdleIsClosedWithoutAnAnswer) {
  EXPECT_TRUE(drive("GET /health HT").answers.empty());
  EXPECT_TRUE(drive("").answers.empty());
  EXPECT_TRUE(drive("", {.end = End::deadline_passes}).answers.empty()) << "idle timeout";
  const Transcript after_one = drive(kGetHealth, {.end = End::deadline_passes});
  EXPECT_EQ(after_one.answers.size(), 1u) << "an idle keep-alive connection just closes";
  EXPECT_TRUE(after_one.closed);
}

TEST(SessionCore, ANewRequestGetsAWholeHeaderLimitOfItsOwn) {
  // Two requests of 300 bytes each in one read: the limit (512) is per request, not per read.
  const std::string request =
      "GET /health HTTP/1.1\r\nHost: a\r\nX-Pad: " + std::string(260, 'p') + "\r\n\r\n";
  const Transcript t = drive(request + request);
  ASSERT_EQ(t.answers.size(), 2u);
  EXPECT_EQ(t.answers[1].status, 200u);
}

}  // namespace
}  // namespace latencylab::http
