// dskill::score: proficiency levels, certification and the accuracy of level decisions.
//
// A `level_scheme` is what scoring needs from a competency framework: the areas, the cut scores
// (theta boundaries between consecutive levels) per area and overall, the level names, the
// competences (for credential alignments) and the certification rule. It is plain data, built
// from a framework by `from_framework` (score/framework_levels.hpp) or by hand in tests, so the
// scoring core does not depend on how frameworks are stored.
//
// Classification accuracy and consistency follow Rudner (2001, 2005): with theta-hat and its
// SE, the true theta is taken as N(theta-hat, SE^2); the probability that it lies in level k is
// p_k = Phi((c_k - theta-hat)/SE) - Phi((c_{k-1} - theta-hat)/SE). Accuracy is the mean over
// persons of p at the level assigned; consistency (two parallel forms agreeing) is the mean of
// sum_k p_k^2. Both are reported per area and overall. For a profile (multidimensional)
// estimate the same sums are taken per area over the marginal posterior of the area's
// dimension: the exact marginal of an EAP grid posterior, or the normal approximation
// N(theta_d, covariance_dd) of a MAP (level_probabilities below; Rudner's multivariate form).
//
// A certification rule may ask for a minimum probability (rule::min_probability): a level l
// counts only when P(level >= l) reaches it, else the next lower level that does
// (level_at_probability), and the rule is tested on those levels.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score {

/// Level for theta: 1 + the number of cut scores at or below theta (item_banks/SCHEMA.md).
int level_for(std::span<const double> cuts, double theta) noexcept;

struct level_scheme {
  struct level {
    int number = 0;
    std::string name;   ///< in the first language of the framework
    std::string tier;
  };
  struct area {
    std::string id;
    std::string name;
    std::vector<double> cuts;  ///< L-1 increasing boundaries
  };
  struct competence {
    std::string id;
    std::string name;
    std::size_t area = 0;  ///< index into areas
  };
  struct rule {
    std::string id;
    std::string name;
    /// See framework::certification_rule::min_probability; empty: point-estimate levels.
    std::optional<double> min_probability;
  };
  std::string framework_id;
  std::string framework_version;
  std::string framework_title;
  std::string framework_url;  ///< where the framework is published (credential alignments); may be empty
  std::vector<level> levels;
  std::vector<area> areas;
  std::vector<double> overall_cuts;
  std::vector<competence> competences;
  std::vector<rule> rules;
  /// The certification decision: the index (into rules) of the first rule that holds for the
  /// levels given (0 = area without any answered item), or nothing.
  std::function<std::optional<std::size_t>(std::span<const int> area_levels, int overall_level)> certify;
  /// Whether rule `index` holds for these levels (needed when a rule has min_probability: the
  /// scorer then tests each rule on its own levels).
  std::function<bool(std::size_t index, std::span<const int> area_levels, int overall_level)> rule_holds;
  /// True when some rule has a min_probability.
  bool has_min_probability() const noexcept;

  /// Index of the area with this id, if any.
  std::optional<std::size_t> area_index(std::string_view id) const noexcept;
  /// Area index of a competence id, if known.
  std::optional<std::size_t> area_of_competence(std::string_view id) const noexcept;
  /// Throws framework_error when cut scores are not increasing or do not match the levels.
  void validate() const;
};

/// Rudner probabilities for one decision: writes p(assigned level) and sum p_k^2.
void rudner(std::span<const double> cuts, double theta, double se, int assigned, double& p_assigned,
            double& p_squared) noexcept;

/// The probability of every level, p[k - 1] = P(level k) for k = 1 .. cuts.size() + 1, when the
/// true theta is N(theta, se^2) (Rudner); without a usable SE, all of it on level_for(cuts, theta).
/// p.size() must be cuts.size() + 1.
void level_probabilities(std::span<const double> cuts, double theta, double se, std::span<double> p) noexcept;
/// The same from a discrete distribution on increasing grid points, each weight (any positive
/// scale) spread evenly over its cell (half way to each neighbour): a cut inside a cell splits
/// its weight in proportion, so the result is the integral of the piecewise-constant density.
void level_probabilities(std::span<const double> cuts, std::span<const double> points, std::span<const double> weights,
                         std::span<double> p) noexcept;
/// The highest level l in 1..level with P(level >= l) = p[l - 1] + ... + p[L - 1] at least
/// min_probability; 0 when none (or level is 0).
int level_at_probability(std::span<const double> p, int level, double min_probability) noexcept;
/// P(assigned level) and sum_k p_k^2 from level probabilities (the Rudner terms).
void rudner_terms(std::span<const double> p, int assigned, double& p_assigned, double& p_squared) noexcept;

/// Running sums for the cohort's classification accuracy and consistency of one decision.
struct classification_stats {
  std::uint64_t n = 0;
  double accuracy_sum = 0.0;
  double consistency_sum = 0.0;
  std::vector<std::uint64_t> level_counts;  ///< index = level (0 = not classified)
  void add(int level, double p_assigned, double p_squared);
  double accuracy() const noexcept { return n ? accuracy_sum / static_cast<double>(n) : 0.0; }
  double consistency() const noexcept { return n ? consistency_sum / static_cast<double>(n) : 0.0; }
};

}  // namespace score
DSKILL_END_NAMESPACE
