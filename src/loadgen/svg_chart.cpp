#include "loadgen/svg_chart.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace latencylab::loadgen {
namespace {

constexpr double kWidth = 760;
constexpr double kPlotLeft = 64;
constexpr double kPlotRight = kWidth - 16;
constexpr double kPlotHeight = 200;
constexpr double kTitleHeight = 22;
constexpr double kLegendRowHeight = 16;
constexpr double kBottomMargin = 44;
constexpr double kCharWidth = 6.5;  // rough width of one 11px sans-serif character

// Ten colours: the demo scenarios' endpoints plus "all" stay apart.
constexpr std::array<const char*, 10> kPalette{"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                               "#9467bd", "#8c564b", "#e377c2", "#17becf",
                                               "#7f7f7f", "#bcbd22"};

std::string number(double value) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.1f", value);
  return text.data();
}

struct Range {
  double low = 0;
  double high = 1;
  [[nodiscard]] double span() const { return high - low; }
};

struct LegendItem {
  double x;
  double y;
};

// Lays the legend out left to right, wrapping at the plot's width.
std::vector<LegendItem> legend_layout(const std::vector<ChartSeries>& series, double top,
                                      double& rows_height) {
  std::vector<LegendItem> items;
  double x = kPlotLeft;
  double y = top;
  for (const auto& s : series) {
    const double width = 22 + kCharWidth * static_cast<double>(s.name.size()) + 14;
    if (x + width > kPlotRight && x > kPlotLeft) {
      x = kPlotLeft;
      y += kLegendRowHeight;
    }
    items.push_back({x, y});
    x += width;
  }
  rows_height = series.empty() ? 0 : y - top + kLegendRowHeight;
  return items;
}

}  // namespace

std::string escape_markup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::vector<double> round_ticks(double from, double to, std::size_t count) {
  if (!(to > from)) to = from + 1;
  const double steps = static_cast<double>(std::max<std::size_t>(count, 1));
  const double magnitude = std::pow(10.0, std::floor(std::log10((to - from) / steps)));
  // The finest round step that needs at most one step more than asked for.
  double step = magnitude;
  for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
    step = factor * magnitude;
    if ((to - from) / step <= steps + 1 + 1e-9) break;
  }
  std::vector<double> ticks;
  const double first = std::floor(from / step);
  const double last = std::ceil(to / step - 1e-9);
  for (double i = first; i <= last; ++i) ticks.push_back(i * step);
  return ticks;
}

std::string tick_label(double value) {
  std::array<char, 32> text{};
  if (std::abs(value - std::round(value)) < 1e-9) {
    std::snprintf(text.data(), text.size(), "%.0f", std::round(value));
  } else {
    std::snprintf(text.data(), text.size(), "%.3g", value);
  }
  return text.data();
}

std::string render_line_chart(const LineChart& chart) {
  Range x;
  double y_data_max = 0;
  bool any_point = false;
  for (const auto& s : chart.series) {
    for (const auto& p : s.points) {
      if (!any_point) x = {p.x, p.x};
      x.low = std::min(x.low, p.x);
      x.high = std::max(x.high, p.x);
      y_data_max = std::max(y_data_max, p.y);
      any_point = true;
    }
  }
  if (chart.x_min) x.low = std::min(x.low, *chart.x_min);
  if (chart.band) x.low = std::min(x.low, chart.band->from);
  if (!(x.span() > 0)) x.high = x.low + 1;

  std::vector<AxisTick> x_ticks;
  if (chart.x_ticks.empty()) {
    for (const double v : round_ticks(x.low, x.high)) x_ticks.push_back({v, tick_label(v)});
  } else {
    x_ticks = chart.x_ticks;
  }
  std::erase_if(x_ticks, [&](const AxisTick& t) {
    return t.value < x.low - 1e-9 || t.value > x.high + 1e-9;
  });
  const std::vector<double> y_ticks = round_ticks(0, chart.y_max.value_or(y_data_max));
  const Range y{0, y_ticks.back()};

  double legend_height = 0;
  const auto legend = legend_layout(chart.series, kTitleHeight + 12, legend_height);
  const double plot_top = kTitleHeight + legend_height + 14;
  const double plot_bottom = plot_top + kPlotHeight;
  const double height = plot_bottom + kBottomMargin;
  const auto px = [&](double value) {
    return kPlotLeft + (value - x.low) / x.span() * (kPlotRight - kPlotLeft);
  };
  const auto py = [&](double value) {
    return plot_bottom - std::clamp(value / y.span(), 0.0, 1.0) * kPlotHeight;
  };

  const std::string title = escape_markup(chart.title);
  std::string svg;
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " +
         number(kWidth) + " " + number(height) + "\" role=\"img\" aria-label=\"" + title +
         "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  svg += "<title>" + title + "</title>\n";
  svg += "<text x=\"" + number(kPlotLeft) + "\" y=\"16\" font-size=\"13\" font-weight=\"bold\">" +
         title + "</text>\n";

  if (chart.band && chart.band->to > chart.band->from) {
    const double left = px(std::max(chart.band->from, x.low));
    const double right = px(std::min(chart.band->to, x.high));
    svg += "<rect class=\"band\" x=\"" + number(left) + "\" y=\"" + number(plot_top) +
           "\" width=\"" + number(std::max(0.0, right - left)) + "\" height=\"" +
           number(kPlotHeight) + "\" fill=\"#eeeeee\"/>\n";
    svg += "<text x=\"" + number(left + 4) + "\" y=\"" + number(plot_top + 12) +
           "\" fill=\"#777777\">" + escape_markup(chart.band->label) + "</text>\n";
  }

  // Grid lines and tick labels.
  for (const double v : y_ticks) {
    const std::string at = number(py(v));
    svg += "<line x1=\"" + number(kPlotLeft) + "\" x2=\"" + number(kPlotRight) + "\" y1=\"" + at +
           "\" y2=\"" + at + "\" stroke=\"#dddddd\"/>\n";
    svg += "<text class=\"y-tick\" x=\"" + number(kPlotLeft - 6) + "\" y=\"" + number(py(v) + 4) +
           "\" text-anchor=\"end\">" + escape_markup(tick_label(v)) + "</text>\n";
  }
  for (const auto& tick : x_ticks) {
    const std::string at = number(px(tick.value));
    svg += "<line x1=\"" + at + "\" x2=\"" + at + "\" y1=\"" + number(plot_top) + "\" y2=\"" +
           number(plot_bottom) + "\" stroke=\"#eeeeee\"/>\n";
    svg += "<text class=\"x-tick\" x=\"" + at + "\" y=\"" + number(plot_bottom + 16) +
           "\" text-anchor=\"middle\">" + escape_markup(tick.label) + "</text>\n";
  }
  svg += "<rect x=\"" + number(kPlotLeft) + "\" y=\"" + number(plot_top) + "\" width=\"" +
         number(kPlotRight - kPlotLeft) + "\" height=\"" + number(kPlotHeight) +
         "\" fill=\"none\" stroke=\"#999999\"/>\n";
  svg += "<text class=\"x-label\" x=\"" + number((kPlotLeft + kPlotRight) / 2) + "\" y=\"" +
         number(plot_bottom + 34) + "\" text-anchor=\"middle\">" + escape_markup(chart.x_label) +
         "</text>\n";
  const std::string y_label_y = number((plot_top + plot_bottom) / 2);
  svg += "<text class=\"y-label\" x=\"14\" y=\"" + y_label_y +
         "\" text-anchor=\"middle\" transform=\"rotate(-90 14 " + y_label_y + ")\">" +
         escape_markup(chart.y_label) + "</text>\n";

  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const ChartSeries& s = chart.series[i];
    const char* color = kPalette[i % kPalette.size()];
    const std::string name = escape_markup(s.name);
    const std::string dash = s.dashed ? " stroke-dasharray=\"6 4\"" : "";
    svg += "<polyline data-series=\"" + name + "\" data-points=\"" +
           std::to_string(s.points.size()) + "\" fill=\"none\" stroke=\"" + color +
           "\" stroke-width=\"1.5\"" + dash + " points=\"";
    for (std::size_t p = 0; p < s.points.size(); ++p) {
      if (p > 0) svg += ' ';
      svg += number(px(s.points[p].x)) + "," + number(py(s.points[p].y));
    }
    svg += "\"><title>" + name + "</title></polyline>\n";
    if (s.points.size() == 1) {  // a line of one point would not show
      svg += "<circle cx=\"" + number(px(s.points[0].x)) + "\" cy=\"" + number(py(s.points[0].y)) +
             "\" r=\"2.5\" fill=\"" + color + "\"/>\n";
    }
    const LegendItem& item = legend[i];
    svg += "<line x1=\"" + number(item.x) + "\" x2=\"" + number(item.x + 18) + "\" y1=\"" +
           number(item.y - 4) + "\" y2=\"" + number(item.y - 4) + "\" stroke=\"" + color +
           "\" stroke-width=\"2\"" + dash + "/>\n";
    svg += "<text class=\"legend\" x=\"" + number(item.x + 22) + "\" y=\"" + number(item.y) +
           "\">" + name + "</text>\n";
  }
  if (!any_point) {
    svg += "<text x=\"" + number((kPlotLeft + kPlotRight) / 2) + "\" y=\"" +
           number((plot_top + plot_bottom) / 2) +
           "\" text-anchor=\"middle\" fill=\"#777777\">no data</text>\n";
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace latencylab::loadgen
