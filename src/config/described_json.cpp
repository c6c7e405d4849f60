#include "config/described_json.hpp"

#include <boost/json/parse.hpp>
#include <cmath>

#include "config/config_loader.hpp"
#include "core/json_writer.hpp"

namespace latencylab::config::detail {
namespace {

// Error messages quote values; a pasted blob should not drown the message.
constexpr std::size_t kMaxShownChars = 80;

// The first comma outside brackets, braces and quotes: a graph override's JSON value
// ("...latency={\"uniform\":{\"min_ms\":1,\"max_ms\":2}}") keeps its commas.
std::size_t find_item_end(std::string_view text) {
  int depth = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth <= 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace

Where Where::child(std::string_view name) const {
  return Where{origin, join_key(key, name)};
}

void fail(const Where& where, std::string_view problem) {
  std::string message(where.origin);
  message += ": ";
  if (!where.key.empty()) {
    message += where.key;
    message += ": ";
  }
  message += problem;
  throw ConfigError(message);
}

std::string show(const boost::json::value& value) {
  // A literal such as 1e999 parses to infinity, which JSON text would show as null.
  std::string text = value.is_double() && std::isinf(value.get_double())
                         ? "a number beyond the range of a double"
                         : core::json::serialize(value);
  if (text.size() > kMaxShownChars) {
    text.resize(kMaxShownChars);
    text += "...";
  }
  return text;
}

std::string join_key(std::string_view parent, std::string_view name) {
  std::string key(parent);
  if (!key.empty()) key += '.';
  key += name;
  return key;
}

void read_value(const boost::json::value& in, bool& out, const Where& where) {
  if (!in.is_bool()) fail(where, "expected true or false, got " + show(in));
  out = in.get_bool();
}

void read_value(const boost::json::value& in, double& out, const Where& where) {
  // Boost.JSON reads 1e999 as infinity; no setting here means that.
  if (!in.is_number() || !std::isfinite(in.to_number<double>())) {
    fail(where, "expected a finite number, got " + show(in));
  }
  out = in.to_number<double>();
}

void read_value(const boost::json::value& in, std::string& out, const Where& where) {
  if (!in.is_string()) fail(where, "expected a string, got " + show(in));
  out = in.get_string();
}

void read_value(const boost::json::value& in, std::vector<std::string>& out, const Where& where) {
  const auto* array = in.if_array();
  if (array == nullptr) fail(where, "expected an array of strings, got " + show(in));
  std::vector<std::string> strings;
  strings.reserve(array->size());
  for (const auto& element : *array) {
    if (!element.is_string()) {
      fail(where, "expected an array of strings, got the element " + show(element));
    }
    strings.emplace_back(element.get_string());
  }
  out = std::move(strings);
}

boost::json::value value_from_text(std::string_view text) {
  boost::json::error_code ec;
  boost::json::value parsed = boost::json::parse(text, ec);
  if (ec) return boost::json::value(boost::json::string(text));
  return parsed;
}

boost::json::value string_list_from_text(std::string_view text) {
  if (text.starts_with('[')) return value_from_text(text);
  boost::json::array items;
  while (!text.empty()) {
    const auto comma = find_item_end(text);
    items.emplace_back(boost::json::string(text.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return items;
}

boost::json::value write_value(bool in) {
  return boost::json::value(in);
}

boost::json::value write_value(double in) {
  return boost::json::value(in);
}

boost::json::value write_value(const std::string& in) {
  return boost::json::value(boost::json::string(in));
}

boost::json::value write_value(const std::vector<std::string>& in) {
  boost::json::array out;
  out.reserve(in.size());
  for (const auto& element : in) out.emplace_back(boost::json::string(element));
  return out;
}

}  // namespace latencylab::config::detail
