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
