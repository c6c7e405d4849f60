// The SVG line charts of the --report page: axes with round ticks, one polyline per series with
// all its points, the legend, escaping of every caller text, and an explicit "no data".
#include "loadgen/svg_chart.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace latencylab::loadgen {
namespace {

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

// The coordinate pairs in the `points` attribute of the polyline of series `name`.
std::size_t plotted_points(const std::string& svg, const std::string& name) {
  const std::regex polyline("<polyline data-series=\"" + name + "\"[^>]* points=\"([^\"]*)\"");
  std::smatch match;
  if (!std::regex_search(svg, match, polyline)) return 0;
  const std::string points = match[1];
  return points.empty() ? 0 : occurrences(points, ",");
}

TEST(SvgChart, DrawsEverySeriesWithAllItsPointsAndNamesItInTheLegend) {
  LineChart chart;
  chart.title = "request rate";
  chart.x_label = "seconds since start";
  chart.y_label = "requests/s";
  chart.series.push_back({"target", {{1, 100}, {2, 100}, {3, 100}}, true});
  chart.series.push_back({"sent", {{1, 98}, {2, 101}, {3, 87}}, false});
  const std::string svg = render_line_chart(chart);

  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_TRUE(svg.ends_with("</svg>\n"));
  EXPECT_EQ(plotted_points(svg, "target"), 3u);
  EXPECT_EQ(plotted_points(svg, "sent"), 3u);
  EXPECT_NE(svg.find("data-series=\"sent\" data-points=\"3\""), std::string::npos);
  EXPECT_NE(svg.find("stroke-dasharray"), std::string::npos);  // the target is dashed
  EXPECT_NE(svg.find("class=\"legend\" x=\"86.0\" y=\"34.0\">target</text>"), std::string::npos)
      << svg;
  EXPECT_NE(svg.find(">requests/s</text>"), std::string::npos);
  EXPECT_NE(svg.find(">seconds since start</text>"), std::string::npos);
  // y runs from 0 to the first round tick above 101: 0, 20, ..., 120.
  EXPECT_NE(svg.find("class=\"y-tick\" x=\"58.0\" y=\"256.0\" text-anchor=\"end\">0</text>"),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find("text-anchor=\"end\">120</text>"), std::string::npos);
  EXPECT_EQ(svg.find("text-anchor=\"end\">140</text>"), std::string::npos);
  EXPECT_EQ(svg.find("no data"), std::string::npos);
}

TEST(SvgChart, HighestPointTouchesTheTopAndLowestXTheLeftEdge) {
  LineChart chart;
  chart.series.push_back({"s", {{0, 0}, {10, 50}}, false});
  const std::string svg = render_line_chart(chart);
  // Plot area: x from 64 to 744, y from 252 (value 0) up to 52 (value 50, the top tick).
  EXPECT_NE(svg.find("points=\"64.0,252.0 744.0,52.0\""), std::string::npos) << svg;
}

TEST(SvgChart, XMinWidensTheAxisToTheLeft) {
  LineChart chart;
  chart.series.push_back({"s", {{1, 10}, {4, 10}}, false});
  chart.x_min = 0;
  const std::string svg = render_line_chart(chart);
  EXPECT_NE(svg.find("text-anchor=\"middle\">0</text>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("points=\"234.0,"), std::string::npos) << "x = 1 is a quarter in";
}

TEST(SvgChart, ExplicitTicksOutsideTheDataAreLeftOut) {
  LineChart chart;
  chart.series.push_back({"all", {{0, 1}, {1.5, 2}, {2.5, 9}}, false});
  chart.x_ticks = {{0, "0%"}, {1, "90%"}, {2, "99%"}, {3, "99.9%"}};
  const std::string svg = render_line_chart(chart);
  EXPECT_NE(svg.find(">99%</text>"), std::string::npos);
  EXPECT_EQ(svg.find(">99.9%</text>"), std::string::npos);
  EXPECT_EQ(occurrences(svg, "class=\"x-tick\""), 3u);
}

TEST(SvgChart, EscapesEveryTextItIsGiven) {
  LineChart chart;
  chart.title = "p99 < 5ms & \"fast\"";
  chart.x_label = "<script>alert(1)</script>";
  chart.series.push_back({"o'neil <b>", {{0, 1}, {1, 2}}, false});
  chart.band = ChartBand{0, 0.5, "warm-up <1s>"};
  const std::string svg = render_line_chart(chart);
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_NE(svg.find("p99 &lt; 5ms &amp; &quot;fast&quot;"), std::string::npos);
  EXPECT_NE(svg.find("data-series=\"o&#39;neil &lt;b&gt;\""), std::string::npos);
  EXPECT_NE(svg.find(">warm-up &lt;1s&gt;</text>"), std::string::npos);
}

TEST(SvgChart, SaysNoDataInsteadOfDrawingAnEmptyFrameSilently) {
  LineChart chart;
  chart.title = "latency";
  chart.series.push_back({"p99", {}, false});
  const std::string svg = render_line_chart(chart);
  EXPECT_NE(svg.find(">no data</text>"), std::string::npos);
  EXPECT_NE(svg.find("data-points=\"0\""), std::string::npos);
}

TEST(SvgChart, RoundTicksAreOneTwoOrFiveTimesAPowerOfTen) {
  EXPECT_EQ(round_ticks(0, 101), (std::vector<double>{0, 20, 40, 60, 80, 100, 120}));
  EXPECT_EQ(round_ticks(0, 4.2), (std::vector<double>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(round_ticks(0, 0).back(), 1.0);  // an all-zero series still gets an axis
  EXPECT_EQ(tick_label(0.6000000000000001), "0.6");
  EXPECT_EQ(tick_label(2500), "2500");
  EXPECT_EQ(tick_label(0.25), "0.25");
}

}  // namespace
}  // namespace latencylab::loadgen
