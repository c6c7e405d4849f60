// MetricsSnapshot -> JSON, the line format of the console exporter.
//
// Shape (one object per export):
//   {"resource":{"service.name":"latencylab",...},
//    "scope":{"name":"latencylab","version":"0.1.0"},
//    "metrics":[{"name":"http.server.request.duration","unit":"s","description":"...",
//                "type":"histogram","temporality":"cumulative",
//                "points":[{"attributes":{...},"start_time_unix_nano":...,"time_unix_nano":...,
//                           "count":3,"sum":0.02,"min":0.001,"max":0.015,
//                           "explicit_bounds":[...],"bucket_counts":[...]}]}]}
// Sums carry "type":"sum", "temporality" and "monotonic"; gauges "type":"gauge"; number points a
// "value". Timestamps are integers (JSON numbers up to 2^64 are exact in Boost.JSON).
//
//   std::string line = core::json::serialize(snapshot_to_json(snapshot));
#pragma once

#include <boost/json/object.hpp>

#include "telemetry/metric_data.hpp"

namespace latencylab::telemetry {

[[nodiscard]] boost::json::object snapshot_to_json(const MetricsSnapshot& snapshot);

}  // namespace latencylab::telemetry
