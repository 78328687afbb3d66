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

/// EAP on a quadrature built for this call (estimate_theta's EAP path).
result eap_estimate(const bank::item_bank& bank, std::span<const response> responses, const options& opts);

}  // namespace estimate::detail
DSKILL_END_NAMESPACE
