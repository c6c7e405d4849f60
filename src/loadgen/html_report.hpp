// The --report page: one self-contained HTML file describing a load run, to open in any browser
// without a network (inline CSS and SVG, no script; a Content-Security-Policy forbids loading
// anything). It shows the run's parameters and outcome and, per target: target vs achieved rate,
// corrected and service-time latency percentiles over time, errors/late/dropped per second, the
// latency percentile spectrum per endpoint (x: log10(1/(1-q)), ticks 50%, 90%, 99%, ...), errors
// by kind and status, and latency by endpoint. Every text from the run is escaped.
//
//   RunParameters parameters = describe_run(plan, options);
//   std::string html = render_html_report(report, timeline, parameters, gates);
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "loadgen/load_options.hpp"
#include "loadgen/run_plan.hpp"
#include "loadgen/run_report.hpp"
#include "loadgen/run_timeline.hpp"

namespace latencylab::loadgen {

// The page's "run parameters" table, in order: (name, value as a user would write it).
using RunParameters = std::vector<std::pair<std::string, std::string>>;

[[nodiscard]] RunParameters describe_run(const RunPlan& plan, const LoadOptions& options);

[[nodiscard]] std::string render_html_report(const RunReport& report, const RunTimeline& timeline,
                                             const RunParameters& parameters,
                                             const GateResult& gates);

}  // namespace latencylab::loadgen
