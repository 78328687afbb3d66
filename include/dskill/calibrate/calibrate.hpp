// dskill::calibrate: marginal maximum likelihood item calibration by EM (Bock & Aitkin 1981).
//
// Models 1PL/Rasch, 2PL, 3PL, 4PL, GRM, GPCM and PCM, mixed freely in one calibration (one model
// per item). Missing responses (-1) are ignored, so incomplete designs (forms linked by anchor
// items, items missing by design) need nothing special; items may also be held fixed (anchors
// with known parameters). Up to two groups: group 0 is the reference, N(0, 1) unless asked,
// group 1 has its latent mean and variance free.
//
// Parameterisation follows mirt: slope-intercept form z = a theta + d (D folded into a), the
// asymptotes of the 3PL/4PL on the logit scale during estimation. The E-step runs over unique
// response patterns with max-rescaled posteriors, in parallel over fixed blocks of patterns that
// are reduced in a fixed order, so results do not depend on the number of threads. The M-step is
// a safeguarded Newton-Raphson per item with analytic gradients and Hessians.
//
// Standard errors: Oakes (1999) identity, observed information = -(d2Q/dx'dx' + d2Q/dx'dx), with
// the second term by central differences of the complete-data gradient over re-run E-steps
// (mirt's SE.type = "Oakes"). x holds the item parameters and the free latent parameters (a
// group's mean and log SD, the latent SD of a Rasch calibration), so the SEs come from the full
// information matrix: the common slope of a 1PL calibration has its own SE and the difficulties'
// SEs include its uncertainty.
#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dskill/core/quadrature.hpp"
#include "dskill/irt/model.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate {

/// Optional priors on item parameters (MAP-in-EM, as mirt's parprior). All off by default.
struct item_priors {
  bool slope_lognormal = false;  ///< log a ~ N(slope_meanlog, slope_sdlog)
  double slope_meanlog = 0.0;
  double slope_sdlog = 0.5;
  bool difficulty_normal = false;  ///< b ~ N(difficulty_mean, difficulty_sd) (dichotomous, GRM thresholds);
                                   ///< for GPCM/PCM the prior is on the intercepts d_k
  double difficulty_mean = 0.0;
  double difficulty_sd = 2.0;
  bool lower_beta = false;  ///< c ~ Beta(lower_alpha, lower_beta_b) (3PL/4PL)
  double lower_alpha = 5.0;
  double lower_beta_b = 17.0;
};

/// What the iteration callback sees after each EM cycle.
struct iteration_info {
  int iteration = 0;
  double log_likelihood = 0.0;  ///< marginal log-likelihood at the parameters entering the cycle
  double max_change = 0.0;      ///< largest absolute parameter change in the cycle
};

struct options {
  /// Quadrature: mirt's default for EM (61 points on [-6, 6]).
  grid_spec grid = {-6.0, 6.0, 61};
  /// Convergence: largest absolute change of any parameter (slope-intercept, logit asymptotes)
  /// below this (mirt's TOL = 1e-4), or the change of the log-likelihood below
  /// loglik_tolerance when that is > 0.
  double tolerance = 1e-4;
  double loglik_tolerance = 0.0;
  int max_iterations = 500;   ///< mirt's NCYCLES
  bool accelerate = true;     ///< SQUAREM-style extrapolation (same fixed point)
  bool standard_errors = false;
  int threads = 0;            ///< 0 = hardware concurrency; results are identical for any value
  item_priors priors;
  /// 1PL-only (and PCM) calibrations estimate the latent SD with slopes fixed at 1 (Rasch, as
  /// mirt). When true (default), 1PL items are then re-expressed on the N(0, 1) scale with a
  /// common slope a = SD; with pcm items present the Rasch scale is kept.
  bool rescale_rasch = true;
  /// Group 0's latent mean and variance are fixed at 0 and 1 unless these are set (for example
  /// when enough anchors are fixed). Group 1 (if any) always has both free.
  bool free_reference_mean = false;
  bool free_reference_variance = false;
  std::function<void(const iteration_info&)> on_iteration;
};
/// Throws invalid_argument naming the bad field.
void validate(const options& opts);

/// The data and the design of one calibration.
struct problem {
  const std::int8_t* responses = nullptr;  ///< persons x items, row-major, -1 = missing
  std::size_t persons = 0;
  std::size_t items = 0;
  std::vector<irt::model> models;          ///< one per item
  /// Categories per item; empty = 2 for dichotomous models, max observed + 1 otherwise.
  std::vector<int> categories;
  /// Items held at given parameters (anchors); empty or one entry per item.
  std::vector<std::optional<irt::item_params>> fixed;
  /// Group per person (0 or 1); empty = one group.
  std::vector<std::uint8_t> group;
  /// Start values per item (slope-intercept form); empty or one entry per item.
  std::vector<std::optional<irt::item_params>> start;
};

/// Estimates and standard errors of one item.
struct item_estimate {
  irt::item_params params;        ///< slope-intercept form (D = 1)
  bool fixed = false;
  int free_parameters = 0;
  /// SEs (NaN when not computed or not estimated): slope, intercepts, c, d (asymptotes on the
  /// probability scale, by the delta method), and the difficulty-form thresholds b_k.
  double se_slope = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> se_intercepts;
  double se_lower = std::numeric_limits<double>::quiet_NaN();
  double se_upper = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> se_b;
};

struct group_estimate {
  double mean = 0.0;
  double sd = 1.0;
  std::size_t persons = 0;
  /// SEs of mean and sd when they were estimated and SEs were asked for (NaN otherwise).
  double se_mean = std::numeric_limits<double>::quiet_NaN();
  double se_sd = std::numeric_limits<double>::quiet_NaN();
};

/// The result. Statuses are reported, never thrown (a non-converged run is still a result).
struct result {
  std::vector<item_estimate> items;
  std::vector<group_estimate> groups;
  double log_likelihood = 0.0;
  int parameters = 0;       ///< free parameters counted in AIC/BIC (items + latent)
  double aic = 0.0;
  double bic = 0.0;
  int iterations = 0;
  bool converged = false;
  std::vector<double> log_likelihood_history;
  bool standard_errors = false;
  bool se_positive_definite = true;  ///< false when the information matrix was not invertible
  std::size_t unique_patterns = 0;
  double latent_sd_rasch = 1.0;      ///< the latent SD estimated under the Rasch convention
  /// Its SE (the SE of the common slope of rescaled 1PL items); NaN when not computed.
  double se_latent_sd_rasch = std::numeric_limits<double>::quiet_NaN();
  double seconds = 0.0;
};

/// Runs the calibration. Throws invalid_argument for an inconsistent problem (sizes, a response
/// outside an item's categories, an item nobody answered, an empty category).
result run(const problem& data, const options& opts = {});

/// Categories of each item as run() infers them.
std::vector<int> infer_categories(const problem& data);

/// One E-step of the model at the given item parameters (group 0 N(0,1) on opts.grid), for
/// benchmarks and tests: returns the marginal log-likelihood.
double log_likelihood(const problem& data, std::span<const irt::item_params> items, const options& opts = {});

}  // namespace calibrate
DSKILL_END_NAMESPACE
