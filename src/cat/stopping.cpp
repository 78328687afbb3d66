// dskill::cat built-in stopping rules (max_items, se, min_information, sprt,
// confidence_interval, and `combined`, the specification's stopping section) and the
// classification against the cuts they share with sessions.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <boost/math/distributions/normal.hpp>

#include "internal.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {
namespace {

// Wald's SPRT at each cut: H0 theta = cut - delta, H1 theta = cut + delta.
classification classify_sprt(const engine& e, const selection_state& st) {
  if (e.profile()) return detail::classify_profile(e, st);  // per area
  const auto& sp = e.spec().stopping;
  const double upper = std::log((1 - sp.beta) / sp.alpha), lower = std::log(sp.beta / (1 - sp.alpha));
  int level = 0;
  bool decided = true;
  for (double c : sp.cuts) {
    const double llr = estimate::log_likelihood(e.bank(), st.responses, c + sp.indifference) -
                       estimate::log_likelihood(e.bank(), st.responses, c - sp.indifference);
    if (llr >= upper) {
      ++level;
    } else if (llr > lower) {
      decided = false;
    }
  }
  classification out;
  out.decided = decided && !st.responses.empty();
  out.level = out.decided ? level : -1;
  return out;
}

int cuts_below(const std::vector<double>& cuts, double theta) {
  int level = 0;
  for (double c : cuts)
    if (theta >= c) ++level;
  return level;
}

// Decided when theta +- z SE contains no cut.
classification classify_interval(const engine& e, const selection_state& st) {
  if (e.profile()) return detail::classify_profile(e, st);  // per area
  const auto& sp = e.spec().stopping;
  const double z = boost::math::quantile(boost::math::normal_distribution<double>(), 0.5 + sp.confidence / 2);
  const double lo = st.theta - z * st.se, hi = st.theta + z * st.se;
  bool decided = std::isfinite(st.se) && !st.responses.empty();
  for (double c : sp.cuts)
    if (c >= lo && c <= hi) decided = false;
  classification out;
  out.decided = decided;
  out.level = decided ? cuts_below(sp.cuts, st.theta) : -1;
  return out;
}

class max_items_rule final : public stopping_rule {
 public:
  finish_reason check(const stop_context& ctx) const override {
    return static_cast<int>(ctx.state.responses.size()) >= ctx.eng.spec().stopping.max_items ? finish_reason::max_items
                                                                                             : finish_reason::not_finished;
  }
};

class se_rule final : public stopping_rule {
 public:
  finish_reason check(const stop_context& ctx) const override {
    return ctx.state.se <= ctx.eng.spec().stopping.se ? finish_reason::se_reached : finish_reason::not_finished;
  }
};

class min_information_rule final : public stopping_rule {
 public:
  finish_reason check(const stop_context& ctx) const override {
    const auto& e = ctx.eng;
    const std::size_t n = e.bank().size();
    e.bank().information_at(ctx.state.theta, ctx.value);
    e.mark_available(ctx.state.responses, ctx.state.excluded, ctx.eligible);
    double best = 0.0;
    for (std::size_t i = 0; i < n; ++i)
      if (ctx.eligible[i]) best = std::max(best, ctx.value[i]);
    return best < e.spec().stopping.min_information ? finish_reason::information_exhausted : finish_reason::not_finished;
  }
};

template <classification (*Classify)(const engine&, const selection_state&)>
class classification_rule final : public stopping_rule {
 public:
  finish_reason check(const stop_context& ctx) const override {
    return Classify(ctx.eng, ctx.state).decided ? finish_reason::classified : finish_reason::not_finished;
  }
};

// The specification's stopping section: max_items always ends the test, nothing ends it before
// min_items, and the enabled rules (se, classification, min_information, then stopping.rules in
// order) end it when any (the first that holds gives the reason) or all of them hold.
class combined_rule final : public stopping_rule {
 public:
  explicit combined_rule(const engine& e) {
    const auto& sp = e.spec().stopping;
    std::vector<std::string> names;
    if (sp.se > 0) names.emplace_back("se");
    if (sp.se_per_area > 0) names.emplace_back("se_per_area");
    if (sp.classification != classification_kind::none)
      names.emplace_back(sp.classification == classification_kind::sprt ? "sprt" : "confidence_interval");
    if (sp.min_information > 0) names.emplace_back("min_information");
    names.insert(names.end(), sp.rules.begin(), sp.rules.end());
    for (const auto& name : names) parts_.push_back(registry::global().stopping.make(name, e));
  }

  finish_reason check(const stop_context& ctx) const override {
    const auto& sp = ctx.eng.spec().stopping;
    const int answered = static_cast<int>(ctx.state.responses.size());
    if (answered >= sp.max_items) return finish_reason::max_items;
    if (answered < sp.min_items || parts_.empty()) return finish_reason::not_finished;
    std::size_t met = 0;
    finish_reason first = finish_reason::not_finished;
    for (const auto& part : parts_) {
      const auto r = part->check(ctx);
      if (r == finish_reason::not_finished) continue;
      ++met;
      if (first == finish_reason::not_finished) first = r;
    }
    if (met == 0) return finish_reason::not_finished;
    if (sp.combine == combine_rule::any) return first;
    if (met < parts_.size()) return finish_reason::not_finished;
    return parts_.size() == 1 ? first : finish_reason::rules_met;
  }

 private:
  std::vector<std::unique_ptr<stopping_rule>> parts_;
};

template <class Rule>
rule_registry<stopping_rule>::factory plain() {
  return [](const engine&) -> std::unique_ptr<stopping_rule> { return std::make_unique<Rule>(); };
}

}  // namespace

classification detail::classify(const engine& e, const selection_state& st) {
  const auto& sp = e.spec().stopping;
  if (sp.classification == classification_kind::sprt) return classify_sprt(e, st);
  if (sp.classification == classification_kind::confidence_interval) return classify_interval(e, st);
  if (e.profile()) return detail::classify_profile(e, st);
  return {cuts_below(sp.cuts, st.theta), true};
}

void detail::register_builtin_stopping_rules(rule_registry<stopping_rule>& r) {
  r.add("combined", [](const engine& e) -> std::unique_ptr<stopping_rule> { return std::make_unique<combined_rule>(e); });
  r.add("max_items", plain<max_items_rule>());
  r.add("se", plain<se_rule>());
  r.add("min_information", plain<min_information_rule>());
  r.add("sprt", plain<classification_rule<classify_sprt>>());
  r.add("confidence_interval", plain<classification_rule<classify_interval>>(), {"ci"});
  register_profile_stopping_rules(r);
}

}  // namespace cat
DSKILL_END_NAMESPACE
