// dskill::cat content balancing, around whatever selector is in use: blueprint groups, hard
// maxima, minima that can no longer wait, Kingsbury-Zara's group choice and Stocking &
// Swanson's weighted deviations.
#include <algorithm>
#include <cmath>
#include <string>

#include "internal.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

void engine::impl::build_groups(engine& e) {
  const auto& bank = *e.bank_;
  const std::size_t n = bank.size();
  const auto& spec = e.spec_;
  const auto& bp = spec.content;
  if (bp.targets.empty()) return;
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

void engine::impl::apply_blueprint(const engine& e, const step_context& ctx, detail::workspace& ws) {
  const auto& spec = e.spec_;
  const auto& bp = spec.content;
  const std::size_t groups = bp.targets.size();
  const std::size_t n = e.bank_->size();
  auto& count = ws.group_count;
  std::fill(count.begin(), count.begin() + static_cast<std::ptrdiff_t>(groups + 1), 0);
  for (const auto& r : ctx.state.responses) {
    const int g = e.group_of(r.item);
    ++count[g < 0 ? groups : static_cast<std::size_t>(g)];
  }
  // Hard maxima.
  ctx.restrict_to([&](std::size_t i) {
    const int g = e.group_of(i);
    if (g < 0) return true;
    const int mx = bp.targets[static_cast<std::size_t>(g)].max;
    return mx < 0 || count[static_cast<std::size_t>(g)] < mx;
  });
  // Minima that can no longer wait: the remaining places are all needed.
  const int answered = static_cast<int>(ctx.state.responses.size());
  const int remaining = spec.stopping.max_items - answered;
  int deficit = 0;
  for (std::size_t g = 0; g < groups; ++g) deficit += std::max(0, bp.targets[g].min - count[g]);
  if (deficit > 0 && deficit >= remaining)
    ctx.restrict_to([&](std::size_t i) {
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
    if (ctx.eligible[i]) {
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
  double best = detail::neg_inf;
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
  int pick = ties == 1 ? 0 : static_cast<int>(ctx.gen.below(static_cast<std::uint64_t>(ties)));
  int chosen = -1;
  for (std::size_t g = 0; g < groups && chosen < 0; ++g) {
    const double v = shortfall(g);
    if (std::isnan(v)) continue;
    if (std::abs(v - best) <= 1e-12 && pick-- == 0) chosen = static_cast<int>(g);
  }
  ctx.restrict_to([&](std::size_t i) { return e.group_of(i) == chosen; });
}

// Stocking & Swanson's weighted deviations: score = w * normalised criterion minus the weighted
// deviations of the blueprint bounds projected to the end of the test.
void engine::impl::apply_weighted_deviations(const engine& e, const step_context& ctx, detail::workspace& ws) {
  const auto& spec = e.spec_;
  const auto& bp = spec.content;
  const std::size_t groups = bp.targets.size();
  const int answered = static_cast<int>(ctx.state.responses.size());
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
  auto score = ctx.score;
  double lo = std::numeric_limits<double>::infinity(), hi = detail::neg_inf;
  for (auto i : ws.cand) {
    lo = std::min(lo, score[i]);
    hi = std::max(hi, score[i]);
  }
  const double range = hi > lo ? hi - lo : 1.0;
  for (auto i : ws.cand) {
    const int g = e.group_of(i);
    const double dev = ws.group_dev[g < 0 ? groups : static_cast<std::size_t>(g)];
    score[i] = bp.information_weight * (score[i] - lo) / range - dev;
  }
}

}  // namespace cat
DSKILL_END_NAMESPACE
