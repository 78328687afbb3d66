#include "dskill/score/levels.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "dskill/core/normal.hpp"
#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score {

int level_for(std::span<const double> cuts, double theta) noexcept {
  // cuts are few (L-1 <= 10 or so): a linear count beats a binary search
  int level = 1;
  for (double c : cuts) level += (theta >= c) ? 1 : 0;
  return level;
}

std::optional<std::size_t> level_scheme::area_index(std::string_view id) const noexcept {
  for (std::size_t a = 0; a < areas.size(); ++a)
    if (areas[a].id == id) return a;
  return std::nullopt;
}

std::optional<std::size_t> level_scheme::area_of_competence(std::string_view id) const noexcept {
  for (const auto& c : competences)
    if (c.id == id) return c.area;
  return std::nullopt;
}

void level_scheme::validate() const {
  auto check = [&](const std::vector<double>& cuts, std::string_view what) {
    if (!levels.empty() && cuts.size() + 1 != levels.size())
      throw framework_error(fmt::format("{}: {} cut scores for {} levels (need {})", what, cuts.size(), levels.size(),
                                        levels.size() - 1));
    for (std::size_t i = 0; i < cuts.size(); ++i) {
      if (!std::isfinite(cuts[i])) throw framework_error(fmt::format("{}: cut score {} is not finite", what, i + 1));
      if (i > 0 && !(cuts[i] > cuts[i - 1]))
        throw framework_error(fmt::format("{}: cut scores must increase (cut {} = {} after {})", what, i + 1, cuts[i], cuts[i - 1]));
    }
  };
  check(overall_cuts, "overall");
  for (const auto& a : areas) check(a.cuts, fmt::format("area '{}'", a.id));
  for (const auto& c : competences)
    if (c.area >= areas.size()) throw framework_error(fmt::format("competence '{}' has no area", c.id));
  for (const auto& r : rules) {
    if (r.min_probability && !(*r.min_probability > 0.0 && *r.min_probability <= 1.0))
      throw framework_error(fmt::format("certification rule '{}': min_probability {} is outside (0, 1]", r.id, *r.min_probability));
    if (r.min_probability && !rule_holds)
      throw framework_error(fmt::format("certification rule '{}' has a min_probability but the level scheme has no rule_holds", r.id));
  }
}

void rudner(std::span<const double> cuts, double theta, double se, int assigned, double& p_assigned,
            double& p_squared) noexcept {
  p_assigned = 0.0;
  p_squared = 0.0;
  if (!(se > 0) || !std::isfinite(se) || !std::isfinite(theta)) {
    // no measurement error information: the decision is taken as certain
    p_assigned = assigned > 0 ? 1.0 : 0.0;
    p_squared = 1.0;
    return;
  }
  double below = 0.0;  // Phi at the lower boundary of level k
  for (std::size_t k = 0; k <= cuts.size(); ++k) {
    const double upper = k < cuts.size() ? core::normal_cdf(cuts[k], theta, se) : 1.0;
    const double p = std::max(0.0, upper - below);
    p_squared += p * p;
    if (static_cast<int>(k) + 1 == assigned) p_assigned = p;
    below = upper;
  }
}

bool level_scheme::has_min_probability() const noexcept {
  for (const auto& r : rules)
    if (r.min_probability) return true;
  return false;
}

void level_probabilities(std::span<const double> cuts, double theta, double se, std::span<double> p) noexcept {
  if (!(se > 0) || !std::isfinite(se) || !std::isfinite(theta)) {
    std::fill(p.begin(), p.end(), 0.0);
    if (std::isfinite(theta)) p[static_cast<std::size_t>(level_for(cuts, theta) - 1)] = 1.0;
    return;
  }
  double below = 0.0;
  for (std::size_t k = 0; k <= cuts.size(); ++k) {
    const double upper = k < cuts.size() ? core::normal_cdf(cuts[k], theta, se) : 1.0;
    p[k] = std::max(0.0, upper - below);
    below = upper;
  }
}

void level_probabilities(std::span<const double> cuts, std::span<const double> points, std::span<const double> weights,
                         std::span<double> p) noexcept {
  std::fill(p.begin(), p.end(), 0.0);
  const std::size_t n = points.size();
  if (n == 0) return;
  double total = 0.0;
  for (std::size_t q = 0; q < n; ++q) {
    const double w = weights[q];
    total += w;
    // The point stands for its cell, half way to each neighbour; a cut inside the cell splits
    // the weight in proportion (a cut on a grid point: half each side).
    const double lo = q > 0 ? 0.5 * (points[q - 1] + points[q]) : points[q] - 0.5 * (n > 1 ? points[1] - points[0] : 0.0);
    const double hi = q + 1 < n ? 0.5 * (points[q] + points[q + 1]) : points[q] + 0.5 * (n > 1 ? points[q] - points[q - 1] : 0.0);
    const int l_lo = level_for(cuts, lo), l_hi = level_for(cuts, hi);
    if (l_lo == l_hi || !(hi > lo)) {
      p[static_cast<std::size_t>(level_for(cuts, points[q]) - 1)] += w;
      continue;
    }
    double from = lo;
    for (int l = l_lo; l <= l_hi; ++l) {
      const double to = l < l_hi ? cuts[static_cast<std::size_t>(l - 1)] : hi;
      p[static_cast<std::size_t>(l - 1)] += w * (to - from) / (hi - lo);
      from = to;
    }
  }
  if (total > 0)
    for (double& x : p) x /= total;
}

int level_at_probability(std::span<const double> p, int level, double min_probability) noexcept {
  const int top = std::min(level, static_cast<int>(p.size()));
  double at_least = 0.0;  // P(level >= l), accumulated from the top level down
  for (int l = static_cast<int>(p.size()); l > top; --l) at_least += p[static_cast<std::size_t>(l - 1)];
  for (int l = top; l >= 1; --l) {
    at_least += p[static_cast<std::size_t>(l - 1)];
    // a sum of probabilities can round a hair below 1: compare with a tolerance
    if (at_least >= min_probability - 1e-12) return l;
  }
  return 0;
}

void rudner_terms(std::span<const double> p, int assigned, double& p_assigned, double& p_squared) noexcept {
  p_assigned = 0.0;
  p_squared = 0.0;
  for (std::size_t k = 0; k < p.size(); ++k) {
    p_squared += p[k] * p[k];
    if (static_cast<int>(k) + 1 == assigned) p_assigned = p[k];
  }
}

void classification_stats::add(int level, double p_assigned, double p_squared) {
  if (level < 0) return;
  if (level_counts.size() <= static_cast<std::size_t>(level)) level_counts.resize(static_cast<std::size_t>(level) + 1, 0);
  ++level_counts[static_cast<std::size_t>(level)];
  if (level == 0) return;  // not classified: no decision to be accurate about
  ++n;
  accuracy_sum += p_assigned;
  consistency_sum += p_squared;
}

}  // namespace score
DSKILL_END_NAMESPACE
