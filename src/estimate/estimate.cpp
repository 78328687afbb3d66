// ML, MAP and WLE: a root of the estimating function on [lower_bound, upper_bound] by Newton's
// method kept inside a sign-change bracket (bisection when a step leaves it), plus the shared
// helpers (names, validation, log-likelihood, information).
#include "dskill/estimate/estimate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "dskill/error.hpp"
#include "dskill/irt/kernels.hpp"
#include "internal.hpp"

DSKILL_BEGIN_NAMESPACE
namespace estimate {

std::string_view to_string(method m) noexcept {
  switch (m) {
    case method::ml: return "ml";
    case method::map: return "map";
    case method::eap: return "eap";
    case method::wle: return "wle";
  }
  return "?";
}

std::optional<method> parse_method(std::string_view name) noexcept {
  for (auto m : {method::ml, method::map, method::eap, method::wle})
    if (name == to_string(m)) return m;
  if (name == "bm") return method::map;
  if (name == "wl") return method::wle;
  if (name == "mle") return method::ml;
  return std::nullopt;
}

std::string_view to_string(status s) noexcept {
  switch (s) {
    case status::ok: return "ok";
    case status::no_responses: return "no_responses";
    case status::at_upper_bound: return "at_upper_bound";
    case status::at_lower_bound: return "at_lower_bound";
    case status::max_iterations: return "max_iterations";
  }
  return "?";
}

namespace {
// Everything validate checks except the EAP quadrature (which the EAP path builds anyway).
void validate_search(const options& opts) {
  if (!std::isfinite(opts.lower_bound) || !std::isfinite(opts.upper_bound) || !(opts.lower_bound < opts.upper_bound))
    throw invalid_argument(fmt::format("estimation range needs finite lower_bound < upper_bound, got [{}, {}]",
                                       opts.lower_bound, opts.upper_bound));
  if (!(opts.tolerance > 0) || !std::isfinite(opts.tolerance))
    throw invalid_argument(fmt::format("tolerance must be a finite number > 0, got {}", opts.tolerance));
  if (opts.max_iterations < 1)
    throw invalid_argument(fmt::format("max_iterations must be >= 1, got {}", opts.max_iterations));
  if (opts.estimator == method::map) {
    if (opts.prior_.kind == prior_kind::custom)
      throw invalid_argument("MAP takes a normal or uniform prior; a custom grid prior applies to EAP only");
    if (opts.prior_.kind == prior_kind::normal && (!(opts.prior_.sd > 0) || !std::isfinite(opts.prior_.sd) ||
                                                   !std::isfinite(opts.prior_.mean)))
      throw invalid_argument(fmt::format("a normal prior needs a finite mean and sd > 0, got mean {} sd {}",
                                         opts.prior_.mean, opts.prior_.sd));
  }
}
}  // namespace

void validate(const options& opts) {
  validate_search(opts);
  if (opts.estimator == method::eap) (void)make_quadrature(opts.grid, opts.prior_, opts.rule);
}

void validate_responses(const bank::item_bank& bank, std::span<const response> responses) {
  for (std::size_t i = 0; i < responses.size(); ++i) {
    const auto& r = responses[i];
    if (r.item >= bank.size())
      throw invalid_argument(fmt::format("response {}: item index {} is outside the bank ({} items)", i + 1, r.item,
                                         bank.size()));
    const int k = bank.params(r.item).categories();
    if (r.category < 0 || r.category >= k)
      throw invalid_argument(fmt::format("response {}: category {} is outside 0..{}", i + 1, r.category, k - 1),
                             location{.item_id = bank.id(r.item)});
  }
}

double log_likelihood(const bank::item_bank& bank, std::span<const response> responses, double theta) noexcept {
  double sum = 0.0;
  for (const auto& r : responses) {
    if (!detail::usable(bank, r)) continue;
    double lp[irt::max_categories];
    irt::log_probabilities(bank.params(r.item), theta, lp);
    sum += lp[r.category];
  }
  return sum;
}

double test_information(const bank::item_bank& bank, std::span<const response> responses, double theta) noexcept {
  double sum = 0.0;
  for (const auto& r : responses)
    if (detail::usable(bank, r)) sum += irt::information(bank.params(r.item), theta);
  return sum;
}

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();
// Below this the test information counts as zero (the WLE correction and SEs would blow up).
constexpr double min_information = 1e-300;

}  // namespace

namespace detail {

// Dichotomous items in closed form from one exp (the general kernel's log-space forms take about
// ten transcendental calls, and estimators evaluate every answered item several times). The
// ratios w1 = (d - c) sigma / P and w0 = (d - c) sigma_bar / Q lie in (0, 1]. The terms are
// exact for |z| <= 300 (|theta - b| <= 50 at a = 6); beyond, the clamp only keeps both tails of
// sigma normal doubles, so nothing divides by zero.
inline void add_dichotomous(const irt::item_params& item, double theta, int category, pattern_terms& t) noexcept {
  const double s = item.slope;
  double z = s * theta + item.intercepts[0];
  z = z < -300.0 ? -300.0 : (z > 300.0 ? 300.0 : z);
  const double e = std::exp(-std::abs(z));
  const double large = 1.0 / (1.0 + e), small = e * large;
  const double sig = z >= 0 ? large : small, sig_bar = z >= 0 ? small : large;
  const double span = item.upper - item.lower;
  const double p = item.lower + span * sig;
  const double q = (1.0 - item.upper) + span * sig_bar;
  const double w1 = span * sig / p, w0 = span * sig_bar / q;
  const double g1 = s * sig_bar * w1, g0 = -s * sig * w0;
  const double h1 = s * s * sig_bar * (sig_bar - sig) * w1, h0 = -s * s * sig * (sig_bar - sig) * w0;
  const double g = category ? g1 : g0, h = category ? h1 : h0;
  t.d1 += g;
  t.d2 += h - g * g;
  const double pg1 = p * g1, qg0 = q * g0;
  t.info += pg1 * g1 + qg0 * g0;
  t.j += pg1 * h1 + qg0 * h0;
  t.g3 += pg1 * g1 * g1 + qg0 * g0 * g0;
  ++t.answered;
}

pattern_terms pattern_at(const bank::item_bank& bank, std::span<const response> responses, double theta) noexcept {
  pattern_terms t;
  for (const auto& r : responses) {
    if (!usable(bank, r)) continue;
    const auto& item = bank.params(r.item);
    if (irt::is_dichotomous(item.kind)) {
      add_dichotomous(item, theta, r.category, t);
      continue;
    }
    double lp[irt::max_categories], g[irt::max_categories], h[irt::max_categories];
    irt::category_terms(item, theta, lp, g, h);
    const int c = r.category;
    t.d1 += g[c];
    t.d2 += h[c] - g[c] * g[c];
    for (int k = 0; k < item.categories(); ++k) {
      const double pg = std::exp(lp[k]) * g[k];
      t.info += pg * g[k];
      t.j += pg * h[k];
      t.g3 += pg * g[k] * g[k];
    }
    ++t.answered;
  }
  return t;
}

}  // namespace detail

namespace {
using detail::pattern_at;
using detail::pattern_terms;

/// The estimating function of one estimator: its value (to be zeroed) and the parts the SE needs.
struct evaluation {
  double f = 0;          ///< estimating function
  double df = 0;         ///< its derivative, exact for ML/MAP, without the WLE penalty's part
  double penalty = 0;    ///< WLE: the correction added to the score (J/2I or I'/2I)
  pattern_terms terms;
};

class estimating_function {
 public:
  estimating_function(const bank::item_bank& bank, std::span<const response> responses, const options& opts) noexcept
      : bank_(bank), responses_(responses), opts_(opts) {
    normal_prior_ = opts.estimator == method::map && opts.prior_.kind == prior_kind::normal;
    if (normal_prior_) precision_ = 1.0 / (opts.prior_.sd * opts.prior_.sd);
  }

  evaluation operator()(double theta) const noexcept {
    evaluation e;
    e.terms = pattern_at(bank_, responses_, theta);
    const auto& t = e.terms;
    e.f = t.d1;
    e.df = t.d2;
    if (normal_prior_) {
      const double dev = theta - opts_.prior_.mean;
      e.f -= dev * precision_;
      e.df -= precision_;
    }
    if (opts_.estimator == method::wle && t.info > min_information) {
      const double numerator = opts_.wle == wle_variant::warm ? t.j : 2.0 * t.j - t.g3;
      e.penalty = numerator / (2.0 * t.info);
      e.f += e.penalty;
    }
    return e;
  }

  bool normal_prior() const noexcept { return normal_prior_; }
  double precision() const noexcept { return precision_; }

 private:
  const bank::item_bank& bank_;
  std::span<const response> responses_;
  const options& opts_;
  bool normal_prior_ = false;
  double precision_ = 0.0;
};

/// d2/dtheta2 of 0.5 log I at theta, from the exact I and I' and a central difference of I'
/// (the kernels have no third derivative). Only the Jeffreys SE needs it, once per estimate.
double half_log_information_curvature(const bank::item_bank& bank, std::span<const response> responses,
                                      double theta, const pattern_terms& at) noexcept {
  if (!(at.info > min_information)) return 0.0;
  const double step = 1e-5 * std::max(1.0, std::abs(theta));
  const auto plus = pattern_at(bank, responses, theta + step);
  const auto minus = pattern_at(bank, responses, theta - step);
  const double d_info = 2.0 * at.j - at.g3;
  const double d2_info = ((2.0 * plus.j - plus.g3) - (2.0 * minus.j - minus.g3)) / (2.0 * step);
  return 0.5 * (d2_info * at.info - d_info * d_info) / (at.info * at.info);
}

double inverse_sqrt_or_inf(double info) noexcept { return info > min_information ? 1.0 / std::sqrt(info) : infinity; }

double standard_error(const bank::item_bank& bank, std::span<const response> responses, const options& opts,
                      const estimating_function& fn, double theta, const pattern_terms& t) noexcept {
  // The prior (MAP) or penalty (Jeffreys WLE) adds its negative curvature to the information.
  double extra = 0.0;
  if (fn.normal_prior()) extra = fn.precision();
  if (opts.estimator == method::wle && opts.wle == wle_variant::jeffreys)
    extra = -half_log_information_curvature(bank, responses, theta, t);
  const double expected = t.info + extra;
  if (opts.se_information == information_kind::observed) {
    const double observed = -t.d2 + extra;
    if (observed > min_information) return 1.0 / std::sqrt(observed);
  }
  if (expected > min_information) return 1.0 / std::sqrt(expected);
  return inverse_sqrt_or_inf(t.info);
}

result modal_estimate(const bank::item_bank& bank, std::span<const response> responses, const options& opts) noexcept {
  const estimating_function fn(bank, responses, opts);
  const double lo = opts.lower_bound, hi = opts.upper_bound;
  result out;
  const auto finish = [&](double theta, const pattern_terms& t, status s, int iterations) {
    out.theta = theta;
    out.se = standard_error(bank, responses, opts, fn, theta, t);
    out.state = s;
    out.iterations = iterations;
    return out;
  };

  double x = std::clamp(fn.normal_prior() ? opts.prior_.mean : 0.0, lo, hi);
  evaluation e = fn(x);
  if (e.terms.answered == 0) {
    out.state = status::no_responses;
    out.theta = x;
    out.se = fn.normal_prior() ? opts.prior_.sd : infinity;
    return out;
  }
  int evaluations = 1;
  if (e.f == 0.0) return finish(x, e.terms, status::ok, evaluations);

  // The estimating function decreases through the estimate. Walk from the start the way it
  // points, in doubling steps, until it changes sign (a bracket) or the range ends (a bound:
  // all-correct / all-wrong ML, as catR). Walking from the start rather than testing the two
  // ends finds the interior maximum of a 3PL likelihood whose far tail turns flat.
  const bool upward = e.f > 0;
  double a = x, b = x;  // bracket with f(a) > 0 > f(b) once found
  for (double step = 0.5;; step *= 2.0) {
    const double next = std::clamp(upward ? x + step : x - step, lo, hi);
    if (next == x) return finish(x, e.terms, upward ? status::at_upper_bound : status::at_lower_bound, evaluations);
    const evaluation en = fn(next);
    ++evaluations;
    if (en.f == 0.0) return finish(next, en.terms, status::ok, evaluations);
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
  double previous_step = b - a, step = previous_step;
  double previous_x = x, previous_penalty = e.penalty;
  bool have_previous = false;
  while (evaluations < opts.max_iterations) {
    // WLE: the penalty's derivative needs third derivatives; a secant over the last two
    // iterates keeps convergence superlinear.
    double df = e.df;
    if (opts.estimator == method::wle && have_previous && x != previous_x)
      df += (e.penalty - previous_penalty) / (x - previous_x);
    double next = x - e.f / df;
    // A Newton step below the tolerance is convergence (it may round to x itself, on a bracket end).
    if (df < 0 && std::abs(next - x) < opts.tolerance) return finish(x, e.terms, status::ok, evaluations);
    const bool newton_ok = df < 0 && next > a && next < b && std::abs(2.0 * e.f) <= std::abs(previous_step * df);
    previous_step = step;
    if (!newton_ok) {
      next = 0.5 * (a + b);
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
    if (e.f == 0.0 || std::abs(step) < opts.tolerance || (b - a) < opts.tolerance)
      return finish(x, e.terms, status::ok, evaluations);
    if (e.f > 0) a = x; else b = x;
  }
  return finish(x, e.terms, status::max_iterations, evaluations);
}

}  // namespace

result estimate_theta(const bank::item_bank& bank, std::span<const response> responses, const options& opts) {
  validate_search(opts);
  if (opts.estimator == method::eap) return detail::eap_estimate(bank, responses, opts);
  return modal_estimate(bank, responses, opts);
}

}  // namespace estimate
DSKILL_END_NAMESPACE
