// Explicit bucket boundaries shared by the SDK's histograms.
//
//   Histogram db_time = meter.create_histogram({"db.client.operation.duration", "DB time", "s"});
//   // unit "s" and no bounds given: db_time gets kSecondsBuckets
#pragma once

#include <array>

namespace latencylab::telemetry {

// HTTP semantic conventions' advice for http.server.request.duration; the default for every
// histogram whose unit is "s".
inline constexpr std::array<double, 14> kSecondsBuckets = {
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0};

// The OTel SDK default for histograms without advice (any other unit).
inline constexpr std::array<double, 15> kDefaultBuckets = {
    0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000};

// Body sizes (unit By): powers of four from 64 B to 16 MiB, plus 0 for empty bodies.
inline constexpr std::array<double, 11> kByteSizeBuckets = {
    0, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216};

// io-loop lag (unit s): 10 us to 1 s, 1-2.5-5 steps; the probe's resolution is well under 10 us.
inline constexpr std::array<double, 16> kLoopLagBuckets = {
    0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
    0.005,   0.01,     0.025,   0.05,   0.1,     0.25,   0.5,   1.0};

}  // namespace latencylab::telemetry
