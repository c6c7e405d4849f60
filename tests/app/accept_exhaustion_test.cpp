// Out of file descriptors (EMFILE), the acceptor must neither spin nor stop: the server runs as a
// child process with a tiny open-file limit, more clients connect than it can accept, and it must
// stay nearly idle meanwhile and serve again once descriptors are free.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;
using namespace std::chrono_literals;

std::uint16_t free_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

// utime + stime of a process, in clock ticks (/proc/<pid>/stat fields 14 and 15).
long cpu_ticks(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  return utime + stime;
}

bool health_ok(asio::io_context& io, std::uint16_t port) {
  boost::system::error_code ec;
  tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) return false;
  http::request<http::empty_body> request{http::verb::get, "/health", 11};
  request.set(http::field::host, "127.0.0.1");
  http::write(socket, request, ec);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response, ec);
  return !ec && response.result_int() == 200;
}

TEST(AcceptExhaustionTest, AcceptorBacksOffWithoutSpinningAndRecovers) {
  const std::uint16_t port = free_port();
  const std::string log_path = ::testing::TempDir() + "/accept_exhaustion.log";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const rlimit tiny{32, 32};  // the server raises soft to hard: both are 32
    ::setrlimit(RLIMIT_NOFILE, &tiny);
    const int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(log, STDERR_FILENO);
    ::dup2(log, STDOUT_FILENO);
    const std::string port_text = std::to_string(port);
    ::execl(LATENCYLAB_BINARY, LATENCYLAB_BINARY, "serve", "--address", "127.0.0.1", "--port",
            port_text.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  asio::io_context io;
  bool up = false;
  for (int i = 0; i < 100 && !(up = health_ok(io, port)); ++i) std::this_thread::sleep_for(50ms);
  ASSERT_TRUE(up) << "the server did not start";

  // Hold more connections than the server has descriptors for.
  std::vector<tcp::socket> clients;
  for (int i = 0; i < 60; ++i) {
    clients.emplace_back(io);
    clients.back().connect({asio::ip::make_address("127.0.0.1"), port});
  }
  std::this_thread::sleep_for(300ms);
  const long before = cpu_ticks(child);
  std::this_thread::sleep_for(2s);
  const long used = cpu_ticks(child) - before;
  const long ticks_per_second = ::sysconf(_SC_CLK_TCK);
  EXPECT_LT(used, ticks_per_second / 5)
      << "the acceptor spun on EMFILE: " << used << " ticks in 2 s";

  clients.clear();  // descriptors come back
  bool recovered = false;
  for (int i = 0; i < 100 && !(recovered = health_ok(io, port)); ++i) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(recovered) << "the acceptor stopped after EMFILE";

  ::kill(child, SIGTERM);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "graceful exit after SIGTERM";
  std::ifstream log(log_path);
  const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("accept_failed"), std::string::npos) << text;
}

}  // namespace
