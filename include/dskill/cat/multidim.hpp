// dskill::cat: item selection for profile (multidimensional) banks.
//
// The criteria of multidimensional CAT (Segall 1996; Mulder & van der Linden 2009; mirtCAT's
// Drule, DPrule, Arule, APrule, Trule, TPrule) compare, for each candidate item j, the
// information matrix the test would have with j added:
//   M_j = A + I_j(theta),   A = sum over answered items of I_i(theta) [+ S^-1 for the P rules],
// at the provisional estimate theta (the profile MAP by default), S the prior (latent)
// covariance. A compensatory item's information is rank one, I_j = w_j a_j a_j' (irt/multidim.hpp),
// so with B = adj(A) (= det(A) A^-1 when A is invertible) and C = A^-1 (Sherman-Morrison):
//   D:  det(M_j)             = det(A) + w_j a_j' B a_j           (larger wins)
//   A:  tr(W M_j^-1)         = tr(W C) - w_j u' W u / (1 + w_j a_j' u),  u = C a_j  (smaller wins)
//   T:  tr(W M_j)            = tr(W A) + w_j a_j' W a_j          (larger wins)
// W = diag(weights), one per dimension (default 1). One factorisation of A per step, then one
// quadratic form per item: D-optimality over 1,000 five-dimensional items costs 1,000 scalar
// informations and 15-term quadratic forms. When A is singular (a test without a prior, before
// its answers span the dimensions): D takes the adjugate form, which is exact for a singular A
// too; where even that is zero (rank below D - 1) every candidate ties at det = 0, and D and A
// take T's score for the step (its value is then T's, and says so through tied()). 
//
// kl: the posterior expected Kullback-Leibler information (Mulder & van der Linden 2010),
//   KL_j = E_posterior[ sum_k P_jk(theta^) log(P_jk(theta^) / P_jk(theta)) ],
// by self-normalised importance sampling from the Laplace approximation N(theta^, (A + S^-1)^-1)
// of the posterior, on a fixed set of kl_points Halton points (deterministic: no random numbers),
// weighted by the exact posterior over the proposal.
//
// Nothing here allocates per call: the tables are made once per bank, the step's matrices are
// fixed-size (max_dimensions) arrays on the stack.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dskill/core/response.hpp"
#include "dskill/fwd.hpp"
#include "dskill/irt/multidim.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

/// Selection criteria for profile banks (registered selector names in parentheses).
enum class profile_criterion : std::uint8_t {
  d_optimal,   ///< max det(A + I_j) (d_optimal; mirtCAT Drule)
  dp_optimal,  ///< the same with the prior precision in A (dp_optimal; DPrule)
  a_optimal,   ///< min tr(W (A + I_j)^-1) (a_optimal; Arule)
  ap_optimal,  ///< the same with the prior precision (ap_optimal; APrule)
  t_optimal,   ///< max tr(W (A + I_j)) (t_optimal; Trule)
  tp_optimal,  ///< the same with the prior precision (tp_optimal; TPrule)
  kl,          ///< posterior expected Kullback-Leibler information (kl_profile)
};
/// "d_optimal", ..., "tp_optimal", "kl_profile".
std::string_view to_string(profile_criterion c) noexcept;
/// Inverse of to_string (case-insensitive).
std::optional<profile_criterion> parse_profile_criterion(std::string_view name) noexcept;
/// True for the criteria that add the prior precision to A (the P rules, and kl's posterior).
constexpr bool uses_prior(profile_criterion c) noexcept {
  return c == profile_criterion::dp_optimal || c == profile_criterion::ap_optimal || c == profile_criterion::tp_optimal ||
         c == profile_criterion::kl;
}

/// One evaluated step's shared quantities (for tests and explanations).
struct profile_step_info {
  double det_a = 0.0;    ///< det(A)
  bool tied = false;     ///< D/A fell back to T's score (A singular; see above)
};

/// A criterion over one table, with its per-item tables made once: immutable, shareable between
/// threads; the table (a view) must outlive it.
class profile_criteria {
 public:
  /// `weights`: one per dimension (empty: all 1; A and T only), each finite and >= 0, not all 0.
  /// `prior_covariance` (dims x dims, row-major; empty: identity) and `prior_mean` (empty: 0)
  /// give S and the posterior kl samples. Throws invalid_argument for bad sizes or values.
  profile_criteria(const irt::multidim_table& items, profile_criterion criterion, std::span<const double> weights = {},
                   std::span<const double> prior_covariance = {}, std::span<const double> prior_mean = {},
                   std::size_t kl_points = 64);

  profile_criterion criterion() const noexcept { return criterion_; }
  std::size_t dims() const noexcept { return dims_; }
  std::span<const double> weights() const noexcept { return weights_; }

  /// A (dims x dims, row-major, into out): the answered items' information at theta, plus the
  /// prior precision when the criterion uses the prior.
  void accumulated_information(std::span<const double> theta, std::span<const response> answered,
                               std::span<double> out) const noexcept;

  /// For every i in `candidates`: value[i] the criterion in its natural form (det, trace of the
  /// inverse, trace, expected KL) and score[i] higher-wins. `value` and `score` hold one slot per
  /// table item and are scratch: other slots may be overwritten (when most items are candidates,
  /// a dense pass over the whole table is cheaper). Allocates nothing.
  profile_step_info evaluate(std::span<const double> theta, std::span<const response> answered,
                             std::span<const std::uint32_t> candidates, std::span<double> value,
                             std::span<double> score) const noexcept;

 private:
  void evaluate_kl(std::span<const double> theta, std::span<const response> answered, const double* a_mat,
                   std::span<const std::uint32_t> candidates, std::span<double> value, std::span<double> score) const noexcept;
  double scalar_information(std::size_t i, double t) const noexcept;

  irt::multidim_table items_;
  profile_criterion criterion_;
  std::size_t dims_;
  std::vector<double> weights_;      // W's diagonal
  std::vector<double> weighted_a2_;  // per item: a' W a
  std::vector<double> precision_;    // S^-1, row-major
  std::vector<double> mean_;
  // Dichotomous items' link parameters (intercept, lower, upper), for the branch-free kernel.
  std::vector<std::uint8_t> dichotomous_;
  std::vector<double> intercept_, lower_, upper_;
  bool all_dichotomous_ = false;
  std::vector<double> slopes_by_dim_;  // all-dichotomous tables: slopes dimension-major (dims x items)
  // kl: Halton points mapped to N(0, I), point-major (kl_points x dims).
  std::vector<double> kl_normals_;
  std::size_t kl_points_ = 0;
};

/// The framework's cut scores of every area a profile bank's dimensions report, as
/// stopping.classification.area_cuts entries (dimension id, cuts), in dimension order; dimensions
/// without an area, or whose area the framework does not have or gives no cuts, are left out.
std::vector<std::pair<std::string, std::vector<double>>> area_cuts_from(const framework::framework& fw,
                                                                        const bank::item_bank& bank);

}  // namespace cat
DSKILL_END_NAMESPACE
