// dskill::irt: category probabilities, their derivatives in theta and Fisher information.
//
// Everything is derived from three per-category terms computed in a numerically stable way:
//   log P_k,   g_k = P'_k / P_k   and   h_k = P''_k / P_k.
// Log probabilities never underflow for the tails that matter (|theta| <= 20, a <= 6, |b| <= 8
// and well beyond), and the ratio forms stay finite where P_k itself is 1e-70. Then
//   d/dtheta log P_k = g_k,  d2/dtheta2 log P_k = h_k - g_k^2,
//   I(theta) = sum_k P_k g_k^2 (Fisher information),  J(theta) = sum_k P_k g_k h_k (Warm).
// Kernels never throw and never allocate. They are templates over the item (item_params, or an
// item_ref read from an item_table) and so over its real type (double or float); the common
// instantiations are compiled once in src/irt/instantiate.cpp (extern template below).
#pragma once
#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <type_traits>
#include <utility>

#include "dskill/detail/fast_math.hpp"
#include "dskill/irt/item_table.hpp"
#include "dskill/irt/model.hpp"

DSKILL_BEGIN_NAMESPACE
namespace irt {

/// The real type of an item's parameters: double for item_params, Real for basic_item_ref<Real>.
template <class Item>
using item_real_t = std::remove_cvref_t<decltype(std::declval<const Item&>().slope)>;
/// A span of the item's real type, in a non-deduced context (arrays convert to it).
template <class Item>
using real_span = std::type_identity_t<std::span<item_real_t<Item>>>;

namespace detail {
/// log(sigma(z)) without overflow or loss of precision in either tail.
template <class Real>
inline Real log_sigmoid(Real z) noexcept {
  return z >= 0 ? -std::log1p(std::exp(-z)) : z - std::log1p(std::exp(z));
}
template <class Real>
inline Real sigmoid(Real z) noexcept {
  if (z >= 0) return Real(1) / (Real(1) + std::exp(-z));
  const Real e = std::exp(z);
  return e / (Real(1) + e);
}
/// log(exp(a) + exp(b)), exact when either is -inf.
template <class Real>
inline Real log_add_exp(Real a, Real b) noexcept {
  if (a == -std::numeric_limits<Real>::infinity()) return b;
  if (b == -std::numeric_limits<Real>::infinity()) return a;
  const Real m = std::max(a, b);
  return m + std::log1p(std::exp(-std::abs(a - b)));
}
template <class Real>
inline Real safe_log(Real x) noexcept {
  return x > 0 ? std::log(x) : -std::numeric_limits<Real>::infinity();
}
}  // namespace detail

/// Per-category terms log P_k, g_k = P'_k/P_k, h_k = P''_k/P_k at theta. Each span holds at
/// least item.categories() elements.
template <class Item>
inline void category_terms(const Item& item, item_real_t<Item> theta, real_span<Item> log_p, real_span<Item> g,
                           real_span<Item> h) noexcept {
  using Real = item_real_t<Item>;
  using detail::log_sigmoid;
  using detail::sigmoid;
  const Real s = item.slope;
  if (is_dichotomous(item.kind)) {
    const Real z = s * theta + item.intercepts[0];
    const Real sig = sigmoid(z), sig_bar = sigmoid(-z);
    const Real log_span = detail::safe_log(item.upper - item.lower);
    const Real lp1 = detail::log_add_exp(detail::safe_log(item.lower), log_span + log_sigmoid(z));
    const Real lp0 =
        detail::log_add_exp(detail::safe_log(Real(1) - item.upper), log_span + log_sigmoid(-z));
    // w1 = (u - c) sigma(z) / P, w0 = (u - c) sigma(-z) / Q: both in [0, 1], exactly 1 for 2PL.
    const Real w1 = std::exp(log_span + log_sigmoid(z) - lp1);
    const Real w0 = std::exp(log_span + log_sigmoid(-z) - lp0);
    log_p[1] = lp1;
    log_p[0] = lp0;
    g[1] = s * sig_bar * w1;
    h[1] = s * s * sig_bar * (sig_bar - sig) * w1;
    g[0] = -s * sig * w0;
    h[0] = -s * s * sig * (sig_bar - sig) * w0;
    return;
  }
  const int k_count = item.categories();
  if (item.kind == model::grm) {
    // P_k = sigma(z_k) - sigma(z_{k+1}) = sigma(z_k) sigma(-z_{k+1}) (1 - exp(z_{k+1} - z_k)).
    // Ratios like sigma(-z_k)/sigma(-z_{k+1}) are taken in log space so no tail underflows.
    const Real* d = item.intercepts.data();
    for (int k = 0; k < k_count; ++k) {
      const bool first = k == 0, last = k == k_count - 1;
      const Real z_lo = first ? Real(0) : s * theta + d[k - 1];  // z_k (boundary +inf at k=0)
      const Real z_hi = last ? Real(0) : s * theta + d[k];       // z_{k+1} (-inf at k=K-1)
      if (first) {
        log_p[0] = log_sigmoid(-z_hi);
        const Real sg = sigmoid(z_hi), sgb = sigmoid(-z_hi);
        g[0] = -s * sg;
        h[0] = -s * s * sg * (sgb - sg);
      } else if (last) {
        log_p[k] = log_sigmoid(z_lo);
        const Real sg = sigmoid(z_lo), sgb = sigmoid(-z_lo);
        g[k] = s * sgb;
        h[k] = s * s * sgb * (sgb - sg);
      } else {
        const Real gap = z_hi - z_lo;  // < 0 for valid (decreasing) intercepts
        const Real log_e = std::log(-std::expm1(gap));
        log_p[k] = log_sigmoid(z_lo) + log_sigmoid(-z_hi) + log_e;
        const Real e = -std::expm1(gap);
        const Real r1 = std::exp(log_sigmoid(-z_lo) - log_sigmoid(-z_hi));  // sb_k / sb_{k+1}
        const Real r2 = std::exp(log_sigmoid(z_hi) - log_sigmoid(z_lo));    // s_{k+1} / s_k
        const Real sg_lo = sigmoid(z_lo), sgb_lo = sigmoid(-z_lo);
        const Real sg_hi = sigmoid(z_hi), sgb_hi = sigmoid(-z_hi);
        g[k] = s * (r1 - r2) / e;
        h[k] = s * s * (r1 * (sgb_lo - sg_lo) - r2 * (sgb_hi - sg_hi)) / e;
      }
    }
    return;
  }
  // Divide-by-total: z_k = s * score_k * theta + d_k, log P_k = z_k - logsumexp(z).
  Real z[max_categories];
  z[0] = Real(0);
  Real z_max = Real(0);
  for (int k = 1; k < k_count; ++k) {
    z[k] = s * item.category_score(k) * theta + item.intercepts[static_cast<std::size_t>(k - 1)];
    z_max = std::max(z_max, z[k]);
  }
  Real sum = Real(0);
  for (int k = 0; k < k_count; ++k) sum += std::exp(z[k] - z_max);
  const Real lse = z_max + std::log(sum);
  Real mean = Real(0);
  for (int k = 0; k < k_count; ++k) {
    log_p[k] = z[k] - lse;
    mean += std::exp(log_p[k]) * item.category_score(k);
  }
  Real var = Real(0);
  for (int k = 0; k < k_count; ++k) {
    const Real dev = item.category_score(k) - mean;
    var += std::exp(log_p[k]) * dev * dev;
  }
  for (int k = 0; k < k_count; ++k) {
    const Real dev = item.category_score(k) - mean;
    g[k] = s * dev;
    h[k] = s * s * (dev * dev - var);
  }
}

/// Log probabilities of every category at theta (out.size() >= categories()).
template <class Item>
inline void log_probabilities(const Item& item, item_real_t<Item> theta, real_span<Item> out) noexcept {
  using Real = item_real_t<Item>;
  Real g[max_categories], h[max_categories];
  category_terms(item, theta, out, g, h);
}

/// Probabilities of every category at theta.
template <class Item>
inline void probabilities(const Item& item, item_real_t<Item> theta, real_span<Item> out) noexcept {
  log_probabilities(item, theta, out);
  for (int k = 0; k < item.categories(); ++k) out[static_cast<std::size_t>(k)] = std::exp(out[static_cast<std::size_t>(k)]);
}

/// Probabilities with their first and second derivatives in theta.
template <class Item>
inline void probability_derivatives(const Item& item, item_real_t<Item> theta, real_span<Item> p,
                                    real_span<Item> dp, real_span<Item> d2p) noexcept {
  using Real = item_real_t<Item>;
  Real g[max_categories], h[max_categories];
  category_terms(item, theta, p, g, h);
  for (int k = 0; k < item.categories(); ++k) {
    const auto i = static_cast<std::size_t>(k);
    p[i] = std::exp(p[i]);
    dp[i] = p[i] * g[k];
    d2p[i] = p[i] * h[k];
  }
}

/// Fisher information of the item at theta: sum_k P'_k^2 / P_k.
template <class Item>
inline item_real_t<Item> information(const Item& item, item_real_t<Item> theta) noexcept {
  using Real = item_real_t<Item>;
  Real lp[max_categories], g[max_categories], h[max_categories];
  category_terms(item, theta, lp, g, h);
  Real info = Real(0);
  for (int k = 0; k < item.categories(); ++k) info += std::exp(lp[k]) * g[k] * g[k];
  return info;
}

/// Warm's J(theta) = sum_k P'_k P''_k / P_k (catR's Ji), used by the WLE.
template <class Item>
inline item_real_t<Item> warm_j(const Item& item, item_real_t<Item> theta) noexcept {
  using Real = item_real_t<Item>;
  Real lp[max_categories], g[max_categories], h[max_categories];
  category_terms(item, theta, lp, g, h);
  Real j = Real(0);
  for (int k = 0; k < item.categories(); ++k) j += std::exp(lp[k]) * g[k] * h[k];
  return j;
}

/// Log-likelihood of one response with its first and second derivatives in theta.
template <class Real>
struct basic_response_terms {
  Real log_p = 0;  ///< log P_k(theta)
  Real d1 = 0;     ///< d/dtheta log P_k
  Real d2 = 0;     ///< d2/dtheta2 log P_k
  Real info = 0;   ///< Fisher information of the item at theta
  Real j = 0;      ///< Warm's J of the item at theta
};
using response_terms = basic_response_terms<double>;
/// All the terms an estimator needs for one answered item, in one pass.
template <class Item>
inline basic_response_terms<item_real_t<Item>> response_at(const Item& item, item_real_t<Item> theta,
                                                          int category) noexcept {
  using Real = item_real_t<Item>;
  Real lp[max_categories], g[max_categories], h[max_categories];
  category_terms(item, theta, lp, g, h);
  basic_response_terms<Real> out;
  out.log_p = lp[category];
  out.d1 = g[category];
  out.d2 = h[category] - g[category] * g[category];
  for (int k = 0; k < item.categories(); ++k) {
    const Real p = std::exp(lp[k]);
    out.info += p * g[k] * g[k];
    out.j += p * g[k] * h[k];
  }
  return out;
}

/// Expected score sum_k k P_k(theta) (0..K-1 scoring).
template <class Item>
inline item_real_t<Item> expected_score(const Item& item, item_real_t<Item> theta) noexcept {
  using Real = item_real_t<Item>;
  Real lp[max_categories];
  log_probabilities(item, theta, lp);
  Real e = Real(0);
  for (int k = 1; k < item.categories(); ++k) e += k * std::exp(lp[k]);
  return e;
}

/// Information of a dichotomous item from raw parameters: the branch-free form used by the
/// bank's vectorised pass. z is clamped to +-300, where sigma^2 still fits in a double.
template <class Real>
DSKILL_ALWAYS_INLINE Real dichotomous_information(Real slope, Real intercept, Real lower, Real upper,
                                                  Real theta) noexcept {
  Real z = slope * theta + intercept;
  z = z < Real(-300) ? Real(-300) : z;  // ternaries, not std::clamp: they if-convert and vectorise
  z = z > Real(300) ? Real(300) : z;
  const Real e = static_cast<Real>(dskill::detail::exp_vectorizable(static_cast<double>(-z)));
  const Real sig = Real(1) / (Real(1) + e);
  const Real sig_bar = e * sig;
  const Real span = upper - lower;
  const Real p = lower + span * sig;
  const Real q = (Real(1) - upper) + span * sig_bar;
  const Real num = slope * span * sig * sig_bar;
  return num * num / (p * q);
}

#ifndef DSKILL_HEADER_ONLY
// Compiled once in src/irt/instantiate.cpp for item_params and item_ref (double), and for
// float tables; the definitions above stay visible, so calls still inline where they are hot.
#define DSKILL_IRT_KERNELS_FOR(EXTERN, Item)                                                              \
  EXTERN template void category_terms<Item>(const Item&, item_real_t<Item>, real_span<Item>, real_span<Item>, \
                                            real_span<Item>) noexcept;                                    \
  EXTERN template void log_probabilities<Item>(const Item&, item_real_t<Item>, real_span<Item>) noexcept;    \
  EXTERN template void probabilities<Item>(const Item&, item_real_t<Item>, real_span<Item>) noexcept;        \
  EXTERN template void probability_derivatives<Item>(const Item&, item_real_t<Item>, real_span<Item>,        \
                                                     real_span<Item>, real_span<Item>) noexcept;            \
  EXTERN template item_real_t<Item> information<Item>(const Item&, item_real_t<Item>) noexcept;              \
  EXTERN template item_real_t<Item> warm_j<Item>(const Item&, item_real_t<Item>) noexcept;                   \
  EXTERN template basic_response_terms<item_real_t<Item>> response_at<Item>(const Item&, item_real_t<Item>,  \
                                                                            int) noexcept;                  \
  EXTERN template item_real_t<Item> expected_score<Item>(const Item&, item_real_t<Item>) noexcept;
DSKILL_IRT_KERNELS_FOR(extern, item_params)
DSKILL_IRT_KERNELS_FOR(extern, basic_item_ref<double>)
DSKILL_IRT_KERNELS_FOR(extern, basic_item_ref<float>)
#endif

}  // namespace irt
DSKILL_END_NAMESPACE
