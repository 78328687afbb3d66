// A multidimensional calibration as a profile bank: dimensions mapped to framework areas, the
// estimated latent correlations, each item's slopes, SEs and provenance (issue 11).
#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "dskill/calibrate/bank_output.hpp"
#include "dskill/core/time.hpp"
#include "dskill/error.hpp"
#include "bank_text.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate {

namespace {

using detail::yaml_number;
// Shorter at the many call sites below.
inline std::string num(double v) { return yaml_number(v); }

// YAML flow text for a plain key or value (dimension ids are letters, digits and '_').
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Dimension roles: a bifactor's one primary factor is the general factor; specifics are specific.
bank::dimension_role role_of(const multidim::structure& s, std::size_t d) {
  if (d >= s.factors) return bank::dimension_role::specific;
  return s.specifics > 0 && s.factors == 1 ? bank::dimension_role::general : bank::dimension_role::area;
}

// The dimensions item i loads on (primary factors, then its specific), 0-based over all dimensions.
std::vector<std::size_t> item_dimensions(const multidim::structure& s, std::size_t i) {
  std::vector<std::size_t> out;
  for (int f : s.loadings[i]) out.push_back(static_cast<std::size_t>(f));
  if (!s.specific.empty() && s.specific[i] >= 0) out.push_back(s.factors + static_cast<std::size_t>(s.specific[i]));
  return out;
}

// The SEs of an item in its slope-intercept parameters (the calibration's own form), as YAML flow.
std::string se_meta(const multidim::item_estimate& e, std::span<const bank::bank_dimension> dims) {
  const auto kind = e.item.params.kind;
  std::string a;
  for (std::size_t d = 0; d < dims.size() && d < e.se_slopes.size(); ++d)
    if (e.item.slopes[d] != 0.0) a += fmt::format("{}{}: {}", a.empty() ? "" : ", ", quoted(dims[d].id), num(e.se_slopes[d]));
  std::string s = fmt::format("{{form: intercept, a: {{{}}}", a);
  if (irt::is_dichotomous(kind)) {
    s += fmt::format(", intercept: {}", num(e.se_intercepts.empty() ? NAN : e.se_intercepts[0]));
  } else {
    s += ", intercepts: [";
    for (std::size_t k = 0; k < e.se_intercepts.size(); ++k) s += (k ? ", " : "") + num(e.se_intercepts[k]);
    s += "]";
  }
  if (kind == irt::model::three_pl || kind == irt::model::four_pl) s += ", c: " + num(e.se_lower);
  if (kind == irt::model::four_pl) s += ", d: " + num(e.se_upper);
  return s + "}";
}

}  // namespace

std::vector<std::string> match_areas(const multidim::structure& s, std::span<const std::string> ids,
                                     const bank::item_bank* template_bank, std::span<const std::string> framework_areas,
                                     const std::map<std::string, std::string>& explicit_areas) {
  const std::size_t dims = s.dimensions();
  if (ids.size() != s.loadings.size())
    throw invalid_argument(fmt::format("match_areas: {} ids for {} items", ids.size(), s.loadings.size()));
  const auto known_area = [&](const std::string& area) {
    return framework_areas.empty() || std::find(framework_areas.begin(), framework_areas.end(), area) != framework_areas.end();
  };
  std::vector<std::string> names(dims), out(dims);
  for (std::size_t d = 0; d < dims; ++d) names[d] = s.name(d);
  // 1. Explicit: dimension name -> area.
  for (const auto& [dim, area] : explicit_areas) {
    const auto it = std::find(names.begin(), names.end(), dim);
    if (it == names.end())
      throw invalid_argument(fmt::format("--areas: the model has no dimension '{}' (it has {})", dim, fmt::join(names, ", ")));
    const auto d = static_cast<std::size_t>(it - names.begin());
    if (role_of(s, d) == bank::dimension_role::general)
      throw invalid_argument(fmt::format("--areas: '{}' is the general factor, which reports no area", dim));
    if (!known_area(area))
      throw invalid_argument(fmt::format("--areas: '{}' is not an area of the framework [{}]", area, fmt::join(framework_areas, ", ")));
    out[d] = area;
  }
  std::set<std::string> taken;
  for (const auto& a : out)
    if (!a.empty() && !taken.insert(a).second)
      throw invalid_argument(fmt::format("--areas: area '{}' is given to two dimensions", a));
  // 2. A dimension named as an area of the framework.
  for (std::size_t d = 0; d < dims; ++d)
    if (out[d].empty() && role_of(s, d) != bank::dimension_role::general && !framework_areas.empty() &&
        known_area(names[d]) && !taken.count(names[d])) {
      out[d] = names[d];
      taken.insert(names[d]);
    }
  // 3. The one area of the template items that measure this dimension alone (a general factor
  //    aside); a dimension whose items span several areas, or an area two dimensions would take,
  //    reports none.
  if (template_bank == nullptr) return out;
  std::vector<std::set<std::string>> areas(dims);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto k = template_bank->find(ids[i]);
    if (!k) continue;
    const std::string& area = template_bank->item(*k).area;
    std::vector<std::size_t> on;
    for (std::size_t d : item_dimensions(s, i))
      if (role_of(s, d) != bank::dimension_role::general) on.push_back(d);
    if (on.size() == 1) areas[on[0]].insert(area.empty() ? std::string("\x01") : area);  // \x01: an item of no area
  }
  std::map<std::string, int> claims;
  for (std::size_t d = 0; d < dims; ++d)
    if (out[d].empty() && areas[d].size() == 1 && !areas[d].begin()->starts_with('\x01')) ++claims[*areas[d].begin()];
  for (std::size_t d = 0; d < dims; ++d) {
    if (!out[d].empty() || areas[d].size() != 1) continue;
    const std::string& a = *areas[d].begin();
    if (claims[a] == 1 && !taken.count(a) && known_area(a)) out[d] = a;
  }
  return out;
}

bank::item_bank make_profile_bank(const multidim::result& res, const multidim::structure& s,
                                  const std::vector<std::string>& ids, const profile_bank_options& o,
                                  const multidim::options* used) {
  const std::size_t dims = res.dimensions;
  if (ids.size() != res.items.size())
    throw invalid_argument(fmt::format("make_profile_bank: {} ids for {} items", ids.size(), res.items.size()));
  if (dims != s.dimensions() || res.names.size() != dims || res.correlation.size() != dims * dims)
    throw invalid_argument("make_profile_bank: the result does not match the structure");
  if (!o.areas.empty() && o.areas.size() != dims)
    throw invalid_argument(fmt::format("make_profile_bank: {} areas for {} dimensions", o.areas.size(), dims));
  const bank::item_bank* tpl = o.template_bank;
  bank::bank_info info;
  info.id = o.id;
  info.title = o.title;
  if (tpl) take_bank_fields(*tpl, info, !o.title.empty());
  info.scaling = 1.0;  // slopes and intercepts of the calibration are on the logit scale
  info.param_form = "difficulty";
  std::set<std::string> areas_seen;
  for (std::size_t d = 0; d < dims; ++d) {
    bank::bank_dimension dim;
    dim.id = res.names[d];
    dim.role = role_of(s, d);
    if (!o.areas.empty()) dim.area = o.areas[d];
    if (!dim.area.empty() && dim.role == bank::dimension_role::general)
      throw invalid_argument(fmt::format("dimension '{}' is a general factor and cannot report area '{}'", dim.id, dim.area));
    if (!dim.area.empty() && !areas_seen.insert(dim.area).second)
      throw invalid_argument(fmt::format("area '{}' is reported by two dimensions", dim.area));
    info.dimensions.push_back(std::move(dim));
  }
  info.latent_mean.assign(dims, 0.0);
  info.latent_covariance = res.correlation;
  info.latent_as_correlation = true;

  std::set<std::string> kinds;
  for (const auto& e : res.items) kinds.insert(std::string(irt::to_string(e.item.params.kind)));
  std::string kind_text;
  for (const auto& k : kinds) kind_text += (kind_text.empty() ? "" : "+") + k;
  const std::string integration =
      res.qmc ? fmt::format("quasi-Monte Carlo, {} Halton nodes", res.nodes)
              : fmt::format("{}-point grid per dimension on [{}, {}]{}", res.points, used ? used->lo : -6.0,
                            used ? used->hi : 6.0, s.specifics > 0 ? ", dimension reduction over the specifics" : "");
  info.provenance.method = o.method.empty() ? fmt::format("MML-EM {} on {} dimensions, {} (dskill)", kind_text, dims, integration)
                                            : o.method;
  info.provenance.sample = static_cast<long>(res.persons);
  info.provenance.date = o.date.empty() ? core::utc_timestamp(core::utc_format::date) : o.date;
  info.provenance.data = o.data;
  info.provenance.note = o.note.empty()
                             ? fmt::format("logLik {:.4f}, AIC {:.4f}, BIC {:.4f}, {} parameters, {} EM iterations, {}",
                                           res.log_likelihood, res.aic, res.bic, res.parameters, res.iterations,
                                           res.converged ? "converged" : "NOT converged")
                             : o.note;
  std::string cal = fmt::format(
      "{{engine: dskill, method: MML-EM multidimensional, log_likelihood: {:.6f}, aic: {:.6f}, bic: {:.6f}, "
      "parameters: {}, persons: {}, unique_patterns: {}, iterations: {}, converged: {}, integration: {}",
      res.log_likelihood, res.aic, res.bic, res.parameters, res.persons, res.unique_patterns, res.iterations,
      res.converged ? "true" : "false", quoted(integration));
  if (used) cal += fmt::format(", tolerance: {}", used->tolerance);
  if (res.standard_errors) {
    cal += fmt::format(", se_method: oakes, se_positive_definite: {}, correlation_se: [", res.se_positive_definite);
    bool first = true;
    for (const auto& [a, b] : s.free_correlations) {
      const auto r = static_cast<std::size_t>(a), c = static_cast<std::size_t>(b);
      cal += fmt::format("{}{{dimensions: [{}, {}], estimate: {}, se: {}}}", first ? "" : ", ", quoted(res.names[r]),
                         quoted(res.names[c]), num(res.correlation[r * dims + c]), num(res.se_correlation[r * dims + c]));
      first = false;
    }
    cal += "]";
  }
  if (o.m2)
    cal += fmt::format(", m2: {{statistic: {}, df: {}, p: {}, rmsea: {}, srmsr: {}}}", num(o.m2->statistic), num(o.m2->df),
                       num(o.m2->p), num(o.m2->rmsea), num(o.m2->srmsr));
  cal += "}";
  info.meta.push_back({"calibration", cal, true});

  const std::set<std::string> written(ids.begin(), ids.end());
  std::vector<bank::bank_item> items;
  items.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto& e = res.items[i];
    bank::bank_item it = take_item_fields(tpl, ids[i], written, o.status);
    it.params = e.item.params;
    it.slopes = e.item.slopes;
    it.params.slope = irt::mdisc(it.slopes);
    if (o.standard_errors && res.standard_errors) it.meta.push_back({"se", se_meta(e, info.dimensions), true});
    items.push_back(std::move(it));
  }
  return bank::item_bank(std::move(info), std::move(items));
}

}  // namespace calibrate
DSKILL_END_NAMESPACE
