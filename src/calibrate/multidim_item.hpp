// Internal: the M-step of one compensatory multidimensional item on its expected counts.
//
// The item's linear predictor at node j is t_j = a . X_j (X_j the node's coordinates on the
// dimensions the item loads on) plus its intercepts, so every derivative with respect to a slope
// is X_j times the derivative with respect to t: per node the model's terms are computed in the
// reduced coordinates y = (t, intercepts, logit asymptotes), then spread over the slopes.
#pragma once
#include <cstddef>
#include <span>
#include <vector>

#include "dskill/calibrate/calibrate.hpp"
#include "dskill/irt/model.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate::detail {

/// Free vector of a multidimensional item: [a_1..a_m, then as the unidimensional layout without
/// its slope]: 2pl [d]; 3pl [d, logit c]; 4pl [d, logit c, logit u]; grm, gpcm [d_1..d_{K-1}].
struct mitem_layout {
  irt::model kind = irt::model::two_pl;
  int categories = 2;
  int slopes = 1;
  int rest() const noexcept;
  int size() const noexcept { return slopes + rest(); }
  /// Keeps logit asymptotes within [-15, 15] (as the unidimensional EM).
  void project(std::span<double> x) const noexcept;
};

/// The node coordinates an item sees: row j at X + j * stride, its slopes' columns cols[0..m).
struct node_view {
  const double* X = nullptr;
  std::size_t stride = 0;
  const int* cols = nullptr;
  std::size_t nodes = 0;
};

/// Sum over nodes j and categories k of r[k * nodes + j] log P_k(x; X_j), plus the log prior when
/// given (lognormal on every slope, normal on every intercept, Beta on c); gradient (size n) and
/// Hessian (n x n row-major) when not null. -infinity for an invalid x (graded intercepts not
/// decreasing, a slope <= 0 under the lognormal prior).
double mobjective(const mitem_layout& L, std::span<const double> x, const node_view& v, const double* r, double* grad,
                  double* hess, const item_priors* priors = nullptr);

/// Maximises mobjective by Newton-Raphson with step halving and a Levenberg shift. Returns the
/// iterations used.
int mnewton(const mitem_layout& L, std::vector<double>& x, const node_view& v, const double* r, int max_iterations,
            double tolerance, const item_priors* priors = nullptr);

/// item_params (slope 1, the unit link) and slopes from a free vector, and back.
irt::item_params mto_params(const mitem_layout& L, std::span<const double> x);
std::vector<double> mfrom_params(const mitem_layout& L, const irt::item_params& p, std::span<const double> slopes);

}  // namespace calibrate::detail
DSKILL_END_NAMESPACE
