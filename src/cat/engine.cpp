// dskill::cat engine core: construction (tables, the four rules from the registry),
// eligibility, and the step that joins stopping rule, start rule, selector, content balancing
// and exposure control. The rules live in criteria.cpp, start.cpp, estimation.cpp and
// stopping.cpp; content balancing in balancing.cpp, exposure control in exposure.cpp. Formulas
// follow catR 3.17 where catR has them; see docs/ARCHITECTURE.md "Adaptive testing".
#include "dskill/cat/engine.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "dskill/core/hash.hpp"
#include "dskill/core/normal.hpp"
#include "dskill/error.hpp"
#include "dskill/irt/kernels.hpp"
#include "internal.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

std::string_view to_string(finish_reason r) noexcept {
  switch (r) {
    case finish_reason::not_finished: return "not_finished";
    case finish_reason::max_items: return "max_items";
    case finish_reason::se_reached: return "se_reached";
    case finish_reason::information_exhausted: return "information_exhausted";
    case finish_reason::classified: return "classified";
    case finish_reason::rules_met: return "rules_met";
    case finish_reason::bank_exhausted: return "bank_exhausted";
    case finish_reason::user_rule: return "user_rule";
  }
  return "unknown";
}

// ---- per-thread scratch and contexts ---------------------------------------------------------

namespace detail {

workspace& scratch() {
  thread_local workspace ws;
  return ws;
}

step_context make_step_context(const engine& e, const selection_state& st, rng& gen, workspace& ws) {
  const std::size_t n = e.bank().size();
  const std::size_t q = e.grid_nodes().size();
  ws.ensure(n, q, e.spec().content.targets.size(), st.responses.size());
  return step_context{e,
                      st,
                      gen,
                      std::span<std::uint8_t>(ws.eligible.data(), n),
                      {},
                      std::span<double>(ws.value.data(), n),
                      std::span<double>(ws.score.data(), n),
                      std::span<double>(ws.grid_b.data(), q)};
}

stop_context make_stop_context(const engine& e, const selection_state& st, workspace& ws) {
  const std::size_t n = e.bank().size();
  ws.ensure(n, e.grid_nodes().size(), e.spec().content.targets.size(), st.responses.size());
  return stop_context{e, st, std::span<std::uint8_t>(ws.eligible.data(), n), std::span<double>(ws.value.data(), n)};
}

}  // namespace detail

// ---- construction ----------------------------------------------------------------------------

// The criterion grid: nodes, trapezoid weights and prior density always; the per-item tables
// only for selectors that integrate over theta.
void engine::impl::build_grid(engine& e) {
  const auto& bank = *e.bank_;
  const grid_spec& g = e.spec_.selection.grid;
  e.nodes_ = dskill::grid_nodes(g);
  const std::size_t q_count = e.nodes_.size();
  e.trap_.assign(q_count, 0.0);
  for (std::size_t q = 0; q + 1 < q_count; ++q) {
    const double h = e.nodes_[q + 1] - e.nodes_[q];
    e.trap_[q] += h / 2;
    e.trap_[q + 1] += h / 2;
  }
  const auto& pr = e.spec_.estimator.prior_;
  e.density_.assign(q_count, 1.0);
  for (std::size_t q = 0; q < q_count; ++q) {
    switch (pr.kind) {
      case prior_kind::normal: e.density_[q] = core::normal_pdf(e.nodes_[q], pr.mean, pr.sd); break;
      case prior_kind::uniform: e.density_[q] = 1.0 / (g.hi - g.lo); break;
      case prior_kind::custom: e.density_[q] = pr.weights.size() == q_count ? pr.weights[q] : 1.0; break;
    }
  }
  if (!e.selector_->needs().grid) return;
  const std::size_t n = bank.size();
  e.grid_offset_.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i)
    e.grid_offset_[i + 1] = e.grid_offset_[i] + static_cast<std::size_t>(bank.params(i).categories()) * q_count;
  e.grid_logp_.resize(e.grid_offset_[n]);
  e.grid_p_.resize(e.grid_offset_[n]);
  e.grid_info_.resize(n * q_count);
  double lp[irt::max_categories], gg[irt::max_categories], hh[irt::max_categories];
  for (std::size_t i = 0; i < n; ++i) {
    const auto& it = bank.params(i);
    const int k_count = it.categories();
    for (std::size_t q = 0; q < q_count; ++q) {
      irt::category_terms(it, e.nodes_[q], lp, gg, hh);
      double info = 0.0;
      for (int k = 0; k < k_count; ++k) {
        const double p = std::exp(lp[k]);
        e.grid_logp_[e.grid_offset_[i] + static_cast<std::size_t>(k) * q_count + q] = lp[k];
        e.grid_p_[e.grid_offset_[i] + static_cast<std::size_t>(k) * q_count + q] = p;
        info += p * gg[k] * gg[k];
      }
      e.grid_info_[i * q_count + q] = info;
    }
  }
}

void engine::impl::build_structure(engine& e) {
  const auto& bank = *e.bank_;
  const std::size_t n = bank.size();
  const auto& spec = e.spec_;
  e.usable_.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto st = bank.item(i).status;
    e.usable_[i] = st == bank::item_status::operational || (st == bank::item_status::pretest && spec.include_pretest);
  }
  // Enemies (symmetric closure: an enemy listed on either side counts).
  std::vector<std::vector<std::uint32_t>> en(n);
  for (std::size_t i = 0; i < n; ++i)
    for (const auto& id : bank.item(i).enemies)
      if (auto j = bank.find(id); j && *j != i) {
        en[i].push_back(static_cast<std::uint32_t>(*j));
        en[*j].push_back(static_cast<std::uint32_t>(i));
      }
  e.enemy_offset_.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    std::sort(en[i].begin(), en[i].end());
    en[i].erase(std::unique(en[i].begin(), en[i].end()), en[i].end());
    e.enemy_offset_[i + 1] = e.enemy_offset_[i] + en[i].size();
  }
  e.enemies_.clear();
  e.enemies_.reserve(e.enemy_offset_[n]);
  for (const auto& v : en) e.enemies_.insert(e.enemies_.end(), v.begin(), v.end());
  build_groups(e);
  // Start items.
  for (const auto& id : spec.start.items) {
    auto j = bank.find(id);
    if (!j) throw bank_error(fmt::format("the test specification's start items name '{}', which the bank does not have", id));
    e.start_items_.push_back(static_cast<std::uint32_t>(*j));
  }
  if (spec.start.kind == start_kind::fixed_items && e.start_items_.empty())
    throw invalid_argument("start rule 'fixed_items' needs at least one item id");
}

// a-stratification with b-blocking: sort by b, cut into blocks of `strata` items, and give the
// j-th lowest a in each block to stratum j.
void engine::impl::build_strata(engine& e) {
  const auto& bank = *e.bank_;
  const std::size_t n = bank.size();
  const int k = e.spec_.selection.strata;
  std::vector<std::uint32_t> order;
  for (std::size_t i = 0; i < n; ++i)
    if (e.usable_[i]) order.push_back(static_cast<std::uint32_t>(i));
  const auto b = bank.difficulties();
  std::stable_sort(order.begin(), order.end(), [&](auto x, auto y) { return b[x] < b[y]; });
  e.stratum_.assign(n, -1);
  const auto slopes = bank.slopes();
  for (std::size_t start = 0; start < order.size(); start += static_cast<std::size_t>(k)) {
    const std::size_t end = std::min(order.size(), start + static_cast<std::size_t>(k));
    std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(start), order.begin() + static_cast<std::ptrdiff_t>(end),
                     [&](auto x, auto y) { return slopes[x] < slopes[y]; });
    for (std::size_t j = start; j < end; ++j) e.stratum_[order[j]] = static_cast<int>(j - start);
  }
}

namespace {
// The specification with every rule name in its registered spelling (so that its hash and YAML
// do not depend on how a name was cased); throws invalid_argument for an unknown name.
test_spec canonical_names(test_spec spec) {
  auto& reg = registry::global();
  spec.start.kind = rule_name<start_kind>(reg.start.canonical(spec.start.kind.str()));
  spec.selection.rule = rule_name<criterion>(reg.selectors.canonical(spec.selection.rule.str()));
  if (!spec.estimator_rule.empty()) spec.estimator_rule = reg.estimators.canonical(spec.estimator_rule);
  for (auto& name : spec.stopping.rules) name = reg.stopping.canonical(name);
  return spec;
}
}  // namespace

engine::engine(bank::bank_ptr bank, test_spec spec, std::shared_ptr<exposure_tracker> tracker,
               std::vector<double> sympson_hetter)
    : bank_(std::move(bank)), spec_(canonical_names(std::move(spec))) {
  if (!bank_) throw invalid_argument("a CAT engine needs a bank");
  validate(spec_);
  spec_hash_ = cat::spec_hash(spec_);
  spec_yaml_ = to_yaml(spec_);
  const std::size_t n = bank_->size();
  if (tracker && tracker->size() != n)
    throw invalid_argument(fmt::format("exposure tracker has {} items, the bank {}", tracker->size(), n));
  tracker_ = tracker ? std::move(tracker) : std::make_shared<exposure_tracker>(n);
  if (!sympson_hetter.empty()) {
    if (sympson_hetter.size() != n)
      throw invalid_argument(fmt::format("Sympson-Hetter table has {} values, the bank {} items", sympson_hetter.size(), n));
    for (double k : sympson_hetter)
      if (!(k >= 0.0 && k <= 1.0)) throw invalid_argument(fmt::format("Sympson-Hetter value {} is outside [0, 1]", k));
    sh_ = std::move(sympson_hetter);
  } else {
    sh_.resize(n);
    for (std::size_t i = 0; i < n; ++i) sh_[i] = std::clamp(bank_->item(i).exposure_control, 0.0, 1.0);
  }
  if (spec_.exposure.sympson_hetter) {
    fmt::memory_buffer text;
    for (double k : sh_) fmt::format_to(std::back_inserter(text), "{:.17g}\n", k);
    sh_hash_ = core::sha256_hex(std::string_view(text.data(), text.size()));
  }
  impl::build_structure(*this);
  impl::build_profile(*this);
  auto& reg = registry::global();
  selector_ = reg.selectors.make(spec_.selection.rule.str(), *this);
  impl::build_grid(*this);
  if (selector_->needs().strata) impl::build_strata(*this);
  start_ = reg.start.make(spec_.start.kind.str(), *this);
  estimator_ = reg.estimators.make(
      spec_.estimator_rule.empty() ? estimate::to_string(spec_.estimator.estimator) : std::string_view(spec_.estimator_rule), *this);
  stop_ = reg.stopping.make("combined", *this);
}

engine::~engine() = default;

std::shared_ptr<const engine> engine::create(bank::bank_ptr bank, test_spec spec, std::shared_ptr<exposure_tracker> tracker,
                                             std::vector<double> sympson_hetter) {
  return std::make_shared<const engine>(std::move(bank), std::move(spec), std::move(tracker), std::move(sympson_hetter));
}

// ---- tables and eligibility for rules --------------------------------------------------------

void engine::likelihood_on_grid(std::span<const estimate::response> responses, std::span<double> lik) const noexcept {
  const std::size_t qn = nodes_.size();
  std::fill(lik.begin(), lik.begin() + static_cast<std::ptrdiff_t>(qn), 0.0);
  for (const auto& r : responses) {
    const double* row = grid_logp_.data() + grid_offset_[r.item] + static_cast<std::size_t>(r.category) * qn;
    for (std::size_t q = 0; q < qn; ++q) lik[q] += row[q];
  }
  double mx = detail::neg_inf;
  for (std::size_t q = 0; q < qn; ++q) mx = std::max(mx, lik[q]);
  const double shift = mx < -600.0 ? mx : 0.0;
  for (std::size_t q = 0; q < qn; ++q) lik[q] = std::exp(lik[q] - shift);
}

void engine::mark_available(std::span<const estimate::response> responses, std::span<const std::uint32_t> excluded,
                            std::span<std::uint8_t> el) const noexcept {
  const std::size_t n = bank_->size();
  for (std::size_t i = 0; i < n; ++i) el[i] = usable(i) ? 1 : 0;
  for (const auto& r : responses) {
    if (r.item >= n) continue;
    el[r.item] = 0;
    for (auto j : enemies_of(r.item)) el[j] = 0;
  }
  for (auto j : excluded)
    if (j < n) el[j] = 0;
}

bool engine::impl::eligibility(const engine& e, step_context& ctx, detail::workspace& ws, std::span<const std::uint32_t> extra) {
  const std::size_t n = e.bank_->size();
  e.mark_available(ctx.state.responses, ctx.state.excluded, ctx.eligible);
  for (auto j : extra)
    if (j < n) ctx.eligible[j] = 0;
  ctx.candidates = {};
  e.selector_->restrict(ctx);
  detail::restrict_exposure(e, ctx);
  if (!e.spec_.content.targets.empty() && e.spec_.content.method != balancing::none) apply_blueprint(e, ctx, ws);
  ws.cand.clear();
  for (std::size_t i = 0; i < n; ++i)
    if (ctx.eligible[i]) ws.cand.push_back(static_cast<std::uint32_t>(i));
  ctx.candidates = ws.cand;
  return !ws.cand.empty();
}

std::span<const std::uint32_t> engine::eligible_candidates(const step_context& ctx) const {
  auto& ws = detail::scratch();
  step_context c = ctx;
  impl::eligibility(*this, c, ws, {});
  return ws.cand;
}

// ---- estimation, selection, stopping -----------------------------------------------------------

estimate::result engine::estimate(std::span<const estimate::response> responses) const noexcept {
  if (!profile_) return estimator_->estimate(*this, responses);
  // A profile's summary: what rules written for one theta read (the largest SE: stopping.se
  // then holds for every dimension).
  const auto p = (*profile_)(responses);
  estimate::result r;
  r.theta = p.theta[0];
  r.se = p.se.maxCoeff();
  r.iterations = p.iterations;
  r.state = p.state;
  return r;
}

std::optional<std::uint32_t> engine::select(const selection_state& state, rng& gen, std::vector<std::uint32_t>* set_aside,
                                            std::vector<criterion_value>* explain) const {
  auto& ws = detail::scratch();
  step_context ctx = detail::make_step_context(*this, state, gen, ws);
  auto& extra = ws.excluded_extra;
  extra.clear();
  // Items set aside by Sympson-Hetter reach the caller only when the step is over: state.excluded
  // may view the caller's set-aside vector, which a push_back here would reallocate under it.
  auto finish = [&](std::optional<std::uint32_t> result) {
    if (set_aside) set_aside->insert(set_aside->end(), extra.begin(), extra.end());
    return result;
  };
  const auto& sel = *selector_;
  for (;;) {
    if (!impl::eligibility(*this, ctx, ws, extra)) return finish(std::nullopt);
    sel.evaluate(ctx);
    if (explain && extra.empty())
      for (auto i : ws.cand) explain->push_back({i, ws.value[i]});
    std::uint32_t chosen;
    if (const auto drawn = sel.draw(ctx)) {
      chosen = *drawn;
    } else {
      if (spec_.content.method == balancing::weighted_deviations && !spec_.content.targets.empty())
        impl::apply_weighted_deviations(*this, ctx, ws);
      detail::blend_scores(*this, ctx, ws.cand, sel.criterion_weight(ctx));
      chosen = detail::pick_best(*this, ctx, ws.cand);
    }
    if (!detail::replaying) exposure().selected(chosen);
    if (detail::sympson_hetter_admits(*this, chosen, gen)) return finish(chosen);
    extra.push_back(chosen);
  }
}

classification engine::classify(const selection_state& state) const { return detail::classify(*this, state); }

finish_reason engine::should_stop(const selection_state& state) const {
  return stop_->check(detail::make_stop_context(*this, state, detail::scratch()));
}

step_result engine::step(const selection_state& state, rng& gen, std::vector<std::uint32_t>* set_aside) const {
  step_result out;
  out.reason = should_stop(state);
  if (out.reason != finish_reason::not_finished) return out;
  const auto choice = start_->choose(detail::make_step_context(*this, state, gen, detail::scratch()));
  if (choice.in_charge) {
    if (!choice.item) {
      out.reason = finish_reason::bank_exhausted;
      return out;
    }
    if (!detail::replaying) exposure().selected(*choice.item);
    out.item = choice.item;
    return out;
  }
  out.item = select(state, gen, set_aside);
  if (!out.item) out.reason = finish_reason::bank_exhausted;
  return out;
}

}  // namespace cat
DSKILL_END_NAMESPACE
