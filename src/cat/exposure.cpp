// dskill::cat exposure control, around whatever selector is in use: the live exposure tracker,
// progressive-restricted eligibility and blending, randomesque and Sympson-Hetter.
#include <algorithm>

#include <fmt/format.h>

#include "dskill/error.hpp"
#include "internal.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

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

namespace {
// The usable items whose administrations per session, count_of(i) / sessions, reached rmax.
template <class CountOf>
void collect_over_exposed(const engine& e, CountOf&& count_of, std::uint64_t sessions, std::vector<std::uint32_t>& out) {
  out.clear();
  const double rmax = e.spec().exposure.restricted_max;
  if (!(rmax > 0.0) || sessions == 0) return;
  const std::size_t n = e.bank().size();
  for (std::size_t i = 0; i < n; ++i)
    if (e.usable(i) && static_cast<double>(count_of(i)) / static_cast<double>(sessions) >= rmax)
      out.push_back(static_cast<std::uint32_t>(i));
}
}  // namespace

void engine::over_exposed_items(std::vector<std::uint32_t>& out) const {
  const auto& t = *tracker_;
  collect_over_exposed(*this, [&](std::size_t i) { return t.administered_count(i); }, t.sessions(), out);
}

void engine::over_exposed_items(std::span<const std::uint64_t> administered, std::uint64_t sessions,
                                std::vector<std::uint32_t>& out) const {
  if (administered.size() != bank_->size())
    throw invalid_argument(fmt::format("{} administration counts for a bank of {} items", administered.size(), bank_->size()));
  collect_over_exposed(*this, [&](std::size_t i) { return administered[i]; }, sessions, out);
}

namespace detail {

void restrict_exposure(const engine& e, const step_context& ctx) {
  if (!(e.spec().exposure.restricted_max > 0.0)) return;
  std::span<const std::uint32_t> over;
  if (ctx.state.over_exposed) {
    over = *ctx.state.over_exposed;
  } else {
    auto& live = scratch().over_exposed;
    if (live.capacity() < ctx.eligible.size()) live.reserve(ctx.eligible.size());  // once per thread
    e.over_exposed_items(live);
    over = live;
  }
  // A soft restriction, as restrict_to: the over-exposed items leave only if an eligible item
  // remains without them.
  std::size_t eligible = 0, hit = 0;
  for (auto x : ctx.eligible) eligible += x != 0;
  for (auto i : over)
    if (i < ctx.eligible.size()) hit += ctx.eligible[i] != 0;
  if (hit > 0 && hit < eligible)
    for (auto i : over)
      if (i < ctx.eligible.size()) ctx.eligible[i] = 0;
}

void blend_scores(const engine& e, const step_context& ctx, std::span<const std::uint32_t> cand,
                  std::optional<double> selector_weight) {
  const auto& spec = e.spec();
  const bool restricted = spec.exposure.restricted_max > 0.0;
  if (!selector_weight && !restricted) return;
  double wq;
  if (selector_weight) {
    wq = *selector_weight;
  } else {
    const int len = std::max(1, spec.stopping.max_items);
    wq = std::min(1.0, static_cast<double>(ctx.state.responses.size()) / len);
  }
  auto score = ctx.score;
  double lo = std::numeric_limits<double>::infinity(), hi = neg_inf;
  for (auto i : cand) {
    lo = std::min(lo, score[i]);
    hi = std::max(hi, score[i]);
  }
  const double span = hi > lo ? hi - lo : 1.0;
  for (auto i : cand) {
    const double s = (score[i] - lo) / span;  // in [0, 1]
    score[i] = s * wq + ctx.gen.uniform() * (1.0 - wq);
  }
}

std::uint32_t pick_best(const engine& e, const step_context& ctx, std::vector<std::uint32_t>& cand) {
  const int k = std::max(1, e.spec().exposure.randomesque);
  const auto score = ctx.score;
  auto better = [&](std::uint32_t a, std::uint32_t b) { return score[a] > score[b] || (score[a] == score[b] && a < b); };
  if (k == 1 || cand.size() == 1) {
    std::uint32_t best = cand.front();
    for (auto i : cand)
      if (better(i, best)) best = i;
    return best;
  }
  const std::size_t kk = std::min<std::size_t>(static_cast<std::size_t>(k), cand.size());
  std::partial_sort(cand.begin(), cand.begin() + static_cast<std::ptrdiff_t>(kk), cand.end(), better);
  return cand[ctx.gen.below(kk)];
}

bool sympson_hetter_admits(const engine& e, std::uint32_t item, rng& gen) {
  if (!e.spec().exposure.sympson_hetter) return true;
  const double k = e.sympson_hetter()[item];
  return k >= 1.0 || gen.uniform() < k;
}

}  // namespace detail
}  // namespace cat
DSKILL_END_NAMESPACE
