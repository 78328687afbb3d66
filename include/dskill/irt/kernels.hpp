// dskill::irt: category probabilities, their derivatives in theta and Fisher information.
//
// Everything is derived from three per-category terms computed in a numerically stable way:
//   log P_k,   g_k = P'_k / P_k   and   h_k = P''_k / P_k.
// Log probabilities never underflow for the tails that matter (|theta| <= 20, a <= 6, |b| <= 8
// and well beyond), and the ratio forms stay finite where P_k itself is 1e-70. Then
//   d/dtheta log P_k = g_k,  d2/dtheta2 log P_k = h_k - g_k^2,
//   I(theta) = sum_k P_k g_k^2 (Fisher information),  J(theta) = sum_k P_k g_k h_k (Warm).
// Kernels never throw and never allocate.
#pragma once
#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

#include "dskill/detail/fast_math.hpp"
#include "dskill/irt/model.hpp"

DSKILL_BEGIN_NAMESPACE
namespace irt {

namespace detail {
/// log(sigma(z)) without overflow or loss of precision in either tail.
inline double log_sigmoid(double z) noexcept {
  return z >= 0 ? -std::log1p(std::exp(-z)) : z - std::log1p(std::exp(z));
}
inline double sigmoid(double z) noexcept {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}
/// log(exp(a) + exp(b)), exact when either is -inf.
inline double log_add_exp(double a, double b) noexcept {
  if (a == -std::numeric_limits<double>::infinity()) return b;
  if (b == -std::numeric_limits<double>::infinity()) return a;
  const double m = std::max(a, b);
  return m + std::log1p(std::exp(-std::abs(a - b)));
}
inline double safe_log(double x) noexcept {
  return x > 0 ? std::log(x) : -std::numeric_limits<double>::infinity();
}
}  // namespace detail

/// Per-category terms log P_k, g_k = P'_k/P_k, h_k = P''_k/P_k at theta. Each span holds at
/// least item.categories() elements.
inline void category_terms(const item_params& item, double theta, std::span<double> log_p,
                           std::span<double> g, std::span<double> h) noexcept {
  using detail::log_sigmoid;
  using detail::sigmoid;
  const double s = item.slope;
  if (is_dichotomous(item.kind)) {
    const double z = s * theta + item.intercepts[0];
    const double sig = sigmoid(z), sig_bar = sigmoid(-z);
    const double log_span = detail::safe_log(item.upper - item.lower);
    const double lp1 = detail::log_add_exp(detail::safe_log(item.lower), log_span + log_sigmoid(z));
    const double lp0 =
        detail::log_add_exp(detail::safe_log(1.0 - item.upper), log_span + log_sigmoid(-z));
    // w1 = (u - c) sigma(z) / P, w0 = (u - c) sigma(-z) / Q: both in [0, 1], exactly 1 for 2PL.
    const double w1 = std::exp(log_span + log_sigmoid(z) - lp1);
    const double w0 = std::exp(log_span + log_sigmoid(-z) - lp0);
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
    const double* d = item.intercepts.data();
    for (int k = 0; k < k_count; ++k) {
      const bool first = k == 0, last = k == k_count - 1;
      const double z_lo = first ? 0.0 : s * theta + d[k - 1];  // z_k (boundary +inf at k=0)
      const double z_hi = last ? 0.0 : s * theta + d[k];       // z_{k+1} (-inf at k=K-1)
      if (first) {
        log_p[0] = log_sigmoid(-z_hi);
        const double sg = sigmoid(z_hi), sgb = sigmoid(-z_hi);
        g[0] = -s * sg;
        h[0] = -s * s * sg * (sgb - sg);
      } else if (last) {
        log_p[k] = log_sigmoid(z_lo);
        const double sg = sigmoid(z_lo), sgb = sigmoid(-z_lo);
        g[k] = s * sgb;
        h[k] = s * s * sgb * (sgb - sg);
      } else {
        const double gap = z_hi - z_lo;  // < 0 for valid (decreasing) intercepts
        const double log_e = std::log(-std::expm1(gap));
        log_p[k] = log_sigmoid(z_lo) + log_sigmoid(-z_hi) + log_e;
        const double e = -std::expm1(gap);
        const double r1 = std::exp(log_sigmoid(-z_lo) - log_sigmoid(-z_hi));  // sb_k / sb_{k+1}
        const double r2 = std::exp(log_sigmoid(z_hi) - log_sigmoid(z_lo));    // s_{k+1} / s_k
        const double sg_lo = sigmoid(z_lo), sgb_lo = sigmoid(-z_lo);
        const double sg_hi = sigmoid(z_hi), sgb_hi = sigmoid(-z_hi);
        g[k] = s * (r1 - r2) / e;
        h[k] = s * s * (r1 * (sgb_lo - sg_lo) - r2 * (sgb_hi - sg_hi)) / e;
      }
    }
    return;
  }
  // Divide-by-total: z_k = s * score_k * theta + d_k, log P_k = z_k - logsumexp(z).
  double z[max_categories];
  z[0] = 0.0;
  double z_max = 0.0;
  for (int k = 1; k < k_count; ++k) {
    z[k] = s * item.category_score(k) * theta + item.intercepts[static_cast<std::size_t>(k - 1)];
    z_max = std::max(z_max, z[k]);
  }
  double sum = 0.0;
  for (int k = 0; k < k_count; ++k) sum += std::exp(z[k] - z_max);
  const double lse = z_max + std::log(sum);
  double mean = 0.0;
  for (int k = 0; k < k_count; ++k) {
    log_p[k] = z[k] - lse;
    mean += std::exp(log_p[k]) * item.category_score(k);
  }
  double var = 0.0;
  for (int k = 0; k < k_count; ++k) {
    const double dev = item.category_score(k) - mean;
    var += std::exp(log_p[k]) * dev * dev;
  }
  for (int k = 0; k < k_count; ++k) {
    const double dev = item.category_score(k) - mean;
    g[k] = s * dev;
    h[k] = s * s * (dev * dev - var);
  }
}

/// Log probabilities of every category at theta (out.size() >= categories()).
inline void log_probabilities(const item_params& item, double theta, std::span<double> out) noexcept {
  double g[max_categories], h[max_categories];
  category_terms(item, theta, out, g, h);
}

/// Probabilities of every category at theta.
inline void probabilities(const item_params& item, double theta, std::span<double> out) noexcept {
  log_probabilities(item, theta, out);
  for (int k = 0; k < item.categories(); ++k) out[static_cast<std::size_t>(k)] = std::exp(out[static_cast<std::size_t>(k)]);
}

/// Probabilities with their first and second derivatives in theta.
inline void probability_derivatives(const item_params& item, double theta, std::span<double> p,
                                    std::span<double> dp, std::span<double> d2p) noexcept {
  double g[max_categories], h[max_categories];
  category_terms(item, theta, p, g, h);
  for (int k = 0; k < item.categories(); ++k) {
    const auto i = static_cast<std::size_t>(k);
    p[i] = std::exp(p[i]);
    dp[i] = p[i] * g[k];
    d2p[i] = p[i] * h[k];
  }
}

/// Fisher information of the item at theta: sum_k P'_k^2 / P_k.
inline double information(const item_params& item, double theta) noexcept {
  double lp[max_categories], g[max_categories], h[max_categories];
  category_terms(item, theta, lp, g, h);
  double info = 0.0;
  for (int k = 0; k < item.categories(); ++k) info += std::exp(lp[k]) * g[k] * g[k];
  return info;
}

/// Warm's J(theta) = sum_k P'_k P''_k / P_k (catR's Ji), used by the WLE.
inline double warm_j(const item_params& item, double theta) noexcept {
  double lp[max_categories], g[max_categories], h[max_categories];
  category_terms(item, theta, lp, g, h);
  double j = 0.0;
  for (int k = 0; k < item.categories(); ++k) j += std::exp(lp[k]) * g[k] * h[k];
  return j;
}

/// Log-likelihood of one response with its first and second derivatives in theta.
struct response_terms {
  double log_p = 0;  ///< log P_k(theta)
  double d1 = 0;     ///< d/dtheta log P_k
  double d2 = 0;     ///< d2/dtheta2 log P_k
  double info = 0;   ///< Fisher information of the item at theta
  double j = 0;      ///< Warm's J of the item at theta
};
/// All the terms an estimator needs for one answered item, in one pass.
inline response_terms response_at(const item_params& item, double theta, int category) noexcept {
  double lp[max_categories], g[max_categories], h[max_categories];
  category_terms(item, theta, lp, g, h);
  response_terms out;
  out.log_p = lp[category];
  out.d1 = g[category];
  out.d2 = h[category] - g[category] * g[category];
  for (int k = 0; k < item.categories(); ++k) {
    const double p = std::exp(lp[k]);
    out.info += p * g[k] * g[k];
    out.j += p * g[k] * h[k];
  }
  return out;
}

/// Expected score sum_k k P_k(theta) (0..K-1 scoring).
inline double expected_score(const item_params& item, double theta) noexcept {
  double lp[max_categories];
  log_probabilities(item, theta, lp);
  double e = 0.0;
  for (int k = 1; k < item.categories(); ++k) e += k * std::exp(lp[k]);
  return e;
}

/// Information of a dichotomous item from raw parameters: the branch-free form used by the
/// bank's vectorised pass. z is clamped to +-300, where sigma^2 still fits in a double.
DSKILL_ALWAYS_INLINE double dichotomous_information(double slope, double intercept, double lower,
                                                    double upper, double theta) noexcept {
  double z = slope * theta + intercept;
  z = z < -300.0 ? -300.0 : z;  // ternaries, not std::clamp: they if-convert and vectorise
  z = z > 300.0 ? 300.0 : z;
  const double e = dskill::detail::exp_vectorizable(-z);
  const double sig = 1.0 / (1.0 + e);
  const double sig_bar = e * sig;
  const double span = upper - lower;
  const double p = lower + span * sig;
  const double q = (1.0 - upper) + span * sig_bar;
  const double num = slope * span * sig * sig_bar;
  return num * num / (p * q);
}

}  // namespace irt
DSKILL_END_NAMESPACE
