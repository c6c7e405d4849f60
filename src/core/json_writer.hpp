// The one JSON writer: every JSON text latencylab emits (responses, log lines, console export,
// the load report) goes through it, so numbers read the way people write them.
//
// Boost.JSON 1.81's serializer prints every double in exponent form (10.0 as 1E1) and has no
// options. Here a double that holds an integer with |x| < 2^53 prints as that integer ("10"; -0.0
// prints "0"), any other finite double in the shortest form that parses back to the same double
// (std::to_chars: "0.02", "1e+300"), and NaN or infinity, which JSON cannot express, as null.
// Strings are escaped as RFC 8259 requires ('"', '\\' and control characters); other bytes,
// UTF-8 included, are copied unchanged. Thread-safe: each thread writes in a buffer of its own, so
// a response costs one allocation (the returned string), as with boost::json::serialize.
//
//   std::string body = latencylab::core::json::serialize(boost::json::object{{"total", 10.0}});
//   // body == R"({"total":10})"
//   latencylab::core::json::append(line, boost::json::value(0.25));  // line += "0.25"
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>

namespace latencylab::core::json {

// Appends the JSON text of `value` to `out`.
void append(std::string& out, const boost::json::value& value);
void append(std::string& out, const boost::json::object& object);
void append(std::string& out, const boost::json::array& array);

// The JSON text as a new string, allocated once at its final size.
[[nodiscard]] std::string serialize(const boost::json::value& value);
[[nodiscard]] std::string serialize(const boost::json::object& object);
[[nodiscard]] std::string serialize(const boost::json::array& array);

}  // namespace latencylab::core::json
