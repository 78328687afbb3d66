// dskill::report: a small SVG plotting helper for the HTML reports.
//
// Two kinds of chart, enough for the reports and kept simple: an x-y plot (lines, points,
// histogram bars, shaded x bands, reference lines) with linear axes and "nice" ticks, and a
// horizontal (optionally stacked) bar chart over named categories. Output is a standalone
// <svg> element (no scripts, no external resources) that can be inlined into HTML.
//
// Guarantees the tests check: the SVG is well-formed XML (text is escaped), every number
// written is finite (non-finite data points are skipped; a line breaks at them), and the axis
// ranges contain every finite data value drawn.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace report {

/// Escapes &, <, >, " and ' for XML/HTML text and attribute values.
std::string xml_escape(std::string_view text);

/// A number for display: fixed with `digits` decimals, "–" for NaN, "∞"/"-∞" for infinities.
std::string format_number(double value, int digits = 3);

/// Round tick positions covering [lo, hi] (steps of 1, 2 or 5 times a power of ten), at most
/// about `max_ticks` of them. lo == hi gives a range around the value.
std::vector<double> nice_ticks(double lo, double hi, int max_ticks = 6);

/// The range [lo, hi] widened to the nice ticks that enclose it (what the plots use).
std::pair<double, double> nice_range(double lo, double hi, int max_ticks = 6);

/// Colour `index` of a colour-blind-safe palette (Okabe-Ito), cycling.
std::string palette(std::size_t index);

/// Equal-width histogram of the finite values: `edges` (bins + 1) and `counts` (bins).
struct histogram {
  std::vector<double> edges;
  std::vector<double> counts;
  std::size_t skipped = 0;  ///< non-finite values left out
};
/// Bins of width `width` aligned on multiples of it, covering every finite value (at least one
/// bin). Throws invalid_argument for width <= 0 or more than 10,000 bins.
histogram make_histogram(const std::vector<double>& values, double width);
/// `bins` equal bins over [lo, hi]; values outside are clamped into the end bins.
histogram make_histogram(const std::vector<double>& values, double lo, double hi, std::size_t bins);

namespace svg {

/// One data series of an x-y plot.
struct series {
  enum class kind { line, points, bars, error_bars };
  kind type = kind::line;
  std::string label;  ///< legend text; empty = not in the legend
  std::string color;  ///< CSS colour; empty = from the palette
  bool dashed = false;
  std::vector<double> x, y;
  std::vector<double> x2;  ///< bars: right edge of each bar (x is the left edge)
  std::vector<double> y2;  ///< error_bars: upper end (y is the lower end)
  double width = 2.0;      ///< line width, or point radius
};

/// A shaded range of x with a label at the top (proficiency levels, theta bands).
struct band {
  double x0 = 0.0, x1 = 0.0;
  std::string label;
  std::string fill;
};

/// A reference line across the plot.
struct rule {
  bool vertical = true;
  double at = 0.0;
  std::string label;
  std::string color = "#555";
  bool dashed = true;
};

/// An x-y plot with linear axes.
class xy_plot {
 public:
  xy_plot(std::string title, std::string x_label, std::string y_label);

  xy_plot& line(std::vector<double> x, std::vector<double> y, std::string label = {}, std::string color = {},
                bool dashed = false);
  xy_plot& points(std::vector<double> x, std::vector<double> y, std::string label = {}, std::string color = {},
                  double radius = 2.0);
  /// Bars from edges[i] to edges[i+1] with height heights[i] (a histogram).
  xy_plot& bars(const std::vector<double>& edges, std::vector<double> heights, std::string label = {},
                std::string color = {});
  /// Vertical error bars at x from lo to hi.
  xy_plot& error_bars(std::vector<double> x, std::vector<double> lo, std::vector<double> hi, std::string color = {});
  xy_plot& add_band(double x0, double x1, std::string label, std::string fill = {});
  xy_plot& vline(double x, std::string label = {}, std::string color = "#555");
  xy_plot& hline(double y, std::string label = {}, std::string color = "#555");
  /// Fixes an axis range (the data outside is still within, since the range is widened to hold it).
  xy_plot& x_range(double lo, double hi);
  xy_plot& y_range(double lo, double hi);
  /// Keep y = 0 inside the y range (default true: counts, information, rates).
  xy_plot& y_from_zero(bool on);
  xy_plot& size(int width, int height);

  /// The axis ranges the plot will draw (after widening to nice ticks).
  std::pair<double, double> x_axis() const;
  std::pair<double, double> y_axis() const;

  /// The <svg> element.
  std::string render() const;

 private:
  std::pair<double, double> data_range(bool x_axis) const;
  std::string title_, x_label_, y_label_;
  std::vector<series> series_;
  std::vector<band> bands_;
  std::vector<rule> rules_;
  bool fixed_x_ = false, fixed_y_ = false, y_zero_ = true;
  double x_lo_ = 0, x_hi_ = 1, y_lo_ = 0, y_hi_ = 1;
  int width_ = 720, height_ = 380;
};

/// A horizontal bar chart: one row per category, one segment per series (stacked), with the
/// total at the end of each bar. Values must be >= 0 (others are drawn as 0).
class bar_chart {
 public:
  bar_chart(std::string title, std::string value_label);
  /// Categories, top to bottom.
  bar_chart& categories(std::vector<std::string> names);
  /// One stacked segment per category (values.size() == number of categories).
  bar_chart& add_series(std::string label, std::vector<double> values, std::string color = {});
  /// Draw each row as shares of its total (0-100 %) rather than counts.
  bar_chart& percent(bool on);
  bar_chart& width(int w);

  /// The largest value the value axis shows (after widening to nice ticks).
  double axis_max() const;
  std::string render() const;

 private:
  std::string title_, value_label_;
  std::vector<std::string> categories_;
  std::vector<series> series_;
  bool percent_ = false;
  int width_ = 720;
};

}  // namespace svg
}  // namespace report
DSKILL_END_NAMESPACE
