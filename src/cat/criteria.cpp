// dskill::cat built-in item selectors (the criteria): MFI, bOpt, MLWI, MPWI, KL, KLP, MEI, MEPV,
// random, progressive, proportional and a-stratified. Formulas follow catR 3.17 (nextItem, MWI,
// KL, MEI, EPV); see docs/ARCHITECTURE.md "Adaptive testing".
#include <algorithm>
#include <cmath>

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

// Likelihood- or posterior-weighted Kullback-Leibler information (Chang & Ying 1996).
class kl_selector final : public item_selector {
 public:
  explicit kl_selector(bool posterior) : posterior_(posterior) {}
  table_needs needs() const noexcept override { return {.grid = true, .strata = false}; }
  void evaluate(const step_context& ctx) const override {
    const auto& e = ctx.eng;
    const auto& bank = e.bank();
    const auto w = weighted_grid_likelihood(ctx, posterior_);
    const std::size_t qn = w.size();
    double wsum = 0.0;
    for (std::size_t q = 0; q < qn; ++q) wsum += w[q];
    double lp[irt::max_categories];
    for (auto i : ctx.candidates) {
      const auto& it = bank.params(i);
      irt::log_probabilities(it, ctx.state.theta, lp);
      double s = 0.0;
      for (int k = 0; k < it.categories(); ++k) {
        const double pk = std::exp(lp[k]);
        const double* row = e.grid_log_probabilities(i, k).data();
        double acc = 0.0;
        for (std::size_t q = 0; q < qn; ++q) acc += w[q] * row[q];
        s += pk * (lp[k] * wsum - acc);
      }
      ctx.value[i] = ctx.score[i] = s;
    }
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
    const auto& bank = e.bank();
    const auto nodes = e.grid_nodes();
    const std::size_t qn = nodes.size();
    const auto base = ctx.work.first(qn);
    e.likelihood_on_grid(ctx.state.responses, base);
    const auto trap = e.grid_weights(), density = e.grid_prior();
    for (std::size_t q = 0; q < qn; ++q) base[q] *= trap[q] * density[q];
    double lp[irt::max_categories];
    for (auto i : ctx.candidates) {
      const auto& it = bank.params(i);
      irt::log_probabilities(it, ctx.state.theta, lp);
      double s = 0.0;
      for (int k = 0; k < it.categories(); ++k) {
        const double* p = e.grid_probabilities(i, k).data();
        double m0 = 0, m1 = 0, m2 = 0;
        for (std::size_t q = 0; q < qn; ++q) {
          const double wq = base[q] * p[q];
          m0 += wq;
          m1 += wq * nodes[q];
          m2 += wq * nodes[q] * nodes[q];
        }
        if (m0 <= 0) continue;
        const double mean = m1 / m0;
        s += std::exp(lp[k]) * std::max(0.0, m2 / m0 - mean * mean);
      }
      ctx.value[i] = s;
      ctx.score[i] = -s;
    }
  }
};

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
  }
  void evaluate(const step_context& ctx) const override {
    const auto& bank = ctx.eng.bank();
    auto& resp = detail::scratch().resp;  // the engine ensured its capacity for this state
    resp.assign(ctx.state.responses.begin(), ctx.state.responses.end());
    resp.push_back({});
    const std::span<const estimate::response> pattern(resp.data(), resp.size());
    double lp[irt::max_categories], g[irt::max_categories], h[irt::max_categories];
    double lp_t[irt::max_categories];
    for (auto i : ctx.candidates) {
      const auto& it = bank.params(i);
      irt::log_probabilities(it, ctx.state.theta, lp_t);
      double s = 0.0;
      for (int k = 0; k < it.categories(); ++k) {
        resp.back() = {i, k};
        const auto est = estimate::estimate_theta(bank, pattern, options_);
        irt::category_terms(it, est.theta, lp, g, h);
        double info;
        if (observed_) {
          info = g[k] * g[k] - h[k];
        } else {
          info = 0.0;
          for (int c = 0; c < it.categories(); ++c) info += std::exp(lp[c]) * g[c] * g[c];
        }
        s += std::exp(lp_t[k]) * info;
      }
      ctx.value[i] = ctx.score[i] = s;
    }
  }

 private:
  estimate::options options_;
  bool observed_;
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
}

}  // namespace cat
DSKILL_END_NAMESPACE
