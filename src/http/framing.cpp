#include "http/framing.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/rfc7230.hpp>

namespace latencylab::http {
namespace {

using beast_http::field;

std::optional<FramingProblem> bad(std::string_view reason) noexcept {
  return FramingProblem{Status::bad_request, reason};
}

std::optional<FramingProblem> check_transfer_encoding(
    const beast_http::request_header<>& header) noexcept {
  if (header.version() < 11) return bad("Transfer-Encoding is not allowed in HTTP/1.0 requests");
  if (header.count(field::content_length) != 0) {
    return bad("both Content-Length and Transfer-Encoding are present");
  }
  // Walk every coding of every Transfer-Encoding line: chunked must be last and appear once.
  std::size_t codings = 0;
  std::size_t chunked_at = 0;
  bool chunked_seen = false;
  const auto [first, last] = header.equal_range(field::transfer_encoding);
  for (auto it = first; it != last; ++it) {
    for (const auto& coding : beast_http::token_list{it->value()}) {
      ++codings;
      if (boost::beast::iequals(coding, "chunked")) {
        if (chunked_seen) return bad("Transfer-Encoding applies chunked more than once");
        chunked_seen = true;
        chunked_at = codings;
      }
    }
  }
  if (codings == 0) return bad("Transfer-Encoding is empty");
  if (!chunked_seen || chunked_at != codings) return bad("Transfer-Encoding must end in chunked");
  if (codings != 1) {
    return FramingProblem{Status::not_implemented, "only the chunked transfer coding is supported"};
  }
  return std::nullopt;
}

}  // namespace

std::optional<FramingProblem> check_framing(const beast_http::request_header<>& header) noexcept {
  // One pass over the fields in arrival order (each knows its field enum): cheaper per request
  // than a by-name lookup in Beast's field tree for each of the three.
  std::size_t hosts = 0;
  std::optional<std::string_view> content_length;
  bool content_lengths_agree = true;  // all Content-Length lines the same (RFC 9112 §6.3 item 5)
  bool transfer_encoding = false;
  for (const auto& line : header) {
    switch (line.name()) {
      case field::host:
        ++hosts;
        break;
      case field::content_length:
        if (!content_length) {
          content_length = line.value();
        } else if (line.value() != *content_length) {
          content_lengths_agree = false;
        }
        break;
      case field::transfer_encoding:
        transfer_encoding = true;
        break;
      default:
        break;
    }
  }
  if (header.version() >= 11 && hosts == 0) return bad("HTTP/1.1 request without a Host header");
  if (hosts > 1) return bad("more than one Host header");
  if (!content_lengths_agree) return bad("conflicting Content-Length values");
  if (transfer_encoding) return check_transfer_encoding(header);
  return std::nullopt;
}

}  // namespace latencylab::http
