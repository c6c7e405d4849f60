// The one result type for everything that parses or validates input and may fail: the value, or a
// Problem saying what was wrong and where. Callers read it like a pointer:
//
//   core::Result<Nanos> timeout = loadgen::parse_duration("10q");
//   if (!timeout) return timeout.error();  // Problem{"", "'10q' is not a duration (e.g. ...)"}
//   use(*timeout);
//
// Problem::message is the whole sentence a user sees; Problem::path is what it is about (a body
// field "items[0].qty", a flag "--rate", the header "Content-Type"), empty when the input as a
// whole is wrong. value() on an error throws std::invalid_argument (startup code).
#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <stdexcept>
#include <string>
#include <utility>

namespace latencylab::core {

struct Problem {
  // Constructors rather than an aggregate: Problem must not be constructible from one string, or
  // Result<std::string> could not tell a value from an error. Result::error() needs the default.
  Problem() = default;
  Problem(std::string path_, std::string message_)
      : path(std::move(path_)), message(std::move(message_)) {}

  std::string path;
  std::string message;
};

template <class T>
using Result = boost::system::result<T, Problem>;

// Found by boost::system::result through argument-dependent lookup.
[[noreturn]] inline void throw_exception_from_error(const Problem& problem,
                                                    const boost::source_location&) {
  throw std::invalid_argument(problem.message);
}

// The value of a command-line parse that was given --help: print `text` and do nothing else. Not
// a Problem: asking for help is a valid command line.
struct HelpRequested {
  std::string text;
};

}  // namespace latencylab::core
