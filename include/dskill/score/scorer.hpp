// dskill::score: scoring one person: ability overall and per competence area, raw score,
// levels and the certification decision.
//
// A `scorer` is built once per bank, estimator options and level scheme, is immutable, and is
// shared by every thread of a batch run; each thread passes its own `workspace`, so scoring a
// person allocates nothing once the workspace is warm. EAP uses estimate::eap_scorer's table
// (one sweep of additions and one exp per node per pattern); ML, MAP and WLE go through
// estimate::estimate_theta. Each area's items are scored on their own, with the same method.
//
// Profile banks (bank::item_bank::multidimensional) can be scored on the profile instead: give
// the scorer profile options (default_profile_options: the bank's latent mean and covariance as
// the prior). Each person then gets one multidimensional estimate (estimate/multidim.hpp: MAP,
// or EAP, through profile_eap_scorer on a full grid), and an area reported by a dimension of the
// bank (bank_dimension::area) takes that coordinate, its SE and its level, with the probability
// of every level from the marginal posterior of that dimension: exact on the EAP grid (the
// posterior summed over the other dimensions), the normal approximation N(theta_d, cov_dd) for
// MAP and for EAP by bifactor reduction or QMC (marginal_kind). An area no dimension reports is
// scored alone as above. The overall theta stays the unidimensional one of the whole pattern.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "dskill/bank/item_bank.hpp"
#include "dskill/estimate/estimate.hpp"
#include "dskill/estimate/multidim.hpp"
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
    /// P(level k), k = 1..L, when the scorer computes them (profile scoring, or a rule with
    /// min_probability); all 0 for an area without a level.
    std::vector<double> p_levels;
    /// The level the certification states: the level, or where the rule that certified has a
    /// min_probability, the highest level at that probability (level_at_probability).
    int certified_level = 0;
  };
  std::vector<area_result> areas;  ///< one per level_scheme area (empty without a scheme)
  int level = 0;                   ///< overall level (0 without a scheme)
  double p_assigned = 0.0, p_squared = 0.0;
  std::optional<std::size_t> rule;  ///< index of the certification rule that holds
  bool certified() const noexcept { return rule.has_value(); }
  std::vector<double> p_levels;  ///< overall P(level k) (as area_result::p_levels)
  int certified_level = 0;       ///< as area_result::certified_level
  /// The profile estimate (profile scoring only; else empty vectors).
  estimate::profile_result profile;
};

/// How a scorer obtains the level probabilities of the areas reported by a dimension.
enum class marginal_kind : std::uint8_t {
  none,    ///< not scored on the profile
  grid,    ///< exact marginal of the EAP grid posterior
  normal,  ///< normal approximation N(theta_d, covariance_dd) of the profile estimate
};
/// "none", "grid", "normal".
std::string_view to_string(marginal_kind k) noexcept;

/// Profile options for a profile bank: the bank's latent mean and covariance as the prior, MAP
/// for method::map and EAP for method::eap (mirt's grid defaults); throws invalid_argument for
/// another method or a unidimensional bank.
estimate::profile_options default_profile_options(const bank::item_bank& bank, estimate::method m);

class scorer {
 public:
  /// Throws invalid_argument for bad options, framework_error for a bad level scheme.
  /// With `profile` (a profile bank only), areas reported by a dimension are scored on the
  /// profile (see above); the overall estimate still follows `opts`.
  scorer(bank::bank_ptr bank, estimate::options opts, std::shared_ptr<const level_scheme> levels = nullptr,
         std::optional<estimate::profile_options> profile = std::nullopt);

  /// Per-thread scratch.
  struct workspace {
    std::vector<double> nodes;
    std::vector<estimate::response> by_area;
    std::vector<std::uint32_t> area_begin;
    std::vector<double> profile_scratch;  ///< profile_eap_scorer's scratch
    std::vector<double> marginal;         ///< marginal weights per dimension and grid point
    std::vector<int> probable_levels;     ///< levels at a rule's min_probability
  };

  /// Scores one valid pattern (item indices and categories already checked).
  void score(std::span<const estimate::response> responses, person_result& out, workspace& ws) const;

  const bank::item_bank& bank() const noexcept { return *bank_; }
  const bank::bank_ptr& bank_ptr() const noexcept { return bank_; }
  const estimate::options& options() const noexcept { return opts_; }
  const std::shared_ptr<const level_scheme>& levels() const noexcept { return levels_; }
  /// Area index of each item (npos when the item belongs to no area of the scheme).
  std::span<const std::size_t> item_area() const noexcept { return item_area_; }
  /// True when areas are scored on the profile.
  bool profiled() const noexcept { return profile_opts_.has_value(); }
  /// The profile options (profiled() only).
  const estimate::profile_options& profile_options() const { return *profile_opts_; }
  /// Where the areas' level probabilities come from.
  marginal_kind marginals() const noexcept { return marginals_; }
  /// The EAP integration in use (profiled EAP), e.g. grid or qmc.
  estimate::profile_integration profile_integration() const noexcept { return integration_; }
  /// Per level_scheme area, the bank dimension reporting it (npos: scored alone).
  std::span<const std::size_t> area_dimension() const noexcept { return area_dim_; }
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
  // profile scoring
  void score_profile(std::span<const estimate::response> responses, person_result& out, workspace& ws) const;
  void certify(person_result& out, std::span<int> levels, workspace& ws) const;
  std::optional<estimate::profile_options> profile_opts_;
  std::optional<estimate::profile_estimator> profile_est_;
  std::optional<estimate::profile_eap_scorer> profile_eap_;
  std::vector<double> grid_points_;  // the EAP grid's per-dimension points
  std::vector<std::size_t> area_dim_;
  marginal_kind marginals_ = marginal_kind::none;
  estimate::profile_integration integration_ = estimate::profile_integration::automatic;
  bool probabilities_ = false;  // p_levels are computed (profile scoring or a min_probability rule)
};

}  // namespace score
DSKILL_END_NAMESPACE
