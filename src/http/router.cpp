#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace latencylab::http {
namespace {

bool is_parameter(std::string_view segment) noexcept {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

std::vector<std::string> split_template(std::string_view path_template) {
  if (path_template.empty() || path_template.front() != '/') {
    throw std::invalid_argument("route template must start with '/': " +
                                std::string(path_template));
  }
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (start <= path_template.size()) {
    const std::size_t end = std::min(path_template.find('/', start), path_template.size());
    segments.emplace_back(path_template.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

}  // namespace

std::size_t Router::add(std::string_view path_template, Verb verb, Handler handler) {
  auto existing = std::find_if(routes_.begin(), routes_.end(), [&](const Route& route) {
    return route.path_template == path_template;
  });
  if (existing == routes_.end()) {
    routes_.push_back(Route{std::string(path_template), split_template(path_template), {}, {}});
    existing = std::prev(routes_.end());
  }
  for (const auto& method : existing->methods) {
    if (method.verb == verb) {
      throw std::invalid_argument("duplicate route: " + std::string(to_string(verb)) + " " +
                                  std::string(path_template));
    }
  }
  existing->methods.push_back(MethodHandler{verb, std::move(handler)});
  existing->allow = build_allow(existing->methods);
  return static_cast<std::size_t>(existing - routes_.begin());
}

std::string Router::build_allow(const std::vector<MethodHandler>& methods) {
  std::string allow;
  auto append = [&](Verb verb) {
    if (!allow.empty()) allow += ", ";
    allow += to_string(verb);
  };
  for (const auto& method : methods) {
    append(method.verb);
    if (method.verb == Verb::get) append(Verb::head);
  }
  return allow;
}

bool Router::matches(const Route& route, std::string_view path, std::string_view& param) noexcept {
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  for (std::size_t i = 0; i < route.segments.size(); ++i) {
    const std::size_t end = path.find('/');
    const bool last = i + 1 == route.segments.size();
    // The last template segment must consume the rest of the path; earlier ones stop at '/'.
    if (last != (end == std::string_view::npos)) return false;
    const std::string_view segment = last ? path : path.substr(0, end);
    if (is_parameter(route.segments[i])) {
      if (segment.empty()) return false;
      param = segment;
    } else if (segment != route.segments[i]) {
      return false;
    }
    if (!last) path.remove_prefix(end + 1);
  }
  return true;
}

Router::Match Router::match(Verb verb, std::string_view path) const noexcept {
  const Verb lookup = verb == Verb::head ? Verb::get : verb;
  for (std::size_t index = 0; index < routes_.size(); ++index) {
    const Route& route = routes_[index];
    std::string_view param;
    if (!matches(route, path, param)) continue;
    Match match{
        Match::Kind::method_not_allowed, index, nullptr, param, route.allow, route.path_template};
    for (const auto& method : route.methods) {
      if (method.verb == lookup) {
        match.kind = Match::Kind::found;
        match.handler = &method.handler;
        break;
      }
    }
    return match;
  }
  return Match{};
}

std::vector<std::string_view> Router::route_templates() const {
  std::vector<std::string_view> templates;
  templates.reserve(routes_.size());
  for (const auto& route : routes_) templates.emplace_back(route.path_template);
  return templates;
}

}  // namespace latencylab::http
