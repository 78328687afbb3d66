// dskill::cat profile selection criteria (cat/multidim.hpp): D-, A- and T-optimality with and
// without the prior, and the posterior expected Kullback-Leibler information. The step's algebra
// is on fixed-size row-major arrays (at most irt::max_dimensions square): a Cholesky factor or an
// adjugate once per step, then one rank-one quadratic form per candidate item.
#include "dskill/cat/multidim.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "dskill/core/normal.hpp"
#include "dskill/error.hpp"
#include "dskill/irt/kernels.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

namespace {

constexpr std::size_t md = irt::max_dimensions;
using matrix = std::array<double, md * md>;
using vector = std::array<double, md>;
constexpr std::size_t max_kl_points = 256;

// Lower Cholesky factor L (L L' = a) of a symmetric n x n matrix; false when a is not
// (numerically) positive definite: a pivot at or below 1e-12 of the largest diagonal entry.
bool cholesky(const double* a, std::size_t n, double* l) noexcept {
  double scale = 0.0;
  for (std::size_t i = 0; i < n; ++i) scale = std::max(scale, std::abs(a[i * n + i]));
  const double floor = 1e-12 * std::max(scale, 1e-300);
  for (std::size_t j = 0; j < n; ++j) {
    double diag = a[j * n + j];
    for (std::size_t k = 0; k < j; ++k) diag -= l[j * n + k] * l[j * n + k];
    if (!(diag > floor)) return false;
    const double ljj = std::sqrt(diag);
    l[j * n + j] = ljj;
    for (std::size_t i = j + 1; i < n; ++i) {
      double x = a[i * n + j];
      for (std::size_t k = 0; k < j; ++k) x -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = x / ljj;
    }
    for (std::size_t i = 0; i < j; ++i) l[i * n + j] = 0.0;
  }
  return true;
}

// a^-1 from its Cholesky factor (row-major, full).
void inverse_from_cholesky(const double* l, std::size_t n, double* inv) noexcept {
  // L^-1 by forward substitution, then inv = L^-T L^-1.
  matrix li{};
  for (std::size_t c = 0; c < n; ++c) {
    for (std::size_t r = c; r < n; ++r) {
      double x = r == c ? 1.0 : 0.0;
      for (std::size_t k = c; k < r; ++k) x -= l[r * n + k] * li[k * n + c];
      li[r * n + c] = x / l[r * n + r];
    }
  }
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = r; c < n; ++c) {
      double x = 0.0;
      for (std::size_t k = c; k < n; ++k) x += li[k * n + r] * li[k * n + c];
      inv[r * n + c] = inv[c * n + r] = x;
    }
}

// Determinant of an m x m matrix (row-major, copied) by LU with partial pivoting.
double determinant(double* a, std::size_t m) noexcept {
  double det = 1.0;
  for (std::size_t j = 0; j < m; ++j) {
    std::size_t p = j;
    for (std::size_t i = j + 1; i < m; ++i)
      if (std::abs(a[i * m + j]) > std::abs(a[p * m + j])) p = i;
    if (a[p * m + j] == 0.0) return 0.0;
    if (p != j) {
      for (std::size_t c = 0; c < m; ++c) std::swap(a[j * m + c], a[p * m + c]);
      det = -det;
    }
    det *= a[j * m + j];
    for (std::size_t i = j + 1; i < m; ++i) {
      const double f = a[i * m + j] / a[j * m + j];
      for (std::size_t c = j; c < m; ++c) a[i * m + c] -= f * a[j * m + c];
    }
  }
  return det;
}

// The adjugate of an n x n matrix by cofactors: adj(a)_rc = (-1)^(r+c) det(a without row c and
// column r). Exact for singular matrices too (det(a + w x x') = det(a) + w x' adj(a) x).
void adjugate(const double* a, std::size_t n, double* adj) noexcept {
  if (n == 1) {
    adj[0] = 1.0;
    return;
  }
  const std::size_t m = n - 1;
  matrix minor{};
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < n; ++c) {
      std::size_t k = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if (i == c) continue;
        for (std::size_t j = 0; j < n; ++j)
          if (j != r) minor[k++] = a[i * n + j];
      }
      const double d = determinant(minor.data(), m);
      adj[r * n + c] = ((r + c) % 2 == 0 ? d : -d);
    }
}

double quadratic(const double* m, const double* x, std::size_t n) noexcept {
  double s = 0.0;
  for (std::size_t r = 0; r < n; ++r) {
    double row = 0.0;
    for (std::size_t c = 0; c < n; ++c) row += m[r * n + c] * x[c];
    s += x[r] * row;
  }
  return s;
}

double radical_inverse(std::size_t index, unsigned base) noexcept {
  double inv = 1.0 / base, f = inv, out = 0.0;
  while (index > 0) {
    out += static_cast<double>(index % base) * f;
    index /= base;
    f *= inv;
  }
  return out;
}

constexpr std::array<unsigned, md> halton_bases = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29};

// The dense pass over every item of an all-dichotomous table, in three loops that vectorise
// (dimension-major slopes): t_i = a_i . theta, q_i = a_i' M a_i over M's upper triangle (M's
// off-diagonal entries already doubled; skipped when M is null, q then given), and
// q_i <- base + I_i(t_i) q_i. Compiled for AVX2+FMA as well as the baseline, as the bank's
// information sweep.
DSKILL_CPU_DISPATCH
void projection_sweep(const double* DSKILL_RESTRICT at, std::size_t n, std::size_t dims, const double* DSKILL_RESTRICT theta,
                      double* DSKILL_RESTRICT t) noexcept {
  for (std::size_t i = 0; i < n; ++i) t[i] = at[i] * theta[0];
  for (std::size_t d = 1; d < dims; ++d) {
    const double* a = at + d * n;
    const double th = theta[d];
    for (std::size_t i = 0; i < n; ++i) t[i] += a[i] * th;
  }
}

DSKILL_CPU_DISPATCH
void quadratic_sweep(const double* DSKILL_RESTRICT at, std::size_t n, std::size_t dims, const double* DSKILL_RESTRICT m,
                     double* DSKILL_RESTRICT q) noexcept {
  for (std::size_t i = 0; i < n; ++i) q[i] = 0.0;
  for (std::size_t r = 0; r < dims; ++r) {
    const double* ar = at + r * n;
    for (std::size_t c = r; c < dims; ++c) {
      const double w = m[r * dims + c];
      if (w == 0.0) continue;
      const double* ac = at + c * n;
      for (std::size_t i = 0; i < n; ++i) q[i] += w * ar[i] * ac[i];
    }
  }
}

DSKILL_CPU_DISPATCH
void combine_sweep(const double* DSKILL_RESTRICT d, const double* DSKILL_RESTRICT lo, const double* DSKILL_RESTRICT hi,
                   const double* DSKILL_RESTRICT t, double* DSKILL_RESTRICT q, std::size_t n, double base) noexcept {
  for (std::size_t i = 0; i < n; ++i) q[i] = base + irt::dichotomous_information(1.0, d[i], lo[i], hi[i], t[i]) * q[i];
}

}  // namespace

std::string_view to_string(profile_criterion c) noexcept {
  switch (c) {
    case profile_criterion::d_optimal: return "d_optimal";
    case profile_criterion::dp_optimal: return "dp_optimal";
    case profile_criterion::a_optimal: return "a_optimal";
    case profile_criterion::ap_optimal: return "ap_optimal";
    case profile_criterion::t_optimal: return "t_optimal";
    case profile_criterion::tp_optimal: return "tp_optimal";
    case profile_criterion::kl: return "kl_profile";
  }
  return "unknown";
}

std::optional<profile_criterion> parse_profile_criterion(std::string_view name) noexcept {
  std::string lower(name);
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (auto c : {profile_criterion::d_optimal, profile_criterion::dp_optimal, profile_criterion::a_optimal,
                 profile_criterion::ap_optimal, profile_criterion::t_optimal, profile_criterion::tp_optimal,
                 profile_criterion::kl})
    if (lower == to_string(c)) return c;
  return std::nullopt;
}

profile_criteria::profile_criteria(const irt::multidim_table& items, profile_criterion criterion, std::span<const double> weights,
                                   std::span<const double> prior_covariance, std::span<const double> prior_mean,
                                   std::size_t kl_points)
    : items_(items), criterion_(criterion), dims_(items.dims) {
  const std::size_t n = dims_;
  if (n < 1 || n > md) throw invalid_argument(fmt::format("profile selection needs 1 to {} dimensions, got {}", md, n));
  if (weights.empty()) {
    weights_.assign(n, 1.0);
  } else {
    if (weights.size() != n) throw invalid_argument(fmt::format("{} selection weights for {} dimensions", weights.size(), n));
    double total = 0.0;
    for (double w : weights) {
      if (!(std::isfinite(w) && w >= 0.0)) throw invalid_argument(fmt::format("selection weight {} must be finite and >= 0", w));
      total += w;
    }
    if (!(total > 0.0)) throw invalid_argument("selection weights are all 0");
    weights_.assign(weights.begin(), weights.end());
  }
  matrix cov{};
  if (prior_covariance.empty()) {
    for (std::size_t d = 0; d < n; ++d) cov[d * n + d] = 1.0;
  } else {
    if (const auto why = irt::check_covariance(prior_covariance, n); !why.empty())
      throw invalid_argument("profile selection prior covariance: " + why);
    std::copy(prior_covariance.begin(), prior_covariance.end(), cov.begin());
  }
  matrix l{};
  if (!cholesky(cov.data(), n, l.data())) throw invalid_argument("profile selection prior covariance is not positive definite");
  precision_.assign(n * n, 0.0);
  inverse_from_cholesky(l.data(), n, precision_.data());
  if (!prior_mean.empty() && prior_mean.size() != n)
    throw invalid_argument(fmt::format("profile selection prior mean has {} values for {} dimensions", prior_mean.size(), n));
  mean_.assign(n, 0.0);
  std::copy(prior_mean.begin(), prior_mean.end(), mean_.begin());

  const std::size_t count = items.size();
  weighted_a2_.resize(count);
  dichotomous_.resize(count);
  intercept_.resize(count);
  lower_.resize(count);
  upper_.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    const auto a = items.slopes_of(i);
    double s = 0.0;
    for (std::size_t d = 0; d < n; ++d) s += weights_[d] * a[d] * a[d];
    weighted_a2_[i] = s;
    dichotomous_[i] = irt::is_dichotomous(items.links.kinds[i]) ? 1 : 0;
    intercept_[i] = items.links.intercept(i);
    lower_[i] = items.links.lowers[i];
    upper_[i] = items.links.uppers[i];
  }
  all_dichotomous_ = std::all_of(dichotomous_.begin(), dichotomous_.end(), [](std::uint8_t x) { return x != 0; });
  if (all_dichotomous_) {
    slopes_by_dim_.resize(count * n);
    for (std::size_t i = 0; i < count; ++i)
      for (std::size_t d = 0; d < n; ++d) slopes_by_dim_[d * count + i] = items.slopes[i * n + d];
  }
  if (criterion_ == profile_criterion::kl) {
    if (kl_points < 2 || kl_points > max_kl_points)
      throw invalid_argument(fmt::format("kl_profile takes 2 to {} points, got {}", max_kl_points, kl_points));
    kl_points_ = kl_points;
    kl_normals_.resize(kl_points * n);
    for (std::size_t m = 0; m < kl_points; ++m)
      for (std::size_t d = 0; d < n; ++d)
        kl_normals_[m * n + d] = core::normal_quantile(radical_inverse(m + 1, halton_bases[d]));
  }
}

double profile_criteria::scalar_information(std::size_t i, double t) const noexcept {
  if (dichotomous_[i]) return irt::dichotomous_information(1.0, intercept_[i], lower_[i], upper_[i], t);
  return irt::information(items_.links[i], t);
}

void profile_criteria::accumulated_information(std::span<const double> theta, std::span<const response> answered,
                                               std::span<double> out) const noexcept {
  const std::size_t n = dims_;
  std::fill(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n * n), 0.0);
  for (const auto& r : answered)
    if (r.item < items_.size()) irt::add_information<double>(items_, r.item, theta, out);
  if (uses_prior(criterion_))
    for (std::size_t k = 0; k < n * n; ++k) out[k] += precision_[k];
}

profile_step_info profile_criteria::evaluate(std::span<const double> theta, std::span<const response> answered,
                                             std::span<const std::uint32_t> candidates, std::span<double> value,
                                             std::span<double> score) const noexcept {
  const std::size_t n = dims_;
  matrix a{};
  accumulated_information(theta, answered, a);
  profile_step_info info;
  if (criterion_ == profile_criterion::kl) {
    evaluate_kl(theta, answered, a.data(), candidates, value, score);
    return info;
  }
  const double* slopes = items_.slopes.data();
  double trace_wa = 0.0;
  for (std::size_t d = 0; d < n; ++d) trace_wa += weights_[d] * a[d * n + d];
  // T's score: also what D and A take when A is too singular to rank the items.
  // Most steps score most of the table: then one dense pass over every item (value and score
  // are scratch of one slot per item) is cheaper than the per-candidate loop.
  const std::size_t count = items_.size();
  const bool dense = all_dichotomous_ && 2 * candidates.size() >= count && value.size() >= count && score.size() >= count;
  auto t_rule = [&] {
    if (dense) {
      projection_sweep(slopes_by_dim_.data(), count, n, theta.data(), score.data());
      std::copy(weighted_a2_.begin(), weighted_a2_.end(), value.begin());
      combine_sweep(intercept_.data(), lower_.data(), upper_.data(), score.data(), value.data(), count, trace_wa);
      for (auto i : candidates) score[i] = value[i];
      return;
    }
    for (auto i : candidates) {
      value[i] = score[i] = trace_wa + scalar_information(i, items_.projection(i, theta)) * weighted_a2_[i];
    }
  };
  if (criterion_ == profile_criterion::t_optimal || criterion_ == profile_criterion::tp_optimal) {
    t_rule();
    return info;
  }
  matrix l{};
  const bool definite = cholesky(a.data(), n, l.data());
  double det = 1.0;
  if (definite)
    for (std::size_t d = 0; d < n; ++d) det *= l[d * n + d] * l[d * n + d];
  if (criterion_ == profile_criterion::d_optimal || criterion_ == profile_criterion::dp_optimal) {
    matrix b{};
    if (definite) {
      inverse_from_cholesky(l.data(), n, b.data());
      for (std::size_t k = 0; k < n * n; ++k) b[k] *= det;
    } else {
      adjugate(a.data(), n, b.data());
      matrix copy = a;
      det = determinant(copy.data(), n);
    }
    info.det_a = det;
    double bmax = 0.0;
    for (std::size_t k = 0; k < n * n; ++k) bmax = std::max(bmax, std::abs(b[k]));
    if (!(bmax > 0.0)) {  // rank below D - 1: every det(A + I_j) is 0
      info.tied = true;
      t_rule();
      return info;
    }
    // a' B a over B's upper triangle, off-diagonal entries doubled (B is symmetric): D (D + 1) / 2
    // products per item instead of D^2.
    matrix upper{};
    for (std::size_t r = 0; r < n; ++r)
      for (std::size_t c = r; c < n; ++c) upper[r * n + c] = r == c ? b[r * n + c] : b[r * n + c] + b[c * n + r];
    if (dense) {
      // t into value, q into score, then value = det + I(t) q.
      projection_sweep(slopes_by_dim_.data(), count, n, theta.data(), value.data());
      quadratic_sweep(slopes_by_dim_.data(), count, n, upper.data(), score.data());
      combine_sweep(intercept_.data(), lower_.data(), upper_.data(), value.data(), score.data(), count, det);
      for (auto i : candidates) value[i] = score[i];
      return info;
    }
    for (auto i : candidates) {
      const double* ai = slopes + i * n;
      double t = 0.0, q = 0.0;
      for (std::size_t r = 0; r < n; ++r) {
        t += ai[r] * theta[r];
        double row = 0.0;
        for (std::size_t c = r; c < n; ++c) row += upper[r * n + c] * ai[c];
        q += ai[r] * row;
      }
      value[i] = score[i] = det + scalar_information(i, t) * q;
    }
    return info;
  }
  // A-optimality.
  info.det_a = det;
  if (!definite) {
    info.tied = true;
    t_rule();
    return info;
  }
  matrix c{};
  inverse_from_cholesky(l.data(), n, c.data());
  double trace_wc = 0.0;
  for (std::size_t d = 0; d < n; ++d) trace_wc += weights_[d] * c[d * n + d];
  for (auto i : candidates) {
    const double* ai = slopes + i * n;
    double t = 0.0;
    for (std::size_t d = 0; d < n; ++d) t += ai[d] * theta[d];
    const double w = scalar_information(i, t);
    double au = 0.0, uwu = 0.0;  // u = C a_i is formed one entry at a time
    for (std::size_t r = 0; r < n; ++r) {
      double x = 0.0;
      for (std::size_t k = 0; k < n; ++k) x += c[r * n + k] * ai[k];
      au += ai[r] * x;
      uwu += weights_[r] * x * x;
    }
    value[i] = trace_wc - w * uwu / (1.0 + w * au);
    score[i] = -value[i];
  }
  return info;
}

void profile_criteria::evaluate_kl(std::span<const double> theta, std::span<const response> answered, const double* a_mat,
                                   std::span<const std::uint32_t> candidates, std::span<double> value,
                                   std::span<double> score) const noexcept {
  const std::size_t n = dims_, mcount = kl_points_;
  // The Laplace approximation: covariance (A + S^-1)^-1 (A holds S^-1 already), its factor.
  matrix l{}, cov{}, lc{};
  if (!cholesky(a_mat, n, l.data())) {  // cannot happen with a proper prior; stay defined
    for (auto i : candidates) value[i] = score[i] = 0.0;
    return;
  }
  inverse_from_cholesky(l.data(), n, cov.data());
  if (!cholesky(cov.data(), n, lc.data())) {
    for (auto i : candidates) value[i] = score[i] = 0.0;
    return;
  }
  std::array<double, max_kl_points * md> pts;
  std::array<double, max_kl_points> logw;
  double lp[irt::max_categories];
  double top = -std::numeric_limits<double>::infinity();
  for (std::size_t m = 0; m < mcount; ++m) {
    const double* z = kl_normals_.data() + m * n;
    double* th = pts.data() + m * n;
    double zz = 0.0;
    for (std::size_t r = 0; r < n; ++r) {
      double x = theta[r];
      for (std::size_t k = 0; k <= r; ++k) x += lc[r * n + k] * z[k];
      th[r] = x;
      zz += z[r] * z[r];
    }
    // log posterior (up to a constant) minus log proposal (up to a constant).
    double lw = 0.5 * zz;
    vector dev{};
    for (std::size_t r = 0; r < n; ++r) dev[r] = th[r] - mean_[r];
    lw -= 0.5 * quadratic(precision_.data(), dev.data(), n);
    const std::span<const double> th_span(th, n);
    for (const auto& r : answered) {
      if (r.item >= items_.size() || r.category < 0 || r.category >= items_.links.categories(r.item)) continue;
      irt::log_probabilities<double>(items_, r.item, th_span, lp);
      lw += lp[r.category];
    }
    logw[m] = lw;
    top = std::max(top, lw);
  }
  double total = 0.0;
  for (std::size_t m = 0; m < mcount; ++m) {
    logw[m] = std::exp(logw[m] - top);
    total += logw[m];
  }
  for (std::size_t m = 0; m < mcount; ++m) logw[m] /= total;
  double lp_hat[irt::max_categories], p_hat[irt::max_categories];
  for (auto i : candidates) {
    const auto link = items_.links[i];
    const int kc = items_.links.categories(i);
    const double* ai = items_.slopes.data() + static_cast<std::size_t>(i) * n;
    double t_hat = 0.0;
    for (std::size_t d = 0; d < n; ++d) t_hat += ai[d] * theta[d];
    irt::log_probabilities(link, t_hat, lp_hat);
    for (int k = 0; k < kc; ++k) p_hat[k] = std::exp(lp_hat[k]);
    double kl = 0.0;
    if (dichotomous_[i]) {
      // Two categories: P(t) = c + (u - c) / (1 + exp(-(t + d))), KL in closed form.
      const double c = lower_[i], span = upper_[i] - lower_[i], d = intercept_[i];
      const double p1 = p_hat[1], p0 = p_hat[0];
      for (std::size_t m = 0; m < mcount; ++m) {
        const double* th = pts.data() + m * n;
        double t = d;
        for (std::size_t k = 0; k < n; ++k) t += ai[k] * th[k];
        t = std::clamp(t, -35.0, 35.0);  // keeps p and q above 0 (e^-35 ~ 6e-16)
        const double e = std::exp(-t);
        const double sig = 1.0 / (1.0 + e);
        const double p = c + span * sig, q = (1.0 - upper_[i]) + span * e * sig;
        kl += logw[m] * (p1 * (lp_hat[1] - std::log(p)) + p0 * (lp_hat[0] - std::log(q)));
      }
      value[i] = score[i] = kl;
      continue;
    }
    for (std::size_t m = 0; m < mcount; ++m) {
      const double* th = pts.data() + m * n;
      double t = 0.0;
      for (std::size_t d = 0; d < n; ++d) t += ai[d] * th[d];
      irt::log_probabilities(link, t, lp);
      double s = 0.0;
      for (int k = 0; k < kc; ++k) s += p_hat[k] * (lp_hat[k] - lp[k]);
      kl += logw[m] * s;
    }
    value[i] = score[i] = kl;
  }
}

}  // namespace cat
DSKILL_END_NAMESPACE
