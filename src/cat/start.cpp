// dskill::cat built-in start rules: fixed_theta, fixed_items, random_window.
#include "internal.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {
namespace {

// The selector runs at start.theta (the estimator's value before any answer) from the first item.
class fixed_theta_start final : public start_rule {
 public:
  choice choose(const step_context&) const override { return {}; }
};

// The first items are start.items, in order (those answered or set aside are skipped).
class fixed_items_start final : public start_rule {
 public:
  choice choose(const step_context& ctx) const override {
    const auto items = ctx.eng.start_items();
    if (ctx.state.responses.size() >= items.size()) return {};
    auto given = [&](std::uint32_t item) {
      for (const auto& r : ctx.state.responses)
        if (r.item == item) return true;
      for (auto j : ctx.state.excluded)
        if (j == item) return true;
      return false;
    };
    for (auto item : items)
      if (!given(item)) return {true, item};
    return {};
  }
};

// The first start.count items at random among the eligible items with b in the window (among
// all eligible items when none is in it).
class random_window_start final : public start_rule {
 public:
  choice choose(const step_context& ctx) const override {
    const auto& start = ctx.eng.spec().start;
    if (ctx.state.responses.size() >= static_cast<std::size_t>(start.count)) return {};
    const auto cand = ctx.eng.eligible_candidates(ctx);
    if (cand.empty()) return {true, std::nullopt};
    const auto b = ctx.eng.bank().difficulties();
    auto in_window = [&](std::uint32_t i) { return b[i] >= start.window_lo && b[i] <= start.window_hi; };
    std::size_t inside = 0;
    for (auto i : cand)
      if (in_window(i)) ++inside;
    if (inside == 0) return {true, cand[ctx.gen.below(cand.size())]};
    std::size_t k = ctx.gen.below(inside);
    for (auto i : cand)
      if (in_window(i) && k-- == 0) return {true, i};
    return {true, cand.front()};
  }
};

template <class Rule>
rule_registry<start_rule>::factory plain() {
  return [](const engine&) -> std::unique_ptr<start_rule> { return std::make_unique<Rule>(); };
}

}  // namespace

void detail::register_builtin_start_rules(rule_registry<start_rule>& r) {
  r.add("fixed_theta", plain<fixed_theta_start>());
  r.add("random_window", plain<random_window_start>());
  r.add("fixed_items", plain<fixed_items_start>());
}

}  // namespace cat
DSKILL_END_NAMESPACE
