// Profile (multidimensional) MAP and EAP: see dskill/estimate/multidim.hpp for the methods and
// their defaults. Everything here is double; the hot loops work on raw arrays of at most
// max_dims (max_dims^2) values and hand Eigen only the small solves.
#include "dskill/estimate/multidim.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>

#include "dskill/core/normal.hpp"
#include "dskill/core/qmc.hpp"
#include "dskill/core/quadrature.hpp"
#include "dskill/core/rng.hpp"
#include "dskill/detail/fast_math.hpp"
#include "dskill/detail/format.hpp"
#include "dskill/error.hpp"
#include "dskill/irt/kernels.hpp"

DSKILL_BEGIN_NAMESPACE
namespace estimate {
namespace {

using dskill::detail::concat;
constexpr std::size_t md = static_cast<std::size_t>(max_dims);
// Grid tables floor log P here (as estimate-inl.hpp): a finite floor keeps every node finite.
constexpr double min_log_p = -1e6;
// exp_vectorizable's domain; a weight below exp(-708) of the mode's adds nothing.
constexpr double min_exponent = -708.0;
constexpr std::size_t max_qmc_points = 10'000'000;

// ---- per-item terms -----------------------------------------------------------------------------

struct item_terms {
  double log_p, d1, d2, info;  // in t = a . theta: d/dt log P, d2/dt2 log P, Fisher information
};

inline bool usable(const irt::multidim_table& items, const response& r) noexcept {
  return r.item < items.size() && r.category >= 0 && r.category < items.links.categories(r.item);
}

// The terms of item i's link at t. Dichotomous items in closed form from one exp and one log
// (as estimate-inl.hpp's add_dichotomous; exact for |z| <= 300, the clamp keeps both tails of
// sigma normal doubles beyond), the others through the general kernel.
inline item_terms terms_at(const irt::item_table& links, std::size_t i, double t, int category) noexcept {
  if (irt::is_dichotomous(links.kinds[i])) {
    const irt::dichotomous_params<double> p =
        links.packed.empty() ? irt::dichotomous_params<double>{links.slopes[i], links.intercept(i), links.lowers[i], links.uppers[i]}
                             : links.packed[i];
    const double s = p.slope;
    double z = s * t + p.intercept;
    z = z < -300.0 ? -300.0 : (z > 300.0 ? 300.0 : z);
    const double e = std::exp(-std::abs(z));
    const double large = 1.0 / (1.0 + e), small = e * large;
    const double sig = z >= 0 ? large : small, sig_bar = z >= 0 ? small : large;
    if (p.lower == 0.0 && p.upper == 1.0) {  // 2PL: P = sigma, no asymptote ratios
      const double curvature = -s * s * sig * sig_bar;
      const double info = -curvature;
      if (category) return {std::log(sig), s * sig_bar, curvature, info};
      return {std::log(sig_bar), -s * sig, curvature, info};
    }
    const double span = p.upper - p.lower;
    const double prob1 = p.lower + span * sig;
    const double prob0 = (1.0 - p.upper) + span * sig_bar;
    const double w1 = span * sig / prob1, w0 = span * sig_bar / prob0;
    const double g1 = s * sig_bar * w1, g0 = -s * sig * w0;
    const double info = prob1 * g1 * g1 + prob0 * g0 * g0;
    if (category) return {std::log(prob1), g1, s * s * sig_bar * (sig_bar - sig) * w1 - g1 * g1, info};
    return {std::log(prob0), g0, -s * s * sig * (sig_bar - sig) * w0 - g0 * g0, info};
  }
  const auto r = irt::response_at(links[i], t, category);
  return {r.log_p, r.d1, r.d2, r.info};
}

inline double log_p_at(const irt::item_table& links, std::size_t i, double t, int category) noexcept {
  return std::max(terms_at(links, i, t, category).log_p, min_log_p);
}

// Small dense algebra on row-major n x n arrays (n <= max_dims): plain loops, which at these
// sizes beat Eigen's dynamic-size kernels (no blocking, no dispatch).
using vec = std::array<double, md>;
using mat = std::array<double, md * md>;

// Cholesky factor L (lower triangle, in place) of a symmetric positive definite matrix, with the
// reciprocals of its diagonal in the diagonal (solves multiply: a chain of divisions would cost
// more than the rest of a 5 x 5 solve); false when a pivot is not a positive finite number.
bool cholesky(mat& a, std::size_t n) noexcept {
  for (std::size_t j = 0; j < n; ++j) {
    double pivot = a[j * n + j];
    for (std::size_t k = 0; k < j; ++k) pivot -= a[j * n + k] * a[j * n + k];
    if (!(pivot > 0) || !std::isfinite(pivot)) return false;
    const double inverse = 1.0 / std::sqrt(pivot);
    a[j * n + j] = inverse;
    for (std::size_t i = j + 1; i < n; ++i) {
      double v = a[i * n + j];
      for (std::size_t k = 0; k < j; ++k) v -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = v * inverse;
    }
  }
  return true;
}

// Solves L L' x = b in place (l from cholesky).
void cholesky_solve(const mat& l, std::size_t n, vec& b) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    double v = b[i];
    for (std::size_t k = 0; k < i; ++k) v -= l[i * n + k] * b[k];
    b[i] = v * l[i * n + i];
  }
  for (std::size_t i = n; i-- > 0;) {
    double v = b[i];
    for (std::size_t k = i + 1; k < n; ++k) v -= l[k * n + i] * b[k];
    b[i] = v * l[i * n + i];
  }
}

// The inverse of a symmetric positive definite matrix, or false.
bool spd_inverse(mat a, std::size_t n, profile_matrix& inverse) noexcept {
  if (!cholesky(a, n)) return false;
  const auto size = static_cast<Eigen::Index>(n);
  inverse = profile_matrix(size, size);
  for (std::size_t c = 0; c < n; ++c) {
    vec e{};
    e[c] = 1.0;
    cholesky_solve(a, n, e);
    for (std::size_t r = 0; r < n; ++r) inverse(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = e[r];
  }
  inverse = 0.5 * (inverse + inverse.transpose());
  return inverse.allFinite() && (inverse.diagonal().array() > 0).all();
}

// ---- the prior ----------------------------------------------------------------------------------

using detail::prepared_prior;

prepared_prior prepare_prior(const mvn_prior& given, std::size_t dims) {
  prepared_prior p;
  p.dims = dims;
  const mvn_prior prior = given.dims() == 0 && given.covariance.size() == 0 ? mvn_prior::standard(dims) : given;
  if (prior.dims() != dims || static_cast<std::size_t>(prior.covariance.rows()) != dims ||
      static_cast<std::size_t>(prior.covariance.cols()) != dims)
    throw invalid_argument(concat("the prior has a mean of size ", prior.dims(), " and a ", prior.covariance.rows(), " x ",
                                  prior.covariance.cols(), " covariance; the table has ", dims, " dimensions"));
  for (std::size_t r = 0; r < dims; ++r) {
    if (!std::isfinite(prior.mean[static_cast<Eigen::Index>(r)]))
      throw invalid_argument(concat("prior mean ", r + 1, " is not finite"));
    for (std::size_t c = 0; c < dims; ++c) {
      const double v = prior.covariance(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c));
      const double w = prior.covariance(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(r));
      if (!std::isfinite(v)) throw invalid_argument(concat("prior covariance (", r + 1, ", ", c + 1, ") is not finite"));
      if (std::abs(v - w) > 1e-12 * std::max({1.0, std::abs(v), std::abs(w)}))
        throw invalid_argument(concat("the prior covariance is not symmetric at (", r + 1, ", ", c + 1, "): ", v, " vs ", w));
    }
  }
  p.mean = prior.mean;
  p.covariance = 0.5 * (prior.covariance + prior.covariance.transpose());
  mat l{};
  for (std::size_t r = 0; r < dims; ++r)
    for (std::size_t c = 0; c < dims; ++c) l[r * dims + c] = p.covariance(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c));
  mat chol = l;
  if (!cholesky(chol, dims) || !spd_inverse(l, dims, p.precision))
    throw invalid_argument("the prior covariance is not positive definite");
  const auto n = static_cast<Eigen::Index>(dims);
  p.cholesky = profile_matrix::Zero(n, n);
  for (std::size_t r = 0; r < dims; ++r) {
    p.mean_a[r] = p.mean[static_cast<Eigen::Index>(r)];
    for (std::size_t c = 0; c < dims; ++c) {
      if (c <= r)
        p.cholesky(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) =
            c == r ? 1.0 / chol[r * dims + c] : chol[r * dims + c];
      p.precision_rm[r * dims + c] = p.precision(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c));
    }
  }
  return p;
}

profile_result prior_result(const prepared_prior& p) {
  profile_result out;
  out.theta = p.mean;
  out.covariance = p.covariance;
  out.se = p.covariance.diagonal().cwiseSqrt();
  out.state = status::no_responses;
  return out;
}

double half_quadratic(const prepared_prior& p, const double* x) noexcept {
  const std::size_t n = p.dims;
  double sum = 0.0;
  for (std::size_t r = 0; r < n; ++r) {
    double row = 0.0;
    for (std::size_t c = 0; c < n; ++c) row += p.precision_rm[r * n + c] * (x[c] - p.mean_a[c]);
    sum += (x[r] - p.mean_a[r]) * row;
  }
  return 0.5 * sum;
}

// ---- pattern sums (MAP) -------------------------------------------------------------------------

struct pattern_sums {
  double value = 0.0;  // log-likelihood
  std::array<double, md> grad{};
  std::array<double, md * md> hess{};  // row-major, log-likelihood
  int answered = 0;
};

// Sums over the answered items at theta: the log-likelihood, its gradient and its Hessian (or,
// with Expected, the Fisher information in place of the Hessian). The rank-one updates fill the
// upper triangle, skipping the dimensions an item does not load on (a between-item table touches
// one entry per item), then mirror it.
template <bool Expected>
void pattern_at(const irt::multidim_table& items, std::span<const response> responses, const double* theta,
                pattern_sums& out) noexcept {
  const std::size_t dims = items.dims;
  pattern_sums s;
  const double* slopes = items.slopes.data();
  for (const auto& r : responses) {
    if (!usable(items, r)) continue;
    const double* a = slopes + static_cast<std::size_t>(r.item) * dims;
    double t = 0.0;
    for (std::size_t d = 0; d < dims; ++d) t += a[d] * theta[d];
    const item_terms k = terms_at(items.links, r.item, t, r.category);
    s.value += k.log_p;
    const double curvature = Expected ? k.info : k.d2;
    for (std::size_t row = 0; row < dims; ++row) {
      if (a[row] == 0.0) continue;
      s.grad[row] += k.d1 * a[row];
      const double w = curvature * a[row];
      for (std::size_t c = row; c < dims; ++c) s.hess[row * dims + c] += w * a[c];
    }
    ++s.answered;
  }
  for (std::size_t row = 0; row < dims; ++row)
    for (std::size_t c = 0; c < row; ++c) s.hess[row * dims + c] = s.hess[c * dims + row];
  out = s;
}

profile_matrix to_matrix(const std::array<double, md * md>& m, std::size_t dims) {
  const auto n = static_cast<Eigen::Index>(dims);
  profile_matrix out(n, n);
  for (Eigen::Index r = 0; r < n; ++r)
    for (Eigen::Index c = 0; c < n; ++c) out(r, c) = m[static_cast<std::size_t>(r) * dims + static_cast<std::size_t>(c)];
  return out;
}

profile_result map_estimate(const irt::multidim_table& items, std::span<const response> responses,
                            const profile_options& opts, const prepared_prior& prior) {
  const std::size_t dims = items.dims;
  const auto n = static_cast<Eigen::Index>(dims);
  const double lo = opts.lower_bound, hi = opts.upper_bound;
  const mat& precision = prior.precision_rm;
  vec x{}, next{}, g{};
  for (std::size_t d = 0; d < dims; ++d) x[d] = std::clamp(prior.mean_a[d], lo, hi);

  pattern_sums e, en;
  pattern_at<false>(items, responses, x.data(), e);
  if (e.answered == 0) return prior_result(prior);
  int evaluations = 1;
  const auto posterior_gradient = [&](const pattern_sums& s, const vec& at, vec& out) {
    for (std::size_t r = 0; r < dims; ++r) {
      double prior_part = 0.0;
      for (std::size_t c = 0; c < dims; ++c) prior_part += precision[r * dims + c] * (at[c] - prior.mean_a[c]);
      out[r] = s.grad[r] - prior_part;
    }
  };
  // Minus the Hessian of the log-posterior at `at` (observed), or the expected information plus
  // the precision (expected).
  const auto newton_matrix = [&](const pattern_sums& s, bool expected, const vec& at, mat& a) {
    if (expected) {
      pattern_sums info;
      pattern_at<true>(items, responses, at.data(), info);
      for (std::size_t k = 0; k < dims * dims; ++k) a[k] = info.hess[k] + precision[k];
    } else {
      for (std::size_t k = 0; k < dims * dims; ++k) a[k] = precision[k] - s.hess[k];
    }
  };
  double f = e.value - half_quadratic(prior, x.data());
  posterior_gradient(e, x, g);

  const auto on_bound = [&](std::size_t d) { return (x[d] <= lo && g[d] < 0) || (x[d] >= hi && g[d] > 0); };
  const auto finish = [&](status s) {
    profile_result out;
    out.theta = profile_vector(n);
    for (std::size_t d = 0; d < dims; ++d) out.theta[static_cast<Eigen::Index>(d)] = x[d];
    mat a{};
    bool done = false;
    if (opts.se_information == information_kind::observed) {
      newton_matrix(e, false, x, a);
      done = spd_inverse(a, dims, out.covariance);
    }
    if (!done) {
      newton_matrix(e, true, x, a);
      if (!spd_inverse(a, dims, out.covariance)) out.covariance = prior.covariance;
    }
    out.se = out.covariance.diagonal().cwiseSqrt();
    out.iterations = evaluations;
    out.state = s;
    if (s == status::ok)
      for (std::size_t d = 0; d < dims; ++d)
        if (on_bound(d)) {
          out.state = x[d] >= hi ? status::at_upper_bound : status::at_lower_bound;
          break;
        }
    return out;
  };

  while (true) {
    // Newton direction on the free coordinates (those not held on the box by the gradient):
    // observed information plus precision, or Fisher scoring where that is not positive definite.
    mat a{}, l{};
    newton_matrix(e, false, x, a);
    l = a;
    if (!cholesky(l, dims)) {
      newton_matrix(e, true, x, a);
      l = a;
      if (!cholesky(l, dims)) return finish(status::ok);  // not reached: the precision is positive definite
    }
    vec step{};
    bool any_fixed = false;
    for (std::size_t d = 0; d < dims; ++d) {
      const bool fixed = on_bound(d);
      any_fixed = any_fixed || fixed;
      step[d] = fixed ? 0.0 : g[d];
    }
    if (any_fixed) {
      for (std::size_t d = 0; d < dims; ++d)
        if (on_bound(d))
          for (std::size_t k = 0; k < dims; ++k) a[d * dims + k] = a[k * dims + d] = k == d ? 1.0 : 0.0;
      l = a;
      if (!cholesky(l, dims)) return finish(status::ok);
    }
    cholesky_solve(l, dims, step);
    double largest_step = 0.0;
    for (std::size_t d = 0; d < dims; ++d) largest_step = std::max(largest_step, std::abs(step[d]));
    if (!std::isfinite(largest_step) || largest_step < opts.tolerance) return finish(status::ok);
    // Step halving until the log-posterior does not decrease (to rounding).
    bool accepted = false;
    for (double scale = 1.0; scale > 1e-12; scale *= 0.5) {
      bool moved = false;
      for (std::size_t d = 0; d < dims; ++d) {
        next[d] = std::clamp(x[d] + scale * step[d], lo, hi);
        moved = moved || next[d] != x[d];
      }
      if (!moved) break;
      if (evaluations >= opts.max_iterations) return finish(status::max_iterations);
      pattern_at<false>(items, responses, next.data(), en);
      ++evaluations;
      const double fn = en.value - half_quadratic(prior, next.data());
      if (fn >= f - 1e-13 * std::max(1.0, std::abs(f))) {
        accepted = true;
        double largest = 0.0;
        for (std::size_t d = 0; d < dims; ++d) largest = std::max(largest, std::abs(next[d] - x[d]));
        x = next;
        e = en;
        f = fn;
        posterior_gradient(e, x, g);
        if (largest < opts.tolerance) return finish(status::ok);
        break;
      }
    }
    if (!accepted) return finish(status::ok);  // no step improves f: x is the mode to rounding
  }
}

// ---- product grids ------------------------------------------------------------------------------

std::size_t power(std::size_t base, std::size_t exponent) noexcept {
  std::size_t out = 1;
  for (std::size_t k = 0; k < exponent; ++k) out *= base;
  return out;
}

std::uint32_t loading_mask(const double* a, std::size_t dims) noexcept {
  std::uint32_t mask = 0;
  for (std::size_t d = 0; d < dims; ++d)
    if (a[d] != 0.0) mask |= 1u << d;
  return mask;
}

// The loaded dimensions of a mask, in order.
std::size_t mask_dims(std::uint32_t mask, std::size_t dims, std::array<std::size_t, md>& out) noexcept {
  std::size_t k = 0;
  for (std::size_t d = 0; d < dims; ++d)
    if (mask & (1u << d)) out[k++] = d;
  return k;
}

// log P(category | sub-node) of item i on the sub-grid of the dimensions in `mask` (Q^k nodes,
// last loaded dimension fastest), added to out (or written, when !add).
void item_subgrid(const irt::multidim_table& items, std::size_t i, int category, std::uint32_t mask,
                  const std::vector<double>& points, double* out, bool add) {
  const std::size_t dims = items.dims, q_count = points.size();
  std::array<std::size_t, md> loaded{};
  const std::size_t k = mask_dims(mask, dims, loaded);
  const double* a = items.slopes.data() + i * dims;
  const std::size_t size = power(q_count, k);
  std::array<std::size_t, md> idx{};
  for (std::size_t m = 0; m < size; ++m) {
    double t = 0.0;
    for (std::size_t j = 0; j < k; ++j) t += a[loaded[j]] * points[idx[j]];
    const double lp = log_p_at(items.links, i, t, category);
    out[m] = add ? out[m] + lp : lp;
    for (std::size_t j = k; j-- > 0;) {
      if (++idx[j] < q_count) break;
      idx[j] = 0;
    }
  }
}

// out[node] += sub[sub-node of node] over the full Q^D grid (dimension 0 slowest), where the
// sub-grid spans the dimensions of `mask`.
DSKILL_CPU_DISPATCH void broadcast_add(const double* sub, std::uint32_t mask, std::size_t dims, std::size_t q_count,
                                       double* out) noexcept {
  std::array<std::size_t, md> stride{};
  std::size_t s = 1;
  for (std::size_t d = dims; d-- > 0;)
    if (mask & (1u << d)) {
      stride[d] = s;
      s *= q_count;
    }
  const std::size_t last = dims - 1, outer = power(q_count, last);
  std::array<std::size_t, md> idx{};
  std::size_t m = 0;
  for (std::size_t o = 0; o < outer; ++o) {
    double* DSKILL_RESTRICT row = out + o * q_count;
    if (stride[last] == 1) {
      const double* DSKILL_RESTRICT src = sub + m;
      for (std::size_t q = 0; q < q_count; ++q) row[q] += src[q];
    } else {
      const double c = sub[m];
      for (std::size_t q = 0; q < q_count; ++q) row[q] += c;
    }
    for (std::size_t d = last; d-- > 0;) {
      m += stride[d];
      if (++idx[d] < q_count) break;
      m -= stride[d] * q_count;
      idx[d] = 0;
    }
  }
}

// Log prior weight of every node of the Q^D grid: the MVN log density up to a constant,
// normalised so the weights sum to one.
std::vector<double> grid_log_weights(const prepared_prior& prior, const std::vector<double>& points) {
  const std::size_t dims = prior.dims, q_count = points.size(), count = power(q_count, dims);
  std::vector<double> out(count);
  std::array<std::size_t, md> idx{};
  std::array<double, md> x{};
  double top = -std::numeric_limits<double>::infinity();
  for (std::size_t n = 0; n < count; ++n) {
    for (std::size_t d = 0; d < dims; ++d) x[d] = points[idx[d]];
    out[n] = -half_quadratic(prior, x.data());
    top = std::max(top, out[n]);
    for (std::size_t d = dims; d-- > 0;) {
      if (++idx[d] < q_count) break;
      idx[d] = 0;
    }
  }
  double sum = 0.0;
  for (double v : out) sum += std::exp(v - top);
  const double log_total = top + std::log(sum);
  for (double& v : out) v -= log_total;
  return out;
}

// Posterior mean and covariance from log posterior values on the Q^D grid, centred on the node of
// largest value (the grid mode). The grid's rows (the last dimension, fastest) are taken in
// chunks of columns: per row, one vectorised exp per node, then the weights times each of the
// row's coefficients (1, x_d, x_d x_e over the other dimensions) added into per-column sums, so
// no loop is a reduction; the columns are reduced once per chunk.
constexpr std::size_t max_terms = 1 + (md - 1) + (md - 1) * md / 2;
DSKILL_CPU_DISPATCH void summarize_grid(const double* log_post, const std::vector<double>& points, std::size_t dims,
                                        profile_result& out) noexcept {
  const std::size_t q_count = points.size(), count = power(q_count, dims), last = dims - 1;
  const std::size_t rows = count / q_count, terms = 1 + last + last * dims / 2;
  // The largest value in eight lanes (a vectorised max), then the first node that holds it.
  std::array<double, 8> lane;
  lane.fill(-std::numeric_limits<double>::infinity());
  std::size_t node = 0;
  for (; node + 8 <= count; node += 8)
    for (std::size_t k = 0; k < 8; ++k) lane[k] = lane[k] > log_post[node + k] ? lane[k] : log_post[node + k];
  double top = lane[0];
  for (std::size_t k = 1; k < 8; ++k) top = std::max(top, lane[k]);
  for (; node < count; ++node) top = std::max(top, log_post[node]);
  std::size_t mode = 0;
  while (mode + 1 < count && log_post[mode] != top) ++mode;
  std::array<double, md> centre{};
  for (std::size_t d = dims, rest = mode; d-- > 0; rest /= q_count) centre[d] = points[rest % q_count];
  constexpr std::size_t chunk = 64;
  alignas(64) double w[chunk];
  alignas(64) double dx[chunk];
  alignas(64) double col[max_terms][chunk];
  std::array<double, max_terms> coef{}, sum{};
  std::array<double, md> sum_dx{};  // sum over columns of dx * col[j], j = 0 (the weight) and 1 + d (x_d)
  double sum_dx2 = 0.0;             // sum of dx^2 * col[0]
  std::array<double, md> x{};
  for (std::size_t q0 = 0; q0 < q_count; q0 += chunk) {
    const std::size_t cn = std::min(chunk, q_count - q0);
    for (std::size_t j = 0; j < terms; ++j) std::fill(col[j], col[j] + cn, 0.0);
    for (std::size_t q = 0; q < cn; ++q) dx[q] = points[q0 + q] - centre[last];
    std::array<std::size_t, md> idx{};
    for (std::size_t o = 0; o < rows; ++o) {
      for (std::size_t d = 0; d < last; ++d) x[d] = points[idx[d]] - centre[d];
      coef[0] = 1.0;
      std::size_t j = 1;
      for (std::size_t d = 0; d < last; ++d) coef[j++] = x[d];
      for (std::size_t d = 0; d < last; ++d)
        for (std::size_t e = d; e < last; ++e) coef[j++] = x[d] * x[e];
      const double* DSKILL_RESTRICT row = log_post + o * q_count + q0;
      for (std::size_t q = 0; q < cn; ++q) w[q] = dskill::detail::exp_vectorizable(std::max(row[q] - top, min_exponent));
      for (std::size_t t = 0; t < terms; ++t) {
        const double c = coef[t];
        double* DSKILL_RESTRICT target = col[t];
        for (std::size_t q = 0; q < cn; ++q) target[q] += c * w[q];
      }
      for (std::size_t d = last; d-- > 0;) {
        if (++idx[d] < q_count) break;
        idx[d] = 0;
      }
    }
    for (std::size_t t = 0; t < terms; ++t)
      for (std::size_t q = 0; q < cn; ++q) sum[t] += col[t][q];
    for (std::size_t t = 0; t <= last; ++t)
      for (std::size_t q = 0; q < cn; ++q) sum_dx[t] += dx[q] * col[t][q];
    for (std::size_t q = 0; q < cn; ++q) sum_dx2 += dx[q] * dx[q] * col[0][q];
  }
  // Moments about the centre: s0, s1[d], s2[d][e].
  const double s0 = sum[0];  // >= 1, the mode's own weight
  std::array<double, md> s1{};
  std::array<double, md * md> s2{};
  for (std::size_t d = 0; d < last; ++d) s1[d] = sum[1 + d];
  s1[last] = sum_dx[0];
  std::size_t j = 1 + last;
  for (std::size_t d = 0; d < last; ++d)
    for (std::size_t e = d; e < last; ++e) s2[d * dims + e] = sum[j++];
  for (std::size_t d = 0; d < last; ++d) s2[d * dims + last] = sum_dx[1 + d];
  s2[last * dims + last] = sum_dx2;
  const auto n = static_cast<Eigen::Index>(dims);
  out.theta = profile_vector(n);
  out.covariance = profile_matrix(n, n);
  std::array<double, md> shift{};
  for (std::size_t d = 0; d < dims; ++d) {
    shift[d] = s1[d] / s0;
    out.theta[static_cast<Eigen::Index>(d)] = centre[d] + shift[d];
  }
  for (std::size_t r = 0; r < dims; ++r)
    for (std::size_t c = r; c < dims; ++c) {
      double v = s2[r * dims + c] / s0 - shift[r] * shift[c];
      if (r == c) v = std::max(v, 0.0);
      out.covariance(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = v;
      out.covariance(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(r)) = v;
    }
  out.se = out.covariance.diagonal().cwiseSqrt();
}

std::vector<double> grid_points_of(const profile_options& opts, std::size_t dims) {
  const int q = opts.grid_points > 0 ? opts.grid_points : default_grid_points(dims);
  return grid_nodes({opts.grid_lo, opts.grid_hi, q});
}

profile_result grid_estimate(const irt::multidim_table& items, std::span<const response> responses,
                             const profile_options& opts, const prepared_prior& prior) {
  const std::size_t dims = items.dims;
  const std::vector<double> points = grid_points_of(opts, dims);
  const std::size_t q_count = points.size();
  std::vector<double> log_post = grid_log_weights(prior, points);
  // Items grouped by the dimensions they load on: each group sums on its sub-grid, then one
  // broadcast per group.
  std::array<std::int32_t, (1u << md)> group_of;
  group_of.fill(-1);
  std::vector<std::uint32_t> masks;
  std::vector<std::vector<double>> sums;
  int answered = 0;
  for (const auto& r : responses) {
    if (!usable(items, r)) continue;
    ++answered;
    const std::uint32_t mask = loading_mask(items.slopes.data() + static_cast<std::size_t>(r.item) * dims, dims);
    if (mask == 0) continue;  // a constant factor of the likelihood
    std::int32_t& g = group_of[mask];
    bool fresh = false;
    if (g < 0) {
      g = static_cast<std::int32_t>(masks.size());
      masks.push_back(mask);
      sums.emplace_back(power(q_count, static_cast<std::size_t>(std::popcount(mask))));
      fresh = true;
    }
    item_subgrid(items, r.item, r.category, mask, points, sums[static_cast<std::size_t>(g)].data(), !fresh);
  }
  if (answered == 0) return prior_result(prior);
  for (std::size_t g = 0; g < masks.size(); ++g) broadcast_add(sums[g].data(), masks[g], dims, q_count, log_post.data());
  profile_result out;
  summarize_grid(log_post.data(), points, dims, out);
  return out;
}

// ---- bifactor / two-tier ------------------------------------------------------------------------

profile_result bifactor_estimate(const irt::multidim_table& items, std::span<const response> responses,
                                 const profile_options& opts, const prepared_prior& prior, std::size_t general) {
  const std::size_t dims = items.dims, specifics = dims - general;
  const std::vector<double> points = grid_points_of(opts, dims);
  const std::size_t q_count = points.size(), n_general = power(q_count, general);
  // The general block's prior on its Q^g grid, each specific factor's on its Q points (the
  // precision is block diagonal: its blocks are the blocks' inverses).
  std::vector<double> log_w_general(n_general);
  {
    std::array<std::size_t, md> idx{};
    for (std::size_t n = 0; n < n_general; ++n) {
      double sum = 0.0;
      for (std::size_t r = 0; r < general; ++r)
        for (std::size_t c = 0; c < general; ++c)
          sum += (points[idx[r]] - prior.mean[static_cast<Eigen::Index>(r)]) *
                 prior.precision(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) *
                 (points[idx[c]] - prior.mean[static_cast<Eigen::Index>(c)]);
      log_w_general[n] = -0.5 * sum;
      for (std::size_t d = general; d-- > 0;) {
        if (++idx[d] < q_count) break;
        idx[d] = 0;
      }
    }
  }
  std::vector<double> log_w_specific(specifics * q_count);
  for (std::size_t s = 0; s < specifics; ++s) {
    const auto d = static_cast<Eigen::Index>(general + s);
    for (std::size_t q = 0; q < q_count; ++q) {
      const double dev = points[q] - prior.mean[d];
      log_w_specific[s * q_count + q] = -0.5 * dev * dev * prior.precision(d, d);
    }
  }
  // Log-likelihood of the items on the general factors only (per general node) and of each
  // specific factor's items (per general node and specific point).
  std::vector<double> ll_general(n_general, 0.0), ll_specific(specifics * n_general * q_count, 0.0);
  int answered = 0;
  for (const auto& r : responses) {
    if (!usable(items, r)) continue;
    ++answered;
    const double* a = items.slopes.data() + static_cast<std::size_t>(r.item) * dims;
    std::size_t spec = specifics;  // none
    for (std::size_t s = 0; s < specifics; ++s)
      if (a[general + s] != 0.0) spec = s;
    std::array<std::size_t, md> idx{};
    for (std::size_t n = 0; n < n_general; ++n) {
      double t = 0.0;
      for (std::size_t d = 0; d < general; ++d) t += a[d] * points[idx[d]];
      if (spec == specifics) {
        ll_general[n] += log_p_at(items.links, r.item, t, r.category);
      } else {
        double* row = ll_specific.data() + (spec * n_general + n) * q_count;
        const double as = a[general + spec];
        for (std::size_t q = 0; q < q_count; ++q) row[q] += log_p_at(items.links, r.item, t + as * points[q], r.category);
      }
      for (std::size_t d = general; d-- > 0;) {
        if (++idx[d] < q_count) break;
        idx[d] = 0;
      }
    }
  }
  if (answered == 0) return prior_result(prior);
  // Per general node and specific factor: log of the specific integral, conditional mean and
  // variance of the specific factor.
  std::vector<double> log_post(log_w_general);
  std::vector<double> cond_mean(specifics * n_general), cond_var(specifics * n_general);
  for (std::size_t n = 0; n < n_general; ++n) log_post[n] += ll_general[n];
  std::vector<double> z(q_count);
  for (std::size_t s = 0; s < specifics; ++s)
    for (std::size_t n = 0; n < n_general; ++n) {
      const double* row = ll_specific.data() + (s * n_general + n) * q_count;
      std::size_t mode = 0;
      for (std::size_t q = 0; q < q_count; ++q) {
        z[q] = log_w_specific[s * q_count + q] + row[q];
        if (z[q] > z[mode]) mode = q;
      }
      const double top = z[mode], centre = points[mode];
      double s0 = 0.0, s1 = 0.0, s2 = 0.0;
      for (std::size_t q = 0; q < q_count; ++q) {
        const double w = dskill::detail::exp_vectorizable(std::max(z[q] - top, min_exponent));
        const double dx = points[q] - centre;
        s0 += w;
        s1 += w * dx;
        s2 += w * dx * dx;
      }
      const double shift = s1 / s0;
      cond_mean[s * n_general + n] = centre + shift;
      cond_var[s * n_general + n] = std::max(0.0, s2 / s0 - shift * shift);
      log_post[n] += top + std::log(s0);
    }
  // The posterior over the general nodes, then the moments: E[theta_s] = E[E[theta_s | G]],
  // Cov = Cov of (theta_G, E[theta_s | G]) plus E[Var(theta_s | G)] on the specific diagonal
  // (the specific factors are independent given G).
  const double top = *std::max_element(log_post.begin(), log_post.end());
  double total = 0.0;
  for (double& v : log_post) {
    v = dskill::detail::exp_vectorizable(std::max(v - top, min_exponent));
    total += v;
  }
  const auto n_dims = static_cast<Eigen::Index>(dims);
  std::array<double, md> mean{}, y{};
  std::array<double, md * md> cov{};
  const auto node_values = [&](std::size_t n, const std::array<std::size_t, md>& idx) {
    for (std::size_t d = 0; d < general; ++d) y[d] = points[idx[d]];
    for (std::size_t s = 0; s < specifics; ++s) y[general + s] = cond_mean[s * n_general + n];
  };
  for (int pass = 0; pass < 2; ++pass) {
    std::array<std::size_t, md> idx{};
    for (std::size_t n = 0; n < n_general; ++n) {
      const double w = log_post[n] / total;
      node_values(n, idx);
      if (pass == 0) {
        for (std::size_t d = 0; d < dims; ++d) mean[d] += w * y[d];
      } else {
        for (std::size_t d = 0; d < dims; ++d) y[d] -= mean[d];
        for (std::size_t r = 0; r < dims; ++r)
          for (std::size_t c = r; c < dims; ++c) cov[r * dims + c] += w * y[r] * y[c];
        for (std::size_t s = 0; s < specifics; ++s)
          cov[(general + s) * dims + general + s] += w * cond_var[s * n_general + n];
      }
      for (std::size_t d = general; d-- > 0;) {
        if (++idx[d] < q_count) break;
        idx[d] = 0;
      }
    }
  }
  profile_result out;
  out.theta = profile_vector(n_dims);
  out.covariance = profile_matrix(n_dims, n_dims);
  for (std::size_t r = 0; r < dims; ++r) {
    out.theta[static_cast<Eigen::Index>(r)] = mean[r];
    for (std::size_t c = r; c < dims; ++c) {
      out.covariance(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = cov[r * dims + c];
      out.covariance(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(r)) = cov[r * dims + c];
    }
  }
  out.se = out.covariance.diagonal().cwiseMax(0.0).cwiseSqrt();
  return out;
}

// ---- quasi-Monte Carlo --------------------------------------------------------------------------

profile_result qmc_estimate(const irt::multidim_table& items, std::span<const response> responses,
                            const profile_options& opts, const prepared_prior& prior) {
  const std::size_t dims = items.dims, count = opts.qmc_points;
  int answered = 0;
  for (const auto& r : responses) answered += usable(items, r) ? 1 : 0;
  if (answered == 0) return prior_result(prior);
  // The Cranley-Patterson shift, one uniform per dimension from the seed.
  core::rng rng(opts.qmc_seed);
  std::array<double, md> shift{};
  for (std::size_t d = 0; d < dims; ++d) shift[d] = static_cast<double>(rng.next() >> 11) * 0x1.0p-53;
  // Points theta_j = mean + L z_j, z_j the shifted Halton points through Phi^-1 (core/qmc.hpp),
  // row-major; L is lower triangular, so each z_j is replaced in place from its last coordinate.
  std::vector<double> theta(count * dims);
  core::halton_normal(theta, dims, std::span<const double>(shift.data(), dims));
  for (std::size_t j = 0; j < count; ++j) {
    double* z = theta.data() + j * dims;
    for (std::size_t r = dims; r-- > 0;) {
      double v = prior.mean[static_cast<Eigen::Index>(r)];
      for (std::size_t c = 0; c <= r; ++c) v += prior.cholesky(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) * z[c];
      z[r] = v;
    }
  }
  std::vector<double> ll(count, 0.0);
  for (const auto& r : responses) {
    if (!usable(items, r)) continue;
    const double* a = items.slopes.data() + static_cast<std::size_t>(r.item) * dims;
    for (std::size_t j = 0; j < count; ++j) {
      const double* x = theta.data() + j * dims;
      double t = 0.0;
      for (std::size_t d = 0; d < dims; ++d) t += a[d] * x[d];
      ll[j] += log_p_at(items.links, r.item, t, r.category);
    }
  }
  const std::size_t mode = static_cast<std::size_t>(std::max_element(ll.begin(), ll.end()) - ll.begin());
  const double top = ll[mode];
  const double* centre = theta.data() + mode * dims;
  double s0 = 0.0;
  std::array<double, md> s1{}, dx{};
  std::array<double, md * md> s2{};
  for (std::size_t j = 0; j < count; ++j) {
    const double w = dskill::detail::exp_vectorizable(std::max(ll[j] - top, min_exponent));
    for (std::size_t d = 0; d < dims; ++d) dx[d] = theta[j * dims + d] - centre[d];
    s0 += w;
    for (std::size_t r = 0; r < dims; ++r) {
      s1[r] += w * dx[r];
      for (std::size_t c = r; c < dims; ++c) s2[r * dims + c] += w * dx[r] * dx[c];
    }
  }
  const auto n = static_cast<Eigen::Index>(dims);
  profile_result out;
  out.theta = profile_vector(n);
  out.covariance = profile_matrix(n, n);
  std::array<double, md> mean_shift{};
  for (std::size_t d = 0; d < dims; ++d) {
    mean_shift[d] = s1[d] / s0;
    out.theta[static_cast<Eigen::Index>(d)] = centre[d] + mean_shift[d];
  }
  for (std::size_t r = 0; r < dims; ++r)
    for (std::size_t c = r; c < dims; ++c) {
      double v = s2[r * dims + c] / s0 - mean_shift[r] * mean_shift[c];
      if (r == c) v = std::max(v, 0.0);
      out.covariance(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = v;
      out.covariance(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(r)) = v;
    }
  out.se = out.covariance.diagonal().cwiseSqrt();
  return out;
}

// ---- options ------------------------------------------------------------------------------------

// Which EAP integration a call uses (and, for bifactor, how many general factors).
struct eap_plan {
  profile_integration integration = profile_integration::grid;
  std::size_t general = 0;
};

eap_plan plan_eap(const profile_options& opts, const irt::multidim_table& items, const mvn_prior& prior) {
  const std::size_t dims = items.dims;
  switch (opts.integration) {
    case profile_integration::grid: return {profile_integration::grid, 0};
    case profile_integration::qmc: return {profile_integration::qmc, 0};
    case profile_integration::bifactor: {
      if (opts.general_dims > 0) {
        if (!has_bifactor_structure(items, prior, opts.general_dims))
          throw invalid_argument(concat("bifactor EAP with ", opts.general_dims,
                                        " general dimensions: an item loads on two specific dimensions, or the "
                                        "prior correlates a specific dimension with another"));
        return {profile_integration::bifactor, opts.general_dims};
      }
      const auto g = bifactor_general_dims(items, prior);
      if (!g) throw invalid_argument("bifactor EAP: the table and prior have no bifactor structure");
      return {profile_integration::bifactor, *g};
    }
    case profile_integration::automatic: break;
  }
  if (dims <= 3) return {profile_integration::grid, 0};
  std::optional<std::size_t> g;
  if (opts.general_dims > 0 && has_bifactor_structure(items, prior, opts.general_dims)) g = opts.general_dims;
  if (!g) g = bifactor_general_dims(items, prior);
  const std::size_t q = static_cast<std::size_t>(opts.grid_points > 0 ? opts.grid_points : default_grid_points(dims));
  if (g && power(q, *g + 1) <= static_cast<std::size_t>(max_grid_points)) return {profile_integration::bifactor, *g};
  return {profile_integration::qmc, 0};
}

prepared_prior check(const profile_options& opts, const irt::multidim_table& items) {
  const std::size_t dims = items.dims;
  if (dims < 1 || dims > md)
    throw invalid_argument(concat("a profile has 1 to ", max_dims, " dimensions, the table has ", dims));
  if (items.slopes.size() < items.size() * dims)
    throw invalid_argument(concat("the table has ", items.slopes.size(), " slopes for ", items.size(), " items of ",
                                  dims, " dimensions"));
  prepared_prior prior = prepare_prior(opts.prior, dims);
  if (!std::isfinite(opts.lower_bound) || !std::isfinite(opts.upper_bound) || !(opts.lower_bound < opts.upper_bound))
    throw invalid_argument(concat("estimation range needs finite lower_bound < upper_bound, got [", opts.lower_bound,
                                  ", ", opts.upper_bound, ']'));
  if (!(opts.tolerance > 0) || !std::isfinite(opts.tolerance))
    throw invalid_argument(concat("tolerance must be a finite number > 0, got ", opts.tolerance));
  if (opts.max_iterations < 1) throw invalid_argument(concat("max_iterations must be >= 1, got ", opts.max_iterations));
  if (opts.estimator == profile_method::eap) {
    if (!std::isfinite(opts.grid_lo) || !std::isfinite(opts.grid_hi) || !(opts.grid_lo < opts.grid_hi))
      throw invalid_argument(concat("the EAP grid needs finite grid_lo < grid_hi, got [", opts.grid_lo, ", ",
                                    opts.grid_hi, ']'));
    if (opts.grid_points < 0 || opts.grid_points == 1 || opts.grid_points > max_grid_points)
      throw invalid_argument(concat("grid_points must be 0 (the default) or 2 to ", max_grid_points, ", got ",
                                    opts.grid_points));
    const eap_plan plan = plan_eap(opts, items, opts.prior.dims() == 0 ? mvn_prior::standard(dims) : opts.prior);
    const auto q = static_cast<std::size_t>(opts.grid_points > 0 ? opts.grid_points : default_grid_points(dims));
    if (plan.integration == profile_integration::grid) {
      std::size_t nodes = 1;
      for (std::size_t d = 0; d < dims; ++d) {
        nodes *= q;
        if (nodes > static_cast<std::size_t>(max_grid_points))
          throw invalid_argument(concat("a full EAP grid of ", q, " points in ", dims, " dimensions exceeds ",
                                        max_grid_points, " nodes (use qmc or bifactor, or fewer points)"));
      }
    }
    if (plan.integration == profile_integration::bifactor && power(q, plan.general + 1) > static_cast<std::size_t>(max_grid_points))
      throw invalid_argument(concat("a bifactor EAP grid of ", q, " points with ", plan.general,
                                    " general dimensions exceeds ", max_grid_points, " nodes per specific factor"));
    if (plan.integration == profile_integration::qmc && (opts.qmc_points < 2 || opts.qmc_points > max_qmc_points))
      throw invalid_argument(concat("qmc_points must be 2 to ", max_qmc_points, ", got ", opts.qmc_points));
  }
  return prior;
}

}  // namespace

// ---- public -------------------------------------------------------------------------------------

mvn_prior mvn_prior::standard(std::size_t dims) {
  const auto n = static_cast<Eigen::Index>(std::min(dims, md));
  return {profile_vector::Zero(n), profile_matrix::Identity(n, n)};
}

std::string_view to_string(profile_method m) noexcept {
  switch (m) {
    case profile_method::map: return "map";
    case profile_method::eap: return "eap";
  }
  return "?";
}

std::string_view to_string(profile_integration m) noexcept {
  switch (m) {
    case profile_integration::automatic: return "automatic";
    case profile_integration::grid: return "grid";
    case profile_integration::bifactor: return "bifactor";
    case profile_integration::qmc: return "qmc";
  }
  return "?";
}

int default_grid_points(std::size_t dims) noexcept {
  switch (dims) {
    case 1: return 121;
    case 2: return 61;
    case 3: return 31;
    case 4: return 19;
    case 5: return 11;
    case 6: return 7;
    default: return 5;
  }
}

void validate(const profile_options& opts, const irt::multidim_table& items) { (void)check(opts, items); }

bool has_bifactor_structure(const irt::multidim_table& items, const mvn_prior& given, std::size_t general) {
  const std::size_t dims = items.dims;
  if (general < 1 || general >= dims || dims > md) return false;
  const mvn_prior prior = given.dims() == 0 ? mvn_prior::standard(dims) : given;
  if (prior.dims() != dims || static_cast<std::size_t>(prior.covariance.rows()) != dims) return false;
  for (std::size_t r = general; r < dims; ++r)
    for (std::size_t c = 0; c < dims; ++c) {
      if (c == r) continue;
      const auto ri = static_cast<Eigen::Index>(r), ci = static_cast<Eigen::Index>(c);
      const double scale = std::sqrt(std::abs(prior.covariance(ri, ri) * prior.covariance(ci, ci)));
      if (std::abs(prior.covariance(ri, ci)) > 1e-12 * scale || std::abs(prior.covariance(ci, ri)) > 1e-12 * scale)
        return false;
    }
  for (std::size_t i = 0; i < items.size(); ++i) {
    const double* a = items.slopes.data() + i * dims;
    int loaded = 0;
    for (std::size_t d = general; d < dims; ++d) loaded += a[d] != 0.0 ? 1 : 0;
    if (loaded > 1) return false;
  }
  return true;
}

std::optional<std::size_t> bifactor_general_dims(const irt::multidim_table& items, const mvn_prior& prior) {
  const std::size_t dims = items.dims;
  for (std::size_t g = 1; g + 2 <= dims; ++g)
    if (has_bifactor_structure(items, prior, g)) return g;
  return std::nullopt;
}

profile_estimator::profile_estimator(const irt::multidim_table& items, const profile_options& opts)
    : items_(items), opts_(opts), prior_(check(opts, items)) {
  if (opts.estimator == profile_method::eap) {
    const eap_plan plan = plan_eap(opts, items, {prior_.mean, prior_.covariance});
    integration_ = plan.integration;
    general_ = plan.general;
  }
}

profile_result profile_estimator::operator()(std::span<const response> responses) const {
  if (opts_.estimator == profile_method::map) return map_estimate(items_, responses, opts_, prior_);
  switch (integration_) {
    case profile_integration::bifactor: return bifactor_estimate(items_, responses, opts_, prior_, general_);
    case profile_integration::qmc: return qmc_estimate(items_, responses, opts_, prior_);
    default: return grid_estimate(items_, responses, opts_, prior_);
  }
}

profile_result estimate_profile(const irt::multidim_table& items, std::span<const response> responses,
                                const profile_options& opts) {
  return profile_estimator(items, opts)(responses);
}

double log_likelihood(const irt::multidim_table& items, std::span<const response> responses,
                      const profile_vector& theta) noexcept {
  if (static_cast<std::size_t>(theta.size()) != items.dims || items.dims > md) return 0.0;
  pattern_sums s;
  pattern_at<false>(items, responses, theta.data(), s);
  return s.value;
}

int log_likelihood_derivatives(const irt::multidim_table& items, std::span<const response> responses,
                               const profile_vector& theta, profile_vector& gradient, profile_matrix& hessian) noexcept {
  const std::size_t dims = items.dims;
  if (static_cast<std::size_t>(theta.size()) != dims || dims > md) return 0;
  pattern_sums s;
  pattern_at<false>(items, responses, theta.data(), s);
  gradient = profile_vector(static_cast<Eigen::Index>(dims));
  for (std::size_t d = 0; d < dims; ++d) gradient[static_cast<Eigen::Index>(d)] = s.grad[d];
  hessian = to_matrix(s.hess, dims);
  return s.answered;
}

profile_matrix test_information(const irt::multidim_table& items, std::span<const response> responses,
                                const profile_vector& theta) noexcept {
  const std::size_t dims = items.dims;
  if (static_cast<std::size_t>(theta.size()) != dims || dims > md) return {};
  pattern_sums s;
  pattern_at<true>(items, responses, theta.data(), s);
  return to_matrix(s.hess, dims);
}

// ---- the grid scorer ----------------------------------------------------------------------------

profile_eap_scorer::profile_eap_scorer(const irt::multidim_table& items, const profile_options& opts) {
  profile_options grid_opts = opts;
  grid_opts.estimator = profile_method::eap;
  grid_opts.integration = profile_integration::grid;
  const prepared_prior prior = check(grid_opts, items);
  dims_ = items.dims;
  prior_ = {prior.mean, prior.covariance};
  points_ = grid_points_of(opts, dims_);
  log_weights_ = grid_log_weights(prior, points_);
  const std::size_t q_count = points_.size();
  std::array<std::int32_t, (1u << md)> group_of;
  group_of.fill(-1);
  group_.resize(items.size());
  categories_.resize(items.size());
  offset_.resize(items.size() + 1);
  offset_[0] = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::uint32_t mask = loading_mask(items.slopes.data() + i * dims_, dims_);
    std::int32_t& g = group_of[mask];
    if (g < 0) {
      g = static_cast<std::int32_t>(group_mask_.size());
      group_mask_.push_back(mask);
      group_size_.push_back(power(q_count, static_cast<std::size_t>(std::popcount(mask))));
    }
    group_[i] = static_cast<std::uint32_t>(g);
    categories_[i] = static_cast<std::uint16_t>(items.links.categories(i));
    offset_[i + 1] = offset_[i] + categories_[i] * group_size_[static_cast<std::size_t>(g)];
  }
  table_.resize(offset_.back());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::size_t size = group_size_[group_[i]];
    for (int k = 0; k < categories_[i]; ++k)
      item_subgrid(items, i, k, group_mask_[group_[i]], points_, table_.data() + offset_[i] + static_cast<std::size_t>(k) * size,
                   false);
  }
  // Scratch: the Q^D sums, then each group's sub-grid sums, then one flag per group.
  group_offset_.resize(group_mask_.size());
  std::size_t at = log_weights_.size();
  for (std::size_t g = 0; g < group_mask_.size(); ++g) {
    group_offset_[g] = at;
    at += group_size_[g];
  }
  scratch_size_ = at + group_mask_.size();
}

profile_result profile_eap_scorer::operator()(std::span<const response> responses, std::span<double> scratch) const {
  if (scratch.size() < scratch_size_) return (*this)(responses);
  const std::size_t q_count = points_.size(), groups = group_mask_.size();
  double* sums = scratch.data();
  double* flags = scratch.data() + scratch_size_ - groups;
  std::fill(flags, flags + groups, 0.0);
  int answered = 0;
  for (const auto& r : responses) {
    if (r.item >= group_.size() || r.category < 0 || r.category >= categories_[r.item]) continue;
    ++answered;
    const std::uint32_t g = group_[r.item];
    if (group_mask_[g] == 0) continue;
    const std::size_t size = group_size_[g];
    const double* row = table_.data() + offset_[r.item] + static_cast<std::size_t>(r.category) * size;
    double* DSKILL_RESTRICT out = sums + group_offset_[g];
    if (flags[g] == 0.0) {
      std::copy(row, row + size, out);
      flags[g] = 1.0;
    } else {
      for (std::size_t m = 0; m < size; ++m) out[m] += row[m];
    }
  }
  if (answered == 0) {
    profile_result out;
    out.theta = prior_.mean;
    out.covariance = prior_.covariance;
    out.se = prior_.covariance.diagonal().cwiseSqrt();
    out.state = status::no_responses;
    return out;
  }
  std::copy(log_weights_.begin(), log_weights_.end(), sums);
  for (std::size_t g = 0; g < groups; ++g)
    if (flags[g] != 0.0) broadcast_add(sums + group_offset_[g], group_mask_[g], dims_, q_count, sums);
  profile_result out;
  summarize_grid(sums, points_, dims_, out);
  return out;
}

profile_result profile_eap_scorer::operator()(std::span<const response> responses) const {
  std::vector<double> scratch(scratch_size_);
  return (*this)(responses, scratch);
}

}  // namespace estimate
DSKILL_END_NAMESPACE
