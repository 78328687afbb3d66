// dskill::cat on profile (multidimensional) banks: the engine's profile estimator and dimension
// choices (engine::impl::build_profile), the profile selectors (cat/multidim.hpp's criteria as
// registered item_selectors: content balancing, exposure control and enemies stay the engine's,
// around them), the se_per_area stopping rule and the per-area classification.
#include <algorithm>
#include <array>
#include <cmath>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "dskill/cat/multidim.hpp"
#include "dskill/core/levels.hpp"
#include "dskill/error.hpp"
#include "dskill/framework/framework.hpp"
#include "internal.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

namespace {

// The bank dimension a spec names, by dimension id or by the area it reports.
std::uint32_t resolve_dimension(const bank::item_bank& bank, const std::string& id, std::string_view what) {
  const auto& dims = bank.info().dimensions;
  for (std::size_t d = 0; d < dims.size(); ++d)
    if (dims[d].id == id) return static_cast<std::uint32_t>(d);
  for (std::size_t d = 0; d < dims.size(); ++d)
    if (!dims[d].area.empty() && dims[d].area == id) return static_cast<std::uint32_t>(d);
  if (dims.empty())
    throw invalid_argument(fmt::format("{} names '{}', but the bank is unidimensional (it states no dimensions)", what, id));
  std::vector<std::string> ids;
  for (const auto& d : dims) ids.push_back(d.id);
  throw invalid_argument(fmt::format("{} names '{}', which is neither a dimension nor an area of the bank (dimensions: {})", what,
                                     id, fmt::join(ids, ", ")));
}

// The criteria as a selector; the prior is the bank's latent distribution (a unidimensional
// bank: the estimator's normal prior, else N(0, 1)).
class profile_selector final : public item_selector {
 public:
  profile_selector(const engine& e, profile_criterion c) : criteria_(make(e, c)) {}

  void evaluate(const step_context& ctx) const override {
    const auto& st = ctx.state;
    const std::span<const double> theta = st.profile_theta.empty() ? std::span<const double>(&st.theta, 1) : st.profile_theta;
    criteria_.evaluate(theta, st.responses, ctx.candidates, ctx.value, ctx.score);
  }

 private:
  static profile_criteria make(const engine& e, profile_criterion c) {
    const auto& bank = e.bank();
    if (bank.multidimensional())
      return profile_criteria(bank.multidim_table(), c, e.dimension_weights(), bank.info().latent_covariance, bank.info().latent_mean);
    const auto& pr = e.spec().estimator.prior_;
    const bool normal = pr.kind == prior_kind::normal;
    const double var = normal ? pr.sd * pr.sd : 1.0, mean = normal ? pr.mean : 0.0;
    return profile_criteria(bank.multidim_table(), c, e.dimension_weights(), std::span<const double>(&var, 1),
                            std::span<const double>(&mean, 1));
  }
  profile_criteria criteria_;
};

// Every stopping dimension's SE at or below stopping.se_per_area.
class se_per_area_rule final : public stopping_rule {
 public:
  finish_reason check(const stop_context& ctx) const override {
    const auto& e = ctx.eng;
    const double limit = e.spec().stopping.se_per_area;
    const auto& st = ctx.state;
    if (st.profile_covariance.empty()) return st.se <= limit ? finish_reason::se_reached : finish_reason::not_finished;
    const std::size_t dims = e.bank().dimensions();
    for (auto d : e.stopping_dimensions())
      if (!(std::sqrt(st.profile_covariance[d * dims + d]) <= limit)) return finish_reason::not_finished;
    return finish_reason::se_reached;
  }
};

}  // namespace

void engine::impl::build_profile(engine& e) {
  const auto& bank = *e.bank_;
  const auto& spec = e.spec_;
  const std::size_t dims = bank.dimensions();
  e.dim_weights_.assign(dims, 1.0);
  for (const auto& [id, w] : spec.selection.weights) e.dim_weights_[resolve_dimension(bank, id, "selection.weights")] = w;
  e.stop_dims_.clear();
  for (const auto& id : spec.stopping.areas) e.stop_dims_.push_back(resolve_dimension(bank, id, "stopping.areas"));
  if (e.stop_dims_.empty()) {
    const auto& ds = bank.info().dimensions;
    for (std::size_t d = 0; d < ds.size(); ++d)
      if (ds[d].role == bank::dimension_role::area) e.stop_dims_.push_back(static_cast<std::uint32_t>(d));
    if (e.stop_dims_.empty())
      for (std::size_t d = 0; d < dims; ++d) e.stop_dims_.push_back(static_cast<std::uint32_t>(d));
  }
  e.dim_cuts_.assign(dims, {});
  for (const auto& [id, cuts] : spec.stopping.area_cuts)
    e.dim_cuts_[resolve_dimension(bank, id, "stopping.classification.area_cuts")] = cuts;
  if (!bank.multidimensional()) return;
  // The unidimensional criteria read one theta and items' scalar information: on a profile bank
  // they would rank by a meaningless summary, so they are refused, not reinterpreted.
  if (const auto c = parse_criterion(spec.selection.rule.str()); c && *c != criterion::random)
    throw invalid_argument(fmt::format(
        "selection rule '{}' is unidimensional; a profile bank takes d_optimal, dp_optimal, a_optimal, ap_optimal, t_optimal, "
        "tp_optimal, kl_profile or random",
        spec.selection.rule.str()));
  if (spec.stopping.min_information > 0)
    throw invalid_argument("stopping.min_information is unidimensional; a profile bank stops by se, se_per_area or classification");
  if (!spec.estimator_rule.empty())
    throw invalid_argument(fmt::format("estimator '{}' is unidimensional; a profile bank takes estimation.method map or eap",
                                       spec.estimator_rule));
  estimate::profile_options o;
  switch (spec.estimator.estimator) {
    case estimate::method::map: o.estimator = estimate::profile_method::map; break;
    case estimate::method::eap: o.estimator = estimate::profile_method::eap; break;
    default:
      throw invalid_argument(fmt::format("estimation.method {} has no profile form; a profile bank takes map or eap",
                                         estimate::to_string(spec.estimator.estimator)));
  }
  const auto& info = bank.info();
  o.prior.mean = estimate::profile_vector(static_cast<Eigen::Index>(dims));
  o.prior.covariance = estimate::profile_matrix(static_cast<Eigen::Index>(dims), static_cast<Eigen::Index>(dims));
  for (std::size_t r = 0; r < dims; ++r) {
    o.prior.mean[static_cast<Eigen::Index>(r)] = info.latent_mean[r];
    for (std::size_t c = 0; c < dims; ++c)
      o.prior.covariance(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = info.latent_covariance[r * dims + c];
  }
  o.se_information = spec.estimator.se_information;
  o.lower_bound = spec.estimator.lower_bound;
  o.upper_bound = spec.estimator.upper_bound;
  e.profile_ = std::make_unique<estimate::profile_estimator>(bank.multidim_table(), o);
}

estimate::profile_result engine::estimate_profile(std::span<const estimate::response> responses) const noexcept {
  if (profile_) return (*profile_)(responses);
  const auto r = estimate(responses);
  estimate::profile_result out;
  out.theta = estimate::profile_vector::Constant(1, r.theta);
  out.covariance = estimate::profile_matrix::Constant(1, 1, r.se * r.se);
  out.se = estimate::profile_vector::Constant(1, r.se);
  out.state = r.state;
  return out;
}

void engine::classify_areas(const selection_state& st, std::span<classification> out) const noexcept {
  const auto& sp = spec_.stopping;
  const std::size_t dims = bank_->dimensions();
  const bool has_profile = !st.profile_theta.empty() && st.profile_covariance.size() == dims * dims;
  auto theta_of = [&](std::size_t d) { return has_profile ? st.profile_theta[d] : st.theta; };
  auto se_of = [&](std::size_t d) { return has_profile ? std::sqrt(st.profile_covariance[d * dims + d]) : st.se; };
  const double z = boost::math::quantile(boost::math::normal_distribution<double>(), 0.5 + sp.confidence / 2);
  const double upper = std::log((1 - sp.beta) / sp.alpha), lower = std::log(sp.beta / (1 - sp.alpha));
  for (std::size_t k = 0; k < out.size() && k < stop_dims_.size(); ++k) {
    const std::size_t d = stop_dims_[k];
    const auto cuts = cuts_of(d);
    classification c;
    const double th = theta_of(d), se = se_of(d);
    if (sp.classification == classification_kind::confidence_interval) {
      // The marginal interval of the dimension lies inside one level.
      bool decided = std::isfinite(se) && !st.responses.empty();
      for (double cut : cuts)
        if (cut >= th - z * se && cut <= th + z * se) decided = false;
      c.decided = decided;
      c.level = decided ? core::level_for(cuts, th) - 1 : -1;
    } else if (sp.classification == classification_kind::sprt) {
      // Wald's SPRT at each cut along the dimension, the other dimensions at their estimates.
      estimate::profile_vector at(static_cast<Eigen::Index>(dims));
      for (std::size_t j = 0; j < dims; ++j) at[static_cast<Eigen::Index>(j)] = theta_of(j);
      const auto table = bank_->multidim_table();
      int level = 0;
      bool decided = !st.responses.empty();
      for (double cut : cuts) {
        at[static_cast<Eigen::Index>(d)] = cut + sp.indifference;
        const double hi = estimate::log_likelihood(table, st.responses, at);
        at[static_cast<Eigen::Index>(d)] = cut - sp.indifference;
        const double llr = hi - estimate::log_likelihood(table, st.responses, at);
        if (llr >= upper) ++level;
        else if (llr > lower) decided = false;
      }
      c.decided = decided;
      c.level = decided ? level : -1;
    } else {
      c.decided = true;
      c.level = core::level_for(cuts, th) - 1;
    }
    out[k] = c;
  }
}

std::vector<std::pair<std::string, std::vector<double>>> area_cuts_from(const framework::framework& fw, const bank::item_bank& bank) {
  std::vector<std::pair<std::string, std::vector<double>>> out;
  for (const auto& d : bank.info().dimensions) {
    if (d.area.empty()) continue;
    const auto a = fw.area_index(d.area);
    if (!a) continue;
    const auto cuts = fw.cut_scores(*a);
    if (!cuts.empty()) out.emplace_back(d.id, std::vector<double>(cuts.begin(), cuts.end()));
  }
  return out;
}

namespace detail {

classification classify_profile(const engine& e, const selection_state& st) {
  std::array<classification, irt::max_dimensions> areas{};
  const std::size_t n = e.stopping_dimensions().size();
  e.classify_areas(st, std::span<classification>(areas.data(), n));
  classification out;
  out.decided = true;
  for (std::size_t k = 0; k < n; ++k) out.decided = out.decided && areas[k].decided;
  out.level = out.decided && n > 0 ? areas[0].level : -1;
  return out;
}

void register_profile_selectors(rule_registry<item_selector>& r) {
  for (auto c : {profile_criterion::d_optimal, profile_criterion::dp_optimal, profile_criterion::a_optimal,
                 profile_criterion::ap_optimal, profile_criterion::t_optimal, profile_criterion::tp_optimal,
                 profile_criterion::kl})
    r.add(std::string(to_string(c)),
          [c](const engine& e) -> std::unique_ptr<item_selector> { return std::make_unique<profile_selector>(e, c); });
}

void register_profile_stopping_rules(rule_registry<stopping_rule>& r) {
  r.add("se_per_area", [](const engine&) -> std::unique_ptr<stopping_rule> { return std::make_unique<se_per_area_rule>(); });
}

}  // namespace detail
}  // namespace cat
DSKILL_END_NAMESPACE
