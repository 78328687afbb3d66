// dskill::core: proficiency level from theta and cut scores.
//
// It lives in core, the lowest layer, because every user of cut scores needs it: frameworks
// (per-area cuts), scoring (level schemes), the adaptive engine (classification stops) and
// simulation. None of those may depend on another for it, and the rule is pure arithmetic.
#pragma once
#include <span>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace core {

/// The level of `theta` under increasing cut scores `cuts`, numbered as in the frameworks and
/// the score-file schema: 1 + the number of cuts at or below theta (a theta exactly on a cut
/// belongs to the upper level). With L - 1 cuts the result is 1..L; a NaN theta gives 1.
/// Callers that report 0-based levels subtract 1.
constexpr int level_for(std::span<const double> cuts, double theta) noexcept {
  // cuts are few (ten or so): a linear count beats a binary search
  int level = 1;
  for (double c : cuts) level += (theta >= c) ? 1 : 0;
  return level;
}

}  // namespace core
DSKILL_END_NAMESPACE
