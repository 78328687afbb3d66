// Internal: per-item free-parameter vectors, the expected complete-data log-likelihood with its
// analytic gradient and Hessian, and the safeguarded Newton M-step. Shared by EM, Oakes SEs and
// pretest calibration (where the "nodes" are persons' fixed abilities).
#pragma once
#include <cstddef>
#include <span>
#include <vector>

#include <Eigen/Dense>

#include "dskill/calibrate/calibrate.hpp"
#include "dskill/irt/model.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate::detail {

/// Which parameters of an item are free, and how the free vector x is laid out:
///   1pl [d]; 2pl [a, d]; 3pl [a, d, logit c]; 4pl [a, d, logit c, logit u];
///   grm, gpcm [a, d_1..d_{K-1}]; pcm [d_1..d_{K-1}].
struct item_layout {
  irt::model kind = irt::model::two_pl;
  int categories = 2;
  double fixed_slope = 1.0;  ///< slope of 1pl and pcm items
  int size() const noexcept;
  /// Keeps the logit asymptotes in [-logit_bound, logit_bound]: beyond that the likelihood is
  /// flat (c < 3e-7) and EM would walk towards -infinity forever without changing anything.
  void project(std::span<double> x) const noexcept;
  static constexpr double logit_bound = 15.0;
};

/// Item parameters from a free vector, and back.
irt::item_params to_params(const item_layout& layout, std::span<const double> x);
std::vector<double> from_params(const item_layout& layout, const irt::item_params& item);

/// Sum over nodes q and categories k of r[k * Q + q] log P_k(theta_q; x), plus the log prior.
/// Writes the gradient (size n) and the Hessian (n x n, row-major) when the pointers are not
/// null. Returns -infinity for an invalid x (GRM thresholds out of order, slope <= 0 under a
/// lognormal prior).
double objective(const item_layout& layout, std::span<const double> x, std::span<const double> nodes,
                 std::span<const double> r, const item_priors& priors, double* grad, double* hess);

/// Maximises objective() over x by Newton-Raphson with step halving and a Levenberg shift when
/// the Hessian is not negative definite. Returns the number of iterations used.
int newton(const item_layout& layout, std::vector<double>& x, std::span<const double> nodes,
           std::span<const double> r, const item_priors& priors, int max_iterations = 50,
           double tolerance = 1e-10);

/// Fills the SEs of `est` (whose params are set) from the covariance V of its free vector (an
/// empty V gives NaN): slope, intercepts, asymptotes by the delta method through the logit,
/// difficulty-form thresholds by the delta method.
void fill_standard_errors(const item_layout& layout, const Eigen::MatrixXd& V, item_estimate& est);

/// Gradient and Hessian over (mean, log sd) of sum_q n[q] log w_q, where w are the normal weights
/// N(mean, sd^2) at `nodes` normalised over the grid (the prior the E-step uses).
void latent_derivatives(std::span<const double> nodes, std::span<const double> n, double mean, double sd,
                        double& g_mean, double& g_logsd, double& h_mean_mean, double& h_mean_logsd,
                        double& h_logsd_logsd);

/// Start values from the observed category proportions of the item.
std::vector<double> start_values(const item_layout& layout, std::span<const double> category_counts);

}  // namespace calibrate::detail
DSKILL_END_NAMESPACE
