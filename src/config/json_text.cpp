#include "config/json_text.hpp"

#include <algorithm>
#include <boost/json/stream_parser.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "config/config_loader.hpp"

namespace latencylab::config {
namespace {

// "line 3, column 14" for the byte at `offset` (1-based, as editors count).
std::string text_position(std::string_view text, std::size_t offset) {
  const std::string_view before = text.substr(0, std::min(offset, text.size()));
  const auto line = std::count(before.begin(), before.end(), '\n') + 1;
  const auto line_start = before.rfind('\n');
  const auto column =
      before.size() - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

std::string read_text_file(const std::string& path, std::string_view origin) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(std::string(origin) + ": cannot open: " + std::strerror(errno));
  // Chunked reads rather than a size from seekg: the path may be a pipe.
  std::string text;
  char chunk[4096];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw ConfigError(std::string(origin) + ": cannot read: " + std::strerror(errno));
  return text;
}

boost::json::value parse_json_text(std::string_view text, std::string_view origin) {
  boost::json::parse_options options;
  options.allow_comments = true;
  options.allow_trailing_commas = true;
  boost::json::stream_parser parser({}, options);
  boost::json::error_code ec;
  const std::size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    throw ConfigError(std::string(origin) + ": invalid JSON at " + text_position(text, consumed) +
                      ": " + ec.message());
  }
  return parser.release();
}

}  // namespace latencylab::config
