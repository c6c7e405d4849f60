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

// All Content-Length lines must carry the same value (RFC 9112 §6.3 item 5).
bool content_lengths_agree(const beast_http::request_header<>& header) noexcept {
  const auto [first, last] = header.equal_range(field::content_length);
  for (auto it = first; it != last; ++it) {
    if (it->value() != first->value()) return false;
  }
  return true;
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
  const std::size_t hosts = header.count(field::host);
  if (header.version() >= 11 && hosts == 0) return bad("HTTP/1.1 request without a Host header");
  if (hosts > 1) return bad("more than one Host header");
  if (!content_lengths_agree(header)) return bad("conflicting Content-Length values");
  if (header.count(field::transfer_encoding) != 0) return check_transfer_encoding(header);
  return std::nullopt;
}

}  // namespace latencylab::http
