// dskill::irt: compensatory multidimensional items (M2PL/M3PL/M4PL, MGRM, MGPCM, nominal).
//
// A compensatory item depends on theta (a vector of D abilities) only through its projection
// t = a . theta, with a the item's slopes (zero where it does not load): z = t + d for the
// logistic and graded models, z_k = s_k t + d_k for the divide-by-total family. So a
// multidimensional item is a unidimensional response function with unit slope (its "link")
// evaluated at t, and every kernel here is kernels.hpp's category_terms at t, then
//   d log P_k / d theta = g_k a,   d2 log P_k / d theta d theta' = (h_k - g_k^2) a a',
//   I(theta) = (sum_k P_k g_k^2) a a'   (Fisher information, rank one per item).
// Callers keep the scalar terms and do the rank-one updates where they sum over items. A
// unidimensional item is the case D = 1, a = {slope}: the same numbers (bit for bit for the
// logistic and graded models, since 1 * t == t; to rounding for the divide-by-total family,
// where s k theta associates differently). One code path, one set of tail-stable kernels.
//
// Slopes and intercepts are on the logit scale (mirt's slope-intercept form, D applied).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <string>
#include <vector>

#include "dskill/irt/item_table.hpp"
#include "dskill/irt/kernels.hpp"
#include "dskill/irt/model.hpp"

DSKILL_BEGIN_NAMESPACE
namespace irt {

/// The most latent dimensions a model may have (estimators keep fixed-size scratch with it).
inline constexpr std::size_t max_dimensions = 10;

/// Checks an item's slopes: finite, and not all zero. Empty when fine, otherwise what is wrong.
inline std::string check_slopes(std::span<const double> slopes) {
  double norm2 = 0.0;
  for (std::size_t d = 0; d < slopes.size(); ++d) {
    if (!std::isfinite(slopes[d])) return "slope " + std::to_string(d + 1) + " is not a finite number";
    norm2 += slopes[d] * slopes[d];
  }
  if (!(norm2 > 0.0)) return "the item loads on no dimension (every slope is 0)";
  return {};
}

/// Reckase's multidimensional discrimination |a|.
inline double mdisc(std::span<const double> slopes) noexcept {
  double norm2 = 0.0;
  for (double a : slopes) norm2 += a * a;
  return std::sqrt(norm2);
}

/// Checks a covariance matrix (dims x dims, row-major): finite, symmetric (to 1e-9 relative),
/// positive definite (a Cholesky factorisation succeeds). Empty when fine, otherwise what is wrong.
inline std::string check_covariance(std::span<const double> cov, std::size_t dims) {
  if (cov.size() != dims * dims) return "needs " + std::to_string(dims) + " x " + std::to_string(dims) + " entries";
  for (std::size_t r = 0; r < dims; ++r)
    for (std::size_t c = 0; c < dims; ++c) {
      const double x = cov[r * dims + c], y = cov[c * dims + r];
      if (!std::isfinite(x)) return "entry (" + std::to_string(r + 1) + ", " + std::to_string(c + 1) + ") is not finite";
      if (std::abs(x - y) > 1e-9 * std::max({1.0, std::abs(x), std::abs(y)}))
        return "not symmetric: entries (" + std::to_string(r + 1) + ", " + std::to_string(c + 1) + ") and (" +
               std::to_string(c + 1) + ", " + std::to_string(r + 1) + ") differ";
    }
  std::vector<double> l(dims * dims, 0.0);
  for (std::size_t j = 0; j < dims; ++j) {
    double diag = cov[j * dims + j];
    for (std::size_t k = 0; k < j; ++k) diag -= l[j * dims + k] * l[j * dims + k];
    if (!(diag > 1e-12 * std::max(1.0, std::abs(cov[j * dims + j]))))
      return "not positive definite (dimension " + std::to_string(j + 1) + " depends linearly on the ones before it)";
    l[j * dims + j] = std::sqrt(diag);
    for (std::size_t i = j + 1; i < dims; ++i) {
      double x = cov[i * dims + j];
      for (std::size_t k = 0; k < j; ++k) x -= l[i * dims + k] * l[j * dims + k];
      l[i * dims + j] = x / l[j * dims + j];
    }
  }
  return {};
}

/// One compensatory multidimensional item: its unidimensional parameters and its slopes.
/// `params.slope` is not read by the multidimensional kernels (the link has unit slope); a bank
/// keeps there the slope on the item's primary dimension, for per-area unidimensional use.
struct multidim_item {
  item_params params;
  std::vector<double> slopes;  ///< a_1..a_D
  friend bool operator==(const multidim_item&, const multidim_item&) = default;
};

/// The unit-slope response function of an item: params with slope 1.
inline item_params unit_link(item_params params) {
  params.slope = 1.0;
  return params;
}

/// Items of a D-dimensional model as a view: the links (slope 1) as an item_table, and the
/// slopes row-major (item i's slopes at slopes[i * dims .. (i + 1) * dims)).
template <class Real>
struct basic_multidim_table {
  std::size_t dims = 0;
  basic_item_table<Real> links;
  std::span<const Real> slopes;

  std::size_t size() const noexcept { return links.size(); }
  std::span<const Real> slopes_of(std::size_t i) const noexcept { return slopes.subspan(i * dims, dims); }
  /// t = a_i . theta.
  Real projection(std::size_t i, std::span<const Real> theta) const noexcept {
    const Real* a = slopes.data() + i * dims;
    Real t = Real(0);
    for (std::size_t d = 0; d < dims; ++d) t += a[d] * theta[d];
    return t;
  }
};

/// Owns the arrays of a multidimensional table. Throws invalid_argument when an item's slope
/// count differs from dims.
template <class Real>
class basic_multidim_store {
 public:
  explicit basic_multidim_store(std::size_t dims) : dims_(dims) {}
  basic_multidim_store(std::size_t dims, std::span<const multidim_item> items) : dims_(dims) {
    for (const auto& item : items) push_back(item);
  }
  void push_back(const multidim_item& item) {
    if (item.slopes.size() != dims_)
      throw std::invalid_argument("multidimensional item has " + std::to_string(item.slopes.size()) +
                                  " slopes, the model has " + std::to_string(dims_) + " dimensions");
    links_.push_back(unit_link(item.params));
    for (double a : item.slopes) slopes_.push_back(static_cast<Real>(a));
  }
  std::size_t dims() const noexcept { return dims_; }
  std::size_t size() const noexcept { return links_.size(); }
  basic_multidim_table<Real> view() const noexcept { return {dims_, links_.view(), slopes_}; }
  operator basic_multidim_table<Real>() const noexcept { return view(); }

 private:
  std::size_t dims_;
  basic_item_store<Real> links_;
  std::vector<Real> slopes_;
};

using multidim_table = basic_multidim_table<double>;
/// A span of Real in a non-deduced context (arrays and vectors convert to it).
template <class Real>
using span_of = std::span<std::type_identity_t<Real>>;
using multidim_store = basic_multidim_store<double>;

/// Log probabilities of every category of item i at theta (out.size() >= categories).
template <class Real>
inline void log_probabilities(const basic_multidim_table<Real>& items, std::size_t i, span_of<const Real> theta,
                              span_of<Real> out) noexcept {
  log_probabilities(items.links[i], items.projection(i, theta), out);
}

/// The terms of one answered item at theta, as scalars in t = a . theta: the gradient of the
/// log-likelihood is d1 * a, its Hessian d2 * a a', the Fisher information info * a a'.
template <class Real>
inline basic_response_terms<Real> response_at(const basic_multidim_table<Real>& items, std::size_t i,
                                              span_of<const Real> theta, int category) noexcept {
  return response_at(items.links[i], items.projection(i, theta), category);
}

/// Adds weight * a a' to the D x D row-major matrix out (a rank-one update).
template <class Real>
inline void add_outer(span_of<const Real> a, std::type_identity_t<Real> weight, span_of<Real> out) noexcept {
  const std::size_t dims = a.size();
  for (std::size_t r = 0; r < dims; ++r) {
    const Real wr = weight * a[r];
    for (std::size_t c = 0; c < dims; ++c) out[r * dims + c] += wr * a[c];
  }
}

/// Adds the Fisher information matrix of item i at theta to out (D x D, row-major).
template <class Real>
inline void add_information(const basic_multidim_table<Real>& items, std::size_t i, span_of<const Real> theta,
                            span_of<Real> out) noexcept {
  add_outer<Real>(items.slopes_of(i), information(items.links[i], items.projection(i, theta)), out);
}

}  // namespace irt
DSKILL_END_NAMESPACE
