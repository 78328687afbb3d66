// dskill::report internals shared by the report builders.
#pragma once
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "dskill/bank/item_bank.hpp"
#include "dskill/framework/framework.hpp"
#include "dskill/irt/kernels.hpp"
#include "dskill/report/html.hpp"
#include "dskill/report/svg.hpp"

DSKILL_BEGIN_NAMESPACE
namespace report::detail {

using json = nlohmann::ordered_json;

/// A JSON number, or null when not finite.
inline json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
inline json nums(const std::vector<double>& v) {
  json a = json::array();
  for (double x : v) a.push_back(num(x));
  return a;
}

inline std::vector<double> grid(double lo, double hi, double step) {
  std::vector<double> g;
  if (!(step > 0) || !(hi >= lo)) return g;
  const auto n = static_cast<std::size_t>(std::floor((hi - lo) / step + 1e-9)) + 1;
  g.reserve(n);
  for (std::size_t i = 0; i < n; ++i) g.push_back(lo + step * static_cast<double>(i));
  return g;
}

/// The item characteristic curve: P(correct) for dichotomous items, expected score divided by
/// the highest category for polytomous ones (both 0..1).
inline std::vector<double> icc(const irt::item_params& p, const std::vector<double>& thetas) {
  std::vector<double> out;
  out.reserve(thetas.size());
  const double top = static_cast<double>(p.categories() - 1);
  for (double t : thetas) out.push_back(irt::expected_score(p, t) / top);
  return out;
}

/// Light fills for proficiency levels, alternating so that neighbours differ.
inline std::string level_fill(int level) { return level % 2 ? "#eaf1f8" : "#f6f8fb"; }

/// Shades the levels of a framework's cut scores on an x-y plot (x = theta).
inline void shade_levels(svg::xy_plot& plot, const std::vector<double>& cuts, bool label_cuts = true) {
  const double inf = std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k <= cuts.size(); ++k) {
    const double lo = k == 0 ? -inf : cuts[k - 1];
    const double hi = k == cuts.size() ? inf : cuts[k];
    plot.add_band(lo, hi, fmt::format("L{}", k + 1), level_fill(static_cast<int>(k + 1)));
  }
  if (label_cuts)
    for (double c : cuts) plot.vline(c, {}, "#7a8ca3");
}

inline std::string fixed(double v, int digits = 3) { return format_number(v, digits); }

/// The display name of a level: the framework's name ("Intermediate 3"), else "3 (tier)", else "3".
inline std::string level_name(const framework::framework* fw, int level, std::string_view lang) {
  if (level <= 0) return "unclassified";
  if (fw && level <= fw->level_count()) {
    const auto& l = fw->levels()[static_cast<std::size_t>(level - 1)];
    const auto name = l.name.get(lang);
    if (!name.empty()) return std::string(name);
    if (!l.tier.empty()) return fmt::format("{} ({})", level, l.tier);
  }
  return std::to_string(level);
}

/// A palette for ordered levels (viridis, light to dark), index 1..L; 0 = grey.
inline std::string level_color(int level, int levels) {
  if (level <= 0) return "#bbbbbb";
  static const char* ramp[] = {"#fde725", "#a0da39", "#4ac16d", "#1fa187", "#277f8e", "#365c8d", "#46327e", "#440154"};  // viridis
  if (levels <= 8) {
    // Spread the levels over the ramp.
    const double pos = levels <= 1 ? 0.0 : static_cast<double>(level - 1) / static_cast<double>(levels - 1) * 7.0;
    return ramp[static_cast<std::size_t>(std::lround(pos))];
  }
  return ramp[static_cast<std::size_t>((level - 1) % 8)];
}

}  // namespace report::detail
DSKILL_END_NAMESPACE
