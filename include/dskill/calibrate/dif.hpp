// dskill::calibrate: differential item functioning by the Mantel-Haenszel procedure (Holland &
// Thayer 1988) with the ETS A/B/C classification (Zwick 2012), and by ordinal logistic
// regression on an IRT ability (Swaminathan & Rogers 1990; Zumbo 1999; Crane et al. 2006, the
// method of R's lordif), which needs no complete patterns and takes polytomous items.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dskill/config.hpp"
#include "dskill/estimate/estimate.hpp"

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

struct lr_dif_options {
  double alpha = 0.01;  ///< level of the 2-df chi-square that flags an item (lordif's default)
  /// Categories answered by fewer persons (over both groups) are pooled with their neighbours:
  /// upwards from the lowest until a group has enough, a sparse top group joins the one below
  /// (lordif's minCell collapses likewise).
  std::size_t min_per_category = 5;
  std::size_t min_per_group = 20;  ///< fewer persons in either group: the item is not tested
};

/// Jodoin & Gierl (2001) effect size of logistic-regression DIF on the Nagelkerke R-squared
/// change from model 1 to model 3: A negligible (< 0.035), B moderate (< 0.07), C large.
using jg_class = ets_class;

struct lr_dif_item {
  bool tested = false;
  std::string reason;  ///< why not tested, or empty
  std::size_t reference_n = 0, focal_n = 0;
  int categories = 0;  ///< after joining sparse categories
  /// Model 1: logit P(Y >= k) = alpha_k + b1 theta; model 2 adds b2 group; model 3 adds
  /// b3 theta x group. Log-likelihoods at the maxima.
  double loglik1 = 0.0, loglik2 = 0.0, loglik3 = 0.0;
  double chi2_uniform = 0.0, p_uniform = 0.0;        ///< 2 (l2 - l1), 1 df
  double chi2_nonuniform = 0.0, p_nonuniform = 0.0;  ///< 2 (l3 - l2), 1 df
  double chi2_total = 0.0, p_total = 0.0;            ///< 2 (l3 - l1), 2 df
  double r2_change = 0.0;     ///< Nagelkerke R-squared, model 3 less model 1
  double r2_uniform = 0.0;    ///< Nagelkerke R-squared, model 2 less model 1
  double beta_change = 0.0;   ///< |b1(model 1) - b1(model 2)| / |b1(model 1)| (Crane et al.)
  double group_effect = 0.0;  ///< b2 of model 2: > 0 the item is easier for the focal group
  bool flagged = false;       ///< p_total < alpha
  jg_class effect = jg_class::A;
};

/// Logistic-regression DIF for every item (dichotomous or ordered polytomous). `theta` holds one
/// ability per person (an IRT estimate from every answered item, NaN = left out), `group` 0
/// (reference), 1 (focal) or -1 (left out). Each item uses the persons who answered it; missing
/// by design is no obstacle.
std::vector<lr_dif_item> logistic_dif(const std::int8_t* responses, std::size_t persons, std::size_t items,
                                      std::span<const double> theta, std::span<const std::int8_t> group,
                                      const lr_dif_options& opts = {});

/// What the purifying logistic-regression DIF found.
struct lr_dif_result {
  std::vector<lr_dif_item> items;
  std::vector<double> theta;   ///< the final matching abilities (NaN: no matching item answered)
  std::vector<bool> matching;  ///< the items the final abilities are estimated from
  int rounds = 0;              ///< theta estimations (1 = no item was flagged)
  bool converged = true;       ///< false when max_rounds (or an empty matching set) stopped it
};

/// Logistic-regression DIF with iterative purification of the matching ability (as lordif):
/// theta is estimated from every item of `bank` (column j of `responses` is bank item j) with
/// `theta_options`, items are tested, theta is estimated again from the items never flagged, and
/// so on until no new item is flagged (at most max_rounds estimations; converged is false when
/// that limit, or a matching set emptied, stopped it). Planted DIF in some
/// items otherwise biases one group's theta and makes the other items look biased the other way.
lr_dif_result logistic_dif_purified(const std::int8_t* responses, std::size_t persons, const bank::item_bank& bank,
                                    std::span<const std::int8_t> group, const estimate::options& theta_options,
                                    const lr_dif_options& opts = {}, int max_rounds = 10);

/// The maximum log-likelihood of the proportional-odds model logit P(Y >= k) = alpha_k + x b
/// (y in 0..K-1, K >= 2; x row-major n x m, m <= 3), by Newton's method with step halving;
/// `coefficients` receives alpha_1..alpha_{K-1}, then b. Exposed for tests.
double ordinal_logit_fit(std::span<const int> y, int categories, std::span<const double> x, std::size_t m,
                         std::vector<double>* coefficients = nullptr);

}  // namespace calibrate
DSKILL_END_NAMESPACE
