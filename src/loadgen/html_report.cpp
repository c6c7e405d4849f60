#include "loadgen/html_report.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

#include "core/wall_clock.hpp"
#include "loadgen/svg_chart.hpp"

namespace latencylab::loadgen {
namespace {

constexpr const char* kStyle = R"css(
body { font-family: sans-serif; margin: 24px auto; max-width: 960px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; } h3 { font-size: 15px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.passed { color: #1a7f37; font-weight: bold; } .failed { color: #cf222e; font-weight: bold; }
svg.chart { width: 100%; height: auto; display: block; margin: 8px 0 20px; }
p.note { color: #555; font-size: 13px; }
)css";

std::string fixed(double value, int decimals) {
  std::array<char, 48> text{};
  std::snprintf(text.data(), text.size(), "%.*f", decimals, value);
  return text.data();
}

double ms(std::uint64_t nanos) {
  return static_cast<double>(nanos) / 1e6;
}

std::string duration_text(std::uint64_t nanos) {
  return format_duration(Nanos{static_cast<Nanos::rep>(nanos)});
}

// "200:95 503:5", or "-" when there is none.
std::string status_list(const std::map<unsigned, std::uint64_t>& counts) {
  std::string text;
  for (const auto& [code, count] : counts) {
    if (!text.empty()) text += ' ';
    text += status_label(code) + ":" + std::to_string(count);
  }
  return text.empty() ? "-" : text;
}

std::map<unsigned, std::uint64_t> statuses_of(const EndpointStats& s) {
  std::map<unsigned, std::uint64_t> counts;
  for (unsigned code = 0; code < kStatusSlots; ++code) {
    if (s.status_counts[code] != 0) counts[code] = s.status_counts[code];
  }
  return counts;
}

class Page {
 public:
  void raw(std::string_view markup) { html_ += markup; }
  void text(std::string_view content) { html_ += escape_markup(content); }
  void element(std::string_view tag, std::string_view content) {
    html_ += '<';
    html_ += tag;
    html_ += '>';
    text(content);
    html_ += "</";
    html_ += tag;
    html_ += ">\n";
  }
  // kind figures: the first cell names the row, the others are right-aligned numbers.
  enum class Cells { header, figures, text };
  void row(const std::vector<std::string>& cells, Cells kind = Cells::figures) {
    raw("<tr>");
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const bool figure = kind == Cells::figures && i > 0;
      raw(kind == Cells::header ? "<th>" : (figure ? "<td class=\"number\">" : "<td>"));
      text(cells[i]);
      raw(kind == Cells::header ? "</th>" : "</td>");
    }
    raw("</tr>\n");
  }
  [[nodiscard]] std::string take() { return std::move(html_); }

 private:
  std::string html_;
};

std::optional<ChartBand> warmup_band(const RunReport& report) {
  if (report.warmup.count() <= 0) return std::nullopt;
  return ChartBand{0, static_cast<double>(report.warmup.count()) / 1e9, "warm-up"};
}

std::string time_label(const RunTimeline& timeline) {
  const unsigned width = timeline.bucket_seconds();
  return width == 1 ? "seconds since start (one point per second)"
                    : "seconds since start (one point per " + std::to_string(width) + " s)";
}

// A chart over the run's time, the warm-up shaded.
LineChart time_chart(const RunReport& report, const RunTimeline& timeline, std::string title,
                     std::string y_label) {
  LineChart chart;
  chart.title = std::move(title);
  chart.x_label = time_label(timeline);
  chart.y_label = std::move(y_label);
  chart.x_min = 0;  // the run's start, though the first point is the end of its first second
  chart.band = warmup_band(report);
  return chart;
}

ChartSeries series_named(std::string name, bool dashed = false) {
  ChartSeries series;
  series.name = std::move(name);
  series.dashed = dashed;
  return series;
}

std::string rate_chart(const RunReport& report, const RunTimeline& timeline, std::size_t t) {
  const auto& points = timeline.points(t);
  const bool open = report.model == LoadModel::open;
  LineChart chart = time_chart(
      report, timeline, open ? "request rate: target vs achieved" : "request rate", "requests/s");
  if (open) {
    ChartSeries target = series_named("target", true);
    for (const auto& p : points) target.points.push_back({p.end_s, p.target_rate.value_or(0)});
    chart.series.push_back(std::move(target));
  }
  ChartSeries sent = series_named("achieved (sent)");
  ChartSeries completed = series_named("completed");
  for (const auto& p : points) {
    sent.points.push_back({p.end_s, p.rate(p.sent)});
    completed.points.push_back({p.end_s, p.rate(p.completed)});
  }
  chart.series.push_back(std::move(sent));
  chart.series.push_back(std::move(completed));
  return render_line_chart(chart);
}

double highest_latency(const std::vector<TimelinePoint>& points) {
  double highest = 0;
  for (const auto& p : points) {
    highest = std::max({highest, ms(p.latency.max), ms(p.service_time.max)});
  }
  return highest;
}

std::string percentiles_chart(const RunReport& report, const RunTimeline& timeline, std::size_t t,
                              std::string title, LatencyPercentiles TimelinePoint::*which) {
  const auto& points = timeline.points(t);
  LineChart chart = time_chart(report, timeline, std::move(title), "latency (ms)");
  chart.y_max = highest_latency(points);  // both latency charts share a scale
  const std::array<std::pair<const char*, std::uint64_t LatencyPercentiles::*>, 4> levels{
      {{"p50", &LatencyPercentiles::p50},
       {"p90", &LatencyPercentiles::p90},
       {"p99", &LatencyPercentiles::p99},
       {"max", &LatencyPercentiles::max}}};
  for (const auto& [name, level] : levels) {
    ChartSeries series = series_named(name);
    for (const auto& p : points) {
      if (p.completed > 0) series.points.push_back({p.end_s, ms((p.*which).*level)});
    }
    chart.series.push_back(std::move(series));
  }
  return render_line_chart(chart);
}

std::string trouble_chart(const RunReport& report, const RunTimeline& timeline, std::size_t t) {
  const auto& points = timeline.points(t);
  LineChart chart = time_chart(report, timeline, "errors, late and dropped requests", "requests/s");
  const std::array<std::pair<const char*, std::uint64_t TimelinePoint::*>, 3> kinds{
      {{"errors", &TimelinePoint::errors},
       {"late", &TimelinePoint::late},
       {"dropped", &TimelinePoint::dropped}}};
  for (const auto& [name, kind] : kinds) {
    ChartSeries series = series_named(name);
    for (const auto& p : points) {
      series.points.push_back({p.end_s, p.rate(p.*kind)});
    }
    chart.series.push_back(std::move(series));
  }
  return render_line_chart(chart);
}

// x = log10(1 / (1 - q)): 0 at the minimum, 1 at p90, 2 at p99, ...; the last point is the max.
ChartSeries spectrum(std::string name, const LatencyHistogram& h, bool dashed = false) {
  ChartSeries series = series_named(std::move(name), dashed);
  if (h.count() == 0) return series;
  const double last_x = std::log10(static_cast<double>(h.count()));
  constexpr double kStep = 0.05;
  for (double x = 0; x < last_x; x += kStep) {
    const double q = 1.0 - std::pow(10.0, -x);
    series.points.push_back({x, ms(h.percentile(q * 100.0))});
  }
  series.points.push_back({last_x, ms(h.max())});
  return series;
}

std::string spectrum_chart(const TargetReport& target, bool corrected) {
  LineChart chart;
  chart.title =
      "latency percentile spectrum (" + std::to_string(target.total.completed) + " requests)";
  chart.x_label = "percentile (log scale of 1/(1-q))";
  chart.y_label = "latency (ms)";
  for (std::size_t e = 0; e < target.stats.endpoints.size(); ++e) {
    const auto& ep = target.stats.endpoints[e];
    chart.series.push_back(spectrum(
        target.endpoint_names[e] + ": " + std::to_string(ep.completed) + " requests", ep.latency));
  }
  chart.series.push_back(spectrum("all: " + std::to_string(target.total.completed) + " requests",
                                  target.total.latency));
  if (corrected) {
    chart.series.push_back(
        spectrum("all, service time (from actual send)", target.total.service_time, true));
  }
  chart.x_ticks = {
      {0, "0%"},     {std::log10(2.0), "50%"}, {1, "90%"},      {2, "99%"},      {3, "99.9%"},
      {4, "99.99%"}, {5, "99.999%"},           {6, "99.9999%"}, {7, "99.99999%"}};
  return render_line_chart(chart);
}

void summary_table(Page& page, const TargetReport& t) {
  const auto& s = t.stats;
  page.raw("<table class=\"summary\">\n");
  if (t.target_rate) page.row({"target rate", fixed(*t.target_rate, 1) + "/s"});
  page.row({"achieved rate (sent)", fixed(t.achieved_rate, 1) + "/s"});
  page.row({"throughput (completed)", fixed(t.throughput, 1) + "/s"});
  if (t.scheduled) page.row({"due", std::to_string(s.schedule.due)});
  page.row({"sent", std::to_string(s.started)});
  page.row({"completed", std::to_string(t.total.completed)});
  if (t.scheduled) {
    page.row({"late", std::to_string(s.schedule.late)});
    page.row({"dropped (backlog full)", std::to_string(s.schedule.dropped_backlog_full)});
    page.row({"dropped (never sent by the end)", std::to_string(s.schedule.dropped_at_end)});
  }
  page.row(
      {"errors", std::to_string(t.total.errors()) + " (" + fixed(t.error_rate() * 100, 2) + "%)"});
  page.row({"connections opened", std::to_string(s.connections_opened)});
  page.raw("</table>\n");
}

void errors_table(Page& page, const TargetReport& t) {
  page.raw("<table class=\"errors\">\n");
  std::vector<std::string> header{"endpoint", "requests"};
  for (std::size_t kind = 1; kind < kErrorKindCount; ++kind) {
    header.emplace_back(kErrorKindNames[kind]);
  }
  header.emplace_back("unexpected statuses");
  header.emplace_back("all statuses");
  page.row(header, Page::Cells::header);
  const auto add = [&](const std::string& name, const EndpointStats& s,
                       const std::map<unsigned, std::uint64_t>& unexpected) {
    std::vector<std::string> cells{name, std::to_string(s.completed)};
    for (std::size_t kind = 1; kind < kErrorKindCount; ++kind) {
      cells.push_back(std::to_string(s.error_counts[kind]));
    }
    cells.push_back(status_list(unexpected));
    cells.push_back(status_list(statuses_of(s)));
    page.row(cells);
  };
  for (std::size_t e = 0; e < t.stats.endpoints.size(); ++e) {
    add(t.endpoint_names[e], t.stats.endpoints[e], t.endpoint_status_errors[e]);
  }
  add("all", t.total, t.status_errors);
  page.raw("</table>\n");
}

void latency_table(Page& page, const TargetReport& t) {
  page.raw("<table class=\"latency\">\n");
  page.row(
      {"endpoint", "requests", "p50", "p90", "p99", "p99.9", "max", "service p50", "service p99"},
      Page::Cells::header);
  const auto add = [&](const std::string& name, const EndpointStats& s) {
    const auto& h = s.latency;
    page.row({name, std::to_string(s.completed), duration_text(h.percentile(50)),
              duration_text(h.percentile(90)), duration_text(h.percentile(99)),
              duration_text(h.percentile(99.9)), duration_text(h.max()),
              duration_text(s.service_time.percentile(50)),
              duration_text(s.service_time.percentile(99))});
  };
  for (std::size_t e = 0; e < t.stats.endpoints.size(); ++e) {
    add(t.endpoint_names[e], t.stats.endpoints[e]);
  }
  add("all", t.total);
  page.raw("</table>\n");
}

}  // namespace

RunParameters describe_run(const RunPlan& plan, const LoadOptions& options) {
  RunParameters p;
  p.emplace_back("model",
                 plan.model == LoadModel::open ? "open (arrival rate)" : "closed (connections)");
  p.emplace_back("scenario",
                 plan.scenario_name.empty() ? "none: URLs as given" : plan.scenario_name);
  for (const auto& target : plan.targets) p.emplace_back("target " + target.name, target.url);
  if (options.method) p.emplace_back("method", *options.method);
  if (options.expect_status) p.emplace_back("expected statuses", *options.expect_status);
  if (plan.model == LoadModel::open) {
    if (options.rate) p.emplace_back("rate per target", tick_label(*options.rate) + "/s");
    if (!options.stages.empty()) p.emplace_back("stages", options.stages);
    p.emplace_back("max in flight", std::to_string(plan.max_in_flight));
    p.emplace_back("max backlog", std::to_string(plan.max_backlog));
    p.emplace_back("late after", format_duration(plan.late_after));
  } else {
    if (plan.connections.changes()) {
      p.emplace_back("connections per target",
                     std::to_string(plan.connections.connections_at(Nanos::zero())) +
                         ", ramped by stages " + options.stages + " (peak " +
                         std::to_string(plan.connections.peak()) + ")");
    } else {
      p.emplace_back("connections per target", std::to_string(plan.connections.peak()));
    }
    p.emplace_back("think time", format_duration(plan.think_time));
  }
  p.emplace_back("duration", format_duration(plan.duration));
  p.emplace_back("warm-up", format_duration(plan.warmup));
  p.emplace_back("timeout", format_duration(plan.timeout));
  if (plan.max_requests > 0) p.emplace_back("request cap", std::to_string(plan.max_requests));
  p.emplace_back("threads", std::to_string(plan.threads));
  if (plan.source_addresses > 1) {
    p.emplace_back("source addresses", std::to_string(plan.source_addresses));
  }
  if (plan.connection_per_request) p.emplace_back("connection per request", "yes");
  p.emplace_back("seed", std::to_string(plan.seed));
  return p;
}

std::string render_html_report(const RunReport& report, const RunTimeline& timeline,
                               const RunParameters& parameters, const GateResult& gates) {
  Page page;
  const std::string started = core::format_rfc3339(report.started_at);
  page.raw(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      // Nothing may load from anywhere: the page is complete as written.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'\">\n<title>");
  page.text("latencylab load report " + started);
  page.raw("</title>\n<style>");
  page.raw(kStyle);
  page.raw("</style>\n</head>\n<body>\n");
  page.element("h1", "latencylab load report");
  page.raw("<p>started ");
  page.text(started);
  // The run's real length: --requests may end it before the --duration the parameters list.
  page.text(", ran " + format_duration(report.duration));
  if (report.ended_by_request_cap) page.text(" (--requests reached)");
  page.raw(", result <span class=\"");
  page.raw(gates.passed() ? "passed\">PASSED" : "failed\">FAILED");
  page.raw("</span></p>\n");
  if (!gates.passed()) {
    page.raw("<ul class=\"failures\">\n");
    for (const auto& failure : gates.failures) page.element("li", failure);
    page.raw("</ul>\n");
  }
  page.element("h2", "Run parameters");
  page.raw("<table class=\"parameters\">\n");
  for (const auto& [name, value] : parameters) page.row({name, value}, Page::Cells::text);
  page.raw("</table>\n");
  page.raw(
      "<p class=\"note\">Latency is measured from each request's scheduled send time "
      "(corrected for coordinated omission); service time from when it was actually sent. "
      "Totals and tables cover the measured window; the charts over time include the "
      "warm-up.</p>\n");

  for (std::size_t t = 0; t < report.targets.size(); ++t) {
    const TargetReport& target = report.targets[t];
    page.raw("<section class=\"target\" data-target=\"");
    page.text(target.name);
    page.raw("\">\n<h2>target ");
    page.text(target.name);
    page.raw(" <code>");
    page.text(target.url);
    page.raw("</code></h2>\n");
    summary_table(page, target);
    page.raw(rate_chart(report, timeline, t));
    page.raw(percentiles_chart(report, timeline, t,
                               "latency over time (corrected, from scheduled send)",
                               &TimelinePoint::latency));
    page.raw(percentiles_chart(report, timeline, t, "service time over time (from actual send)",
                               &TimelinePoint::service_time));
    page.raw(trouble_chart(report, timeline, t));
    page.raw(spectrum_chart(target, report.model == LoadModel::open));
    page.element("h3", "Errors by kind and status");
    errors_table(page, target);
    page.element("h3", "Latency by endpoint (measured window)");
    latency_table(page, target);
    page.raw("</section>\n");
  }
  page.raw("</body>\n</html>\n");
  return page.take();
}

}  // namespace latencylab::loadgen
