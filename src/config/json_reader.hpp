// Reads JSON into plain structs while collecting every problem with its path, so one failed start
// lists all of them rather than the first. Each object's reader learns the keys it accepts from the
// reads made through it and, at finish(), reports the others as unknown, listing the accepted ones.
// Used for the service graph (config/graph_file.cpp); the Config struct has its own walker
// (config/described_json.hpp), which stops at the first problem.
//
//   JsonProblems problems;
//   JsonObjectReader reader(json, "services.shop.databases.main", problems);
//   reader.optional("pool_size", database.pool_size);
//   reader.finish();  // "services.shop.databases.main.pool: unknown key (keys in ...: pool_size)"
//   problems.throw_if_any("graph file \"shop.json\"");  // ConfigError listing every problem
//
// Startup-time code: it allocates freely.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/described_json.hpp"

namespace latencylab::config {

// Problems found so far, each "<path>: <problem>".
class JsonProblems {
 public:
  void add(std::string_view path, std::string_view problem);

  [[nodiscard]] bool empty() const noexcept { return lines_.empty(); }
  [[nodiscard]] const std::vector<std::string>& lines() const noexcept { return lines_; }

  // Throws ConfigError "<origin>: <path>: <problem>; <path>: <problem>" when there are any.
  void throw_if_any(std::string_view origin) const;

 private:
  std::vector<std::string> lines_;
};

// "services.shop" from "services" and "shop"; "routes[2]" from "routes" and 2.
[[nodiscard]] std::string child_path(std::string_view parent, std::string_view key);
[[nodiscard]] std::string index_path(std::string_view parent, std::size_t index);

// Each converts one kind of JSON value into `out`; on a type mismatch `out` keeps its value and a
// problem at `path` says what was expected. Numbers must be finite (1e999 is not a duration).
void read_json(const boost::json::value& in, double& out, std::string_view path,
               JsonProblems& problems);
void read_json(const boost::json::value& in, std::uint32_t& out, std::string_view path,
               JsonProblems& problems);
void read_json(const boost::json::value& in, bool& out, std::string_view path,
               JsonProblems& problems);
void read_json(const boost::json::value& in, std::string& out, std::string_view path,
               JsonProblems& problems);
void read_json(const boost::json::value& in, std::vector<std::string>& out, std::string_view path,
               JsonProblems& problems);

// A described enum from its name: `expected one of "users", "products", got 5`.
template <detail::DescribedEnum E>
void read_json(const boost::json::value& in, E& out, std::string_view path,
               JsonProblems& problems) {
  if (const auto found = detail::enumerator_named<E>(in)) {
    out = *found;
    return;
  }
  problems.add(path,
               "expected one of " + detail::enumerator_names<E>() + ", got " + detail::show(in));
}

// The reader of one JSON object at `path`. A value that is not an object is reported once, and
// every read through the reader then finds nothing.
class JsonObjectReader {
 public:
  JsonObjectReader(const boost::json::value& in, std::string path, JsonProblems& problems);

  // The value of `key`, or nullptr when absent; `key` is accepted here either way.
  [[nodiscard]] const boost::json::value* find(std::string_view key);
  // As find(), and a missing key is a problem.
  [[nodiscard]] const boost::json::value* find_required(std::string_view key);

  template <class T>
  void optional(std::string_view key, T& out) {
    if (const auto* value = find(key)) read_json(*value, out, path_of(key), problems_);
  }

  template <class T>
  void required(std::string_view key, T& out) {
    if (const auto* value = find_required(key)) read_json(*value, out, path_of(key), problems_);
  }

  [[nodiscard]] std::string path_of(std::string_view key) const { return child_path(path_, key); }

  // Reports each key of the object that no find() asked for, listing the keys accepted here.
  void finish();

 private:
  const boost::json::object* object_;
  std::string path_;
  JsonProblems& problems_;
  std::vector<std::string_view> accepted_;
};

}  // namespace latencylab::config
