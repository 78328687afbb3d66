// dskill::estimate: names of methods and statuses, option checks and validate_responses. Small,
// so inline in both modes (they format messages with the standard library only).
#pragma once
#include <cmath>

#include "dskill/core/quadrature.hpp"
#include "dskill/detail/format.hpp"
#include "dskill/error.hpp"
#include "dskill/estimate/estimate.hpp"

DSKILL_BEGIN_NAMESPACE
namespace estimate {

inline std::string_view to_string(method m) noexcept {
  switch (m) {
    case method::ml: return "ml";
    case method::map: return "map";
    case method::eap: return "eap";
    case method::wle: return "wle";
  }
  return "?";
}

inline std::optional<method> parse_method(std::string_view name) noexcept {
  for (auto m : {method::ml, method::map, method::eap, method::wle})
    if (name == to_string(m)) return m;
  if (name == "bm") return method::map;
  if (name == "wl") return method::wle;
  if (name == "mle") return method::ml;
  return std::nullopt;
}

inline std::string_view to_string(status s) noexcept {
  switch (s) {
    case status::ok: return "ok";
    case status::no_responses: return "no_responses";
    case status::at_upper_bound: return "at_upper_bound";
    case status::at_lower_bound: return "at_lower_bound";
    case status::max_iterations: return "max_iterations";
  }
  return "?";
}

namespace detail {
// Everything validate checks except the EAP quadrature (which the EAP path builds anyway).
inline void validate_search(const options& opts) {
  using dskill::detail::concat;
  if (!std::isfinite(opts.lower_bound) || !std::isfinite(opts.upper_bound) || !(opts.lower_bound < opts.upper_bound))
    throw invalid_argument(concat("estimation range needs finite lower_bound < upper_bound, got [", opts.lower_bound,
                                  ", ", opts.upper_bound, ']'));
  if (!(opts.tolerance > 0) || !std::isfinite(opts.tolerance))
    throw invalid_argument(concat("tolerance must be a finite number > 0, got ", opts.tolerance));
  if (opts.max_iterations < 1)
    throw invalid_argument(concat("max_iterations must be >= 1, got ", opts.max_iterations));
  if (opts.estimator == method::map) {
    if (opts.prior_.kind == prior_kind::custom)
      throw invalid_argument("MAP takes a normal or uniform prior; a custom grid prior applies to EAP only");
    if (opts.prior_.kind == prior_kind::normal && (!(opts.prior_.sd > 0) || !std::isfinite(opts.prior_.sd) ||
                                                   !std::isfinite(opts.prior_.mean)))
      throw invalid_argument(concat("a normal prior needs a finite mean and sd > 0, got mean ", opts.prior_.mean,
                                    " sd ", opts.prior_.sd));
  }
}
}  // namespace detail

inline void validate(const options& opts) {
  detail::validate_search(opts);
  if (opts.estimator == method::eap) (void)make_quadrature(opts.grid, opts.prior_, opts.rule);
}

template <class Bank>
  requires requires(const Bank& b, std::size_t i) { b.size(); b.params(i).categories(); b.id(i); }
void validate_responses(const Bank& bank, std::span<const response> responses) {
  using dskill::detail::concat;
  for (std::size_t i = 0; i < responses.size(); ++i) {
    const auto& r = responses[i];
    if (r.item >= bank.size())
      throw invalid_argument(concat("response ", i + 1, ": item index ", r.item, " is outside the bank (",
                                    bank.size(), " items)"));
    const int k = bank.params(r.item).categories();
    if (r.category < 0 || r.category >= k)
      throw invalid_argument(concat("response ", i + 1, ": category ", r.category, " is outside 0..", k - 1),
                             location{.item_id = std::string(bank.id(r.item))});
  }
}

}  // namespace estimate
DSKILL_END_NAMESPACE
