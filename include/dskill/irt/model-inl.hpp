// dskill::irt: bodies of the model functions (model.hpp). Compiled in src/irt/model.cpp; included
// by model.hpp in header-only mode, so they use the standard library only.
#pragma once
#include <cmath>
#include <string>

#include "dskill/detail/format.hpp"
#include "dskill/error.hpp"
#include "dskill/irt/model.hpp"

DSKILL_BEGIN_NAMESPACE
namespace irt {

DSKILL_FUNC std::string_view to_string(model m) noexcept {
  switch (m) {
    case model::one_pl: return "1pl";
    case model::two_pl: return "2pl";
    case model::three_pl: return "3pl";
    case model::four_pl: return "4pl";
    case model::grm: return "grm";
    case model::gpcm: return "gpcm";
    case model::pcm: return "pcm";
    case model::nominal: return "nominal";
  }
  return "?";
}

DSKILL_FUNC std::optional<model> parse_model(std::string_view name) noexcept {
  for (auto m : {model::one_pl, model::two_pl, model::three_pl, model::four_pl, model::grm,
                 model::gpcm, model::pcm, model::nominal})
    if (name == to_string(m)) return m;
  if (name == "rasch" || name == "Rasch") return model::one_pl;
  return std::nullopt;
}

DSKILL_FUNC item_params to_intercept_form(const difficulty_form& in, double scaling_d) {
  if (in.kind == model::nominal)
    throw invalid_argument("the nominal model has no difficulty form; give slope and intercepts");
  if (!(scaling_d > 0)) throw invalid_argument(dskill::detail::concat("scaling constant D must be > 0, got ", scaling_d));
  item_params out;
  out.kind = in.kind;
  const double a = in.kind == model::pcm ? 1.0 : in.a;
  out.slope = scaling_d * a;
  if (is_dichotomous(in.kind)) {
    out.lower = in.c;
    out.upper = in.d;
  }
  out.intercepts.reserve(in.b.size());
  double cumulative = 0.0;
  for (double b : in.b) {
    if (is_divide_by_total(in.kind)) {
      cumulative += b;
      out.intercepts.push_back(-out.slope * cumulative);
    } else {
      out.intercepts.push_back(-out.slope * b);
    }
  }
  return out;
}

DSKILL_FUNC difficulty_form to_difficulty_form(const item_params& in, double scaling_d) {
  if (in.kind == model::nominal)
    throw invalid_argument("the nominal model has no difficulty form");
  if (!(scaling_d > 0)) throw invalid_argument(dskill::detail::concat("scaling constant D must be > 0, got ", scaling_d));
  difficulty_form out;
  out.kind = in.kind;
  out.a = in.slope / scaling_d;
  if (is_dichotomous(in.kind)) {
    out.c = in.lower;
    out.d = in.upper;
  }
  out.b.reserve(in.intercepts.size());
  double previous = 0.0;
  for (double d : in.intercepts) {
    if (is_divide_by_total(in.kind)) {
      out.b.push_back(-(d - previous) / in.slope);
      previous = d;
    } else {
      out.b.push_back(-d / in.slope);
    }
  }
  return out;
}

DSKILL_FUNC std::string check_params(const item_params& item) {
  auto finite = [](double x) { return std::isfinite(x); };
  if (!finite(item.slope) || !(item.slope > 0))
    return dskill::detail::concat("slope a must be a finite number > 0, got ", item.slope);
  for (double d : item.intercepts)
    if (!finite(d)) return "parameters must be finite numbers";
  const int k = item.categories();
  if (is_dichotomous(item.kind)) {
    if (item.intercepts.size() != 1) return "a dichotomous item has exactly one difficulty or intercept";
    if (!finite(item.lower) || !finite(item.upper) || item.lower < 0 || item.lower >= item.upper ||
        item.upper > 1)
      return dskill::detail::concat("asymptotes must satisfy 0 <= c < d <= 1, got c = ", item.lower, ", d = ", item.upper);
    return {};
  }
  if (item.lower != 0.0 || item.upper != 1.0) return "only dichotomous items have asymptotes c and d";
  if (k < 2) return "a polytomous item needs at least one threshold (two categories)";
  if (k > max_categories)
    return dskill::detail::concat("an item may have at most ", max_categories, " categories, got ", k);
  if (item.kind == model::grm) {
    for (std::size_t i = 1; i < item.intercepts.size(); ++i)
      if (!(item.intercepts[i] < item.intercepts[i - 1]))
        return "graded response thresholds b must strictly increase";
  }
  if (item.kind == model::nominal) {
    if (item.scores.size() != item.intercepts.size())
      return "the nominal model needs one category score per intercept";
    for (double s : item.scores)
      if (!finite(s)) return "category scores must be finite numbers";
  } else if (!item.scores.empty()) {
    return "only the nominal model has category scores";
  }
  return {};
}

}  // namespace irt
DSKILL_END_NAMESPACE
