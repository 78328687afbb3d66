// Shared between the estimate translation units; not installed.
#pragma once
#include <span>

#include "dskill/estimate/estimate.hpp"

DSKILL_BEGIN_NAMESPACE
namespace estimate::detail {

/// True when the response can be scored on this bank (estimators skip the others).
inline bool usable(const bank::item_bank& bank, const response& r) noexcept {
  return r.item < bank.size() && r.category >= 0 && r.category < bank.params(r.item).categories();
}

/// Sums over the answered items at one theta (what ML, MAP and WLE need).
struct pattern_terms {
  double d1 = 0;    ///< score l'
  double d2 = 0;    ///< l''
  double info = 0;  ///< test information I
  double j = 0;     ///< Warm's J = sum_k P g h
  double g3 = 0;    ///< sum_k P g^3 (so I' = 2J - g3)
  int answered = 0;
};
pattern_terms pattern_at(const bank::item_bank& bank, std::span<const response> responses, double theta) noexcept;

/// EAP on a quadrature built for this call (estimate_theta's EAP path).
result eap_estimate(const bank::item_bank& bank, std::span<const response> responses, const options& opts);

}  // namespace estimate::detail
DSKILL_END_NAMESPACE
