// Boost's debug assertions (BOOST_ASSERT in builds without NDEBUG; cmake/Dependencies.cmake
// defines BOOST_ENABLE_ASSERT_DEBUG_HANDLER for every target using Asio/Beast): every assertion
// still aborts, except one known false alarm in Boost 1.81 that a client could otherwise use to
// abort a Debug server. Release builds compile the assertions out and never call these.
//
// basic_parser::parse_chunk_header asserts at least 5 buffered bytes when it resumes after the
// final chunk ("0\r\n"), assuming a CRLF from a previous chunk precedes it. With a final chunk as
// the first chunk and one more byte arrived alone ("0\r\n" + 1) there are 4, and the parse that
// follows is correct. Found by fuzzing (docs/FUZZING.md); regression test:
// LimitsTest.FinalChunkFollowedByOneLoneByteIsAnsweredNotAborted.
#include <boost/assert.hpp>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace boost {

void assertion_failed(const char* expr, const char* function, const char* file, long line) {
  const std::string_view path(file);
  if (std::string_view(expr) == "n >= 5" && path.ends_with("beast/http/impl/basic_parser.ipp")) {
    return;
  }
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed.\n", file, line, function, expr);
  std::abort();
}

void assertion_failed_msg(const char* expr, const char* msg, const char* function, const char* file,
                          long line) {
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed: %s\n", file, line, function, expr, msg);
  std::abort();
}

}  // namespace boost
