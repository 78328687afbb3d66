// dskill::report: the SVG plotting helper (see include/dskill/report/svg.hpp).
#include "dskill/report/svg.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace report {

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // Control characters other than tab/newline are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') out += ' ';
        else out += c;
    }
  }
  return out;
}

std::string format_number(double value, int digits) {
  if (std::isnan(value)) return "\xe2\x80\x93";  // en dash
  if (std::isinf(value)) return value > 0 ? "\xe2\x88\x9e" : "-\xe2\x88\x9e";
  std::string s = fmt::format("{:.{}f}", value, std::max(0, digits));
  if (s.starts_with('-') && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);  // "-0.000"
  return s;
}

namespace {

double tick_step(double lo, double hi, int max_ticks) {
  const double range = hi - lo;
  const double raw = range / std::max(1, max_ticks - 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  const double nice = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0;
  return nice * mag;
}

// Makes [lo, hi] a proper finite interval.
void widen_degenerate(double& lo, double& hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    lo = 0.0;
    hi = 1.0;
  }
  if (lo > hi) std::swap(lo, hi);
  if (hi - lo <= 1e-12 * std::max(1.0, std::abs(lo))) {
    const double d = lo == 0.0 ? 1.0 : std::abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
}

int decimals_for(double step) {
  return std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 0, 8);
}

std::string num(double v) {  // SVG coordinate
  return format_number(v, 1);
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int max_ticks) {
  widen_degenerate(lo, hi);
  const double step = tick_step(lo, hi, max_ticks);
  std::vector<double> ticks;
  const double first = std::ceil(lo / step - 1e-9);
  for (int i = 0; i < 1000; ++i) {
    double v = (first + i) * step;
    if (v > hi + step * 1e-9) break;
    if (std::abs(v) < step * 1e-9) v = 0.0;
    ticks.push_back(v);
  }
  return ticks;
}

std::pair<double, double> nice_range(double lo, double hi, int max_ticks) {
  widen_degenerate(lo, hi);
  const double step = tick_step(lo, hi, max_ticks);
  double a = std::floor(lo / step + 1e-9) * step;
  double b = std::ceil(hi / step - 1e-9) * step;
  // Rounding must never cut off data.
  if (a > lo) a -= step;
  if (b < hi) b += step;
  return {a, b};
}

std::string palette(std::size_t index) {
  static const char* colors[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C564B"};
  return colors[index % (sizeof colors / sizeof colors[0])];
}

histogram make_histogram(const std::vector<double>& values, double width) {
  if (!(width > 0) || !std::isfinite(width)) throw invalid_argument(fmt::format("histogram bin width must be > 0, got {}", width));
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  std::size_t skipped = 0;
  for (double v : values) {
    if (!std::isfinite(v)) {
      ++skipped;
      continue;
    }
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  histogram h;
  if (!std::isfinite(lo)) {
    h.edges = {0.0, width};
    h.counts = {0.0};
    h.skipped = skipped;
    return h;
  }
  const double start = std::floor(lo / width) * width;
  const double bins_d = std::floor((hi - start) / width) + 1;
  if (bins_d > 10000) throw invalid_argument(fmt::format("histogram: {} bins of width {} is too many", bins_d, width));
  const auto bins = static_cast<std::size_t>(bins_d);
  h = make_histogram(values, start, start + static_cast<double>(bins) * width, bins);
  return h;
}

histogram make_histogram(const std::vector<double>& values, double lo, double hi, std::size_t bins) {
  if (bins == 0 || !(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi))
    throw invalid_argument(fmt::format("histogram: need bins > 0 and lo < hi, got {} bins over [{}, {}]", bins, lo, hi));
  histogram h;
  h.edges.resize(bins + 1);
  for (std::size_t i = 0; i <= bins; ++i) h.edges[i] = lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(bins);
  h.counts.assign(bins, 0.0);
  const double w = (hi - lo) / static_cast<double>(bins);
  for (double v : values) {
    if (!std::isfinite(v)) {
      ++h.skipped;
      continue;
    }
    const double k = std::floor((v - lo) / w);
    const auto i = static_cast<std::size_t>(std::clamp(k, 0.0, static_cast<double>(bins - 1)));
    h.counts[i] += 1.0;
  }
  return h;
}

namespace svg {
namespace {

constexpr double char_width = 6.6;  // average glyph width at 11px sans-serif, for layout

struct legend_entry {
  std::string label, color;
  bool line = true, dashed = false, dot = false;
};

// Draws legend entries flowing left to right from (x0, y0), wrapping at x_max; returns the
// height used.
double draw_legend(std::string& out, const std::vector<legend_entry>& entries, double x0, double y0, double x_max) {
  if (entries.empty()) return 0.0;
  double x = x0, y = y0;
  for (const auto& e : entries) {
    const double w = 26 + char_width * static_cast<double>(e.label.size()) + 14;
    if (x + w > x_max && x > x0) {
      x = x0;
      y += 18;
    }
    if (e.dot)
      out += fmt::format(R"(<circle cx="{}" cy="{}" r="4" fill="{}"/>)", num(x + 10), num(y - 4), e.color);
    else if (e.line)
      out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2.5"{}/>)", num(x),
                         num(y - 4), num(x + 20), num(y - 4), e.color, e.dashed ? R"( stroke-dasharray="5 3")" : "");
    else
      out += fmt::format(R"(<rect x="{}" y="{}" width="14" height="10" fill="{}"/>)", num(x + 3), num(y - 9), e.color);
    out += fmt::format(R"(<text x="{}" y="{}" font-size="11">{}</text>)", num(x + 26), num(y), xml_escape(e.label));
    x += w;
  }
  return y - y0 + 18;
}

std::size_t legend_rows(const std::vector<legend_entry>& entries, double x0, double x_max) {
  if (entries.empty()) return 0;
  std::size_t rows = 1;
  double x = x0;
  for (const auto& e : entries) {
    const double w = 26 + char_width * static_cast<double>(e.label.size()) + 14;
    if (x + w > x_max && x > x0) {
      x = x0;
      ++rows;
    }
    x += w;
  }
  return rows;
}

std::string svg_open(int width, double height, const std::string& title) {
  return fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" role="img" font-family="DejaVu Sans, Arial, sans-serif"><title>{}</title>)",
      width, num(height), width, num(height), xml_escape(title));
}

void extend(double& lo, double& hi, double v) {
  if (!std::isfinite(v)) return;
  lo = std::min(lo, v);
  hi = std::max(hi, v);
}

}  // namespace

xy_plot::xy_plot(std::string title, std::string x_label, std::string y_label)
    : title_(std::move(title)), x_label_(std::move(x_label)), y_label_(std::move(y_label)) {}

xy_plot& xy_plot::line(std::vector<double> x, std::vector<double> y, std::string label, std::string color, bool dashed) {
  series s;
  s.type = series::kind::line;
  s.x = std::move(x);
  s.y = std::move(y);
  s.label = std::move(label);
  s.color = color.empty() ? palette(series_.size()) : std::move(color);
  s.dashed = dashed;
  series_.push_back(std::move(s));
  return *this;
}

xy_plot& xy_plot::points(std::vector<double> x, std::vector<double> y, std::string label, std::string color, double radius) {
  series s;
  s.type = series::kind::points;
  s.x = std::move(x);
  s.y = std::move(y);
  s.label = std::move(label);
  s.color = color.empty() ? palette(series_.size()) : std::move(color);
  s.width = radius;
  series_.push_back(std::move(s));
  return *this;
}

xy_plot& xy_plot::bars(const std::vector<double>& edges, std::vector<double> heights, std::string label, std::string color) {
  series s;
  s.type = series::kind::bars;
  const std::size_t n = edges.empty() ? 0 : std::min(edges.size() - 1, heights.size());
  s.x.assign(edges.begin(), edges.begin() + static_cast<std::ptrdiff_t>(n));
  s.x2.assign(edges.begin() + (n ? 1 : 0), edges.begin() + static_cast<std::ptrdiff_t>(n + (n ? 1 : 0)));
  heights.resize(n);
  s.y = std::move(heights);
  s.label = std::move(label);
  s.color = color.empty() ? palette(series_.size()) : std::move(color);
  series_.push_back(std::move(s));
  return *this;
}

xy_plot& xy_plot::error_bars(std::vector<double> x, std::vector<double> lo, std::vector<double> hi, std::string color) {
  series s;
  s.type = series::kind::error_bars;
  const std::size_t n = std::min({x.size(), lo.size(), hi.size()});
  x.resize(n);
  lo.resize(n);
  hi.resize(n);
  s.x = std::move(x);
  s.y = std::move(lo);
  s.y2 = std::move(hi);
  s.color = color.empty() ? "#444" : std::move(color);
  series_.push_back(std::move(s));
  return *this;
}

xy_plot& xy_plot::add_band(double x0, double x1, std::string label, std::string fill) {
  bands_.push_back({x0, x1, std::move(label), fill.empty() ? "#e8eef6" : std::move(fill)});
  return *this;
}

xy_plot& xy_plot::vline(double x, std::string label, std::string color) {
  rules_.push_back({true, x, std::move(label), std::move(color), true});
  return *this;
}

xy_plot& xy_plot::hline(double y, std::string label, std::string color) {
  rules_.push_back({false, y, std::move(label), std::move(color), true});
  return *this;
}

xy_plot& xy_plot::x_range(double lo, double hi) {
  fixed_x_ = true;
  x_lo_ = lo;
  x_hi_ = hi;
  return *this;
}

xy_plot& xy_plot::y_range(double lo, double hi) {
  fixed_y_ = true;
  y_lo_ = lo;
  y_hi_ = hi;
  return *this;
}

xy_plot& xy_plot::y_from_zero(bool on) {
  y_zero_ = on;
  return *this;
}

xy_plot& xy_plot::size(int width, int height) {
  width_ = std::max(200, width);
  height_ = std::max(150, height);
  return *this;
}

std::pair<double, double> xy_plot::data_range(bool x_axis) const {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& s : series_) {
    const std::size_t n = std::min(s.x.size(), s.y.size());
    for (std::size_t i = 0; i < n; ++i) {
      const bool ok = std::isfinite(s.x[i]) && std::isfinite(s.y[i]) &&
                      (s.x2.empty() || std::isfinite(s.x2[i])) && (s.y2.empty() || std::isfinite(s.y2[i]));
      if (!ok) continue;
      if (x_axis) {
        extend(lo, hi, s.x[i]);
        if (!s.x2.empty()) extend(lo, hi, s.x2[i]);
      } else {
        extend(lo, hi, s.y[i]);
        if (!s.y2.empty()) extend(lo, hi, s.y2[i]);
        if (s.type == series::kind::bars) extend(lo, hi, 0.0);
      }
    }
  }
  for (const auto& r : rules_)
    if (r.vertical == x_axis) extend(lo, hi, r.at);
  if (!x_axis && y_zero_) extend(lo, hi, 0.0);
  return {lo, hi};
}

std::pair<double, double> xy_plot::x_axis() const {
  auto [lo, hi] = data_range(true);
  if (fixed_x_ && x_hi_ > x_lo_ && std::isfinite(x_lo_) && std::isfinite(x_hi_)) {
    if (!(lo < x_lo_) && !(hi > x_hi_)) return {x_lo_, x_hi_};
    return nice_range(std::min(lo, x_lo_), std::max(hi, x_hi_));
  }
  return nice_range(lo, hi);
}

std::pair<double, double> xy_plot::y_axis() const {
  auto [lo, hi] = data_range(false);
  if (fixed_y_ && y_hi_ > y_lo_ && std::isfinite(y_lo_) && std::isfinite(y_hi_)) {
    if (!(lo < y_lo_) && !(hi > y_hi_)) return {y_lo_, y_hi_};
    return nice_range(std::min(lo, y_lo_), std::max(hi, y_hi_));
  }
  return nice_range(lo, hi);
}

std::string xy_plot::render() const {
  // Plain variables, not structured bindings: clang 14 (the fuzz build) cannot capture those.
  const auto x_range = x_axis();
  const auto y_range = y_axis();
  const double xlo = x_range.first, xhi = x_range.second, ylo = y_range.first, yhi = y_range.second;
  const double left = 62, right = width_ - 18, top = 38;
  std::vector<legend_entry> legend;
  for (const auto& s : series_)
    if (!s.label.empty())
      legend.push_back({s.label, s.color, s.type == series::kind::line, s.dashed, s.type == series::kind::points});
  const auto rows = legend_rows(legend, left, right);
  const double bottom = height_ - 46;
  const double total_h = height_ + 18.0 * static_cast<double>(rows) + (rows ? 4 : 0);
  const auto px = [&](double x) { return left + (x - xlo) / (xhi - xlo) * (right - left); };
  const auto py = [&](double y) { return bottom - (y - ylo) / (yhi - ylo) * (bottom - top); };

  std::string out = svg_open(width_, total_h, title_);
  out += fmt::format(R"(<text x="{}" y="20" font-size="14" font-weight="bold">{}</text>)", num(left), xml_escape(title_));
  out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="#fff" stroke="#999"/>)", num(left), num(top),
                     num(right - left), num(bottom - top));
  // Bands (clamped to the axis).
  for (const auto& b : bands_) {
    if (!std::isfinite(b.x0) && !std::isfinite(b.x1)) continue;
    const double a = std::clamp(std::isfinite(b.x0) ? b.x0 : xlo, xlo, xhi);
    const double c = std::clamp(std::isfinite(b.x1) ? b.x1 : xhi, xlo, xhi);
    if (!(c > a)) continue;
    out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>)", num(px(a)), num(top), num(px(c) - px(a)),
                       num(bottom - top), b.fill);
    if (!b.label.empty() && px(c) - px(a) >= char_width * 0.8 * static_cast<double>(b.label.size()) + 4)
      out += fmt::format(R"(<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="#333">{}</text>)",
                         num((px(a) + px(c)) / 2), num(top + 12), xml_escape(b.label));
  }
  // Grid and ticks.
  const auto xt = nice_ticks(xlo, xhi, std::max(3, static_cast<int>((right - left) / 70)));
  const auto yt = nice_ticks(ylo, yhi, 6);
  const int xd = xt.size() > 1 ? decimals_for(xt[1] - xt[0]) : 2;
  const int yd = yt.size() > 1 ? decimals_for(yt[1] - yt[0]) : 2;
  for (double t : xt) {
    if (t < xlo - 1e-12 || t > xhi + 1e-12) continue;
    out += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#ddd"/>)", num(px(t)), num(top), num(bottom));
    out += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#333"/>)", num(px(t)), num(bottom), num(bottom + 5));
    out += fmt::format(R"(<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>)", num(px(t)), num(bottom + 17),
                       format_number(t, xd));
  }
  for (double t : yt) {
    if (t < ylo - 1e-12 || t > yhi + 1e-12) continue;
    out += fmt::format(R"(<line x1="{1}" y1="{0}" x2="{2}" y2="{0}" stroke="#ddd"/>)", num(py(t)), num(left), num(right));
    out += fmt::format(R"(<line x1="{1}" y1="{0}" x2="{2}" y2="{0}" stroke="#333"/>)", num(py(t)), num(left - 5), num(left));
    out += fmt::format(R"(<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>)", num(left - 8), num(py(t) + 4),
                       format_number(t, yd));
  }
  // Series.
  for (const auto& s : series_) {
    const std::size_t n = std::min(s.x.size(), s.y.size());
    switch (s.type) {
      case series::kind::line: {
        std::string pts;
        const auto flush = [&] {
          if (pts.empty()) return;
          out += fmt::format(R"(<polyline fill="none" stroke="{}" stroke-width="{}"{} stroke-linejoin="round" points="{}"/>)",
                             s.color, num(s.width), s.dashed ? R"( stroke-dasharray="6 4")" : "", pts);
          pts.clear();
        };
        for (std::size_t i = 0; i < n; ++i) {
          if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) {
            flush();
            continue;
          }
          if (!pts.empty()) pts += ' ';
          pts += num(px(s.x[i])) + "," + num(py(s.y[i]));
        }
        flush();
        break;
      }
      case series::kind::points:
        out += fmt::format(R"(<g fill="{}" fill-opacity="0.55">)", s.color);
        for (std::size_t i = 0; i < n; ++i)
          if (std::isfinite(s.x[i]) && std::isfinite(s.y[i]))
            out += fmt::format(R"(<circle cx="{}" cy="{}" r="{}"/>)", num(px(s.x[i])), num(py(s.y[i])), num(s.width));
        out += "</g>";
        break;
      case series::kind::bars:
        out += fmt::format(R"(<g fill="{}" fill-opacity="0.8" stroke="#fff" stroke-width="0.5">)", s.color);
        for (std::size_t i = 0; i < n; ++i) {
          if (!std::isfinite(s.x[i]) || !std::isfinite(s.x2[i]) || !std::isfinite(s.y[i])) continue;
          const double y0 = py(std::clamp(0.0, ylo, yhi)), y1 = py(s.y[i]);
          out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}"/>)", num(px(s.x[i])), num(std::min(y0, y1)),
                             num(std::max(0.0, px(s.x2[i]) - px(s.x[i]))), num(std::abs(y0 - y1)));
        }
        out += "</g>";
        break;
      case series::kind::error_bars:
        out += fmt::format(R"(<g stroke="{}" stroke-width="1">)", s.color);
        for (std::size_t i = 0; i < n; ++i)
          if (std::isfinite(s.x[i]) && std::isfinite(s.y[i]) && std::isfinite(s.y2[i]))
            out += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}"/>)", num(px(s.x[i])), num(py(s.y[i])),
                               num(py(s.y2[i])));
        out += "</g>";
        break;
    }
  }
  // Reference lines.
  for (const auto& r : rules_) {
    if (!std::isfinite(r.at)) continue;
    if (r.vertical) {
      out += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="{3}" stroke-width="1.2"{4}/>)", num(px(r.at)),
                         num(top), num(bottom), r.color, r.dashed ? R"( stroke-dasharray="4 3")" : "");
      if (!r.label.empty())
        out += fmt::format(R"(<text x="{}" y="{}" font-size="10" fill="{}">{}</text>)", num(px(r.at) + 3), num(bottom - 5),
                           r.color, xml_escape(r.label));
    } else {
      out += fmt::format(R"(<line x1="{1}" y1="{0}" x2="{2}" y2="{0}" stroke="{3}" stroke-width="1.2"{4}/>)", num(py(r.at)),
                         num(left), num(right), r.color, r.dashed ? R"( stroke-dasharray="4 3")" : "");
      if (!r.label.empty())
        out += fmt::format(R"(<text x="{}" y="{}" font-size="10" text-anchor="end" fill="{}">{}</text>)", num(right - 4),
                           num(py(r.at) - 4), r.color, xml_escape(r.label));
    }
  }
  // Axis labels and legend.
  out += fmt::format(R"(<text x="{}" y="{}" font-size="12" text-anchor="middle">{}</text>)", num((left + right) / 2),
                     num(bottom + 36), xml_escape(x_label_));
  out += fmt::format(R"~(<text transform="translate(16,{}) rotate(-90)" font-size="12" text-anchor="middle">{}</text>)~",
                     num((top + bottom) / 2), xml_escape(y_label_));
  draw_legend(out, legend, left, height_ + 6.0, right);
  out += "</svg>";
  return out;
}

bar_chart::bar_chart(std::string title, std::string value_label)
    : title_(std::move(title)), value_label_(std::move(value_label)) {}

bar_chart& bar_chart::categories(std::vector<std::string> names) {
  categories_ = std::move(names);
  return *this;
}

bar_chart& bar_chart::add_series(std::string label, std::vector<double> values, std::string color) {
  series s;
  s.type = series::kind::bars;
  s.label = std::move(label);
  s.y = std::move(values);
  s.color = color.empty() ? palette(series_.size()) : std::move(color);
  series_.push_back(std::move(s));
  return *this;
}

bar_chart& bar_chart::percent(bool on) {
  percent_ = on;
  return *this;
}

bar_chart& bar_chart::width(int w) {
  width_ = std::max(300, w);
  return *this;
}

namespace {
double clean(double v) { return std::isfinite(v) && v > 0 ? v : 0.0; }
}  // namespace

double bar_chart::axis_max() const {
  if (percent_) return 100.0;
  double m = 0.0;
  for (std::size_t c = 0; c < categories_.size(); ++c) {
    double t = 0.0;
    for (const auto& s : series_) t += c < s.y.size() ? clean(s.y[c]) : 0.0;
    m = std::max(m, t);
  }
  return nice_range(0.0, m > 0 ? m : 1.0).second;
}

std::string bar_chart::render() const {
  std::size_t longest = 4;
  for (const auto& c : categories_) longest = std::max(longest, c.size());
  const double left = std::min(260.0, 12 + char_width * static_cast<double>(longest));
  const double right = width_ - 70.0, top = 34, row = 22;
  const double bottom = top + row * static_cast<double>(std::max<std::size_t>(1, categories_.size()));
  std::vector<legend_entry> legend;
  for (const auto& s : series_) {
    double total = 0.0;
    for (double v : s.y) total += clean(v);
    if (!s.label.empty() && series_.size() > 1 && total > 0) legend.push_back({s.label, s.color, false, false});
  }
  const auto rows = legend_rows(legend, left, right);
  const double total_h = bottom + 44 + 18.0 * static_cast<double>(rows);
  const double vmax = axis_max();
  const auto px = [&](double v) { return left + v / vmax * (right - left); };

  std::string out = svg_open(width_, total_h, title_);
  out += fmt::format(R"(<text x="8" y="20" font-size="14" font-weight="bold">{}</text>)", xml_escape(title_));
  const auto ticks = nice_ticks(0.0, vmax, std::max(3, static_cast<int>((right - left) / 70)));
  const int d = ticks.size() > 1 ? decimals_for(ticks[1] - ticks[0]) : 0;
  for (double t : ticks) {
    if (t < -1e-12 || t > vmax + 1e-12) continue;
    out += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#ddd"/>)", num(px(t)), num(top), num(bottom));
    out += fmt::format(R"(<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>)", num(px(t)), num(bottom + 15),
                       format_number(t, d));
  }
  for (std::size_t c = 0; c < categories_.size(); ++c) {
    const double y = top + row * static_cast<double>(c);
    double total = 0.0;
    for (const auto& s : series_) total += c < s.y.size() ? clean(s.y[c]) : 0.0;
    const double scale = percent_ ? (total > 0 ? 100.0 / total : 0.0) : 1.0;
    out += fmt::format(R"(<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>)", num(left - 6), num(y + row / 2 + 4),
                       xml_escape(categories_[c]));
    double acc = 0.0;
    for (const auto& s : series_) {
      const double v = (c < s.y.size() ? clean(s.y[c]) : 0.0) * scale;
      if (v <= 0) continue;
      out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#fff" stroke-width="0.5"><title>{}: {}</title></rect>)",
                         num(px(acc)), num(y + 3), num(px(acc + v) - px(acc)), num(row - 6), s.color,
                         xml_escape(s.label.empty() ? categories_[c] : s.label),
                         percent_ ? format_number(v, 1) + " %" : format_number(v, v == std::floor(v) ? 0 : 3));
      acc += v;
    }
    const std::string total_text =
        percent_ ? fmt::format("n = {}", format_number(total, 0)) : format_number(total, total == std::floor(total) ? 0 : 3);
    out += fmt::format(R"(<text x="{}" y="{}" font-size="11">{}</text>)", num(px(acc) + 4), num(y + row / 2 + 4),
                       xml_escape(total_text));
  }
  out += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#333"/>)", num(left), num(top), num(bottom));
  out += fmt::format(R"(<text x="{}" y="{}" font-size="12" text-anchor="middle">{}</text>)", num((left + right) / 2),
                     num(bottom + 32), xml_escape(percent_ ? value_label_ + " (%)" : value_label_));
  draw_legend(out, legend, left, bottom + 54, right);
  out += "</svg>";
  return out;
}

}  // namespace svg
}  // namespace report
DSKILL_END_NAMESPACE
