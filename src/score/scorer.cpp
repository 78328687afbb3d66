#include "dskill/score/scorer.hpp"

#include <limits>

#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score {

namespace {
constexpr std::size_t no_area = std::numeric_limits<std::size_t>::max();
}

scorer::scorer(bank::bank_ptr bank, estimate::options opts, std::shared_ptr<const level_scheme> levels)
    : bank_(std::move(bank)), opts_(std::move(opts)), levels_(std::move(levels)) {
  if (!bank_) throw invalid_argument("scorer needs a bank");
  estimate::validate(opts_);
  if (opts_.estimator == estimate::method::eap) eap_.emplace(*bank_, opts_);
  item_area_.assign(bank_->size(), no_area);
  if (levels_) {
    levels_->validate();
    for (std::size_t i = 0; i < bank_->size(); ++i) {
      const auto& it = bank_->item(i);
      std::optional<std::size_t> a;
      if (!it.area.empty()) a = levels_->area_index(it.area);
      for (std::size_t c = 0; !a && c < it.competences.size(); ++c) a = levels_->area_of_competence(it.competences[c]);
      if (a) item_area_[i] = *a;
    }
  }
}

double scorer::theta_min() const noexcept {
  return opts_.estimator == estimate::method::eap ? opts_.grid.lo : opts_.lower_bound;
}
double scorer::theta_max() const noexcept {
  return opts_.estimator == estimate::method::eap ? opts_.grid.hi : opts_.upper_bound;
}

estimate::result scorer::estimate(std::span<const estimate::response> r, workspace& ws) const {
  if (eap_) {
    if (ws.nodes.size() < eap_->nodes()) ws.nodes.resize(eap_->nodes());
    return (*eap_)(r, ws.nodes);
  }
  return estimate::estimate_theta(*bank_, r, opts_);
}

void scorer::score(std::span<const estimate::response> responses, person_result& out, workspace& ws) const {
  const auto& bank = *bank_;
  out.n_answered = static_cast<int>(responses.size());
  out.raw_score = 0.0;
  out.max_score = 0.0;
  for (const auto& r : responses) {
    out.raw_score += r.category;
    out.max_score += bank.params(r.item).categories() - 1;
  }
  out.overall = estimate(responses, ws);
  out.rule.reset();
  if (!levels_) {
    out.areas.clear();
    out.level = 0;
    return;
  }
  const auto& scheme = *levels_;
  const std::size_t n_areas = scheme.areas.size();
  out.areas.resize(n_areas);
  // Counting sort of the responses by area, keeping their order within an area.
  ws.area_begin.assign(n_areas + 1, 0);
  for (const auto& r : responses)
    if (const auto a = item_area_[r.item]; a != no_area) ++ws.area_begin[a + 1];
  for (std::size_t a = 0; a < n_areas; ++a) ws.area_begin[a + 1] += ws.area_begin[a];
  ws.by_area.resize(ws.area_begin[n_areas]);
  {
    // area_begin doubles as the write cursor, then is restored
    for (const auto& r : responses)
      if (const auto a = item_area_[r.item]; a != no_area) ws.by_area[ws.area_begin[a]++] = r;
    for (std::size_t a = n_areas; a > 0; --a) ws.area_begin[a] = ws.area_begin[a - 1];
    ws.area_begin[0] = 0;
  }
  // Stack storage for the levels handed to the certification rule (frameworks have few areas).
  constexpr std::size_t max_inline = 32;
  int inline_levels[max_inline];
  std::vector<int> heap_levels;
  std::span<int> levels_span;
  if (n_areas <= max_inline) {
    levels_span = std::span<int>(inline_levels, n_areas);
  } else {
    heap_levels.resize(n_areas);
    levels_span = heap_levels;
  }
  for (std::size_t a = 0; a < n_areas; ++a) {
    auto& ar = out.areas[a];
    const std::span<const estimate::response> sub(ws.by_area.data() + ws.area_begin[a], ws.area_begin[a + 1] - ws.area_begin[a]);
    ar.n_answered = static_cast<int>(sub.size());
    if (sub.empty()) {
      ar.est = {};
      ar.est.state = estimate::status::no_responses;
      ar.est.theta = std::numeric_limits<double>::quiet_NaN();
      ar.est.se = std::numeric_limits<double>::quiet_NaN();
      ar.level = 0;
      ar.p_assigned = ar.p_squared = 0.0;
    } else {
      ar.est = estimate(sub, ws);
      ar.level = level_for(scheme.areas[a].cuts, ar.est.theta);
      rudner(scheme.areas[a].cuts, ar.est.theta, ar.est.se, ar.level, ar.p_assigned, ar.p_squared);
    }
    levels_span[a] = ar.level;
  }
  if (out.n_answered > 0) {
    out.level = level_for(scheme.overall_cuts, out.overall.theta);
    rudner(scheme.overall_cuts, out.overall.theta, out.overall.se, out.level, out.p_assigned, out.p_squared);
  } else {
    out.level = 0;
    out.p_assigned = out.p_squared = 0.0;
  }
  if (scheme.certify && out.n_answered > 0) out.rule = scheme.certify(levels_span, out.level);
}

}  // namespace score
DSKILL_END_NAMESPACE
