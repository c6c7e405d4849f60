#include "graph_loopback.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

namespace latencylab::testing {

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

std::string loopback_url(std::uint16_t port) {
  return "http://127.0.0.1:" + std::to_string(port);
}

std::unique_ptr<ServiceFixture> start_service(
    const config::Service& service, std::map<std::string, std::string, std::less<>> downstream_urls,
    double time_scale, std::unique_ptr<telemetry::MetricExporter> exporter,
    std::chrono::milliseconds export_interval) {
  auto exporter_slot =
      std::make_shared<std::unique_ptr<telemetry::MetricExporter>>(std::move(exporter));
  return std::make_unique<ServiceFixture>([&](app::ServiceOptions& options) {
    options.service = service;
    options.downstream_urls = std::move(downstream_urls);
    options.config.time_scale = time_scale;
    if (*exporter_slot) {
      options.exporter = std::move(*exporter_slot);
      options.reader.interval = export_interval;
    }
  });
}

namespace {

std::string error_of(const std::string& body) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) return {};
  const auto* error = value.as_object().if_contains("error");
  return error != nullptr && error->is_string() ? std::string(error->as_string()) : std::string{};
}

beast_http::request<beast_http::string_body> request_for(std::string_view method,
                                                         std::string_view target) {
  beast_http::request<beast_http::string_body> request{beast_http::string_to_verb(method), target,
                                                       11};
  request.set(beast_http::field::host, "127.0.0.1");
  request.prepare_payload();
  return request;
}

}  // namespace

Answer request_once(std::uint16_t port, std::string_view method, std::string_view target) {
  asio::io_context io;
  tcp::socket socket(io);
  Answer answer;
  const auto start = Clock::now();
  boost::system::error_code ec;
  socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (!ec) beast_http::write(socket, request_for(method, target), ec);
  boost::beast::flat_buffer buffer;
  Response response;
  if (!ec) beast_http::read(socket, buffer, response, ec);
  answer.latency = Clock::now() - start;
  if (ec) return answer;
  answer.status = response.result_int();
  answer.error = error_of(response.body());
  return answer;
}

std::size_t LoadResult::count(unsigned status) const {
  return static_cast<std::size_t>(std::count_if(
      answers.begin(), answers.end(), [&](const Answer& a) { return a.status == status; }));
}

std::size_t LoadResult::count(unsigned status, std::string_view error) const {
  return static_cast<std::size_t>(
      std::count_if(answers.begin(), answers.end(),
                    [&](const Answer& a) { return a.status == status && a.error == error; }));
}

double LoadResult::latency_ms(unsigned status, double p) const {
  std::vector<double> ms;
  for (const Answer& a : answers) {
    if (a.status == status)
      ms.push_back(std::chrono::duration<double, std::milli>(a.latency).count());
  }
  if (ms.empty()) return 0.0;
  std::sort(ms.begin(), ms.end());
  return ms[std::min(ms.size() - 1, static_cast<std::size_t>(p * static_cast<double>(ms.size())))];
}

LoadResult closed_loop(std::uint16_t port, std::string_view target, int clients,
                       std::chrono::milliseconds duration, std::chrono::milliseconds pace) {
  const auto start = Clock::now();
  const auto end = start + duration;
  std::mutex mutex;
  LoadResult result;
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) {
    // Paced clients start spread over one pace interval.
    threads.emplace_back([&, first = start + pace * i / clients] {
      auto next = first;
      asio::io_context io;
      std::vector<Answer> mine;
      const auto request = request_for("GET", target);
      while (Clock::now() < end) {
        tcp::socket socket(io);
        boost::system::error_code ec;
        socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
        // A socket timeout ends a read still waiting at the end of the run.
        const timeval wait{0, 50'000};
        ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
        boost::beast::flat_buffer buffer;
        while (!ec && Clock::now() < end) {
          if (pace.count() > 0) {
            std::this_thread::sleep_until(next);
            next = std::max(next + pace, Clock::now());
            if (Clock::now() >= end) break;
          }
          const auto sent = Clock::now();
          beast_http::write(socket, request, ec);
          Response response;
          while (!ec) {
            beast_http::read(socket, buffer, response, ec);
            if (ec == asio::error::would_block || ec == asio::error::try_again) {
              if (Clock::now() >= end) break;
              ec = {};
              continue;
            }
            break;
          }
          if (ec) break;
          if (Clock::now() > end) break;
          mine.push_back({response.result_int(), error_of(response.body()), Clock::now() - sent});
          if (!response.keep_alive()) break;
        }
      }
      const std::scoped_lock lock(mutex);
      result.answers.insert(result.answers.end(), mine.begin(), mine.end());
    });
  }
  for (auto& thread : threads) thread.join();
  result.elapsed = duration;
  return result;
}

namespace {

asio::awaitable<void> serve_connection(tcp::socket socket, std::atomic<std::size_t>& requests,
                                       const std::function<RawReply(std::size_t)>& reply) {
  boost::beast::flat_buffer buffer;
  for (;;) {
    beast_http::request<beast_http::string_body> request;
    auto [ec, n] = co_await beast_http::async_read(socket, buffer, request,
                                                   asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    const RawReply what = reply(requests++);
    switch (what) {
      case RawReply::ok:
      case RawReply::unavailable:
      case RawReply::not_found: {
        static constexpr auto status_of = [](RawReply r) {
          return r == RawReply::ok          ? beast_http::status::ok
                 : r == RawReply::not_found ? beast_http::status::not_found
                                            : beast_http::status::service_unavailable;
        };
        beast_http::response<beast_http::string_body> response{status_of(what), 11};
        response.set(beast_http::field::content_type, "application/json");
        response.body() = what == RawReply::ok          ? R"({"ok":true})"
                          : what == RawReply::not_found ? R"({"error":"missing"})"
                                                        : R"({"error":"down"})";
        response.keep_alive(true);
        response.prepare_payload();
        auto [write_ec, written] =
            co_await beast_http::async_write(socket, response, asio::as_tuple(asio::use_awaitable));
        if (write_ec) co_return;
        break;
      }
      case RawReply::garbage: {
        static constexpr std::string_view kGarbage = "\x01\x02 this is not HTTP\r\n\r\n";
        co_await asio::async_write(socket, asio::buffer(kGarbage),
                                   asio::as_tuple(asio::use_awaitable));
        co_return;
      }
      case RawReply::reset:
        socket.set_option(asio::socket_base::linger(true, 0));
        socket.close();
        co_return;
      case RawReply::silent: {
        asio::steady_timer forever(socket.get_executor(), std::chrono::hours(1));
        co_await forever.async_wait(asio::as_tuple(asio::use_awaitable));
        co_return;
      }
    }
  }
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, std::atomic<std::size_t>& requests,
                                  const std::function<RawReply(std::size_t)>& reply) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    asio::co_spawn(acceptor.get_executor(), serve_connection(std::move(socket), requests, reply),
                   asio::detached);
  }
}

}  // namespace

RawServer::RawServer(std::function<RawReply(std::size_t)> reply) : reply_(std::move(reply)) {
  auto acceptor =
      std::make_shared<tcp::acceptor>(io_, tcp::endpoint{asio::ip::make_address("127.0.0.1"), 0});
  port_ = acceptor->local_endpoint().port();
  asio::co_spawn(
      io_,
      [this, acceptor]() -> asio::awaitable<void> {
        co_await accept_loop(*acceptor, requests_, reply_);
      },
      asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

RawServer::~RawServer() {
  io_.stop();
  thread_.join();
}

void PeakExporter::export_async(std::shared_ptr<const telemetry::MetricsSnapshot> snapshot,
                                Completion done) {
  {
    const std::scoped_lock lock(peaks_->mutex);
    for (const auto& metric : snapshot->metrics) {
      const auto* sum = std::get_if<telemetry::SumData>(&metric.data);
      if (sum == nullptr || sum->monotonic) continue;
      for (const auto& point : sum->points) {
        const auto* value = std::get_if<std::int64_t>(&point.value);
        if (value == nullptr) continue;
        auto [it, inserted] = peaks_->peak.try_emplace(metric.name, *value);
        if (!inserted) it->second = std::max(it->second, *value);
      }
    }
  }
  done({.ok = true, .error = {}});
}

std::uint64_t server_requests(const telemetry::MetricsSnapshot& snapshot, std::string_view route,
                              unsigned status, std::string_view error_type) {
  const auto is = [](const telemetry::HistogramPoint& point, std::string_view key,
                     const telemetry::AttributeValue& value) {
    const telemetry::AttributeValue* found = telemetry::find_attribute(point.attributes, key);
    return found != nullptr && *found == value;
  };
  std::uint64_t n = 0;
  for (const auto& metric : snapshot.metrics) {
    if (metric.name != "http.server.request.duration") continue;
    for (const auto& point : std::get<telemetry::HistogramData>(metric.data).points) {
      if (is(point, "http.route", std::string(route)) &&
          is(point, "http.response.status_code", static_cast<std::int64_t>(status)) &&
          is(point, "error.type", std::string(error_type))) {
        n += point.count;
      }
    }
  }
  return n;
}

}  // namespace latencylab::testing
