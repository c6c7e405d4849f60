// Once per second, on the main thread: collects every io thread's interval statistics from the
// mailboxes, adds them to the run's timeline (the --report charts), prints the live progress line
// (rewritten in place on a terminal, one plain line per second otherwise) and appends one
// --timeline CSV row per target.
//
// Owned by the main thread; the mailboxes are the only state shared with io threads.
//
//   RunTimeline timeline(plan);
//   ProgressReporter reporter(plan, mailboxes, timeline, &timeline_file,
//                             ProgressReporter::Display::terminal);
//   reporter.report_interval(1);  // after second 1
//   reporter.finish();            // also closes the timeline's last bucket
#pragma once

#include <cstdio>
#include <ostream>
#include <span>
#include <vector>

#include "loadgen/latency_histogram.hpp"
#include "loadgen/run_plan.hpp"
#include "loadgen/run_stats.hpp"
#include "loadgen/run_timeline.hpp"

namespace latencylab::loadgen {

class ProgressReporter {
 public:
  enum class Display { none, terminal, lines };

  ProgressReporter(const RunPlan& plan, std::span<IntervalMailbox* const> mailboxes,
                   RunTimeline& run_timeline, std::ostream* timeline, Display display,
                   std::FILE* progress_out = stderr);

  // `second` is the 1-based index of the interval that just ended.
  void report_interval(unsigned second);
  void finish();

  static constexpr const char* kTimelineHeader =
      "second,target,phase,target_rate,sent,completed,errors,late,dropped,in_flight,backlog,"
      "p50_ms,p90_ms,p99_ms,max_ms,service_p99_ms\n";

 private:
  const RunPlan& plan_;
  std::span<IntervalMailbox* const> mailboxes_;
  RunTimeline& run_timeline_;
  std::ostream* timeline_;
  Display display_;
  std::FILE* progress_out_;
  std::vector<IntervalStats> interval_;  // this second, per target
  LatencyHistogram measured_latency_;    // all targets, measured window: "p99 so far"
  std::uint64_t measured_completed_ = 0;
  std::uint64_t measured_errors_ = 0;
  std::uint64_t total_late_ = 0;
  std::uint64_t total_dropped_ = 0;
};

}  // namespace latencylab::loadgen
