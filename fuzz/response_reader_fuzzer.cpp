// Fuzzes the load generator's HTTP response reader (loadgen/response_reader.hpp): bytes a server
// sent, read one response after another on a keep-alive connection as the load engine reads them.
//
// The first input byte sets how many bytes arrive per read (TCP segmentation), the rest is the
// byte stream. Invariants: a complete response has a status of three digits, and the counted body
// is never more than the bytes that arrived.
#include <boost/asio/buffer.hpp>
#include <string>

#include "fuzz_target.hpp"
#include "loadgen/response_reader.hpp"

namespace {

using latencylab::fuzz::require;

// Enough keep-alive responses to reach reader state carried between them, few enough to be fast.
constexpr int kMaxResponsesPerConnection = 8;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t segment = data[0] == 0 ? 1 : data[0];
  std::string_view pending = latencylab::fuzz::as_text(data + 1, size - 1);
  const std::size_t stream_size = pending.size();
  std::string buffer;  // read but not yet consumed, like the connection's flat_buffer

  for (int response = 0; response < kMaxResponsesPerConnection; ++response) {
    latencylab::loadgen::ResponseReader reader;
    boost::system::error_code ec;
    std::size_t used = 0;
    while (!reader.is_done()) {
      if (buffer.empty() || ec == boost::beast::http::error::need_more || used == 0) {
        if (pending.empty()) {
          // The server closed: complete only for a body delimited by the end of the connection
          // (Beast's read calls put_eof only after some bytes of the message, and so do we).
          if (!reader.got_some()) return 0;
          reader.put_eof(ec);
          if (ec) return 0;
          break;
        }
        const std::size_t n = std::min(segment, pending.size());
        buffer.append(pending.substr(0, n));
        pending.remove_prefix(n);
      }
      ec = {};
      used = reader.put(boost::asio::buffer(buffer), ec);
      buffer.erase(0, used);
      if (ec && ec != boost::beast::http::error::need_more) return 0;  // counted as an error
    }
    // Beast accepts any three digits, "000" too: the reader then reports status 0.
    require(reader.status() <= 999, "a status has three digits");
    require(reader.body_bytes() <= stream_size, "the body is not longer than the stream");
    if (!reader.keep_alive()) return 0;
  }
  return 0;
}
