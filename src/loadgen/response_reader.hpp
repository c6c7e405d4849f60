// A minimal HTTP/1.1 response parser for the load generator: Beast's basic_parser with every
// callback reduced to what a load test needs (the status code), the body counted and discarded.
// Unlike http::response_parser it builds no http::fields, so reading a response allocates nothing.
// Framing (Content-Length, chunked, keep-alive) is Beast's own, well-tested logic.
//
// Single use, like every Beast parser: construct one per response.
//
//   ResponseReader reader;
//   auto [ec, n] = co_await beast::http::async_read(stream, buffer, reader, use_nothrow);
//   if (!ec) record(reader.status(), reader.keep_alive());
#pragma once

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <cstdint>

namespace latencylab::loadgen {

class ResponseReader final : public boost::beast::http::basic_parser<false> {
 public:
  ResponseReader() {
    body_limit(boost::none);  // responses are discarded as they stream in: size is no risk
    header_limit(64 * 1024);
  }

  [[nodiscard]] unsigned status() const noexcept { return status_; }
  [[nodiscard]] std::uint64_t body_bytes() const noexcept { return body_bytes_; }

 private:
  using error_code = boost::system::error_code;
  using string_view =
      boost::beast::string_view;  // std::string_view or boost::string_view per build
  using field = boost::beast::http::field;
  using verb = boost::beast::http::verb;

  void on_request_impl(verb, string_view, string_view, int, error_code&) override {}
  void on_response_impl(int code, string_view, int, error_code&) override {
    status_ = static_cast<unsigned>(code);
  }
  void on_field_impl(field, string_view, string_view, error_code&) override {}
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}
  std::size_t on_body_impl(string_view body, error_code&) override {
    body_bytes_ += body.size();
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override {
    body_bytes_ += body.size();
    return body.size();
  }
  void on_finish_impl(error_code&) override {}

  unsigned status_ = 0;
  std::uint64_t body_bytes_ = 0;
};

}  // namespace latencylab::loadgen
