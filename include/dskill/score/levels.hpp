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
// sum_k p_k^2. Both are reported per area and overall.
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
