// dskill::score: scoring one person: ability overall and per competence area, raw score,
// levels and the certification decision.
//
// A `scorer` is built once per bank, estimator options and level scheme, is immutable, and is
// shared by every thread of a batch run; each thread passes its own `workspace`, so scoring a
// person allocates nothing once the workspace is warm. EAP uses estimate::eap_scorer's table
// (one sweep of additions and one exp per node per pattern); ML, MAP and WLE go through
// estimate::estimate_theta. Each area's items are scored on their own, with the same method.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "dskill/bank/item_bank.hpp"
#include "dskill/estimate/estimate.hpp"
#include "dskill/score/levels.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score {

/// Everything computed for one person.
struct person_result {
  estimate::result overall;
  int n_answered = 0;
  double raw_score = 0.0;  ///< sum of the categories given
  double max_score = 0.0;  ///< sum of the highest categories of the answered items
  struct area_result {
    estimate::result est;
    int n_answered = 0;
    int level = 0;  ///< 0 when the area has no answered item
    double p_assigned = 0.0, p_squared = 0.0;  ///< Rudner terms (see levels.hpp)
  };
  std::vector<area_result> areas;  ///< one per level_scheme area (empty without a scheme)
  int level = 0;                   ///< overall level (0 without a scheme)
  double p_assigned = 0.0, p_squared = 0.0;
  std::optional<std::size_t> rule;  ///< index of the certification rule that holds
  bool certified() const noexcept { return rule.has_value(); }
};

class scorer {
 public:
  /// Throws invalid_argument for bad options, framework_error for a bad level scheme.
  scorer(bank::bank_ptr bank, estimate::options opts, std::shared_ptr<const level_scheme> levels = nullptr);

  /// Per-thread scratch.
  struct workspace {
    std::vector<double> nodes;
    std::vector<estimate::response> by_area;
    std::vector<std::uint32_t> area_begin;
  };

  /// Scores one valid pattern (item indices and categories already checked).
  void score(std::span<const estimate::response> responses, person_result& out, workspace& ws) const;

  const bank::item_bank& bank() const noexcept { return *bank_; }
  const bank::bank_ptr& bank_ptr() const noexcept { return bank_; }
  const estimate::options& options() const noexcept { return opts_; }
  const std::shared_ptr<const level_scheme>& levels() const noexcept { return levels_; }
  /// Area index of each item (npos when the item belongs to no area of the scheme).
  std::span<const std::size_t> item_area() const noexcept { return item_area_; }
  /// The theta range results can take (EAP: the grid; others: the search bounds).
  double theta_min() const noexcept;
  double theta_max() const noexcept;

 private:
  estimate::result estimate(std::span<const estimate::response> r, workspace& ws) const;
  bank::bank_ptr bank_;
  estimate::options opts_;
  std::shared_ptr<const level_scheme> levels_;
  std::optional<estimate::eap_scorer> eap_;
  std::vector<std::size_t> item_area_;
};

}  // namespace score
DSKILL_END_NAMESPACE
