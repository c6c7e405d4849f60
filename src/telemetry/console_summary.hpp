// OTEL_METRICS_EXPORTER=summary: what a person watching the terminal wants from each export, in a
// few lines instead of the console exporter's JSON document: per route (method and http.route)
// the requests, rate, errors (error.type set: 5xx or no response) and p50/p99 since the last line,
// from http.server.request.duration, after a line of totals and active requests.
//
// Works with either temporality: delta points are the interval already; cumulative points are
// diffed against the previous export's (a series that is new or went backwards, as after a
// restart, counts whole). Percentiles interpolate linearly inside the histogram bucket they fall
// in, as Prometheus's histogram_quantile() does, so they are as coarse as the buckets.
//
// Not thread-safe: one instance per exporter, used on its worker thread only (it keeps the
// previous export's points).
//
//   ConsoleSummary summary;
//   std::string lines = summary.render(snapshot);  // ends with '\n'
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "telemetry/metric_data.hpp"

namespace latencylab::telemetry {

class ConsoleSummary {
 public:
  [[nodiscard]] std::string render(const MetricsSnapshot& snapshot);

 private:
  // The last export's duration points and their time (cumulative temporality only).
  std::vector<HistogramPoint> previous_;
  std::uint64_t previous_time_ = 0;
};

}  // namespace latencylab::telemetry
