// dskill::estimate: the bodies of the estimators (estimate.hpp), templates over the real type.
// Compiled for double and float in src/estimate/instantiate.cpp; included by estimate.hpp in
// header-only mode. Include it yourself to instantiate another real type.
//
// ML, MAP and WLE: a root of the estimating function on [lower_bound, upper_bound] by Newton's
// method kept inside a sign-change bracket (bisection when a step leaves it). EAP: posterior
// mean and SD on a quadrature grid, in log space with max-rescaling, so a long or extreme
// pattern never underflows; eap_scorer precomputes log P(k | node) for the whole table.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "dskill/detail/fast_math.hpp"
#include "dskill/detail/row_sums.hpp"
#include "dskill/estimate/estimate.hpp"
#include "dskill/irt/kernels.hpp"

DSKILL_BEGIN_NAMESPACE
namespace estimate {
namespace detail {

/// True when the response can be scored on this table (estimators skip the others).
template <class Real>
inline bool usable(const irt::basic_item_table<Real>& items, const response& r) noexcept {
  return r.item < items.size() && r.category >= 0 && r.category < items.categories(r.item);
}

/// Sums over the answered items at one theta (what ML, MAP and WLE need).
template <class Real>
struct basic_pattern_terms {
  Real d1 = 0;    ///< score l'
  Real d2 = 0;    ///< l''
  Real info = 0;  ///< test information I
  Real j = 0;     ///< Warm's J = sum_k P g h
  Real g3 = 0;    ///< sum_k P g^3 (so I' = 2J - g3)
  int answered = 0;
};
using pattern_terms = basic_pattern_terms<double>;

template <class Real>
inline constexpr Real infinity = std::numeric_limits<Real>::infinity();
// Below this the test information counts as zero (the WLE correction and SEs would blow up).
template <class Real>
inline constexpr Real min_information = std::is_same_v<Real, double> ? Real(1e-300) : std::numeric_limits<Real>::min();

// Dichotomous items in closed form from one exp (the general kernel's log-space forms take about
// ten transcendental calls, and estimators evaluate every answered item several times). The
// ratios w1 = (d - c) sigma / P and w0 = (d - c) sigma_bar / Q lie in (0, 1]. The terms are
// exact for |z| <= 300 (|theta - b| <= 50 at a = 6); beyond, the clamp only keeps both tails of
// sigma normal doubles, so nothing divides by zero.
template <class Real>
inline void add_dichotomous(const irt::dichotomous_params<Real>& item, Real theta, int category,
                            basic_pattern_terms<Real>& t) noexcept {
  const Real s = item.slope;
  Real z = s * theta + item.intercept;
  z = z < Real(-300) ? Real(-300) : (z > Real(300) ? Real(300) : z);
  const Real e = std::exp(-std::abs(z));
  const Real large = Real(1) / (Real(1) + e), small = e * large;
  const Real sig = z >= 0 ? large : small, sig_bar = z >= 0 ? small : large;
  const Real span = item.upper - item.lower;
  const Real p = item.lower + span * sig;
  const Real q = (Real(1) - item.upper) + span * sig_bar;
  const Real w1 = span * sig / p, w0 = span * sig_bar / q;
  const Real g1 = s * sig_bar * w1, g0 = -s * sig * w0;
  const Real h1 = s * s * sig_bar * (sig_bar - sig) * w1, h0 = -s * s * sig * (sig_bar - sig) * w0;
  const Real g = category ? g1 : g0, h = category ? h1 : h0;
  t.d1 += g;
  t.d2 += h - g * g;
  const Real pg1 = p * g1, qg0 = q * g0;
  t.info += pg1 * g1 + qg0 * g0;
  t.j += pg1 * h1 + qg0 * h0;
  t.g3 += pg1 * g1 * g1 + qg0 * g0 * g0;
  ++t.answered;
}

template <class Real>
basic_pattern_terms<Real> pattern_at(const irt::basic_item_table<Real>& items, std::span<const response> responses,
                                     Real theta) noexcept {
  // The sums live in a local, not in the return slot: the caller's slot may alias what the
  // kernels write, so the compiler would store the sums to memory around every call.
  basic_pattern_terms<Real> t;
  for (const auto& r : responses) {
    // usable(items, r), with the item's kind read once
    if (r.item >= items.size() || r.category < 0) continue;
    if (irt::is_dichotomous(items.kinds[r.item])) {  // read in place: no item_ref to build
      if (r.category > 1) continue;
      const std::size_t i = r.item;
      add_dichotomous(items.packed.empty()
                          ? irt::dichotomous_params<Real>{items.slopes[i], items.intercept(i), items.lowers[i], items.uppers[i]}
                          : items.packed[i],
                      theta, r.category, t);
      continue;
    }
    if (r.category >= items.categories(r.item)) continue;
    const auto item = items[r.item];
    Real lp[irt::max_categories], g[irt::max_categories] = {}, h[irt::max_categories] = {};  // {}: GCC 12 cannot see category_terms fill them
    irt::category_terms(item, theta, lp, g, h);
    const int c = r.category;
    t.d1 += g[c];
    t.d2 += h[c] - g[c] * g[c];
    for (int k = 0; k < item.categories(); ++k) {
      const Real pg = std::exp(lp[k]) * g[k];
      t.info += pg * g[k];
      t.j += pg * h[k];
      t.g3 += pg * g[k] * g[k];
    }
    ++t.answered;
  }
  return basic_pattern_terms<Real>(t);
}
/// The double form, which also takes an item_bank (tests compare it with the kernels).
inline pattern_terms pattern_at(const irt::item_table& items, std::span<const response> responses,
                                double theta) noexcept {
  return pattern_at<double>(items, responses, theta);
}

/// The estimating function of one estimator: its value (to be zeroed) and the parts the SE needs.
template <class Real>
struct evaluation {
  Real f = 0;        ///< estimating function
  Real df = 0;       ///< its derivative, exact for ML/MAP, without the WLE penalty's part
  Real penalty = 0;  ///< WLE: the correction added to the score (J/2I or I'/2I)
  basic_pattern_terms<Real> terms;
};

template <class Real>
class estimating_function {
 public:
  estimating_function(const irt::basic_item_table<Real>& items, std::span<const response> responses,
                      const options& opts) noexcept
      : items_(items), responses_(responses), opts_(opts) {
    normal_prior_ = opts.estimator == method::map && opts.prior_.kind == prior_kind::normal;
    if (normal_prior_) precision_ = static_cast<Real>(1.0 / (opts.prior_.sd * opts.prior_.sd));
  }

  evaluation<Real> operator()(Real theta) const noexcept {
    evaluation<Real> e;
    e.terms = pattern_at<Real>(items_, responses_, theta);
    const auto& t = e.terms;
    e.f = t.d1;
    e.df = t.d2;
    if (normal_prior_) {
      const Real dev = theta - static_cast<Real>(opts_.prior_.mean);
      e.f -= dev * precision_;
      e.df -= precision_;
    }
    if (opts_.estimator == method::wle && t.info > min_information<Real>) {
      const Real numerator = opts_.wle == wle_variant::warm ? t.j : Real(2) * t.j - t.g3;
      e.penalty = numerator / (Real(2) * t.info);
      e.f += e.penalty;
    }
    return e;
  }

  bool normal_prior() const noexcept { return normal_prior_; }
  Real precision() const noexcept { return precision_; }

 private:
  const irt::basic_item_table<Real>& items_;
  std::span<const response> responses_;
  const options& opts_;
  bool normal_prior_ = false;
  Real precision_ = Real(0);
};

/// d2/dtheta2 of 0.5 log I at theta, from the exact I and I' and a central difference of I'
/// (the kernels have no third derivative). Only the Jeffreys SE needs it, once per estimate.
template <class Real>
Real half_log_information_curvature(const irt::basic_item_table<Real>& items, std::span<const response> responses,
                                    Real theta, const basic_pattern_terms<Real>& at) noexcept {
  if (!(at.info > min_information<Real>)) return Real(0);
  const Real step = Real(1e-5) * std::max(Real(1), std::abs(theta));
  const auto plus = pattern_at<Real>(items, responses, theta + step);
  const auto minus = pattern_at<Real>(items, responses, theta - step);
  const Real d_info = Real(2) * at.j - at.g3;
  const Real d2_info = ((Real(2) * plus.j - plus.g3) - (Real(2) * minus.j - minus.g3)) / (Real(2) * step);
  return Real(0.5) * (d2_info * at.info - d_info * d_info) / (at.info * at.info);
}

template <class Real>
Real inverse_sqrt_or_inf(Real info) noexcept {
  return info > min_information<Real> ? Real(1) / std::sqrt(info) : infinity<Real>;
}

template <class Real>
Real standard_error(const irt::basic_item_table<Real>& items, std::span<const response> responses, const options& opts,
                    const estimating_function<Real>& fn, Real theta, const basic_pattern_terms<Real>& t) noexcept {
  // The prior (MAP) or penalty (Jeffreys WLE) adds its negative curvature to the information.
  Real extra = Real(0);
  if (fn.normal_prior()) extra = fn.precision();
  if (opts.estimator == method::wle && opts.wle == wle_variant::jeffreys)
    extra = -half_log_information_curvature(items, responses, theta, t);
  const Real expected = t.info + extra;
  if (opts.se_information == information_kind::observed) {
    const Real observed = -t.d2 + extra;
    if (observed > min_information<Real>) return Real(1) / std::sqrt(observed);
  }
  if (expected > min_information<Real>) return Real(1) / std::sqrt(expected);
  return inverse_sqrt_or_inf(t.info);
}

template <class Real>
basic_result<Real> modal_estimate(const irt::basic_item_table<Real>& items, std::span<const response> responses,
                                  const options& opts) noexcept {
  const estimating_function<Real> fn(items, responses, opts);
  const Real lo = static_cast<Real>(opts.lower_bound), hi = static_cast<Real>(opts.upper_bound);
  const Real tolerance = static_cast<Real>(opts.tolerance);
  basic_result<Real> out;
  const auto finish = [&](Real theta, const basic_pattern_terms<Real>& t, status s, int iterations) {
    out.theta = theta;
    out.se = standard_error(items, responses, opts, fn, theta, t);
    out.state = s;
    out.iterations = iterations;
    return out;
  };

  Real x = std::clamp(fn.normal_prior() ? static_cast<Real>(opts.prior_.mean) : Real(0), lo, hi);
  evaluation<Real> e = fn(x);
  if (e.terms.answered == 0) {
    out.state = status::no_responses;
    out.theta = x;
    out.se = fn.normal_prior() ? static_cast<Real>(opts.prior_.sd) : infinity<Real>;
    return out;
  }
  int evaluations = 1;
  if (e.f == Real(0)) return finish(x, e.terms, status::ok, evaluations);

  // The estimating function decreases through the estimate. Walk from the start the way it
  // points, in doubling steps, until it changes sign (a bracket) or the range ends (a bound:
  // all-correct / all-wrong ML, as catR). Walking from the start rather than testing the two
  // ends finds the interior maximum of a 3PL likelihood whose far tail turns flat.
  const bool upward = e.f > 0;
  Real a = x, b = x;  // bracket with f(a) > 0 > f(b) once found
  for (Real step = Real(0.5);; step *= Real(2)) {
    const Real next = std::clamp(upward ? x + step : x - step, lo, hi);
    if (next == x) return finish(x, e.terms, upward ? status::at_upper_bound : status::at_lower_bound, evaluations);
    const evaluation<Real> en = fn(next);
    ++evaluations;
    if (en.f == Real(0)) return finish(next, en.terms, status::ok, evaluations);
    if ((en.f > 0) != upward) {
      if (upward) b = next; else a = next;
      if (upward) a = x; else b = x;
      break;
    }
    x = next;
    e = en;
  }

  // Newton from the inner end, kept inside the bracket; bisection when a step would leave it
  // or |f| falls too slowly (Numerical Recipes' rtsafe logic).
  Real previous_step = b - a, step = previous_step;
  Real previous_x = x, previous_penalty = e.penalty;
  bool have_previous = false;
  while (evaluations < opts.max_iterations) {
    // WLE: the penalty's derivative needs third derivatives; a secant over the last two
    // iterates keeps convergence superlinear.
    Real df = e.df;
    if (opts.estimator == method::wle && have_previous && x != previous_x)
      df += (e.penalty - previous_penalty) / (x - previous_x);
    Real next = x - e.f / df;
    // A Newton step below the tolerance is convergence (it may round to x itself, on a bracket end).
    if (df < 0 && std::abs(next - x) < tolerance) return finish(x, e.terms, status::ok, evaluations);
    const bool newton_ok = df < 0 && next > a && next < b && std::abs(Real(2) * e.f) <= std::abs(previous_step * df);
    previous_step = step;
    if (!newton_ok) {
      next = Real(0.5) * (a + b);
      // The bracket is two adjacent doubles: no tolerance can ask for more.
      if (next == a || next == b) return finish(x, e.terms, status::ok, evaluations);
    }
    step = next - x;
    previous_x = x;
    previous_penalty = e.penalty;
    have_previous = true;
    x = next;
    e = fn(x);
    ++evaluations;
    if (e.f == Real(0) || std::abs(step) < tolerance || (b - a) < tolerance)
      return finish(x, e.terms, status::ok, evaluations);
    if (e.f > 0) a = x; else b = x;
  }
  return finish(x, e.terms, status::max_iterations, evaluations);
}

// ---- EAP ----------------------------------------------------------------------------------------

// log P floors here in the table: a category that impossible carries no information beyond
// "never", and a finite floor keeps every node's sum finite (no -inf - -inf = NaN).
template <class Real>
inline constexpr Real min_log_p = Real(-1e6);
// exp_vectorizable's domain; below it the weight is < 1e-307 of the mode's and adds nothing.
inline constexpr double min_exponent = -708.0;

/// Posterior mean and SD from log posterior values at the nodes (unnormalised). The sums are
/// centred on the node with the largest value (the grid mode), which keeps the variance free of
/// cancellation; they are in double whatever Real is. When `weights_out` is given, the
/// normalised weights are written there.
template <class Real>
DSKILL_ALWAYS_INLINE basic_result<Real> summarize(const double* nodes, const Real* log_post, std::size_t n,
                                                  Real* weights_out = nullptr) noexcept {
  std::size_t mode = 0;
  for (std::size_t q = 1; q < n; ++q)
    if (log_post[q] > log_post[mode]) mode = q;
  const double top = log_post[mode], centre = nodes[mode];
  double s0 = 0.0, s1 = 0.0, s2 = 0.0;
  for (std::size_t q = 0; q < n; ++q) {
    double z = log_post[q] - top;
    z = z < min_exponent ? min_exponent : z;
    const double w = dskill::detail::exp_vectorizable(z);
    const double dx = nodes[q] - centre;
    s0 += w;
    s1 += w * dx;
    s2 += w * dx * dx;
    if (weights_out) weights_out[q] = static_cast<Real>(w);
  }
  // s0 >= 1 (the mode's own weight), so these divisions are safe.
  const double shift = s1 / s0;
  basic_result<Real> out;
  out.theta = static_cast<Real>(centre + shift);
  out.se = static_cast<Real>(std::sqrt(std::max(0.0, s2 / s0 - shift * shift)));
  if (weights_out)
    for (std::size_t q = 0; q < n; ++q) weights_out[q] = static_cast<Real>(weights_out[q] / s0);
  return out;
}

/// EAP on a quadrature built for this call (estimate_theta's EAP path).
template <class Real>
basic_result<Real> eap_estimate(const irt::basic_item_table<Real>& items, std::span<const response> responses,
                                const options& opts) {
  const quadrature quad = make_quadrature(opts.grid, opts.prior_, opts.rule);
  std::vector<Real> log_post(quad.log_weights.begin(), quad.log_weights.end());
  int answered = 0;
  for (const auto& r : responses) {
    if (!usable(items, r)) continue;
    ++answered;
    const auto item = items[r.item];
    Real lp[irt::max_categories];
    for (std::size_t q = 0; q < quad.size(); ++q) {
      irt::log_probabilities(item, static_cast<Real>(quad.nodes[q]), lp);
      log_post[q] += std::max(lp[r.category], min_log_p<Real>);
    }
  }
  basic_result<Real> out = summarize(quad.nodes.data(), log_post.data(), quad.size());
  if (answered == 0) out.state = status::no_responses;
  return out;
}

/// The table row of log P(category | node) for a response, or nullptr when the response cannot
/// be scored (unknown item, category out of range).
template <class Real>
inline const Real* row_of(const std::vector<Real>& table, const std::vector<std::size_t>& offset, std::size_t q_count,
                          const response& r) noexcept {
  if (r.item + 1 >= offset.size() || r.category < 0) return nullptr;
  const std::size_t start = offset[r.item] + static_cast<std::size_t>(r.category) * q_count;
  if (start + q_count > offset[r.item + 1]) return nullptr;
  return table.data() + start;
}

// One add per node of a row into `sum`; the compiler vectorises it (the fallback paths).
template <class Real>
DSKILL_ALWAYS_INLINE void accumulate(Real* DSKILL_RESTRICT sum, const Real* DSKILL_RESTRICT row,
                                     std::size_t n) noexcept {
  for (std::size_t q = 0; q < n; ++q) sum[q] += row[q];
}

// The scoring sweep, compiled for AVX2+FMA as well as the baseline and chosen by the CPU at load
// time (as the bank's information sweep): the row additions and the exp loop vectorise.
template <class Real>
DSKILL_CPU_DISPATCH basic_result<Real> scoring_sweep(const std::vector<Real>& table, const std::vector<std::size_t>& offset,
                                 const quadrature& quad, std::span<const response> responses, Real* sum) noexcept {
  const std::size_t q_count = quad.size();
  int answered = 0;
#if defined(__GNUC__)
  // The rows of the answered items, gathered on the stack in batches (no allocation).
  constexpr std::size_t batch = 64;
  const Real* rows[batch];
  std::size_t n_rows = 0;
  bool started = false;
  for (const auto& r : responses) {
    const Real* row = row_of(table, offset, q_count, r);
    if (!row) continue;
    ++answered;
    rows[n_rows++] = row;
    if (n_rows == batch) {
      if (!started) {
        ::dskill::detail::sum_rows(quad.log_weights.data(), n_rows, [&](std::size_t k) { return rows[k]; }, q_count, sum);
        started = true;
      } else {
        for (std::size_t k = 0; k < n_rows; ++k) accumulate(sum, rows[k], q_count);
      }
      n_rows = 0;
    }
  }
  if (!started) {
    ::dskill::detail::sum_rows(quad.log_weights.data(), n_rows, [&](std::size_t k) { return rows[k]; }, q_count, sum);
  } else {
    for (std::size_t k = 0; k < n_rows; ++k) accumulate(sum, rows[k], q_count);
  }
#else
  std::copy(quad.log_weights.begin(), quad.log_weights.end(), sum);
  for (const auto& r : responses) {
    const Real* row = row_of(table, offset, q_count, r);
    if (!row) continue;
    accumulate(sum, row, q_count);
    ++answered;
  }
#endif
  basic_result<Real> out = summarize(quad.nodes.data(), sum, q_count);
  if (answered == 0) out.state = status::no_responses;
  return out;
}

}  // namespace detail

template <class Real>
Real log_likelihood(const irt::basic_item_table<Real>& items, std::span<const response> responses, Real theta) noexcept {
  Real sum = Real(0);
  for (const auto& r : responses) {
    if (!detail::usable(items, r)) continue;
    Real lp[irt::max_categories];
    irt::log_probabilities(items[r.item], theta, lp);
    sum += lp[r.category];
  }
  return sum;
}

template <class Real>
Real test_information(const irt::basic_item_table<Real>& items, std::span<const response> responses,
                      Real theta) noexcept {
  Real sum = Real(0);
  for (const auto& r : responses)
    if (detail::usable(items, r)) sum += irt::information(items[r.item], theta);
  return sum;
}

template <class Real>
basic_result<Real> estimate_theta(const irt::basic_item_table<Real>& items, std::span<const response> responses,
                                  const options& opts) {
  detail::validate_search(opts);
  if (opts.estimator == method::eap) return detail::eap_estimate(items, responses, opts);
  return detail::modal_estimate(items, responses, opts);
}

template <class Real>
basic_eap_scorer<Real>::basic_eap_scorer(const irt::basic_item_table<Real>& items, const options& opts)
    : quad_(make_quadrature(opts.grid, opts.prior_, opts.rule)) {
  const std::size_t q_count = quad_.size();
  offset_.resize(items.size() + 1);
  offset_[0] = 0;
  for (std::size_t i = 0; i < items.size(); ++i)
    offset_[i + 1] = offset_[i] + static_cast<std::size_t>(items.categories(i)) * q_count;
  table_.resize(offset_.back());
  Real lp[irt::max_categories];
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto item = items[i];
    const auto k_count = static_cast<std::size_t>(item.categories());
    Real* base = table_.data() + offset_[i];
    for (std::size_t q = 0; q < q_count; ++q) {
      irt::log_probabilities(item, static_cast<Real>(quad_.nodes[q]), lp);
      for (std::size_t k = 0; k < k_count; ++k) base[k * q_count + q] = std::max(lp[k], detail::min_log_p<Real>);
    }
  }
}

template <class Real>
basic_result<Real> basic_eap_scorer<Real>::operator()(std::span<const response> responses,
                                                      std::span<Real> scratch) const noexcept {
  using detail::accumulate;
  using detail::row_of;
  const std::size_t q_count = quad_.size();
  if (scratch.size() >= q_count) return detail::scoring_sweep(table_, offset_, quad_, responses, scratch.data());
  int answered = 0;
  // Too little scratch: a node-by-node pass with a small stack buffer, chunk by chunk. Two
  // sweeps (find the mode, then the moments) keep it allocation-free.
  constexpr std::size_t chunk = 64;
  Real buffer[chunk];
  const auto node_sums = [&](std::size_t first, std::size_t count) {
    for (std::size_t q = 0; q < count; ++q) buffer[q] = static_cast<Real>(quad_.log_weights[first + q]);
    answered = 0;
    for (const auto& r : responses) {
      const Real* row = row_of(table_, offset_, q_count, r);
      if (!row) continue;
      accumulate(buffer, row + first, count);
      ++answered;
    }
  };
  double top = -std::numeric_limits<double>::infinity();
  double centre = quad_.nodes[0];
  for (std::size_t first = 0; first < q_count; first += chunk) {
    const std::size_t count = std::min(chunk, q_count - first);
    node_sums(first, count);
    for (std::size_t q = 0; q < count; ++q)
      if (buffer[q] > top) {
        top = buffer[q];
        centre = quad_.nodes[first + q];
      }
  }
  double s0 = 0.0, s1 = 0.0, s2 = 0.0;
  for (std::size_t first = 0; first < q_count; first += chunk) {
    const std::size_t count = std::min(chunk, q_count - first);
    node_sums(first, count);
    for (std::size_t q = 0; q < count; ++q) {
      const double w = dskill::detail::exp_vectorizable(std::max(buffer[q] - top, detail::min_exponent));
      const double dx = quad_.nodes[first + q] - centre;
      s0 += w;
      s1 += w * dx;
      s2 += w * dx * dx;
    }
  }
  const double shift = s1 / s0;
  basic_result<Real> out;
  out.theta = static_cast<Real>(centre + shift);
  out.se = static_cast<Real>(std::sqrt(std::max(0.0, s2 / s0 - shift * shift)));
  if (answered == 0) out.state = status::no_responses;
  return out;
}

template <class Real>
basic_result<Real> basic_eap_scorer<Real>::operator()(std::span<const response> responses) const {
  std::vector<Real> scratch(quad_.size());
  return (*this)(responses, scratch);
}

template <class Real>
void basic_eap_scorer<Real>::posterior(std::span<const response> responses, std::span<Real> out) const noexcept {
  const std::size_t q_count = quad_.size();
  if (out.size() < q_count) return;
  Real* sum = out.data();
  std::copy(quad_.log_weights.begin(), quad_.log_weights.end(), sum);
  for (const auto& r : responses)
    if (const Real* row = detail::row_of(table_, offset_, q_count, r)) detail::accumulate(sum, row, q_count);
  // summarize reads log_post[q] before it writes weights_out[q], so in place is safe.
  (void)detail::summarize(quad_.nodes.data(), sum, q_count, sum);
}

}  // namespace estimate
DSKILL_END_NAMESPACE
