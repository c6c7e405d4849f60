#include "app/load_command.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>
#include <tuple>
#include <variant>

#include "app/telemetry_setup.hpp"
#include "core/open_file_limit.hpp"
#include "loadgen/html_report.hpp"
#include "loadgen/load_engine.hpp"
#include "loadgen/load_options.hpp"
#include "loadgen/progress_reporter.hpp"
#include "loadgen/run_plan_builder.hpp"
#include "loadgen/run_report.hpp"
#include "loadgen/run_timeline.hpp"

namespace latencylab::app {
namespace {

using loadgen::IntervalMailbox;
using loadgen::LoadEngine;
using loadgen::LoadModel;
using loadgen::ProgressReporter;
using loadgen::RunPlan;
using loadgen::TargetStats;

constexpr int kExitPassed = 0;
constexpr int kExitGateFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitOutput = 3;

// File descriptors the run may hold at once: every connection slot, plus stdio, files and slack.
std::uint64_t needed_file_descriptors(const RunPlan& plan) {
  const std::uint64_t per_target =
      plan.model == LoadModel::open ? plan.max_in_flight : plan.connections.peak();
  return per_target * plan.targets.size() + 64;
}

// The metrics export of each io thread: a Meter and an exporter of its own, so instruments stay
// single-threaded. Each thread reports as its own service.instance.id (telemetry_from_env draws
// a fresh one per call); Prometheus sums over them.
struct ThreadTelemetry {
  std::unique_ptr<telemetry::Meter> meter;
  std::unique_ptr<telemetry::MetricExporter> exporter;
  loadgen::MetricsExport metrics_export;
};

struct RunTelemetry {
  std::vector<std::unique_ptr<ThreadTelemetry>> threads;  // empty: nothing is exported
  std::string description;                                // "otlp to http://..." for the notice
};

// Unlike serve, a load run assumes no collector: it exports only when OTEL_METRICS_EXPORTER is
// set. Throws telemetry::SettingsError on an invalid OTEL_* value.
RunTelemetry telemetry_for(const RunPlan& plan, const telemetry::EnvLookup& env) {
  RunTelemetry run;
  if (!telemetry::lookup(env, {"OTEL_METRICS_EXPORTER"})) return run;
  // summary reads the server's request metrics: for a load run it would print "no requests".
  if (telemetry::load_sdk_settings(env).exporter == telemetry::MetricsExporterKind::summary) {
    throw telemetry::SettingsError(
        "OTEL_METRICS_EXPORTER",
        "OTEL_METRICS_EXPORTER=summary describes a server's routes (latencylab serve); the load "
        "generator exports with otlp, console or none, and prints its own summary");
  }
  for (unsigned i = 0; i < plan.threads; ++i) {
    TelemetrySetup setup = telemetry_from_env(env, "latencylab-load");
    if (!setup.exporter) return {};  // OTEL_METRICS_EXPORTER=none, or OTEL_SDK_DISABLED=true
    run.description = setup.exporter_name + (setup.endpoint.empty() ? "" : " to " + setup.endpoint);
    auto meter = std::make_unique<telemetry::Meter>(std::move(setup.meter));
    auto& meter_ref = *meter;
    auto& exporter_ref = *setup.exporter;
    run.threads.push_back(std::make_unique<ThreadTelemetry>(
        ThreadTelemetry{std::move(meter), std::move(setup.exporter),
                        loadgen::MetricsExport{meter_ref, exporter_ref, setup.reader}}));
  }
  return run;
}

// What the io threads measured, merged, and when a --requests cap ended the run (every thread's
// share used up: the moment the last one finished).
struct RunResults {
  std::vector<TargetStats> merged;
  std::optional<loadgen::Nanos> request_cap_end;
};

// Runs every io thread and the once-a-second reporter on this thread until all threads finish.
RunResults execute(const RunPlan& plan, ProgressReporter::Display display,
                   loadgen::RunTimeline& run_timeline, std::ostream* timeline,
                   const RunTelemetry& telemetry) {
  std::vector<std::unique_ptr<IntervalMailbox>> mailboxes;
  std::vector<IntervalMailbox*> mailbox_views;
  std::vector<std::unique_ptr<LoadEngine>> engines;
  for (unsigned i = 0; i < plan.threads; ++i) {
    mailboxes.push_back(std::make_unique<IntervalMailbox>(plan.targets.size()));
    mailbox_views.push_back(mailboxes.back().get());
    const loadgen::MetricsExport* metrics_export =
        telemetry.threads.empty() ? nullptr : &telemetry.threads[i]->metrics_export;
    engines.push_back(std::make_unique<LoadEngine>(plan, i, *mailboxes.back(), metrics_export));
  }
  ProgressReporter reporter(plan, mailbox_views, run_timeline, timeline, display);

  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now() + std::chrono::milliseconds{20};  // let every thread start
  std::atomic<unsigned> running{plan.threads};
  std::vector<std::thread> threads;
  for (auto& engine : engines) {
    threads.emplace_back([&running, &engine, start] {
      engine->run(start);
      running.fetch_sub(1, std::memory_order_release);
    });
  }
  // Report shortly after each second boundary, once the io threads have deposited it.
  constexpr auto kReportDelay = std::chrono::milliseconds{100};
  constexpr auto kPoll = std::chrono::milliseconds{50};
  unsigned second = 1;
  while (running.load(std::memory_order_acquire) > 0) {
    const auto report_at = start + std::chrono::seconds{second} + kReportDelay;
    std::this_thread::sleep_until(std::min(report_at, Clock::now() + kPoll));
    if (Clock::now() >= report_at) reporter.report_interval(second++);
  }
  for (auto& thread : threads) thread.join();
  reporter.report_interval(second);  // the partial last interval, with each thread's final flush
  reporter.finish();

  RunResults results{std::vector<TargetStats>(plan.targets.size()), loadgen::Nanos{0}};
  for (const auto& engine : engines) {
    for (std::size_t t = 0; t < plan.targets.size(); ++t) {
      results.merged[t].merge(engine->results()[t]);
    }
    const auto cap_end = engine->request_cap_end();
    if (!cap_end || !results.request_cap_end) {
      results.request_cap_end.reset();
    } else {
      results.request_cap_end = std::max(*results.request_cap_end, *cap_end);
    }
  }
  return results;
}

}  // namespace

int run_load_command(int argc, char** argv, const telemetry::EnvLookup& env) {
  const auto parsed = loadgen::parse_load_options(argc, argv);
  if (!parsed) {
    std::cerr << parsed.error().message << "\n";
    return kExitUsage;
  }
  if (const auto* help = std::get_if<core::HelpRequested>(&*parsed)) {
    std::cout << help->text;
    return kExitPassed;
  }
  const auto& options = std::get<loadgen::LoadOptions>(*parsed);
  const auto plan = loadgen::build_run_plan(options);
  if (!plan) {
    std::cerr << "latencylab load: " << plan.error().message << "\n";
    return kExitUsage;
  }
  const std::uint64_t needed_fds = needed_file_descriptors(*plan);
  const std::uint64_t fd_limit = core::raise_open_file_limit(needed_fds);
  if (fd_limit < needed_fds) {
    std::cerr << "latencylab load: the run may need " << needed_fds
              << " open files but the limit is " << fd_limit
              << " (lower --max-in-flight/--connections, or raise the hard limit: ulimit -Hn)\n";
    return kExitUsage;
  }

  // Every result file is opened before the run, so a bad path costs no load run.
  std::ofstream timeline_file;
  std::ofstream json_file;
  std::ofstream report_file;
  for (auto [flag, path, file] : {std::tuple{"--timeline", &options.timeline_path, &timeline_file},
                                  std::tuple{"--json", &options.json_path, &json_file},
                                  std::tuple{"--report", &options.report_path, &report_file}}) {
    if (path->empty()) continue;
    file->open(*path);
    if (!*file) {
      std::cerr << "latencylab load: cannot write " << flag << " " << *path << "\n";
      return kExitOutput;
    }
  }
  ProgressReporter::Display display = ProgressReporter::Display::none;
  if (!options.quiet) {
    display = ::isatty(STDERR_FILENO) == 1 ? ProgressReporter::Display::terminal
                                           : ProgressReporter::Display::lines;
  }

  RunTelemetry telemetry;
  try {
    telemetry = telemetry_for(*plan, env);
  } catch (const telemetry::SettingsError& e) {
    std::cerr << "latencylab load: " << e.what() << "\n";
    return kExitUsage;
  }
  if (!telemetry.threads.empty() && !options.quiet) {
    std::cerr << "latencylab load: exporting its metrics (" << telemetry.description << ")\n";
  }

  const auto started_at = std::chrono::system_clock::now();
  loadgen::RunTimeline run_timeline(*plan);
  auto results = execute(*plan, display, run_timeline,
                         timeline_file.is_open() ? &timeline_file : nullptr, telemetry);
  const loadgen::RunReport report =
      build_report(*plan, std::move(results.merged), started_at, results.request_cap_end);
  const loadgen::GateResult gates = evaluate_gates(report, options);
  print_summary(std::cout, report, gates);

  if (json_file.is_open()) {
    json_file << report_json(report, options, gates);
    json_file.close();
    if (!json_file) {
      std::cerr << "latencylab load: cannot write --json " << options.json_path << "\n";
      return kExitOutput;
    }
  }
  if (report_file.is_open()) {
    report_file << loadgen::render_html_report(report, run_timeline,
                                               loadgen::describe_run(*plan, options), gates);
    report_file.close();
    if (!report_file) {
      std::cerr << "latencylab load: cannot write --report " << options.report_path << "\n";
      return kExitOutput;
    }
    std::cout << "report: " << options.report_path << "\n";
  }
  return gates.passed() ? kExitPassed : kExitGateFailed;
}

}  // namespace latencylab::app
