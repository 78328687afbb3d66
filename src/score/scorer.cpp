#include "dskill/score/scorer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "dskill/core/quadrature.hpp"
#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score {

namespace {
constexpr std::size_t no_area = std::numeric_limits<std::size_t>::max();
}

std::string_view to_string(marginal_kind k) noexcept {
  switch (k) {
    case marginal_kind::none: return "none";
    case marginal_kind::grid: return "grid";
    case marginal_kind::normal: break;
  }
  return "normal";
}

estimate::profile_options default_profile_options(const bank::item_bank& bank, estimate::method m) {
  if (!bank.multidimensional())
    throw invalid_argument(fmt::format("bank '{}' is unidimensional: it has no profile to score", bank.info().id));
  if (m != estimate::method::map && m != estimate::method::eap)
    throw invalid_argument(fmt::format("profile banks are scored by map or eap, not {}", estimate::to_string(m)));
  estimate::profile_options po;
  po.estimator = m == estimate::method::map ? estimate::profile_method::map : estimate::profile_method::eap;
  const auto dims = static_cast<Eigen::Index>(bank.dimensions());
  const auto& info = bank.info();
  po.prior.mean = estimate::profile_vector::Zero(dims);
  po.prior.covariance = estimate::profile_matrix::Identity(dims, dims);
  if (info.latent_mean.size() == static_cast<std::size_t>(dims))
    for (Eigen::Index d = 0; d < dims; ++d) po.prior.mean[d] = info.latent_mean[static_cast<std::size_t>(d)];
  if (info.latent_covariance.size() == static_cast<std::size_t>(dims * dims))
    for (Eigen::Index r = 0; r < dims; ++r)
      for (Eigen::Index c = 0; c < dims; ++c) po.prior.covariance(r, c) = info.latent_covariance[static_cast<std::size_t>(r * dims + c)];
  return po;
}

scorer::scorer(bank::bank_ptr bank, estimate::options opts, std::shared_ptr<const level_scheme> levels,
               std::optional<estimate::profile_options> profile)
    : bank_(std::move(bank)), opts_(std::move(opts)), levels_(std::move(levels)), profile_opts_(std::move(profile)) {
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
  probabilities_ = levels_ && levels_->has_min_probability();
  if (!profile_opts_) return;
  if (!bank_->multidimensional())
    throw invalid_argument(fmt::format("profile scoring needs a profile bank; '{}' is unidimensional", bank_->info().id));
  const auto table = bank_->multidim_table();
  profile_est_.emplace(table, *profile_opts_);  // checks the options
  if (profile_opts_->estimator == estimate::profile_method::eap) {
    integration_ = profile_est_->integration();
    if (integration_ == estimate::profile_integration::grid) {
      profile_eap_.emplace(table, *profile_opts_);
      // The scorer's grid, as profile_eap_scorer builds it (the marginals are summed on it).
      const int q = profile_opts_->grid_points > 0 ? profile_opts_->grid_points
                                                   : estimate::default_grid_points(bank_->dimensions());
      grid_points_ = grid_nodes({profile_opts_->grid_lo, profile_opts_->grid_hi, q});
      if (grid_points_.size() != profile_eap_->points_per_dim())
        throw error(errc::internal, "profile scorer: the EAP grid is not the one expected");
    }
  }
  marginals_ = profile_eap_ ? marginal_kind::grid : marginal_kind::normal;
  probabilities_ = levels_ != nullptr;
  area_dim_.assign(levels_ ? levels_->areas.size() : 0, no_area);
  const auto& dims = bank_->info().dimensions;
  for (std::size_t d = 0; d < dims.size(); ++d) {
    if (dims[d].area.empty() || !levels_) continue;
    if (const auto a = levels_->area_index(dims[d].area)) {
      if (area_dim_[*a] != no_area)
        throw invalid_argument(fmt::format("dimensions '{}' and '{}' both report area '{}'", dims[area_dim_[*a]].id,
                                           dims[d].id, dims[d].area));
      area_dim_[*a] = d;
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
  if (profile_opts_) score_profile(responses, out, ws);
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
    if (probabilities_) ar.p_levels.assign(scheme.areas[a].cuts.size() + 1, 0.0);
    if (profile_opts_ && area_dim_[a] != no_area) {
      // the area's coordinate of the profile (score_profile), whatever the area's own items
      const auto d = static_cast<Eigen::Index>(area_dim_[a]);
      ar.est = {};
      ar.est.theta = out.profile.theta[d];
      ar.est.se = out.profile.se[d];
      ar.est.state = out.profile.state;
      if (out.n_answered > 0) {
        ar.level = level_for(scheme.areas[a].cuts, ar.est.theta);
        if (marginals_ == marginal_kind::grid && out.profile.state != estimate::status::no_responses)
          level_probabilities(scheme.areas[a].cuts, grid_points_,
                              std::span<const double>(ws.marginal.data() + area_dim_[a] * grid_points_.size(),
                                                      grid_points_.size()),
                              ar.p_levels);
        else
          level_probabilities(scheme.areas[a].cuts, ar.est.theta, ar.est.se, ar.p_levels);
        rudner_terms(ar.p_levels, ar.level, ar.p_assigned, ar.p_squared);
      } else {
        ar.level = 0;
        ar.p_assigned = ar.p_squared = 0.0;
      }
    } else if (sub.empty()) {
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
      if (probabilities_) level_probabilities(scheme.areas[a].cuts, ar.est.theta, ar.est.se, ar.p_levels);
    }
    levels_span[a] = ar.level;
    ar.certified_level = ar.level;
  }
  if (out.n_answered > 0) {
    out.level = level_for(scheme.overall_cuts, out.overall.theta);
    rudner(scheme.overall_cuts, out.overall.theta, out.overall.se, out.level, out.p_assigned, out.p_squared);
  } else {
    out.level = 0;
    out.p_assigned = out.p_squared = 0.0;
  }
  out.certified_level = out.level;
  if (probabilities_) {
    out.p_levels.assign(scheme.overall_cuts.size() + 1, 0.0);
    if (out.n_answered > 0) level_probabilities(scheme.overall_cuts, out.overall.theta, out.overall.se, out.p_levels);
  }
  if (out.n_answered == 0) return;
  if (scheme.has_min_probability()) certify(out, levels_span, ws);
  else if (scheme.certify) out.rule = scheme.certify(levels_span, out.level);
}

// The first rule that holds, each on its own levels: the point levels, or those at the rule's
// min_probability (the highest level whose probability of being reached is high enough).
void scorer::certify(person_result& out, std::span<int> levels, workspace& ws) const {
  const auto& scheme = *levels_;
  const std::size_t n_areas = scheme.areas.size();
  ws.probable_levels.resize(n_areas);
  for (std::size_t r = 0; r < scheme.rules.size(); ++r) {
    const auto& t = scheme.rules[r].min_probability;
    if (!t) {
      if (scheme.rule_holds(r, levels, out.level)) {
        out.rule = r;
        return;
      }
      continue;
    }
    for (std::size_t a = 0; a < n_areas; ++a)
      ws.probable_levels[a] = level_at_probability(out.areas[a].p_levels, out.areas[a].level, *t);
    const int overall = level_at_probability(out.p_levels, out.level, *t);
    if (scheme.rule_holds(r, ws.probable_levels, overall)) {
      out.rule = r;
      for (std::size_t a = 0; a < n_areas; ++a) out.areas[a].certified_level = ws.probable_levels[a];
      out.certified_level = overall;
      return;
    }
  }
}

// The profile estimate, and on the EAP grid the marginal posterior weights of every dimension
// (ws.marginal, dimension-major): profile_eap_scorer leaves the log-posterior of the Q^D grid
// (last dimension fastest, up to a constant) in the first nodes() values of its scratch; the
// unit tests check that the marginal means equal the EAP.
void scorer::score_profile(std::span<const estimate::response> responses, person_result& out, workspace& ws) const {
  if (!profile_eap_) {
    out.profile = (*profile_est_)(responses);
    return;
  }
  const auto& eap = *profile_eap_;
  if (ws.profile_scratch.size() < eap.scratch_size()) ws.profile_scratch.resize(eap.scratch_size());
  out.profile = eap(responses, ws.profile_scratch);
  if (out.profile.state == estimate::status::no_responses) return;
  const std::size_t dims = eap.dims(), q_count = grid_points_.size(), nodes = eap.nodes();
  ws.marginal.assign(dims * q_count, 0.0);
  const double* lp = ws.profile_scratch.data();
  const double top = *std::max_element(lp, lp + nodes);
  std::array<std::size_t, estimate::max_dims> idx{};
  for (std::size_t n = 0; n < nodes; ++n) {
    const double w = std::exp(lp[n] - top);
    for (std::size_t d = 0; d < dims; ++d) ws.marginal[d * q_count + idx[d]] += w;
    for (std::size_t d = dims; d-- > 0;) {
      if (++idx[d] < q_count) break;
      idx[d] = 0;
    }
  }
}

}  // namespace score
DSKILL_END_NAMESPACE
