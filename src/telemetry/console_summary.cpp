#include "telemetry/console_summary.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <map>

#include "core/wall_clock.hpp"

namespace latencylab::telemetry {
namespace {

constexpr std::string_view kDuration = "http.server.request.duration";
constexpr std::string_view kActiveRequests = "http.server.active_requests";

// One route's requests during the interval, buckets merged over methods' statuses.
struct RouteInterval {
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  std::vector<double> bounds;
  std::vector<std::uint64_t> buckets;
};

const std::string* string_attribute(const AttributeList& attributes, std::string_view key) {
  for (const auto& attribute : attributes) {
    if (attribute.key == key) return std::get_if<std::string>(&attribute.value);
  }
  return nullptr;
}

bool has_attribute(const AttributeList& attributes, std::string_view key) {
  return std::any_of(attributes.begin(), attributes.end(),
                     [&](const Attribute& a) { return a.key == key; });
}

std::string route_label(const AttributeList& attributes) {
  const std::string* method = string_attribute(attributes, "http.request.method");
  const std::string* route = string_attribute(attributes, "http.route");
  return (method != nullptr ? *method : std::string("?")) + " " +
         (route != nullptr ? *route : std::string("(no route)"));
}

// The quantile q (0..1) of a bucketed distribution, interpolated within its bucket; the first
// bucket starts at 0 and the overflow bucket is reported at the highest bound.
double quantile(const RouteInterval& r, double q) {
  if (r.requests == 0 || r.bounds.empty()) return 0;
  const double rank = q * static_cast<double>(r.requests);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < r.buckets.size(); ++i) {
    if (r.buckets[i] == 0 || static_cast<double>(seen + r.buckets[i]) < rank) {
      seen += r.buckets[i];
      continue;
    }
    if (i == r.bounds.size()) return r.bounds.back();
    const double lower = i == 0 ? 0.0 : r.bounds[i - 1];
    const double inside = (rank - static_cast<double>(seen)) / static_cast<double>(r.buckets[i]);
    return lower + (r.bounds[i] - lower) * inside;
  }
  return r.bounds.back();
}

std::string seconds_text(double seconds) {
  std::array<char, 32> text{};
  if (seconds >= 1.0) {
    std::snprintf(text.data(), text.size(), "%.3gs", seconds);
  } else {
    std::snprintf(text.data(), text.size(), "%.3gms", seconds * 1e3);
  }
  return text.data();
}

std::string clock_text(std::uint64_t unix_nanos) {
  const auto at = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::nanoseconds(unix_nanos)));
  return core::format_rfc3339(at).substr(11, 8);  // "HH:MM:SS" of "YYYY-MM-DDTHH:MM:SS.mmmZ"
}

const HistogramPoint* same_series(const std::vector<HistogramPoint>& points,
                                  const HistogramPoint& point) {
  for (const auto& p : points) {
    if (p.attributes == point.attributes) return &p;
  }
  return nullptr;
}

}  // namespace

std::string ConsoleSummary::render(const MetricsSnapshot& snapshot) {
  const HistogramData* durations = nullptr;
  std::int64_t active = 0;
  for (const auto& metric : snapshot.metrics) {
    if (metric.name == kDuration) durations = std::get_if<HistogramData>(&metric.data);
    if (metric.name == kActiveRequests) {
      if (const auto* sum = std::get_if<SumData>(&metric.data)) {
        for (const auto& p : sum->points) {
          if (const auto* v = std::get_if<std::int64_t>(&p.value)) active += *v;
        }
      }
    }
  }

  std::map<std::string, RouteInterval> routes;  // sorted by label
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  std::uint64_t interval_start = 0;
  std::uint64_t interval_end = 0;
  if (durations != nullptr) {
    const bool cumulative = durations->temporality == Temporality::cumulative;
    for (const auto& point : durations->points) {
      const HistogramPoint* before = cumulative ? same_series(previous_, point) : nullptr;
      if (before != nullptr && (before->count > point.count ||
                                before->bucket_counts.size() != point.bucket_counts.size())) {
        before = nullptr;  // the series restarted: count it whole
      }
      interval_end = std::max(interval_end, point.time_unix_nano);
      // Cumulative points all start at the process start: the interval is since the last export.
      const std::uint64_t start =
          cumulative && previous_time_ != 0 ? previous_time_ : point.start_time_unix_nano;
      if (interval_start == 0 || start < interval_start) interval_start = start;
      const std::uint64_t count = point.count - (before != nullptr ? before->count : 0);
      if (count == 0) continue;
      RouteInterval& route = routes[route_label(point.attributes)];
      if (route.bounds.empty()) {
        route.bounds = point.explicit_bounds;
        route.buckets.assign(point.bucket_counts.size(), 0);
      }
      if (route.buckets.size() == point.bucket_counts.size()) {
        for (std::size_t i = 0; i < route.buckets.size(); ++i) {
          route.buckets[i] +=
              point.bucket_counts[i] - (before != nullptr ? before->bucket_counts[i] : 0);
        }
      }
      route.requests += count;
      requests += count;
      if (has_attribute(point.attributes, "error.type")) {
        route.errors += count;
        errors += count;
      }
    }
    if (cumulative) {
      previous_ = durations->points;
      previous_time_ = interval_end;
    }
  }

  const double seconds =
      interval_end > interval_start ? static_cast<double>(interval_end - interval_start) / 1e9 : 0;
  const auto rate = [&](std::uint64_t n) {
    return seconds > 0 ? static_cast<double>(n) / seconds : 0.0;
  };
  std::string out;
  std::array<char, 256> line{};
  const std::string at = interval_end != 0 ? clock_text(interval_end) : std::string("--:--:--");
  if (requests == 0) {
    std::snprintf(line.data(), line.size(), "%s  no requests%s  active %lld\n", at.c_str(),
                  seconds > 0 ? (" in the last " + seconds_text(seconds)).c_str() : "",
                  static_cast<long long>(active));
    return line.data();
  }
  std::snprintf(line.data(), line.size(),
                "%s  %llu requests in %s (%.1f/s)  %llu errors (%.2f%%)  active %lld\n", at.c_str(),
                static_cast<unsigned long long>(requests), seconds_text(seconds).c_str(),
                rate(requests), static_cast<unsigned long long>(errors),
                100.0 * static_cast<double>(errors) / static_cast<double>(requests),
                static_cast<long long>(active));
  out += line.data();
  std::snprintf(line.data(), line.size(), "  %-32s %9s %9s %7s %9s %9s\n", "route", "requests",
                "rate/s", "errors", "p50", "p99");
  out += line.data();
  for (const auto& [label, route] : routes) {
    std::snprintf(line.data(), line.size(), "  %-32s %9llu %9.1f %7llu %9s %9s\n", label.c_str(),
                  static_cast<unsigned long long>(route.requests), rate(route.requests),
                  static_cast<unsigned long long>(route.errors),
                  seconds_text(quantile(route, 0.50)).c_str(),
                  seconds_text(quantile(route, 0.99)).c_str());
    out += line.data();
  }
  return out;
}

}  // namespace latencylab::telemetry
