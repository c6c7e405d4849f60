#include "http/server_deadlines.hpp"

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <optional>

namespace latencylab::http {
namespace {

using tcp = asio::ip::tcp;
using Timeout = ServerDeadlines::Timeout;
using namespace std::chrono_literals;

// A connected loopback pair: `server` is the side a session would watch.
struct Connection {
  explicit Connection(asio::io_context& io, tcp::acceptor& acceptor) : server(io), client(io) {
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
  }
  tcp::socket server;
  tcp::socket client;
};

// How a pending read on the server side ended.
struct ReadEnd {
  std::optional<error_code> error;  // nullopt while the read is pending
};

void start_read(tcp::socket& socket, std::array<char, 16>& buffer, ReadEnd& end) {
  socket.async_read_some(asio::buffer(buffer),
                         [&end](const error_code& ec, std::size_t) { end.error = ec; });
}

class ServerDeadlinesTest : public ::testing::Test {
 protected:
  ServerDeadlinesTest() {
    // Short deadlines for header and body, one that never passes in a test for idle and write.
    limits_.header_timeout = 1ms;
    limits_.body_timeout = 2ms;
    limits_.idle_timeout = 1h;
    limits_.write_timeout = 1h;
  }

  // Runs handlers until both reads ended (an idle queue's timer stays pending: run() would wait).
  void run_until_ended(const ReadEnd& a, const ReadEnd& b) {
    while (!a.error || !b.error) io_.run_one();
  }

  asio::io_context io_;
  // run_one() returns at once, doing nothing, once the context ran out of work (between rounds).
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  tcp::acceptor acceptor_{io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  Limits limits_;
};

TEST_F(ServerDeadlinesTest, APassedDeadlineCancelsTheReadAndOnlyThatConnectionsRead) {
  ServerDeadlines deadlines(io_.get_executor(), limits_);
  Connection slow(io_, acceptor_);
  Connection fine(io_, acceptor_);
  ServerDeadlines::Watch slow_watch(deadlines, slow.server);
  ServerDeadlines::Watch fine_watch(deadlines, fine.server);
  slow_watch.expire_after(Timeout::header);
  fine_watch.expire_after(Timeout::idle);
  std::array<char, 16> slow_buffer{};
  std::array<char, 16> fine_buffer{};
  ReadEnd slow_end;
  ReadEnd fine_end;
  start_read(slow.server, slow_buffer, slow_end);
  start_read(fine.server, fine_buffer, fine_end);

  while (!slow_end.error) io_.run_one();
  EXPECT_EQ(*slow_end.error, asio::error::operation_aborted);
  EXPECT_TRUE(slow_watch.expired());
  EXPECT_TRUE(slow.server.is_open()) << "cancelled, not closed: the session can still answer 408";
  EXPECT_FALSE(fine_end.error) << "a connection under the idle timeout keeps reading";
  EXPECT_FALSE(fine_watch.expired());

  fine.client.close();
  run_until_ended(slow_end, fine_end);
  EXPECT_EQ(*fine_end.error, asio::error::eof);
}

TEST_F(ServerDeadlinesTest, AMovedDeadlineLeavesItsOldQueue) {
  ServerDeadlines deadlines(io_.get_executor(), limits_);
  Connection moved(io_, acceptor_);
  Connection stays(io_, acceptor_);
  ServerDeadlines::Watch moved_watch(deadlines, moved.server);
  ServerDeadlines::Watch stays_watch(deadlines, stays.server);
  // Both start in the header queue; `moved` then goes to the idle queue (a request was read and
  // the connection waits for the next one), while `stays` goes on to the body queue.
  moved_watch.expire_after(Timeout::header);
  stays_watch.expire_after(Timeout::header);
  moved_watch.expire_after(Timeout::idle);
  stays_watch.expire_after(Timeout::body);
  std::array<char, 16> moved_buffer{};
  std::array<char, 16> stays_buffer{};
  ReadEnd moved_end;
  ReadEnd stays_end;
  start_read(moved.server, moved_buffer, moved_end);
  start_read(stays.server, stays_buffer, stays_end);

  while (!stays_end.error) io_.run_one();
  EXPECT_EQ(*stays_end.error, asio::error::operation_aborted);
  EXPECT_TRUE(stays_watch.expired());
  // The header queue's timer has fired too (its deadline was earlier than the body's).
  EXPECT_FALSE(moved_end.error) << "the header deadline it left must not cancel it";
  EXPECT_FALSE(moved_watch.expired());

  moved.client.close();
  run_until_ended(moved_end, stays_end);
  EXPECT_EQ(*moved_end.error, asio::error::eof);
}

TEST_F(ServerDeadlinesTest, ANewDeadlineClearsExpiredAndIsWatchedAgain) {
  ServerDeadlines deadlines(io_.get_executor(), limits_);
  Connection connection(io_, acceptor_);
  ServerDeadlines::Watch watch(deadlines, connection.server);
  std::array<char, 16> buffer{};
  for (int round = 0; round < 2; ++round) {
    watch.expire_after(Timeout::header);
    EXPECT_FALSE(watch.expired());
    ReadEnd end;
    start_read(connection.server, buffer, end);
    while (!end.error) io_.run_one();
    EXPECT_EQ(*end.error, asio::error::operation_aborted) << "round " << round;
    EXPECT_TRUE(watch.expired()) << "round " << round;
  }
}

TEST_F(ServerDeadlinesTest, ADestroyedWatchIsNoLongerWatched) {
  ServerDeadlines deadlines(io_.get_executor(), limits_);
  Connection gone(io_, acceptor_);
  Connection watched(io_, acceptor_);
  std::optional<ServerDeadlines::Watch> gone_watch;
  gone_watch.emplace(deadlines, gone.server);
  gone_watch->expire_after(Timeout::header);
  gone_watch.reset();  // a session that ended before its deadline
  ServerDeadlines::Watch watch(deadlines, watched.server);
  watch.expire_after(Timeout::body);
  std::array<char, 16> gone_buffer{};
  std::array<char, 16> buffer{};
  ReadEnd gone_end;
  ReadEnd end;
  start_read(gone.server, gone_buffer, gone_end);
  start_read(watched.server, buffer, end);

  while (!end.error) io_.run_one();
  EXPECT_EQ(*end.error, asio::error::operation_aborted);
  EXPECT_FALSE(gone_end.error) << "the header deadline of a destroyed watch cancels nothing";
  gone.client.close();
  run_until_ended(gone_end, end);
  EXPECT_EQ(*gone_end.error, asio::error::eof);
}

}  // namespace
}  // namespace latencylab::http
