// The end-of-run result: statistics merged over threads, rates over the measured window, the CI
// gates (--max-error-rate, --rate-tolerance), and its two renderings, the human summary table and
// the JSON document whose schema docs/LOAD.md describes.
//
//   RunReport report = build_report(plan, merged_stats, started_at, request_cap_end);
//   GateResult gates = evaluate_gates(report, options);
//   print_summary(std::cout, report, gates);
//   std::string json = report_json(report, options, gates);
#pragma once

#include <chrono>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loadgen/load_options.hpp"
#include "loadgen/run_plan.hpp"
#include "loadgen/run_stats.hpp"

namespace latencylab::loadgen {

struct TargetReport {
  std::string name;
  std::string url;
  TargetStats stats;
  EndpointStats total;  // all endpoints together
  std::vector<std::string> endpoint_names;
  // Responses with a status their endpoint does not expect, by code (0: codes >= 600).
  std::map<unsigned, std::uint64_t> status_errors;
  std::vector<std::map<unsigned, std::uint64_t>> endpoint_status_errors;
  std::vector<unsigned> endpoint_weights;
  std::optional<double> scheduled;    // open model: requests the schedule asked for
  std::optional<double> target_rate;  // open model, requests/s over the measured window
  double achieved_rate = 0;           // requests sent per second in the measured window
  double throughput = 0;              // requests completed per second
  [[nodiscard]] double error_rate() const noexcept;
};

struct RunReport {
  LoadModel model = LoadModel::open;
  std::string scenario;
  std::chrono::system_clock::time_point started_at;
  Nanos duration{};  // the run's length: --duration, or less when --requests ended it
  Nanos warmup{};
  bool ended_by_request_cap = false;
  unsigned threads = 1;
  std::vector<TargetReport> targets;
};

struct GateResult {
  std::vector<std::string> failures;  // empty: passed
  [[nodiscard]] bool passed() const noexcept { return failures.empty(); }
};

// A status code as the reports name it: "503", or "other" for slot 0 (codes >= 600).
[[nodiscard]] std::string status_label(unsigned code);

// `request_cap_end`: when a --requests cap ran out, the moment the last request ended (from the
// start); rates are then per second of that shorter run.
[[nodiscard]] RunReport build_report(const RunPlan& plan, std::vector<TargetStats> merged,
                                     std::chrono::system_clock::time_point started_at,
                                     std::optional<Nanos> request_cap_end);
[[nodiscard]] GateResult evaluate_gates(const RunReport& report, const LoadOptions& options);
void print_summary(std::ostream& out, const RunReport& report, const GateResult& gates);
[[nodiscard]] std::string report_json(const RunReport& report, const LoadOptions& options,
                                      const GateResult& gates);

}  // namespace latencylab::loadgen
