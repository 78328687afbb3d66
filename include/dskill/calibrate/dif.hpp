// dskill::calibrate: differential item functioning by the Mantel-Haenszel procedure (Holland &
// Thayer 1988) with the ETS A/B/C classification (Zwick 2012).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate {

/// ETS DIF category: A negligible, B slight to moderate, C moderate to large.
enum class ets_class : std::uint8_t { A, B, C };
std::string_view to_string(ets_class c) noexcept;

struct mh_options {
  /// Items whose sum is the matching score; empty = every item. The studied item is always
  /// included in its own matching score (Holland & Thayer).
  std::vector<std::size_t> matching_items;
  /// Two-stage purification: items classed B or C in the first pass leave the matching score
  /// (except when studied) and the statistics are recomputed.
  bool purify = false;
  double alpha = 0.05;  ///< significance level of the MH chi-square for the A/B boundary
};

struct mh_item {
  bool tested = false;       ///< false for polytomous items or too few data
  double alpha_mh = 0.0;     ///< common odds ratio (reference vs focal)
  double delta = 0.0;        ///< MH D-DIF = -2.35 ln alpha_mh (negative: item favours the reference group)
  double se_delta = 0.0;     ///< Robins-Breslow-Greenland SE, times 2.35
  double chi_square = 0.0;   ///< MH chi-square with continuity correction, 1 df
  double p = 0.0;
  ets_class category = ets_class::A;
  std::string sign;          ///< "+" (favours focal), "-" (favours reference) or "" for class A
  std::size_t reference_n = 0, focal_n = 0;
};

/// Mantel-Haenszel DIF for every dichotomous (0/1) item. `group` holds 0 (reference), 1 (focal)
/// or -1 (left out) per person. Persons missing any matching item, or the studied item, are left
/// out of that item's analysis.
std::vector<mh_item> mantel_haenszel(const std::int8_t* responses, std::size_t persons, std::size_t items,
                                     std::span<const std::int8_t> group, const mh_options& opts = {});

}  // namespace calibrate
DSKILL_END_NAMESPACE
