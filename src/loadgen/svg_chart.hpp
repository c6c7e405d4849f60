// Line charts drawn as inline SVG text, for the self-contained --report page: no script, no
// network, nothing but markup the browser renders as it opens the file.
//
// Axes are linear; a caller wanting another scale transforms x itself and passes labelled ticks
// (the latency spectrum plots log10(1/(1-q)) with ticks "90%", "99%", ...). Every text that comes
// from the caller (titles, series names, tick labels) is escaped. Each series is one <polyline>
// carrying data-series (its name) and data-points (its point count); the legend inside the SVG
// names every series.
//
//   LineChart chart;
//   chart.title = "request rate";
//   chart.series.push_back({"sent", {{1, 98}, {2, 101}}, /*dashed=*/false});
//   std::string svg = render_line_chart(chart);
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latencylab::loadgen {

struct ChartPoint {
  double x = 0;
  double y = 0;
};

struct ChartSeries {
  std::string name;
  std::vector<ChartPoint> points;
  bool dashed = false;
};

struct AxisTick {
  double value = 0;
  std::string label;
};

// A shaded x range with a label, e.g. the warm-up.
struct ChartBand {
  double from = 0;
  double to = 0;
  std::string label;
};

struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<ChartSeries> series;
  std::vector<AxisTick> x_ticks;  // empty: round values over the data's x range
  std::optional<double> x_min;    // none: the data's lowest x (0 for time since the start)
  std::optional<double> y_max;    // none: the data's maximum rounded up to a tick
  std::optional<ChartBand> band;
};

// The <svg> element (no XML prolog), ready to be placed inside an HTML page.
[[nodiscard]] std::string render_line_chart(const LineChart& chart);

// Escapes & < > " ' so that `text` is safe in SVG/HTML text and attribute values.
[[nodiscard]] std::string escape_markup(std::string_view text);

// Round tick values (1, 2 or 5 times a power of ten apart) from `from` up to at least `to`,
// about `count` of them. from == to gives one step of 1.
[[nodiscard]] std::vector<double> round_ticks(double from, double to, std::size_t count = 5);

// A tick label: integers as written ("250"), others with up to 3 significant digits ("0.25").
[[nodiscard]] std::string tick_label(double value);

}  // namespace latencylab::loadgen
