#include "config/json_reader.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "config/config_loader.hpp"
#include "config/described_json.hpp"

namespace latencylab::config {

void JsonProblems::add(std::string_view path, std::string_view problem) {
  std::string line(path);
  if (!line.empty()) line += ": ";
  line += problem;
  lines_.push_back(std::move(line));
}

void JsonProblems::throw_if_any(std::string_view origin) const {
  if (lines_.empty()) return;
  std::string message(origin);
  message += ": ";
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    if (i > 0) message += "; ";
    message += lines_[i];
  }
  throw ConfigError(message);
}

std::string child_path(std::string_view parent, std::string_view key) {
  return detail::join_key(parent, key);
}

std::string index_path(std::string_view parent, std::size_t index) {
  return std::string(parent) + '[' + std::to_string(index) + ']';
}

void read_json(const boost::json::value& in, double& out, std::string_view path,
               JsonProblems& problems) {
  // Boost.JSON reads 1e999 as infinity; no graph value means that.
  if (!in.is_number() || !std::isfinite(in.to_number<double>())) {
    problems.add(path, "expected a finite number, got " + detail::show(in));
    return;
  }
  out = in.to_number<double>();
}

void read_json(const boost::json::value& in, std::uint32_t& out, std::string_view path,
               JsonProblems& problems) {
  if (const auto* i = in.if_int64(); i != nullptr && std::in_range<std::uint32_t>(*i)) {
    out = static_cast<std::uint32_t>(*i);
  } else if (const auto* u = in.if_uint64(); u != nullptr && std::in_range<std::uint32_t>(*u)) {
    out = static_cast<std::uint32_t>(*u);
  } else {
    problems.add(path, "expected an integer in [0, " +
                           std::to_string(std::numeric_limits<std::uint32_t>::max()) + "], got " +
                           detail::show(in));
  }
}

void read_json(const boost::json::value& in, bool& out, std::string_view path,
               JsonProblems& problems) {
  if (!in.is_bool()) {
    problems.add(path, "expected true or false, got " + detail::show(in));
    return;
  }
  out = in.get_bool();
}

void read_json(const boost::json::value& in, std::string& out, std::string_view path,
               JsonProblems& problems) {
  if (!in.is_string()) {
    problems.add(path, "expected a string, got " + detail::show(in));
    return;
  }
  out = in.get_string();
}

void read_json(const boost::json::value& in, std::vector<std::string>& out, std::string_view path,
               JsonProblems& problems) {
  const auto* array = in.if_array();
  const bool all_strings =
      array != nullptr && std::all_of(array->begin(), array->end(),
                                      [](const boost::json::value& e) { return e.is_string(); });
  if (!all_strings) {
    problems.add(path, "expected an array of strings, got " + detail::show(in));
    return;
  }
  out.clear();
  for (const auto& element : *array) out.emplace_back(element.get_string());
}

JsonObjectReader::JsonObjectReader(const boost::json::value& in, std::string path,
                                   JsonProblems& problems)
    : object_(in.if_object()), path_(std::move(path)), problems_(problems) {
  if (object_ == nullptr) problems_.add(path_, "expected an object, got " + detail::show(in));
}

const boost::json::value* JsonObjectReader::find(std::string_view key) {
  accepted_.push_back(key);
  return object_ == nullptr ? nullptr : object_->if_contains(key);
}

const boost::json::value* JsonObjectReader::find_required(std::string_view key) {
  const auto* value = find(key);
  if (value == nullptr && object_ != nullptr) {
    problems_.add(path_, "missing key \"" + std::string(key) + "\"");
  }
  return value;
}

void JsonObjectReader::finish() {
  if (object_ == nullptr) return;
  for (const auto& [key, value] : *object_) {
    if (std::find(accepted_.begin(), accepted_.end(), std::string_view(key)) != accepted_.end()) {
      continue;
    }
    std::string keys;
    for (const auto accepted : accepted_) {
      if (!keys.empty()) keys += ", ";
      keys += accepted;
    }
    problems_.add(child_path(path_, key), "unknown key (keys in " +
                                              (path_.empty() ? std::string("the file") : path_) +
                                              ": " + keys + ")");
  }
}

}  // namespace latencylab::config
