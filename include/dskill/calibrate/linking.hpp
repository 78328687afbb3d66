// dskill::calibrate: scale linking through anchor items and pretest (online) calibration.
//
// Linking finds theta_base = A * theta_new + B from the anchors' parameters on the two scales
// (Kolen & Brennan 2014, ch. 6): mean-mean, mean-sigma, Haebara and Stocking-Lord, the last two
// on the base scale (non-symmetric) or on both scales (symmetric), with normal, uniform (unit) or
// custom weights over the grid. Standard errors of A and B by the delta method from the anchors'
// parameter SEs on both scales. Items move as a' = a / A, b' = A b + B; in slope-intercept
// form slope' = slope / A, d' = d - slope' * B; asymptotes are unchanged.
#pragma once
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "dskill/calibrate/calibrate.hpp"
#include "dskill/core/quadrature.hpp"
#include "dskill/irt/model.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate {

enum class link_method : std::uint8_t { mean_mean, mean_sigma, haebara, stocking_lord };
std::string_view to_string(link_method m) noexcept;
std::optional<link_method> parse_link_method(std::string_view name) noexcept;

struct link_options {
  link_method method = link_method::stocking_lord;
  /// Characteristic-curve methods: theta points on the base scale and their weights (normal).
  grid_spec grid = {-4.0, 4.0, 41};
  /// Weights of the grid points: normal (mean, sd), uniform (unit weights) or custom.
  prior weights = {};
  /// Characteristic-curve methods: the loss on the base scale (new items moved there) plus the
  /// loss on the new scale (base items moved there by the inverse transformation), on the same
  /// grid and weights read on each scale (Kolen & Brennan's symmetric criterion).
  bool symmetric = false;
};

struct link_constants {
  double A = 1.0;
  double B = 0.0;
  double criterion = 0.0;  ///< the minimised loss (characteristic-curve methods), 0 otherwise
  int iterations = 0;
  /// Delta-method standard errors and covariance (link_standard_errors); NaN when not computed.
  double se_A = std::numeric_limits<double>::quiet_NaN();
  double se_B = std::numeric_limits<double>::quiet_NaN();
  double cov_AB = std::numeric_limits<double>::quiet_NaN();
};

/// Linking constants from anchor items: `new_scale[i]` and `base_scale[i]` are the same anchor.
/// Throws invalid_argument for empty or mismatched anchors (models or category counts differ).
link_constants link(std::span<const irt::item_params> new_scale, std::span<const irt::item_params> base_scale,
                    const link_options& opts = {});

/// Standard errors of A and B by the delta method: the Jacobian of (A, B) in every anchor
/// parameter on both scales (central differences of `link`, step 1e-4 on the difficulty-form
/// scale), times the parameters' covariance, here diagonal: `se_new[i]` and `se_base[i]` hold
/// the SE of each difficulty-form parameter of anchor i (a, b..., c, d; NaN or missing = known
/// exactly, 0). The two calibrations are independent. Fills se_A, se_B, cov_AB of `k` (the
/// constants from link with the same options) and returns it.
link_constants link_standard_errors(std::span<const irt::item_params> new_scale, std::span<const irt::item_params> base_scale,
                                    std::span<const irt::difficulty_form> se_new, std::span<const irt::difficulty_form> se_base,
                                    link_constants k, const link_options& opts = {});

/// An item moved to the base scale.
irt::item_params transform(const irt::item_params& item, const link_constants& k);

/// How pretest items are calibrated.
enum class pretest_method : std::uint8_t {
  fixed_theta,  ///< abilities held at given point estimates (Stocking's method A)
  oem,          ///< one EM cycle: posteriors from the operational items only (Wainer & Mislevy 1990)
  mem,          ///< EM to convergence with operational items fixed (fixed-parameter calibration)
};
std::string_view to_string(pretest_method m) noexcept;

struct pretest_options {
  pretest_method method = pretest_method::fixed_theta;
  grid_spec grid = {-6.0, 6.0, 61};
  item_priors priors = {};
  double latent_mean = 0.0;  ///< prior of the operational scale (oem, mem)
  double latent_sd = 1.0;
  int threads = 0;
};

/// Pretest calibration. `responses` is persons x items; `operational[i]` holds the parameters of
/// operational item i (held fixed) and is empty for the pretest items, whose models are
/// `models[i]`. `thetas` (one per person) is needed for fixed_theta. Returns an estimate for
/// every item (operational ones unchanged, fixed = true) with SEs for the pretest items.
std::vector<item_estimate> pretest_calibrate(const std::int8_t* responses, std::size_t persons, std::size_t items,
                                             std::span<const std::optional<irt::item_params>> operational,
                                             std::span<const irt::model> models, std::span<const double> thetas,
                                             const pretest_options& opts = {});

}  // namespace calibrate
DSKILL_END_NAMESPACE
