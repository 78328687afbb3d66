// dskill::cat built-in item selectors (the criteria): MFI, bOpt, MLWI, MPWI, KL, KLP, MEI, MEPV,
// random, progressive, proportional and a-stratified. Formulas follow catR 3.17 (nextItem, MWI,
// KL, MEI, EPV); see docs/ARCHITECTURE.md "Adaptive testing".
#include <algorithm>
#include <cmath>
#include <cstring>
#include <tuple>
#include <utility>

#include "dskill/detail/fast_math.hpp"
#include "dskill/estimate/estimate-inl.hpp"  // pattern_at, for MEI's re-estimates
#include "dskill/irt/kernels.hpp"
#include "internal.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {
namespace {

// Maximum Fisher information at the provisional theta.
class mfi_selector : public item_selector {
 public:
  void evaluate(const step_context& ctx) const override {
    ctx.eng.bank().information_at(ctx.state.theta, ctx.value);
    for (auto i : ctx.candidates) ctx.score[i] = ctx.value[i];
  }
};

// catR's "length" rule with thr = max_items: the weight of the criterion after s answers
// (progressive), or the exponent of the proportional method.
double progress_weight(const step_context& ctx, bool proportional) {
  const auto& spec = ctx.eng.spec();
  const int s = static_cast<int>(ctx.state.responses.size());
  if (s == 0) return 0.0;
  const double ap = spec.selection.acceleration;
  const int thr = std::max(2, spec.stopping.max_items);
  double num = 0, den = 0;
  for (int k = 1; k <= s; ++k) num += std::pow(k, ap);
  for (int k = 1; k <= thr - 1; ++k) den += std::pow(k, ap);
  const double w = std::min(1.0, num / den);
  return proportional ? thr * num / den : w;
}

// Progressive method (Revuelta & Ponsoda 1998; Barrada et al. 2008): MFI blended with a random
// component that fades as the test goes on.
class progressive_selector final : public mfi_selector {
 public:
  std::optional<double> criterion_weight(const step_context& ctx) const override { return progress_weight(ctx, false); }
};

// Proportional method (Barrada et al. 2008): draws an item with probability proportional to
// its information raised to a growing power.
class proportional_selector final : public mfi_selector {
 public:
  std::optional<std::uint32_t> draw(const step_context& ctx) const override {
    const double wq = progress_weight(ctx, true);
    double total = 0.0;
    for (auto i : ctx.candidates) {
      ctx.score[i] = std::pow(std::max(0.0, ctx.value[i]), wq);
      total += ctx.score[i];
    }
    double u = ctx.gen.uniform() * total;
    for (auto i : ctx.candidates) {
      if (u < ctx.score[i]) return i;
      u -= ctx.score[i];
    }
    return ctx.candidates.back();
  }
};

// Difficulty closest to theta (|b - theta|, smaller wins).
class bopt_selector : public item_selector {
 public:
  void evaluate(const step_context& ctx) const override {
    const auto b = ctx.eng.bank().difficulties();
    for (auto i : ctx.candidates) {
      ctx.value[i] = std::abs(b[i] - ctx.state.theta);
      ctx.score[i] = -ctx.value[i];
    }
  }
};

// a-stratified with b-blocking (Chang, Qian & Ying 2001): the closest b in the stratum of this
// stage of the test.
class a_stratified_selector final : public bopt_selector {
 public:
  table_needs needs() const noexcept override { return {.grid = false, .strata = true}; }
  void restrict(const step_context& ctx) const override {
    const auto& spec = ctx.eng.spec();
    const int k = spec.selection.strata;
    const int len = std::max(1, spec.stopping.max_items);
    const int stratum = std::min(k - 1, static_cast<int>(ctx.state.responses.size()) * k / len);
    ctx.restrict_to([&](std::size_t i) { return ctx.eng.stratum_of(i) == stratum; });
  }
};

// Uniformly at random among the eligible items.
class random_selector final : public item_selector {
 public:
  void evaluate(const step_context& ctx) const override {
    for (auto i : ctx.candidates) ctx.value[i] = ctx.score[i] = 0.0;
  }
  std::optional<std::uint32_t> draw(const step_context& ctx) const override {
    return ctx.candidates[ctx.gen.below(ctx.candidates.size())];
  }
};

// The likelihood (or posterior) of the answers at each criterion grid node times the node's
// trapezoid weight, written into the step's scratch: the weights MLWI/MPWI and KL/KLP average over.
std::span<double> weighted_grid_likelihood(const step_context& ctx, bool posterior) {
  const auto& e = ctx.eng;
  const std::size_t qn = e.grid_nodes().size();
  const auto w = ctx.work.first(qn);
  e.likelihood_on_grid(ctx.state.responses, w);
  const auto trap = e.grid_weights(), density = e.grid_prior();
  for (std::size_t q = 0; q < qn; ++q) w[q] *= trap[q] * (posterior ? density[q] : 1.0);
  return w;
}

// Likelihood- or posterior-weighted information over the grid (Veerkamp & Berger 1997; van der
// Linden 1998).
class weighted_information_selector final : public item_selector {
 public:
  explicit weighted_information_selector(bool posterior) : posterior_(posterior) {}
  table_needs needs() const noexcept override { return {.grid = true, .strata = false}; }
  void evaluate(const step_context& ctx) const override {
    const auto& e = ctx.eng;
    const auto w = weighted_grid_likelihood(ctx, posterior_);
    const std::size_t qn = w.size();
    for (auto i : ctx.candidates) {
      const double* info = e.grid_information(i).data();
      double s = 0.0;
      for (std::size_t q = 0; q < qn; ++q) s += w[q] * info[q];
      ctx.value[i] = ctx.score[i] = s;
    }
  }

 private:
  bool posterior_;
};


// Dot products over the criterion grid with independent vector accumulators. A plain loop is
// one dependent chain of adds (the compiler may not reorder a floating-point sum), so KL and
// MEPV were bound by add latency; four (or three) chains of 4-wide adds are not. Only the order
// of the additions changes (values move in their last bits). Vectors are loaded through memcpy
// and passed by reference only, as in estimate-inl.hpp's sum_rows.
#if defined(__GNUC__)
typedef double vec4 __attribute__((vector_size(32)));
#define DSKILL_CRITERIA_LAMBDA_INLINE __attribute__((always_inline))
#endif

// sum_q w[q] * a[q] for `rows` rows a (each n long): out[r].
DSKILL_ALWAYS_INLINE void grid_dots(const double* DSKILL_RESTRICT w, const double* const* rows, int n_rows, std::size_t n,
                                    double* out) noexcept {
#if defined(__GNUC__)
  const auto fma4 = [](vec4& acc, const double* x, const double* y) DSKILL_CRITERIA_LAMBDA_INLINE {
    vec4 a, b;
    std::memcpy(&a, x, sizeof a);
    std::memcpy(&b, y, sizeof b);
    acc += a * b;
  };
  for (int r = 0; r < n_rows; ++r) {
    const double* row = rows[r];
    vec4 a0 = {0, 0, 0, 0}, a1 = {0, 0, 0, 0};
    std::size_t q = 0;
    for (; q + 8 <= n; q += 8) {
      fma4(a0, w + q, row + q);
      fma4(a1, w + q + 4, row + q + 4);
    }
    if (q + 4 <= n) {
      fma4(a0, w + q, row + q);
      q += 4;
    }
    a0 += a1;
    double s = (a0[0] + a0[1]) + (a0[2] + a0[3]);
    for (; q < n; ++q) s += w[q] * row[q];
    out[r] = s;
  }
#else
  for (int r = 0; r < n_rows; ++r) {
    double s = 0.0;
    for (std::size_t q = 0; q < n; ++q) s += w[q] * rows[r][q];
    out[r] = s;
  }
#endif
}

// sum_q p[q] * b0[q], p[q] * b1[q], p[q] * b2[q] in one pass (MEPV's three moments).
DSKILL_ALWAYS_INLINE void grid_moments(const double* DSKILL_RESTRICT p, const double* b0, const double* b1,
                                       const double* b2, std::size_t n, double& m0, double& m1, double& m2) noexcept {
#if defined(__GNUC__)
  vec4 a0 = {0, 0, 0, 0}, a1 = {0, 0, 0, 0}, a2 = {0, 0, 0, 0};
  std::size_t q = 0;
  for (; q + 4 <= n; q += 4) {
    vec4 x, y0, y1, y2;
    std::memcpy(&x, p + q, sizeof x);
    std::memcpy(&y0, b0 + q, sizeof y0);
    std::memcpy(&y1, b1 + q, sizeof y1);
    std::memcpy(&y2, b2 + q, sizeof y2);
    a0 += x * y0;
    a1 += x * y1;
    a2 += x * y2;
  }
  m0 = (a0[0] + a0[1]) + (a0[2] + a0[3]);
  m1 = (a1[0] + a1[1]) + (a1[2] + a1[3]);
  m2 = (a2[0] + a2[1]) + (a2[2] + a2[3]);
#else
  m0 = m1 = m2 = 0.0;
  std::size_t q = 0;
#endif
  for (; q < n; ++q) {
    m0 += p[q] * b0[q];
    m1 += p[q] * b1[q];
    m2 += p[q] * b2[q];
  }
}

// A 1PL-4PL item's P, Q and per-category g = d log P / d theta, h = P'' / P at theta in closed
// form from one exp (the terms of estimate::detail::add_dichotomous). The general kernel's
// log-space forms take about ten transcendental calls per item, which was most of KL, MEPV and
// MEI's time. False (use the kernel) for other models and beyond |z| = 300, where
// add_dichotomous clamps.
struct dichotomous_terms {
  double p, q, g1, g0, h1, h0;
};
DSKILL_ALWAYS_INLINE bool dichotomous_at(const irt::item_table& table, std::size_t i, double theta,
                                         dichotomous_terms& out) noexcept {
  if (!irt::is_dichotomous(table.kinds[i])) return false;
  const irt::dichotomous_params<double> item =
      table.packed.empty() ? irt::dichotomous_params<double>{table.slopes[i], table.intercept(i), table.lowers[i], table.uppers[i]}
                           : table.packed[i];
  const double s = item.slope, z = s * theta + item.intercept;
  if (!(std::abs(z) <= 300.0)) return false;
  const double e = std::exp(-std::abs(z));
  const double large = 1.0 / (1.0 + e), small = e * large;
  const double sig = z >= 0 ? large : small, sig_bar = z >= 0 ? small : large;
  const double span = item.upper - item.lower;
  out.p = item.lower + span * sig;
  out.q = (1.0 - item.upper) + span * sig_bar;
  const double w1 = span * sig / out.p, w0 = span * sig_bar / out.q;
  out.g1 = s * sig_bar * w1;
  out.g0 = -s * sig * w0;
  out.h1 = s * s * sig_bar * (sig_bar - sig) * w1;
  out.h0 = -s * s * sig * (sig_bar - sig) * w0;
  return true;
}

// The category probabilities of item i at theta (and their logs when lp is given), through
// dichotomous_at where it applies, else the general kernel. Returns the number of categories;
// p and lp hold irt::max_categories.
DSKILL_ALWAYS_INLINE int probabilities_at(const bank::item_bank& bank, const irt::item_table& table, std::uint32_t i,
                                          double theta, double* p, double* lp) noexcept {
  dichotomous_terms d;
  if (dichotomous_at(table, i, theta, d)) {
    p[0] = d.q;
    p[1] = d.p;
    if (lp) {
      lp[0] = std::log(d.q);
      lp[1] = std::log(d.p);
    }
    return 2;
  }
  const auto& it = bank.params(i);
  const int kn = it.categories();
  if (lp) {
    irt::log_probabilities(it, theta, std::span<double>(lp, irt::max_categories));
    for (int k = 0; k < kn; ++k) p[k] = std::exp(lp[k]);
  } else {
    irt::probabilities(it, theta, std::span<double>(p, irt::max_categories));
  }
  return kn;
}

// KL over the candidates (compiled for AVX2+FMA as well as the baseline, chosen at load time).
DSKILL_CPU_DISPATCH void kl_values(const engine& e, std::span<const std::uint32_t> candidates, double theta,
                                   const double* w, std::size_t qn, double wsum, double* value, double* score) noexcept {
  const auto& bank = e.bank();
  const irt::item_table table = bank.table();
  double lp[irt::max_categories], p[irt::max_categories], acc[irt::max_categories];
  const double* rows[irt::max_categories];
  for (auto i : candidates) {
    const int kn = probabilities_at(bank, table, i, theta, p, lp);
    for (int k = 0; k < kn; ++k) rows[k] = e.grid_log_probabilities(i, k).data();
    grid_dots(w, rows, kn, qn, acc);
    double s = 0.0;
    for (int k = 0; k < kn; ++k) s += p[k] * (lp[k] * wsum - acc[k]);
    value[i] = score[i] = s;
  }
}

// MEPV over the candidates; b0, b1, b2 are the weighted posterior times 1, theta and theta^2.
DSKILL_CPU_DISPATCH void mepv_values(const engine& e, std::span<const std::uint32_t> candidates, double theta,
                                     const double* b0, const double* b1, const double* b2, std::size_t qn,
                                     double* value, double* score) noexcept {
  const auto& bank = e.bank();
  const irt::item_table table = bank.table();
  double p[irt::max_categories];
  for (auto i : candidates) {
    const int kn = probabilities_at(bank, table, i, theta, p, nullptr);
    double s = 0.0;
    for (int k = 0; k < kn; ++k) {
      double m0, m1, m2;
      grid_moments(e.grid_probabilities(i, k).data(), b0, b1, b2, qn, m0, m1, m2);
      if (m0 <= 0) continue;
      const double mean = m1 / m0;
      s += p[k] * std::max(0.0, m2 / m0 - mean * mean);
    }
    value[i] = s;
    score[i] = -s;
  }
}

// Likelihood- or posterior-weighted Kullback-Leibler information (Chang & Ying 1996).
class kl_selector final : public item_selector {
 public:
  explicit kl_selector(bool posterior) : posterior_(posterior) {}
  table_needs needs() const noexcept override { return {.grid = true, .strata = false}; }
  void evaluate(const step_context& ctx) const override {
    const auto& e = ctx.eng;
    const auto w = weighted_grid_likelihood(ctx, posterior_);
    const std::size_t qn = w.size();
    double wsum = 0.0;
    for (std::size_t q = 0; q < qn; ++q) wsum += w[q];
    kl_values(e, ctx.candidates, ctx.state.theta, w.data(), qn, wsum, ctx.value.data(), ctx.score.data());
  }

 private:
  bool posterior_;
};

// Minimum expected posterior variance (smaller wins).
class mepv_selector final : public item_selector {
 public:
  table_needs needs() const noexcept override { return {.grid = true, .strata = false}; }
  void evaluate(const step_context& ctx) const override {
    const auto& e = ctx.eng;
    const auto nodes = e.grid_nodes();
    const std::size_t qn = nodes.size();
    const auto base = ctx.work.first(qn);
    e.likelihood_on_grid(ctx.state.responses, base);
    const auto trap = e.grid_weights(), density = e.grid_prior();
    auto& ws = detail::scratch();  // grid_c and grid_d: grid-sized, free during evaluate
    double* b1 = ws.grid_c.data();
    double* b2 = ws.grid_d.data();
    for (std::size_t q = 0; q < qn; ++q) {
      base[q] *= trap[q] * density[q];
      b1[q] = base[q] * nodes[q];
      b2[q] = b1[q] * nodes[q];
    }
    mepv_values(e, ctx.candidates, ctx.state.theta, base.data(), b1, b2, qn, ctx.value.data(), ctx.score.data());
  }
};

// d1[t] += the answered items' score at theta[t], d2[t] += its derivative, for n thetas: the
// terms of estimate::detail::pattern_at, item by item over all thetas so that the dichotomous
// case vectorises (exp_vectorizable instead of std::exp: the last bits differ). Compiled for
// AVX2+FMA as well as the baseline.
DSKILL_CPU_DISPATCH void add_answered_terms(const irt::item_table& table, std::span<const estimate::response> answered,
                                            const double* DSKILL_RESTRICT theta, std::size_t n,
                                            double* DSKILL_RESTRICT d1, double* DSKILL_RESTRICT d2) noexcept {
  for (const auto& r : answered) {
    if (r.item >= table.size() || r.category < 0) continue;
    const std::size_t i = r.item;
    if (irt::is_dichotomous(table.kinds[i])) {
      if (r.category > 1) continue;
      const irt::dichotomous_params<double> item =
          table.packed.empty() ? irt::dichotomous_params<double>{table.slopes[i], table.intercept(i), table.lowers[i], table.uppers[i]}
                               : table.packed[i];
      const double s = item.slope, b = item.intercept, span = item.upper - item.lower, lower = item.lower;
      const double q_floor = 1.0 - item.upper;
      if (r.category == 1) {
        for (std::size_t t = 0; t < n; ++t) {
          double z = s * theta[t] + b;
          z = z < -300.0 ? -300.0 : (z > 300.0 ? 300.0 : z);
          const double e = dskill::detail::exp_vectorizable(-std::abs(z));
          const double large = 1.0 / (1.0 + e), small = e * large;
          const double sig = z >= 0 ? large : small, sig_bar = z >= 0 ? small : large;
          const double w1 = span * sig / (lower + span * sig);
          const double g = s * sig_bar * w1, h = s * s * sig_bar * (sig_bar - sig) * w1;
          d1[t] += g;
          d2[t] += h - g * g;
        }
      } else {
        for (std::size_t t = 0; t < n; ++t) {
          double z = s * theta[t] + b;
          z = z < -300.0 ? -300.0 : (z > 300.0 ? 300.0 : z);
          const double e = dskill::detail::exp_vectorizable(-std::abs(z));
          const double large = 1.0 / (1.0 + e), small = e * large;
          const double sig = z >= 0 ? large : small, sig_bar = z >= 0 ? small : large;
          const double w0 = span * sig_bar / (q_floor + span * sig_bar);
          const double g = -s * sig * w0, h = -s * s * sig * (sig_bar - sig) * w0;
          d1[t] += g;
          d2[t] += h - g * g;
        }
      }
      continue;
    }
    const std::span<const estimate::response> one(&r, 1);
    for (std::size_t t = 0; t < n; ++t) {
      const auto terms = estimate::detail::pattern_at<double>(table, one, theta[t]);
      d1[t] += terms.d1;
      d2[t] += terms.d2;
    }
  }
}

// The root of a decreasing estimating function fn(theta) -> {f, df} on [lo, hi], found the way
// estimate::detail::modal_estimate finds ML/MAP's: walk from `start` in doubling steps until the
// sign changes (or a bound is reached), then Newton kept inside the bracket. Returns the root
// and whether it is interior (false: a bound, or the iteration limit).
struct modal_root {
  double theta;
  bool interior;
};
template <class Fn>
modal_root find_modal_root(const Fn& fn, double start, double lo, double hi, double tolerance, int max_iterations) {
  double x = std::clamp(start, lo, hi);
  auto [f, df] = fn(x);
  int evaluations = 1;
  if (f == 0.0) return {x, true};
  const bool upward = f > 0;
  double a = x, b = x;
  for (double step = 0.5;; step *= 2.0) {
    const double next = std::clamp(upward ? x + step : x - step, lo, hi);
    if (next == x) return {x, false};
    const auto [fn_next, dfn_next] = fn(next);
    ++evaluations;
    if (fn_next == 0.0) return {next, true};
    if ((fn_next > 0) != upward) {
      if (upward) b = next; else a = next;
      if (upward) a = x; else b = x;
      break;
    }
    x = next;
    f = fn_next;
    df = dfn_next;
  }
  double previous_step = b - a, step = previous_step;
  while (evaluations < max_iterations) {
    double next = x - f / df;
    if (df < 0 && std::abs(next - x) < tolerance) return {x, true};
    const bool newton_ok = df < 0 && next > a && next < b && std::abs(2.0 * f) <= std::abs(previous_step * df);
    previous_step = step;
    if (!newton_ok) {
      next = 0.5 * (a + b);
      if (next == a || next == b) return {x, true};
    }
    step = next - x;
    x = next;
    std::tie(f, df) = fn(x);
    ++evaluations;
    if (f == 0.0 || std::abs(step) < tolerance || (b - a) < tolerance) return {x, true};
    if (f > 0) a = x; else b = x;
  }
  return {x, false};
}

// Maximum expected information (van der Linden & Pashley 2000): theta re-estimated for each
// possible answer (catR: Bayes modal, observed information, on the criterion grid).
class mei_selector final : public item_selector {
 public:
  explicit mei_selector(const test_spec& spec) : observed_(spec.selection.mei_information == estimate::information_kind::observed) {
    options_ = spec.estimator;
    options_.estimator = spec.selection.mei_method;
    options_.se_information = spec.selection.mei_information;
    options_.grid = spec.selection.grid;
    options_.rule = integration_rule::trapezoid;
    if (options_.prior_.kind == prior_kind::custom && options_.estimator != estimate::method::eap) options_.prior_ = {};
    modal_ = options_.estimator == estimate::method::map || options_.estimator == estimate::method::ml;
  }
  void evaluate(const step_context& ctx) const override {
    const auto& bank = ctx.eng.bank();
    auto& resp = detail::scratch().resp;  // the engine ensured its capacity for this state
    resp.assign(ctx.state.responses.begin(), ctx.state.responses.end());
    resp.push_back({});
    const std::span<const estimate::response> pattern(resp.data(), resp.size());
    if (modal_ && !ctx.candidates.empty()) return evaluate_modal(ctx, resp);
    double lp_t[irt::max_categories];
    for (auto i : ctx.candidates) {
      const auto& it = bank.params(i);
      irt::log_probabilities(it, ctx.state.theta, lp_t);
      double s = 0.0;
      for (int k = 0; k < it.categories(); ++k) {
        resp.back() = {i, k};
        s += std::exp(lp_t[k]) * information_at(bank.table(), i, it, k, estimate::estimate_theta(bank, pattern, options_).theta);
      }
      ctx.value[i] = ctx.score[i] = s;
    }
  }

 private:
  // The candidate's information after answer k, at the re-estimate theta.
  double information_at(const irt::item_table& table, std::size_t i, const irt::item_params& it, int k,
                        double theta) const noexcept {
    dichotomous_terms d;
    if (dichotomous_at(table, i, theta, d)) {
      if (observed_) return k ? d.g1 * d.g1 - d.h1 : d.g0 * d.g0 - d.h0;
      return d.p * d.g1 * d.g1 + d.q * d.g0 * d.g0;
    }
    double lp[irt::max_categories], g[irt::max_categories], h[irt::max_categories];
    irt::category_terms(it, theta, lp, g, h);
    if (observed_) return g[k] * g[k] - h[k];
    double info = 0.0;
    for (int c = 0; c < it.categories(); ++c) info += std::exp(lp[c]) * g[c] * g[c];
    return info;
  }

  // ML / MAP re-estimates (why this path exists: issue 16). Each of the 2 x n re-estimates used
  // to run the whole estimator, every answered item at every iterate (2.5 ms a step at 1,000
  // items after 10 answers). The answered items' part of the estimating function (score + prior
  // term, and its slope) is the same for every candidate, so it is tabulated once per step at
  // evenly spaced thetas (lazily: only the nodes the searches reach) and read by cubic Hermite
  // interpolation; only the candidate's own item is evaluated exactly. The root is found by the
  // estimator's own search (same start, walk and bracketed Newton, so the same root is chosen),
  // then one Newton step on the exact estimating function of the whole pattern (answered items
  // for all roots in one vectorised sweep) removes the search's and the interpolation's error
  // (~1e-7 before, squared after): the re-estimate is the estimator's root to rounding, within
  // its 1e-10 tolerance of what the estimator returned. A step > 1e-6 would mean the table was
  // not good enough there: the full estimator decides (as for a search that hit its limit).
  void evaluate_modal(const step_context& ctx, std::vector<estimate::response>& resp) const {
    estimate::detail::validate_search(options_);  // estimate_theta's checks, once per step
    const auto& bank = ctx.eng.bank();
    const irt::item_table table = bank.table();
    const std::span<const estimate::response> answered = ctx.state.responses;
    const std::span<const estimate::response> pattern(resp.data(), resp.size());
    const bool normal = options_.estimator == estimate::method::map && options_.prior_.kind == prior_kind::normal;
    const double precision = normal ? 1.0 / (options_.prior_.sd * options_.prior_.sd) : 0.0;
    const double mean = normal ? options_.prior_.mean : 0.0;
    const double lo = options_.lower_bound, hi = options_.upper_bound;
    const double start = normal ? mean : 0.0;

    // Nodes 1/64 apart (at most 4,096 cells: a very wide search range gets a coarser table, and
    // where that is not good enough the exact step below refuses it).
    constexpr double target_spacing = 1.0 / 64;
    const auto cells = static_cast<std::size_t>(std::clamp(std::ceil((hi - lo) / target_spacing), 1.0, 4096.0));
    const double spacing = (hi - lo) / static_cast<double>(cells);
    auto& ws = detail::scratch();
    if (ws.mei_f.size() < cells + 1) {
      ws.mei_f.resize(cells + 1);
      ws.mei_df.resize(cells + 1);
      ws.mei_have.resize(cells + 1);
    }
    std::fill_n(ws.mei_have.begin(), cells + 1, std::uint8_t{0});
    double* tf = ws.mei_f.data();
    double* tdf = ws.mei_df.data();
    std::uint8_t* have = ws.mei_have.data();
    const auto node = [&](std::size_t m) {
      if (have[m]) return;
      const double x = m == cells ? hi : lo + static_cast<double>(m) * spacing;
      const auto t = estimate::detail::pattern_at<double>(table, answered, x);
      tf[m] = t.d1 - (x - mean) * precision;
      tdf[m] = t.d2 - precision;
      have[m] = 1;
    };
    // The answered items' estimating function at x in [lo, hi], and its slope.
    const auto answered_part = [&](double x) {
      const double u = (x - lo) / spacing;
      const std::size_t m = std::min(cells - 1, static_cast<std::size_t>(std::max(0.0, u)));
      node(m);
      node(m + 1);
      const double t = u - static_cast<double>(m), t2 = t * t, t3 = t2 * t;
      const double f0 = tf[m], f1 = tf[m + 1], d0 = tdf[m] * spacing, d1 = tdf[m + 1] * spacing;
      const double f = (2 * t3 - 3 * t2 + 1) * f0 + (t3 - 2 * t2 + t) * d0 + (3 * t2 - 2 * t3) * f1 + (t3 - t2) * d1;
      const double dt = (6 * t2 - 6 * t) * (f0 - f1) + (3 * t2 - 4 * t + 1) * d0 + (3 * t2 - 2 * t) * d1;
      return std::pair<double, double>{f, dt / spacing};
    };

    // Pass 1: every (candidate, answer)'s root on the tabulated function.
    std::size_t total = 0;
    for (auto i : ctx.candidates) total += static_cast<std::size_t>(table.categories(i));
    if (ws.mei_theta.size() < total) {
      ws.mei_theta.resize(total);
      ws.mei_d1.resize(total);
      ws.mei_d2.resize(total);
      ws.mei_interior.resize(total);
    }
    double* roots = ws.mei_theta.data();
    std::uint8_t* interior = ws.mei_interior.data();
    // The exact Newton step of pass 3 squares the error, so this search needs only ~1e-7 on
    // theta (one iterate fewer); the estimator's tolerance when that is looser.
    const double search_tolerance = std::max(options_.tolerance, 1e-7);
    std::size_t at = 0;
    for (auto i : ctx.candidates) {
      const int kn = table.categories(i);
      for (int k = 0; k < kn; ++k, ++at) {
        const estimate::response own_response{i, k};
        const std::span<const estimate::response> own(&own_response, 1);
        const auto fn = [&](double x) {
          const auto [f, df] = answered_part(x);
          dichotomous_terms d;
          if (dichotomous_at(table, i, x, d)) {  // add_dichotomous's d1 and d2, without the rest
            const double g = k ? d.g1 : d.g0, h = k ? d.h1 : d.h0;
            return std::pair<double, double>{f + g, df + (h - g * g)};
          }
          const auto t = estimate::detail::pattern_at<double>(table, own, x);
          return std::pair<double, double>{f + t.d1, df + t.d2};
        };
        const auto root = find_modal_root(fn, start, lo, hi, search_tolerance, options_.max_iterations);
        roots[at] = root.theta;
        // 1: polish; 2: a bound (exact as it is); 0: the full estimator decides
        interior[at] = root.interior ? 1 : (root.theta == lo || root.theta == hi ? 2 : 0);
      }
    }
    // Pass 2: the answered items' exact score and slope at every root, in one vectorised sweep.
    std::fill_n(ws.mei_d1.begin(), total, 0.0);
    std::fill_n(ws.mei_d2.begin(), total, 0.0);
    add_answered_terms(table, answered, roots, total, ws.mei_d1.data(), ws.mei_d2.data());
    // Pass 3: one exact Newton step, then the candidate's information at the re-estimate.
    double p_t[irt::max_categories];
    dichotomous_terms d;
    at = 0;
    for (auto i : ctx.candidates) {
      const auto& it = bank.params(i);
      if (dichotomous_at(table, i, ctx.state.theta, d)) {
        p_t[0] = d.q;
        p_t[1] = d.p;
      } else {
        irt::probabilities(it, ctx.state.theta, p_t);
      }
      double s = 0.0;
      for (int k = 0; k < it.categories(); ++k, ++at) {
        double theta = roots[at];
        bool exact = interior[at] == 2;
        if (interior[at] == 1) {
          resp.back() = {i, k};
          const auto t = estimate::detail::pattern_at<double>(table, std::span<const estimate::response>(&resp.back(), 1), theta);
          const double f = ws.mei_d1[at] + t.d1 - (theta - mean) * precision;
          const double df = ws.mei_d2[at] + t.d2 - precision;
          if (df < 0) {
            const double polished = theta - f / df;
            if (std::abs(polished - theta) <= 1e-6 && polished >= lo && polished <= hi) {
              theta = polished;
              exact = true;
            }
          }
        }
        if (!exact) {
          resp.back() = {i, k};
          theta = estimate::estimate_theta(bank, pattern, options_).theta;
        }
        s += p_t[k] * information_at(table, i, it, k, theta);
      }
      ctx.value[i] = ctx.score[i] = s;
    }
  }

  estimate::options options_;
  bool observed_;
  bool modal_ = false;
};

template <class Selector, class... Args>
rule_registry<item_selector>::factory plain(Args... args) {
  return [=](const engine&) -> std::unique_ptr<item_selector> { return std::make_unique<Selector>(args...); };
}

}  // namespace

void detail::register_builtin_selectors(rule_registry<item_selector>& r) {
  r.add("mfi", plain<mfi_selector>());
  r.add("bopt", plain<bopt_selector>());
  r.add("mlwi", plain<weighted_information_selector>(false));
  r.add("mpwi", plain<weighted_information_selector>(true));
  r.add("kl", plain<kl_selector>(false));
  r.add("klp", plain<kl_selector>(true));
  r.add("mei", [](const engine& e) -> std::unique_ptr<item_selector> { return std::make_unique<mei_selector>(e.spec()); });
  r.add("mepv", plain<mepv_selector>());
  r.add("random", plain<random_selector>());
  r.add("progressive", plain<progressive_selector>());
  r.add("proportional", plain<proportional_selector>());
  r.add("a_stratified", plain<a_stratified_selector>(), {"astrat", "a-stratified"});
  register_profile_selectors(r);
}

}  // namespace cat
DSKILL_END_NAMESPACE
