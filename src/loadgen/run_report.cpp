#include "loadgen/run_report.hpp"

#include <algorithm>
#include <boost/json/value.hpp>
#include <cstdio>
#include <ostream>

#include "core/json_writer.hpp"
#include "core/wall_clock.hpp"

namespace latencylab::loadgen {
namespace {

namespace json = boost::json;

double seconds(Nanos value) {
  return static_cast<double>(value.count()) / 1e9;
}

std::string rate_text(double value) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.1f/s", value);
  return text.data();
}

std::string percent_text(double fraction) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.2f%%", fraction * 100);
  return text.data();
}

double millis(std::uint64_t nanos) {
  return static_cast<double>(nanos) / 1e6;
}

json::object latency_json(const LatencyHistogram& h) {
  return {{"count", h.count()},
          {"min", millis(h.min())},
          {"mean", h.mean() / 1e6},
          {"p50", millis(h.percentile(50))},
          {"p90", millis(h.percentile(90))},
          {"p99", millis(h.percentile(99))},
          {"p99_9", millis(h.percentile(99.9))},
          {"max", millis(h.max())}};
}

json::object errors_json(const EndpointStats& s) {
  json::object errors;
  for (std::size_t kind = 1; kind < kErrorKindCount; ++kind) {
    errors[kErrorKindNames[kind]] = s.error_counts[kind];
  }
  return errors;
}

json::object status_errors_json(const std::map<unsigned, std::uint64_t>& errors) {
  json::object statuses;
  for (const auto& [code, count] : errors) statuses[status_label(code)] = count;
  return statuses;
}

json::object status_json(const EndpointStats& s) {
  json::object statuses;
  for (std::size_t code = 0; code < kStatusSlots; ++code) {
    if (s.status_counts[code] != 0) {
      statuses[status_label(static_cast<unsigned>(code))] = s.status_counts[code];
    }
  }
  return statuses;
}

void print_latency_row(std::ostream& out, const std::string& label, std::uint64_t requests,
                       std::uint64_t errors, const LatencyHistogram& h,
                       const LatencyHistogram& service) {
  std::array<char, 256> line{};
  const auto d = [](std::uint64_t nanos) { return format_duration(Nanos{nanos}); };
  std::snprintf(
      line.data(), line.size(), "  %-22s %9llu %7llu %9s %9s %9s %9s %9s %11s\n", label.c_str(),
      static_cast<unsigned long long>(requests), static_cast<unsigned long long>(errors),
      d(h.percentile(50)).c_str(), d(h.percentile(90)).c_str(), d(h.percentile(99)).c_str(),
      d(h.percentile(99.9)).c_str(), d(h.max()).c_str(), d(service.percentile(99)).c_str());
  out << line.data();
}

}  // namespace

std::string status_label(unsigned code) {
  return code == 0 ? std::string("other") : std::to_string(code);
}

double TargetReport::error_rate() const noexcept {
  return total.completed == 0
             ? 0.0
             : static_cast<double>(total.errors()) / static_cast<double>(total.completed);
}

RunReport build_report(const RunPlan& plan, std::vector<TargetStats> merged,
                       std::chrono::system_clock::time_point started_at,
                       std::optional<Nanos> request_cap_end) {
  RunReport report;
  report.model = plan.model;
  report.scenario = plan.scenario_name;
  report.started_at = started_at;
  report.duration = plan.duration;
  if (request_cap_end && *request_cap_end < plan.duration) {
    report.duration = *request_cap_end;
    report.ended_by_request_cap = true;
  }
  report.warmup = plan.warmup;
  report.threads = plan.threads;
  // Empty when a --requests cap ended the run within the warm-up: nothing was measured.
  const double window = std::max(seconds(report.duration - plan.warmup), 0.0);
  const auto per_second = [window](double count) { return window > 0 ? count / window : 0.0; };
  for (std::size_t t = 0; t < plan.targets.size(); ++t) {
    const TargetPlan& target = plan.targets[t];
    TargetReport r;
    r.name = target.name;
    r.url = target.url;
    r.stats = std::move(merged[t]);
    r.total = r.stats.all_endpoints();
    for (std::size_t e = 0; e < target.mix.endpoint_count(); ++e) {
      r.endpoint_names.push_back(target.mix.endpoint_name(e));
      r.endpoint_weights.push_back(target.mix.endpoint_weight(e));
      auto& unexpected = r.endpoint_status_errors.emplace_back();
      const auto& counts = r.stats.endpoints[e].status_counts;
      for (unsigned code = 0; code < kStatusSlots; ++code) {
        if (counts[code] == 0 || (code != 0 && target.mix.expects(e, code))) continue;
        unexpected[code] = counts[code];
        r.status_errors[code] += counts[code];
      }
    }
    if (target.schedule) {
      r.scheduled = std::max(target.schedule->expected_requests(report.duration) -
                                 target.schedule->expected_requests(plan.warmup),
                             0.0);
      r.target_rate = per_second(*r.scheduled);
    }
    r.achieved_rate = per_second(static_cast<double>(r.stats.started));
    r.throughput = per_second(static_cast<double>(r.total.completed));
    report.targets.push_back(std::move(r));
  }
  return report;
}

GateResult evaluate_gates(const RunReport& report, const LoadOptions& options) {
  GateResult gates;
  if (report.ended_by_request_cap && report.duration <= report.warmup) {
    gates.failures.push_back("--requests " + std::to_string(options.requests) +
                             " was reached within the " + format_duration(report.warmup) +
                             " warm-up: nothing was measured (raise --requests or shorten "
                             "--warmup)");
    return gates;
  }
  for (const auto& target : report.targets) {
    if (target.total.completed == target.total.errors()) {
      gates.failures.push_back(target.name + ": no request got an expected response");
      continue;
    }
    if (target.scheduled && options.requests == 0) {
      // With a --requests cap the schedule is cut short on purpose; the rate is not a target then.
      const double needed = *target.scheduled * (1.0 - options.rate_tolerance);
      if (static_cast<double>(target.stats.started) < needed) {
        gates.failures.push_back(
            target.name + ": sent " + std::to_string(target.stats.started) + " of " +
            std::to_string(static_cast<long long>(*target.scheduled)) +
            " scheduled requests (achieved " + rate_text(target.achieved_rate) + " vs target " +
            rate_text(*target.target_rate) + ")");
      }
    }
    if (options.max_error_rate && target.error_rate() > *options.max_error_rate) {
      gates.failures.push_back(target.name + ": error rate " + percent_text(target.error_rate()) +
                               " exceeds --max-error-rate " +
                               percent_text(*options.max_error_rate));
    }
  }
  return gates;
}

void print_summary(std::ostream& out, const RunReport& report, const GateResult& gates) {
  out << "\nlatencylab load: " << (report.model == LoadModel::open ? "open" : "closed")
      << " model, " << (report.scenario.empty() ? "URLs as given" : "scenario " + report.scenario)
      << ", " << format_duration(report.duration);
  if (report.ended_by_request_cap) out << " (--requests reached)";
  if (report.warmup.count() > 0)
    out << " (first " << format_duration(report.warmup) << " excluded)";
  out << ", " << report.threads << (report.threads == 1 ? " thread\n" : " threads\n");
  for (const auto& t : report.targets) {
    const auto& s = t.stats;
    out << "\ntarget " << t.name << "  " << t.url << "\n";
    out << "  rate      ";
    if (t.target_rate) out << "target " << rate_text(*t.target_rate) << "  ";
    out << "achieved " << rate_text(t.achieved_rate) << "  throughput " << rate_text(t.throughput)
        << "  connections opened " << s.connections_opened << "\n";
    out << "  requests  ";
    if (t.scheduled) out << s.schedule.due << " due, ";
    out << s.started << " sent, " << t.total.completed << " completed";
    if (t.scheduled) {
      out << ", " << s.schedule.late << " late, "
          << s.schedule.dropped_backlog_full + s.schedule.dropped_at_end << " dropped";
    }
    out << ", " << t.total.errors() << " errors (" << percent_text(t.error_rate()) << ")\n";
    out << "  errors   ";
    for (std::size_t kind = 1; kind < kErrorKindCount; ++kind) {
      out << " " << kErrorKindNames[kind] << " " << t.total.error_counts[kind];
    }
    if (!t.status_errors.empty()) {
      out << " (";
      const char* separator = "";
      for (const auto& [code, count] : t.status_errors) {
        out << separator << status_label(code) << ":" << count;
        separator = " ";
      }
      out << ")";
    }
    out << "\n  status   ";
    for (std::size_t code = 0; code < kStatusSlots; ++code) {
      if (t.total.status_counts[code] == 0) continue;
      out << " " << status_label(static_cast<unsigned>(code)) << ":" << t.total.status_counts[code];
    }
    out << "\n\n  latency from the scheduled send time" << (t.scheduled ? " (corrected)" : "")
        << "; last column: p99 of service time (from actual send)\n";
    std::array<char, 256> header{};
    std::snprintf(header.data(), header.size(), "  %-22s %9s %7s %9s %9s %9s %9s %9s %11s\n",
                  "endpoint", "requests", "errors", "p50", "p90", "p99", "p99.9", "max",
                  "service p99");
    out << header.data();
    for (std::size_t e = 0; e < s.endpoints.size(); ++e) {
      const auto& ep = s.endpoints[e];
      print_latency_row(out, t.endpoint_names[e], ep.completed, ep.errors(), ep.latency,
                        ep.service_time);
    }
    print_latency_row(out, "all", t.total.completed, t.total.errors(), t.total.latency,
                      t.total.service_time);
  }
  out << "\nresult: " << (gates.passed() ? "PASSED" : "FAILED") << "\n";
  for (const auto& failure : gates.failures) out << "  - " << failure << "\n";
}

std::string report_json(const RunReport& report, const LoadOptions& options,
                        const GateResult& gates) {
  json::object root;
  root["schema"] = "latencylab.load.v1";
  root["model"] = report.model == LoadModel::open ? "open" : "closed";
  root["scenario"] = report.scenario.empty() ? json::value(nullptr) : json::value(report.scenario);
  root["started_at"] = core::format_rfc3339(report.started_at);
  root["duration_s"] = seconds(report.duration);
  root["warmup_s"] = seconds(report.warmup);
  root["measured_s"] = std::max(seconds(report.duration - report.warmup), 0.0);
  root["threads"] = report.threads;
  root["passed"] = gates.passed();
  json::array failures;
  for (const auto& failure : gates.failures) failures.emplace_back(failure);
  root["failures"] = std::move(failures);
  json::object thresholds;
  thresholds["rate_tolerance"] = options.rate_tolerance;
  thresholds["max_error_rate"] =
      options.max_error_rate ? json::value(*options.max_error_rate) : json::value(nullptr);
  root["thresholds"] = std::move(thresholds);

  json::array targets;
  for (const auto& t : report.targets) {
    const auto& s = t.stats;
    json::object target;
    target["name"] = t.name;
    target["url"] = t.url;
    target["target_rate"] = t.target_rate ? json::value(*t.target_rate) : json::value(nullptr);
    target["achieved_rate"] = t.achieved_rate;
    target["throughput"] = t.throughput;
    json::object requests;
    requests["scheduled"] = t.scheduled ? json::value(*t.scheduled) : json::value(nullptr);
    requests["due"] = s.schedule.due;
    requests["sent"] = s.started;
    requests["completed"] = t.total.completed;
    requests["late"] = s.schedule.late;
    requests["dropped"] = s.schedule.dropped_backlog_full + s.schedule.dropped_at_end;
    requests["dropped_backlog_full"] = s.schedule.dropped_backlog_full;
    requests["dropped_at_end"] = s.schedule.dropped_at_end;
    requests["errors"] = t.total.errors();
    target["requests"] = std::move(requests);
    target["error_rate"] = t.error_rate();
    target["errors"] = errors_json(t.total);
    target["status_codes"] = status_json(t.total);
    target["status_errors"] = status_errors_json(t.status_errors);
    target["connections_opened"] = s.connections_opened;
    target["latency_ms"] = latency_json(t.total.latency);
    target["service_time_ms"] = latency_json(t.total.service_time);
    json::array endpoints;
    for (std::size_t e = 0; e < s.endpoints.size(); ++e) {
      const auto& ep = s.endpoints[e];
      endpoints.emplace_back(
          json::object{{"name", t.endpoint_names[e]},
                       {"weight", t.endpoint_weights[e]},
                       {"completed", ep.completed},
                       {"errors", errors_json(ep)},
                       {"status_codes", status_json(ep)},
                       {"status_errors", status_errors_json(t.endpoint_status_errors[e])},
                       {"latency_ms", latency_json(ep.latency)},
                       {"service_time_ms", latency_json(ep.service_time)}});
    }
    target["endpoints"] = std::move(endpoints);
    targets.emplace_back(std::move(target));
  }
  root["targets"] = std::move(targets);
  return core::json::serialize(root) + "\n";
}

}  // namespace latencylab::loadgen
