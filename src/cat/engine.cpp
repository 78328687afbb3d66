// dskill::cat engine: tables, eligibility, selection criteria, exposure control, content
// balancing and stopping. Formulas follow catR 3.17 (nextItem, MWI, KL, MEI, EPV) where catR
// has them; see docs/ARCHITECTURE.md "Adaptive testing".
#include "dskill/cat/engine.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <fmt/format.h>

#include "dskill/error.hpp"
#include "dskill/irt/kernels.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

// ---- exposure tracker ------------------------------------------------------------------------

exposure_tracker::exposure_tracker(std::size_t items)
    : n_(items),
      selected_(new std::atomic<std::uint64_t>[items]),
      administered_(new std::atomic<std::uint64_t>[items]) {
  reset();
}

void exposure_tracker::reset() noexcept {
  for (std::size_t i = 0; i < n_; ++i) {
    selected_[i].store(0, std::memory_order_relaxed);
    administered_[i].store(0, std::memory_order_relaxed);
  }
  sessions_.store(0, std::memory_order_relaxed);
}

double exposure_tracker::max_rate() const noexcept {
  double m = 0.0;
  for (std::size_t i = 0; i < n_; ++i) m = std::max(m, rate(i));
  return m;
}

std::string_view to_string(finish_reason r) noexcept {
  switch (r) {
    case finish_reason::not_finished: return "not_finished";
    case finish_reason::max_items: return "max_items";
    case finish_reason::se_reached: return "se_reached";
    case finish_reason::information_exhausted: return "information_exhausted";
    case finish_reason::classified: return "classified";
    case finish_reason::rules_met: return "rules_met";
    case finish_reason::bank_exhausted: return "bank_exhausted";
  }
  return "unknown";
}

// ---- per-thread scratch ----------------------------------------------------------------------

namespace {

constexpr double neg_inf = -std::numeric_limits<double>::infinity();

struct workspace {
  std::vector<double> value, score, grid_a, grid_b;
  std::vector<std::uint8_t> eligible;
  std::vector<std::uint32_t> cand;
  std::vector<estimate::response> resp;
  std::vector<int> group_count;
  std::vector<std::uint8_t> group_allowed;
  std::vector<double> group_dev;
  std::vector<std::uint32_t> excluded_extra;

  void ensure(std::size_t n, std::size_t q, std::size_t groups, std::size_t answered) {
    if (value.size() < n) {
      value.resize(n);
      score.resize(n);
      eligible.resize(n);
      cand.reserve(n);
    }
    if (grid_a.size() < q) {
      grid_a.resize(q);
      grid_b.resize(q);
    }
    if (group_count.size() < groups + 1) {
      group_count.resize(groups + 1);
      group_allowed.resize(groups + 1);
      group_dev.resize(groups + 1);
    }
    if (resp.capacity() < answered + 1) resp.reserve(std::max<std::size_t>(2 * answered + 2, 64));
    if (excluded_extra.capacity() < 64) excluded_extra.reserve(64);
  }
};

workspace& scratch() {
  thread_local workspace ws;
  return ws;
}

double normal_density(double x, double mean, double sd) noexcept {
  const double z = (x - mean) / sd;
  return std::exp(-0.5 * z * z) / (sd * std::sqrt(2.0 * std::numbers::pi));
}

bool needs_grid(criterion c) noexcept {
  return c == criterion::mlwi || c == criterion::mpwi || c == criterion::kl || c == criterion::klp ||
         c == criterion::mepv;
}

}  // namespace

// ---- construction ----------------------------------------------------------------------------

struct engine::impl {
  struct selector;
  // Builds the selection-grid tables (criteria that integrate over theta).
  static void build_grid(engine& e) {
    const auto& bank = *e.bank_;
    const grid_spec& g = e.spec_.selection.grid;
    e.nodes_ = grid_nodes(g);
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
        case prior_kind::normal: e.density_[q] = normal_density(e.nodes_[q], pr.mean, pr.sd); break;
        case prior_kind::uniform: e.density_[q] = 1.0 / (g.hi - g.lo); break;
        case prior_kind::custom:
          e.density_[q] = pr.weights.size() == q_count ? pr.weights[q] : 1.0;
          break;
      }
    }
    if (!needs_grid(e.spec_.selection.rule)) return;
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

  static void build_structure(engine& e) {
    const auto& bank = *e.bank_;
    const std::size_t n = bank.size();
    const auto& spec = e.spec_;
    e.usable_.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto st = bank.item(i).status;
      e.usable_[i] = st == bank::item_status::operational ||
                     (st == bank::item_status::pretest && spec.include_pretest);
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
    // Blueprint groups.
    const auto& bp = spec.content;
    if (!bp.targets.empty()) {
      e.group_of_.assign(n, -1);
      for (std::size_t i = 0; i < n; ++i) {
        const auto& it = bank.item(i);
        for (std::size_t g = 0; g < bp.targets.size() && e.group_of_[i] < 0; ++g) {
          const auto& key = bp.targets[g].key;
          switch (bp.by) {
            case blueprint_by::area: {
              // Without a framework the area is the competence id's prefix ("1.3" -> "1").
              std::string_view area = it.area;
              if (area.empty() && !it.competences.empty())
                area = std::string_view(it.competences.front()).substr(0, it.competences.front().find('.'));
              if (area == key) e.group_of_[i] = static_cast<int>(g);
              break;
            }
            case blueprint_by::competence:
              if (!it.competences.empty() && it.competences.front() == key) e.group_of_[i] = static_cast<int>(g);
              break;
            case blueprint_by::level:
              if (std::to_string(it.level) == key) e.group_of_[i] = static_cast<int>(g);
              break;
          }
        }
      }
      const double len = spec.stopping.max_items;
      e.group_proportion_.assign(bp.targets.size(), 0.0);
      double sum = 0.0;
      for (std::size_t g = 0; g < bp.targets.size(); ++g) {
        const auto& t = bp.targets[g];
        e.group_proportion_[g] = t.proportion >= 0 ? t.proportion : t.min > 0 ? t.min / len : 0.0;
        sum += e.group_proportion_[g];
      }
      if (sum > 0)
        for (auto& p : e.group_proportion_) p /= sum;
    }
    // a-stratification with b-blocking: sort by b, cut into blocks of `strata` items, and give
    // the j-th lowest a in each block to stratum j.
    if (spec.selection.rule == criterion::a_stratified) {
      const int k = spec.selection.strata;
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
    // Start items.
    for (const auto& id : spec.start.items) {
      auto j = bank.find(id);
      if (!j) throw bank_error(fmt::format("the test specification's start items name '{}', which the bank does not have", id));
      e.start_items_.push_back(static_cast<std::uint32_t>(*j));
    }
    if (spec.start.kind == start_kind::fixed_items && e.start_items_.empty())
      throw invalid_argument("start rule 'fixed_items' needs at least one item id");
  }
};

engine::engine(bank::bank_ptr bank, test_spec spec, std::shared_ptr<exposure_tracker> tracker,
               std::vector<double> sympson_hetter)
    : bank_(std::move(bank)), spec_(std::move(spec)) {
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
  impl::build_structure(*this);
  impl::build_grid(*this);
  if (spec_.estimator.estimator == estimate::method::eap)
    eap_ = std::make_unique<estimate::eap_scorer>(*bank_, spec_.estimator);
  mei_options_ = spec_.estimator;
  mei_options_.estimator = spec_.selection.mei_method;
  mei_options_.se_information = spec_.selection.mei_information;
  mei_options_.grid = spec_.selection.grid;
  mei_options_.rule = integration_rule::trapezoid;
  if (mei_options_.prior_.kind == prior_kind::custom && mei_options_.estimator != estimate::method::eap)
    mei_options_.prior_ = {};
}

engine::~engine() = default;

std::shared_ptr<const engine> engine::create(bank::bank_ptr bank, test_spec spec, std::shared_ptr<exposure_tracker> tracker,
                                             std::vector<double> sympson_hetter) {
  return std::make_shared<const engine>(std::move(bank), std::move(spec), std::move(tracker), std::move(sympson_hetter));
}

// ---- estimation ------------------------------------------------------------------------------

estimate::result engine::estimate(std::span<const estimate::response> responses) const noexcept {
  if (responses.empty()) {
    estimate::result r;
    r.theta = spec_.start.theta;
    const auto& pr = spec_.estimator.prior_;
    const bool bayes = spec_.estimator.estimator == estimate::method::eap ||
                       (spec_.estimator.estimator == estimate::method::map && pr.kind == prior_kind::normal);
    r.se = bayes && pr.kind == prior_kind::normal ? pr.sd : std::numeric_limits<double>::infinity();
    if (eap_ && pr.kind != prior_kind::normal) r.se = (*eap_)(responses).se;
    r.state = estimate::status::no_responses;
    return r;
  }
  if (eap_) {
    auto& ws = scratch();
    ws.ensure(0, eap_->nodes(), 0, 0);
    return (*eap_)(responses, std::span<double>(ws.grid_a.data(), eap_->nodes()));
  }
  return estimate::estimate_theta(*bank_, responses, spec_.estimator);
}

// ---- selection -------------------------------------------------------------------------------

struct engine::impl::selector {
  const engine& e;
  const test_spec& spec;
  const bank::item_bank& bank;
  const selection_state& st;
  rng& gen;
  workspace& ws;
  std::size_t n;

  // Builds ws.eligible and ws.cand. Returns false when nothing is eligible.
  bool build_eligibility(std::span<const std::uint32_t> extra_excluded, bool apply_content) {
    auto& el = ws.eligible;
    for (std::size_t i = 0; i < n; ++i) el[i] = e.usable(i) ? 1 : 0;
    for (const auto& r : st.responses) {
      if (r.item >= n) continue;
      el[r.item] = 0;
      for (auto j : e.enemies_of(r.item)) el[j] = 0;
    }
    for (auto j : st.excluded)
      if (j < n) el[j] = 0;
    for (auto j : extra_excluded)
      if (j < n) el[j] = 0;
    auto restrict_to = [&](auto&& keep) {
      // Applies a soft restriction: kept only when some item survives it.
      bool any = false;
      for (std::size_t i = 0; i < n && !any; ++i) any = el[i] && keep(i);
      if (!any) return;
      for (std::size_t i = 0; i < n; ++i)
        if (el[i] && !keep(i)) el[i] = 0;
    };
    const int answered = static_cast<int>(st.responses.size());
    if (spec.selection.rule == criterion::a_stratified) {
      const int k = spec.selection.strata;
      const int len = std::max(1, spec.stopping.max_items);
      const int stratum = std::min(k - 1, answered * k / len);
      restrict_to([&](std::size_t i) { return e.stratum_of(i) == stratum; });
    }
    if (spec.exposure.restricted_max > 0.0 && e.exposure().sessions() > 0) {
      const double rmax = spec.exposure.restricted_max;
      restrict_to([&](std::size_t i) { return e.exposure().rate(i) < rmax; });
    }
    if (apply_content && !spec.content.targets.empty() && spec.content.method != balancing::none) apply_blueprint(restrict_to);
    ws.cand.clear();
    for (std::size_t i = 0; i < n; ++i)
      if (el[i]) ws.cand.push_back(static_cast<std::uint32_t>(i));
    return !ws.cand.empty();
  }

  template <class Restrict>
  void apply_blueprint(Restrict&& restrict_to) {
    const auto& bp = spec.content;
    const std::size_t groups = bp.targets.size();
    auto& count = ws.group_count;
    std::fill(count.begin(), count.begin() + static_cast<std::ptrdiff_t>(groups + 1), 0);
    for (const auto& r : st.responses) {
      const int g = e.group_of(r.item);
      ++count[g < 0 ? groups : static_cast<std::size_t>(g)];
    }
    // Hard maxima.
    restrict_to([&](std::size_t i) {
      const int g = e.group_of(i);
      if (g < 0) return true;
      const int mx = bp.targets[static_cast<std::size_t>(g)].max;
      return mx < 0 || count[static_cast<std::size_t>(g)] < mx;
    });
    // Minima that can no longer wait: the remaining places are all needed.
    const int answered = static_cast<int>(st.responses.size());
    const int remaining = spec.stopping.max_items - answered;
    int deficit = 0;
    for (std::size_t g = 0; g < groups; ++g) deficit += std::max(0, bp.targets[g].min - count[g]);
    if (deficit > 0 && deficit >= remaining)
      restrict_to([&](std::size_t i) {
        const int g = e.group_of(i);
        return g >= 0 && count[static_cast<std::size_t>(g)] < bp.targets[static_cast<std::size_t>(g)].min;
      });
    if (bp.method != balancing::kingsbury_zara) return;
    // Kingsbury-Zara: the group furthest below its target proportion (groups not yet used
    // first, as catR), ties broken at random.
    const auto& prop = e.group_proportion_;
    auto& allowed = ws.group_allowed;
    std::fill(allowed.begin(), allowed.begin() + static_cast<std::ptrdiff_t>(groups + 1), 0);
    // Only groups that still have eligible items compete.
    for (std::size_t i = 0; i < n; ++i)
      if (ws.eligible[i]) {
        const int g = e.group_of(i);
        if (g >= 0) allowed[static_cast<std::size_t>(g)] = 1;
      }
    bool any_zero = false;
    for (std::size_t g = 0; g < groups; ++g)
      if (allowed[g] && prop[g] > 0 && count[g] == 0) any_zero = true;
    // Kingsbury-Zara shortfall of group g (target minus share so far); while some target group is
    // still empty only those groups compete, all at 0. NaN = group not in the running.
    const auto shortfall = [&](std::size_t g) {
      if (!allowed[g] || prop[g] <= 0 || (any_zero && count[g] != 0)) return std::numeric_limits<double>::quiet_NaN();
      return any_zero ? 0.0 : prop[g] - static_cast<double>(count[g]) / std::max(1, answered);
    };
    double best = neg_inf;
    int ties = 0;
    for (std::size_t g = 0; g < groups; ++g) {
      const double v = shortfall(g);
      if (std::isnan(v)) continue;
      if (v > best + 1e-12) {
        best = v;
        ties = 1;
      } else if (std::abs(v - best) <= 1e-12) {
        ++ties;
      }
    }
    if (ties == 0) return;
    int pick = ties == 1 ? 0 : static_cast<int>(gen.below(static_cast<std::uint64_t>(ties)));
    int chosen = -1;
    for (std::size_t g = 0; g < groups && chosen < 0; ++g) {
      const double v = shortfall(g);
      if (std::isnan(v)) continue;
      if (std::abs(v - best) <= 1e-12 && pick-- == 0) chosen = static_cast<int>(g);
    }
    restrict_to([&](std::size_t i) { return e.group_of(i) == chosen; });
  }

  // Unnormalised likelihood of the answered items at every grid node (catR: L = 1 without
  // answers). Rescaled only if it would underflow.
  void likelihood_on_grid(std::span<double> lik) const {
    const std::size_t qn = e.nodes_.size();
    std::fill(lik.begin(), lik.begin() + static_cast<std::ptrdiff_t>(qn), 0.0);
    for (const auto& r : st.responses) {
      const double* row = e.grid_logp_.data() + e.grid_offset_[r.item] + static_cast<std::size_t>(r.category) * qn;
      for (std::size_t q = 0; q < qn; ++q) lik[q] += row[q];
    }
    double mx = neg_inf;
    for (std::size_t q = 0; q < qn; ++q) mx = std::max(mx, lik[q]);
    const double shift = mx < -600.0 ? mx : 0.0;
    for (std::size_t q = 0; q < qn; ++q) lik[q] = std::exp(lik[q] - shift);
  }

  // Fills ws.value (natural criterion) and ws.score (higher is better) for every candidate.
  void compute_criterion() {
    const auto rule = spec.selection.rule;
    auto& value = ws.value;
    auto& score = ws.score;
    const double theta = st.theta;
    switch (rule) {
      case criterion::mfi:
      case criterion::progressive:
      case criterion::proportional:
        bank.information_at(theta, std::span<double>(value.data(), n));
        for (auto i : ws.cand) score[i] = value[i];
        break;
      case criterion::bopt:
      case criterion::a_stratified: {
        const auto b = bank.difficulties();
        for (auto i : ws.cand) {
          value[i] = std::abs(b[i] - theta);
          score[i] = -value[i];
        }
        break;
      }
      case criterion::random:
        for (auto i : ws.cand) value[i] = score[i] = 0.0;
        break;
      case criterion::mlwi:
      case criterion::mpwi: {
        const std::size_t qn = e.nodes_.size();
        std::span<double> w(ws.grid_a.data(), qn);
        likelihood_on_grid(w);
        for (std::size_t q = 0; q < qn; ++q) w[q] *= e.trap_[q] * (rule == criterion::mpwi ? e.density_[q] : 1.0);
        for (auto i : ws.cand) {
          const double* info = e.grid_info_.data() + static_cast<std::size_t>(i) * qn;
          double s = 0.0;
          for (std::size_t q = 0; q < qn; ++q) s += w[q] * info[q];
          value[i] = score[i] = s;
        }
        break;
      }
      case criterion::kl:
      case criterion::klp: {
        const std::size_t qn = e.nodes_.size();
        std::span<double> w(ws.grid_a.data(), qn);
        likelihood_on_grid(w);
        double wsum = 0.0;
        for (std::size_t q = 0; q < qn; ++q) {
          w[q] *= e.trap_[q] * (rule == criterion::klp ? e.density_[q] : 1.0);
          wsum += w[q];
        }
        double lp[irt::max_categories];
        for (auto i : ws.cand) {
          const auto& it = bank.params(i);
          irt::log_probabilities(it, theta, lp);
          double s = 0.0;
          for (int k = 0; k < it.categories(); ++k) {
            const double pk = std::exp(lp[k]);
            const double* row = e.grid_logp_.data() + e.grid_offset_[i] + static_cast<std::size_t>(k) * qn;
            double acc = 0.0;
            for (std::size_t q = 0; q < qn; ++q) acc += w[q] * row[q];
            s += pk * (lp[k] * wsum - acc);
          }
          value[i] = score[i] = s;
        }
        break;
      }
      case criterion::mepv: {
        const std::size_t qn = e.nodes_.size();
        std::span<double> base(ws.grid_a.data(), qn);
        likelihood_on_grid(base);
        for (std::size_t q = 0; q < qn; ++q) base[q] *= e.trap_[q] * e.density_[q];
        double lp[irt::max_categories];
        for (auto i : ws.cand) {
          const auto& it = bank.params(i);
          irt::log_probabilities(it, theta, lp);
          double s = 0.0;
          for (int k = 0; k < it.categories(); ++k) {
            const double* p = e.grid_p_.data() + e.grid_offset_[i] + static_cast<std::size_t>(k) * qn;
            double m0 = 0, m1 = 0, m2 = 0;
            for (std::size_t q = 0; q < qn; ++q) {
              const double wq = base[q] * p[q];
              m0 += wq;
              m1 += wq * e.nodes_[q];
              m2 += wq * e.nodes_[q] * e.nodes_[q];
            }
            if (m0 <= 0) continue;
            const double mean = m1 / m0;
            s += std::exp(lp[k]) * std::max(0.0, m2 / m0 - mean * mean);
          }
          value[i] = s;
          score[i] = -s;
        }
        break;
      }
      case criterion::mei: {
        auto& resp = ws.resp;
        resp.assign(st.responses.begin(), st.responses.end());
        resp.push_back({});
        const std::span<const estimate::response> pattern(resp.data(), resp.size());
        const auto& opts = e.mei_options_;
        double lp[irt::max_categories], g[irt::max_categories], h[irt::max_categories];
        double lp_t[irt::max_categories];
        for (auto i : ws.cand) {
          const auto& it = bank.params(i);
          irt::log_probabilities(it, theta, lp_t);
          double s = 0.0;
          for (int k = 0; k < it.categories(); ++k) {
            resp.back() = {i, k};
            const auto est = estimate::estimate_theta(bank, pattern, opts);
            irt::category_terms(it, est.theta, lp, g, h);
            double info;
            if (spec.selection.mei_information == estimate::information_kind::observed) {
              info = g[k] * g[k] - h[k];
            } else {
              info = 0.0;
              for (int c = 0; c < it.categories(); ++c) info += std::exp(lp[c]) * g[c] * g[c];
            }
            s += std::exp(lp_t[k]) * info;
          }
          value[i] = score[i] = s;
        }
        break;
      }
    }
  }

  // Stocking & Swanson's weighted deviations: score = w * normalised criterion minus the
  // weighted deviations of the blueprint bounds projected to the end of the test.
  void apply_weighted_deviations() {
    const auto& bp = spec.content;
    const std::size_t groups = bp.targets.size();
    const int answered = static_cast<int>(st.responses.size());
    const double len = spec.stopping.max_items;
    const double remaining_after = std::max(0.0, len - answered - 1);
    const auto& count = ws.group_count;  // filled by apply_blueprint
    const auto& prop = e.group_proportion_;
    auto deviation_if = [&](int chosen) {
      double dev = 0.0;
      for (std::size_t j = 0; j < groups; ++j) {
        const auto& t = bp.targets[j];
        const double now = count[j] + (static_cast<int>(j) == chosen ? 1 : 0);
        const double projected = now + remaining_after * prop[j];
        double lo = t.min, hi = t.max < 0 ? std::numeric_limits<double>::infinity() : t.max;
        if (t.proportion >= 0) {
          lo = std::max(lo, t.proportion * len);
          hi = std::min(hi, std::max(lo, t.proportion * len));
        }
        dev += t.weight * (std::max(0.0, lo - projected) + std::max(0.0, projected - hi));
      }
      return dev;
    };
    for (std::size_t g = 0; g <= groups; ++g) ws.group_dev[g] = deviation_if(g == groups ? -1 : static_cast<int>(g));
    double lo = std::numeric_limits<double>::infinity(), hi = neg_inf;
    for (auto i : ws.cand) {
      lo = std::min(lo, ws.score[i]);
      hi = std::max(hi, ws.score[i]);
    }
    const double range = hi > lo ? hi - lo : 1.0;
    for (auto i : ws.cand) {
      const int g = e.group_of(i);
      const double dev = ws.group_dev[g < 0 ? groups : static_cast<std::size_t>(g)];
      ws.score[i] = bp.information_weight * (ws.score[i] - lo) / range - dev;
    }
  }

  // Progressive / proportional (catR's "length" rule with thr = max_items) and the
  // progressive-restricted blend.
  double progress_weight(bool proportional) const {
    const int s = static_cast<int>(st.responses.size());
    if (s == 0) return 0.0;
    const double ap = spec.selection.acceleration;
    const int thr = std::max(2, spec.stopping.max_items);
    double num = 0, den = 0;
    for (int k = 1; k <= s; ++k) num += std::pow(k, ap);
    for (int k = 1; k <= thr - 1; ++k) den += std::pow(k, ap);
    const double w = std::min(1.0, num / den);
    return proportional ? thr * num / den : w;
  }

  // Picks among candidates by score: randomesque top-k, then returns the item.
  std::uint32_t pick_best() {
    const int k = std::max(1, spec.exposure.randomesque);
    auto better = [&](std::uint32_t a, std::uint32_t b) {
      return ws.score[a] > ws.score[b] || (ws.score[a] == ws.score[b] && a < b);
    };
    if (k == 1 || ws.cand.size() == 1) {
      std::uint32_t best = ws.cand.front();
      for (auto i : ws.cand)
        if (better(i, best)) best = i;
      return best;
    }
    const std::size_t kk = std::min<std::size_t>(static_cast<std::size_t>(k), ws.cand.size());
    std::partial_sort(ws.cand.begin(), ws.cand.begin() + static_cast<std::ptrdiff_t>(kk), ws.cand.end(), better);
    return ws.cand[gen.below(kk)];
  }

  std::optional<std::uint32_t> run(std::vector<std::uint32_t>* set_aside, std::vector<criterion_value>* explain) {
    auto& extra = ws.excluded_extra;
    extra.clear();
    // Items set aside by Sympson-Hetter reach the caller only when the step is over: st.excluded
    // may view the caller's set-aside vector, which a push_back here would reallocate under it.
    auto finish = [&](std::optional<std::uint32_t> result) {
      if (set_aside) set_aside->insert(set_aside->end(), extra.begin(), extra.end());
      return result;
    };
    for (;;) {
      if (!build_eligibility(extra, true)) return finish(std::nullopt);
      compute_criterion();
      if (explain && extra.empty())
        for (auto i : ws.cand) explain->push_back({i, ws.value[i]});
      const auto rule = spec.selection.rule;
      std::uint32_t chosen;
      if (rule == criterion::random) {
        chosen = ws.cand[gen.below(ws.cand.size())];
      } else if (rule == criterion::proportional) {
        const double wq = progress_weight(true);
        double total = 0.0;
        for (auto i : ws.cand) {
          ws.score[i] = std::pow(std::max(0.0, ws.value[i]), wq);
          total += ws.score[i];
        }
        double u = gen.uniform() * total;
        chosen = ws.cand.back();
        for (auto i : ws.cand) {
          if (u < ws.score[i]) {
            chosen = i;
            break;
          }
          u -= ws.score[i];
        }
      } else {
        if (spec.content.method == balancing::weighted_deviations && !spec.content.targets.empty())
          apply_weighted_deviations();
        const bool progressive = rule == criterion::progressive;
        const bool restricted = spec.exposure.restricted_max > 0.0;
        if (progressive || restricted) {
          double wq;
          if (progressive) {
            wq = progress_weight(false);
          } else {
            const int len = std::max(1, spec.stopping.max_items);
            wq = std::min(1.0, static_cast<double>(st.responses.size()) / len);
          }
          double lo = std::numeric_limits<double>::infinity(), hi = neg_inf;
          for (auto i : ws.cand) {
            lo = std::min(lo, ws.score[i]);
            hi = std::max(hi, ws.score[i]);
          }
          const double span = hi > lo ? hi - lo : 1.0;
          for (auto i : ws.cand) {
            const double s = (ws.score[i] - lo) / span;  // in [0, 1]
            ws.score[i] = s * wq + gen.uniform() * (1.0 - wq);
          }
        }
        chosen = pick_best();
      }
      e.exposure().selected(chosen);
      if (!spec.exposure.sympson_hetter) return finish(chosen);
      const double k = e.sympson_hetter()[chosen];
      if (k >= 1.0 || gen.uniform() < k) return finish(chosen);
      extra.push_back(chosen);
    }
  }
};

std::optional<std::uint32_t> engine::select(const selection_state& state, rng& gen, std::vector<std::uint32_t>* set_aside,
                                            std::vector<criterion_value>* explain) const {
  auto& ws = scratch();
  ws.ensure(bank_->size(), nodes_.size(), spec_.content.targets.size(), state.responses.size());
  impl::selector s{*this, spec_, *bank_, state, gen, ws, bank_->size()};
  return s.run(set_aside, explain);
}

// ---- stopping and classification ----------------------------------------------------------------

namespace {
// Inverse of the standard normal CDF (Acklam's rational approximation refined by one Halley
// step; |error| < 1e-15 over (0, 1)).
double normal_quantile(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01,  -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  const double plow = 0.02425;
  double x;
  if (p < plow) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - plow) {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}
}  // namespace

classification engine::classify(const selection_state& state) const {
  const auto& sp = spec_.stopping;
  classification out;
  const auto& cuts = sp.cuts;
  if (sp.classification == classification_kind::sprt) {
    // Wald's SPRT at each cut: H0 theta = cut - delta, H1 theta = cut + delta.
    const double upper = std::log((1 - sp.beta) / sp.alpha), lower = std::log(sp.beta / (1 - sp.alpha));
    int level = 0;
    bool decided = true;
    for (double c : cuts) {
      const double llr = estimate::log_likelihood(*bank_, state.responses, c + sp.indifference) -
                         estimate::log_likelihood(*bank_, state.responses, c - sp.indifference);
      if (llr >= upper) {
        ++level;
      } else if (llr > lower) {
        decided = false;
      }
    }
    out.decided = decided && !state.responses.empty();
    out.level = out.decided ? level : -1;
    return out;
  }
  int level = 0;
  for (double c : cuts)
    if (state.theta >= c) ++level;
  if (sp.classification == classification_kind::confidence_interval) {
    const double z = normal_quantile(0.5 + sp.confidence / 2);
    const double lo = state.theta - z * state.se, hi = state.theta + z * state.se;
    bool decided = std::isfinite(state.se) && !state.responses.empty();
    for (double c : cuts)
      if (c >= lo && c <= hi) decided = false;
    out.decided = decided;
    out.level = decided ? level : -1;
    return out;
  }
  out.level = level;
  out.decided = true;
  return out;
}

finish_reason engine::should_stop(const selection_state& state) const {
  const auto& sp = spec_.stopping;
  const int answered = static_cast<int>(state.responses.size());
  if (answered >= sp.max_items) return finish_reason::max_items;
  if (answered < sp.min_items) return finish_reason::not_finished;
  int enabled = 0, met = 0;
  finish_reason first = finish_reason::not_finished;
  auto note = [&](bool on, bool holds, finish_reason r) {
    if (!on) return;
    ++enabled;
    if (holds) {
      ++met;
      if (first == finish_reason::not_finished) first = r;
    }
  };
  note(sp.se > 0, state.se <= sp.se, finish_reason::se_reached);
  note(sp.classification != classification_kind::none, sp.classification != classification_kind::none && classify(state).decided,
       finish_reason::classified);
  if (sp.min_information > 0) {
    auto& ws = scratch();
    ws.ensure(bank_->size(), nodes_.size(), spec_.content.targets.size(), state.responses.size());
    bank_->information_at(state.theta, std::span<double>(ws.value.data(), bank_->size()));
    auto& el = ws.eligible;
    for (std::size_t i = 0; i < bank_->size(); ++i) el[i] = usable(i);
    for (const auto& r : state.responses) {
      el[r.item] = 0;
      for (auto j : enemies_of(r.item)) el[j] = 0;
    }
    for (auto j : state.excluded) el[j] = 0;
    double best = 0.0;
    for (std::size_t i = 0; i < bank_->size(); ++i)
      if (el[i]) best = std::max(best, ws.value[i]);
    note(true, best < sp.min_information, finish_reason::information_exhausted);
  }
  if (enabled == 0 || met == 0) return finish_reason::not_finished;
  if (sp.combine == combine_rule::any) return first;
  if (met < enabled) return finish_reason::not_finished;
  return enabled == 1 ? first : finish_reason::rules_met;
}

step_result engine::step(const selection_state& state, rng& gen, std::vector<std::uint32_t>* set_aside) const {
  step_result out;
  out.reason = should_stop(state);
  if (out.reason != finish_reason::not_finished) return out;
  const std::size_t answered = state.responses.size();
  const auto& start = spec_.start;
  auto administered = [&](std::uint32_t item) {
    for (const auto& r : state.responses)
      if (r.item == item) return true;
    for (auto j : state.excluded)
      if (j == item) return true;
    return false;
  };
  if (start.kind == start_kind::fixed_items && answered < start_items_.size()) {
    for (auto item : start_items_)
      if (!administered(item)) {
        exposure().selected(item);
        out.item = item;
        return out;
      }
  }
  if (start.kind == start_kind::random_window && answered < static_cast<std::size_t>(start.count)) {
    auto& ws = scratch();
    ws.ensure(bank_->size(), nodes_.size(), spec_.content.targets.size(), answered);
    impl::selector s{*this, spec_, *bank_, state, gen, ws, bank_->size()};
    if (s.build_eligibility({}, true)) {
      const auto b = bank_->difficulties();
      std::size_t in_window = 0;
      for (auto i : ws.cand)
        if (b[i] >= start.window_lo && b[i] <= start.window_hi) ++in_window;
      std::size_t pick = ws.cand.front();
      if (in_window > 0) {
        std::size_t k = gen.below(in_window);
        for (auto i : ws.cand)
          if (b[i] >= start.window_lo && b[i] <= start.window_hi && k-- == 0) {
            pick = i;
            break;
          }
      } else {
        pick = ws.cand[gen.below(ws.cand.size())];
      }
      exposure().selected(pick);
      out.item = static_cast<std::uint32_t>(pick);
      return out;
    }
    out.reason = finish_reason::bank_exhausted;
    return out;
  }
  out.item = select(state, gen, set_aside);
  if (!out.item) out.reason = finish_reason::bank_exhausted;
  return out;
}

}  // namespace cat
DSKILL_END_NAMESPACE
