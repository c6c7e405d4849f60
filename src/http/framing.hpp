// RFC 9112 message-framing checks run on every request header before its body is read.
//
// Beast 1.81's parser accepts some ambiguous framings that let a proxy and this server disagree on
// where a request ends (request smuggling). Anything ambiguous is rejected and the connection is
// closed by the session.
//
//   if (auto problem = check_framing(parser.get()); problem) { /* 400/501 + close */ }
#pragma once

#include <optional>
#include <string_view>

#include "http/message.hpp"

namespace latencylab::http {

struct FramingProblem {
  Status status;            // 400, or 501 for a transfer coding we do not implement
  std::string_view reason;  // static text naming the problem
};

[[nodiscard]] std::optional<FramingProblem> check_framing(
    const beast_http::request_header<>& header) noexcept;

}  // namespace latencylab::http
