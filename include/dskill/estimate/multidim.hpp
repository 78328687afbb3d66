// dskill::estimate: profile (multidimensional) ability estimation, MAP and EAP, for one response
// pattern over a compensatory multidimensional table (irt/multidim.hpp).
//
// A profile is a vector theta of D abilities (1 <= D <= max_dims) with a multivariate normal
// prior N(mean, covariance). Every estimator returns theta, its full covariance, the
// per-dimension SEs (square roots of the covariance's diagonal), the iterations and a status;
// none throws on any response pattern and none returns NaN. Entries with an item index outside
// the table or a category outside 0..K-1 are skipped, as in estimate.hpp.
//
// MAP (profile_method::map): Newton's method on the log-posterior
//   f(theta) = sum_i log P_i(a_i . theta) - (theta - mean)' S^-1 (theta - mean) / 2,
// whose gradient and Hessian are rank-one sums over the answered items (irt/multidim.hpp). The
// Newton matrix is minus the Hessian of f (observed information plus S^-1) where it is
// positive definite, else the expected information plus S^-1 (Fisher scoring; a 3PL's observed
// information can be indefinite); steps are halved until f does not decrease, and kept inside
// the box [lower_bound, upper_bound]^D (mirt's max_theta, 20). The covariance is the inverse of
// the observed information of the log-posterior at the estimate (mirt's MAP default), or of the
// expected one (options::se_information); observed falls back to expected where it is not
// positive definite. With a proper prior the expected form always is: no SE is ever infinite.
//
// EAP (profile_method::eap): posterior mean and covariance by one of
//   - grid: the product rectangular grid of mirt's fscores, points equally spaced on [-6, 6]
//     per dimension, weighted by the MVN density at the node and normalised; mirt's point count
//     per dimension by D (121, 61, 31, 19, 11, 7, then 5) unless grid_points says otherwise;
//   - bifactor: the same per-dimension points with the dimension reduction of Gibbons and
//     Hedeker (1992): when every item loads on the first `general` dimensions plus at most one
//     of the others (the specific factors), and the prior makes the specific factors independent
//     of each other and of the general ones, the D-dimensional integral is a sum over the general
//     grid of a product of one-dimensional integrals, one per specific factor. It equals the full
//     grid's sums (to rounding) at a cost of Q^general * (1 + specifics * Q) nodes, not Q^D.
//     Bifactor (general = 1) and two-tier (general > 1, correlated general factors) models both.
//   - qmc: randomised quasi-Monte Carlo, a Halton sequence shifted by one uniform vector drawn
//     from qmc_seed (Cranley-Patterson rotation), mapped through the normal quantile and the
//     Cholesky factor of the prior covariance: points from the prior, equal weights.
//   automatic (the default) takes grid up to 3 dimensions, bifactor beyond when the table has the
//   structure, qmc otherwise. All sums are in log space with max-rescaling (no underflow on long
//   or extreme patterns) and centred on the node of largest posterior (no cancellation).
//
// Empty pattern (nothing usable answered): the prior's mean and covariance, status no_responses,
// for both estimators. Statuses at_upper_bound / at_lower_bound: the MAP lies on the box with the
// gradient pointing out (some coordinate; upper when the first such coordinate is at the upper
// bound); with a proper prior that needs a prior far wider than the box.
//
// Allocation: MAP allocates nothing (Eigen matrices of fixed maximum size, max_dims). EAP by
// estimate_profile builds its grid or point set per call; for many patterns on a product grid
// use profile_eap_scorer, which precomputes every item's log-probabilities and allocates nothing
// per pattern. Compiled library only (src/estimate/multidim.cpp; not in header-only mode).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "dskill/core/response.hpp"
#include "dskill/estimate/estimate.hpp"
#include "dskill/irt/multidim.hpp"

#ifdef DSKILL_HEADER_ONLY
#error "dskill/estimate/multidim.hpp needs the compiled library (Eigen, core::normal_quantile)"
#endif

DSKILL_BEGIN_NAMESPACE
namespace estimate {

/// The most dimensions a profile estimate takes (the size its vectors and matrices reserve).
inline constexpr int max_dims = 10;

/// A vector of at most max_dims reals, held in place (never heap-allocated).
using profile_vector = Eigen::Matrix<double, Eigen::Dynamic, 1, Eigen::ColMajor, max_dims, 1>;
/// A square matrix of at most max_dims x max_dims reals, held in place.
using profile_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor, max_dims, max_dims>;

/// A multivariate normal prior on theta. An empty prior (size 0) means N(0, I) of the table's
/// dimension.
struct mvn_prior {
  profile_vector mean;
  profile_matrix covariance;
  std::size_t dims() const noexcept { return static_cast<std::size_t>(mean.size()); }
  /// N(0, I_dims).
  static mvn_prior standard(std::size_t dims);
};

enum class profile_method : std::uint8_t {
  map,  ///< posterior mode (Newton on the log-posterior)
  eap,  ///< posterior mean
};
/// "map", "eap".
std::string_view to_string(profile_method m) noexcept;

/// How EAP integrates over the latent space.
enum class profile_integration : std::uint8_t {
  automatic,  ///< grid up to 3 dimensions, else bifactor when the table has the structure, else qmc
  grid,       ///< full product grid (at most max_grid_points nodes)
  bifactor,   ///< product grid with the bifactor / two-tier dimension reduction
  qmc,        ///< randomised quasi-Monte Carlo (Halton) from the prior
};
/// "automatic", "grid", "bifactor", "qmc".
std::string_view to_string(profile_integration m) noexcept;

struct profile_options {
  profile_method estimator = profile_method::map;
  /// Empty: N(0, I) of the table's dimension.
  mvn_prior prior = {};
  // ---- MAP
  /// Information behind MAP's covariance; mirt's default is observed.
  information_kind se_information = information_kind::observed;
  /// The box of the MAP search, per dimension (mirt's max_theta).
  double lower_bound = -20.0;
  double upper_bound = 20.0;
  double tolerance = 1e-9;  ///< on the largest coordinate of the Newton step
  int max_iterations = 100;  ///< evaluations of the log-posterior
  // ---- EAP
  profile_integration integration = profile_integration::automatic;
  double grid_lo = -6.0;  ///< per dimension (mirt's theta_lim)
  double grid_hi = 6.0;
  /// Points per dimension of grid and bifactor; 0: mirt's fscores default for the table's D
  /// (121, 61, 31, 19, 11, 7, then 5).
  int grid_points = 0;
  /// Bifactor: the general factors are the first general_dims dimensions; 0: the smallest
  /// number (1 to D - 2) for which the table has the structure (bifactor_general_dims).
  std::size_t general_dims = 0;
  std::size_t qmc_points = 8192;
  std::uint64_t qmc_seed = 0;
};

/// mirt's fscores points per dimension for a D-dimensional grid: 121, 61, 31, 19, 11, 7, then 5.
int default_grid_points(std::size_t dims) noexcept;

/// Throws invalid_argument naming the bad field and value: the prior (size, finite, symmetric,
/// positive definite), the bounds, tolerance and iterations, the grid (range, points, at most
/// max_grid_points nodes for a full grid), the QMC points (2 to 10^7) and a bifactor request that
/// the table's structure does not allow. `items` gives the dimension (1 to max_dims).
void validate(const profile_options& opts, const irt::multidim_table& items);

struct profile_result {
  profile_vector theta;
  profile_matrix covariance;
  profile_vector se;  ///< sqrt of the covariance's diagonal
  int iterations = 0;  ///< MAP: evaluations of the log-posterior; EAP: 0
  status state = status::ok;
};

namespace detail {
/// The prior as the estimators use it: checked, with its precision and Cholesky factor, and the
/// mean and precision as plain arrays for the MAP's loops.
struct prepared_prior {
  std::size_t dims = 0;
  profile_vector mean;
  profile_matrix covariance;
  profile_matrix precision;  ///< covariance^-1
  profile_matrix cholesky;   ///< lower L with L L' = covariance
  std::array<double, max_dims> mean_a{};
  std::array<double, max_dims * max_dims> precision_rm{};  ///< row-major
};
}  // namespace detail

/// The estimator of options `opts` over a table, with the options checked and the prior
/// prepared once (for many patterns: estimate_profile does this per call). Keeps a view of the
/// table, which must outlive it; immutable and shareable between threads.
class profile_estimator {
 public:
  /// Throws invalid_argument for bad options (validate).
  profile_estimator(const irt::multidim_table& items, const profile_options& opts);
  /// The estimate of one pattern; never throws for MAP, which allocates nothing.
  profile_result operator()(std::span<const response> responses) const;
  const profile_options& options() const noexcept { return opts_; }
  /// The EAP integration the options resolve to for this table (grid, bifactor or qmc).
  profile_integration integration() const noexcept { return integration_; }

 private:
  irt::multidim_table items_;
  profile_options opts_;
  detail::prepared_prior prior_;
  profile_integration integration_ = profile_integration::grid;
  std::size_t general_ = 0;
};

/// Estimates the profile of one pattern (profile_estimator(items, opts)(responses)). Throws
/// invalid_argument only for bad options (validate); MAP allocates nothing.
profile_result estimate_profile(const irt::multidim_table& items, std::span<const response> responses,
                                const profile_options& opts);

/// Log-likelihood of the pattern at theta (theta.size() == items.dims).
double log_likelihood(const irt::multidim_table& items, std::span<const response> responses,
                      const profile_vector& theta) noexcept;
/// Gradient and Hessian of the log-likelihood at theta (rank-one sums); returns the answered count.
int log_likelihood_derivatives(const irt::multidim_table& items, std::span<const response> responses,
                               const profile_vector& theta, profile_vector& gradient, profile_matrix& hessian) noexcept;
/// Test (Fisher) information matrix of the answered items at theta.
profile_matrix test_information(const irt::multidim_table& items, std::span<const response> responses,
                                const profile_vector& theta) noexcept;

/// The smallest number g of leading general dimensions (1 to D - 2) such that every item loads on
/// at most one of the dimensions g..D-1 and the prior covariance makes those independent of each
/// other and of the general ones; empty when there is none (or D < 3).
std::optional<std::size_t> bifactor_general_dims(const irt::multidim_table& items, const mvn_prior& prior);
/// True when the first `general` dimensions can be the general factors of a bifactor reduction.
bool has_bifactor_structure(const irt::multidim_table& items, const mvn_prior& prior, std::size_t general);

/// EAP on a product grid with every item's log P(category | node) precomputed on the nodes its
/// slopes reach (an item loading on k of the D dimensions keeps Q^k values per category): one
/// pattern costs one addition per answered item and node of its sub-grid, one broadcast of each
/// group of items sharing the same loaded dimensions onto the Q^D grid, and one exp per node.
/// Built once per table and options; immutable and shareable between threads. Uses the options'
/// prior, grid_lo, grid_hi and grid_points (the integration and estimator fields are not read).
class profile_eap_scorer {
 public:
  /// Throws invalid_argument for bad options (validate, with a full grid).
  profile_eap_scorer(const irt::multidim_table& items, const profile_options& opts);
  /// EAP and posterior covariance; allocates nothing when scratch holds scratch_size() values
  /// (a smaller scratch gives the same result through an allocating call).
  profile_result operator()(std::span<const response> responses, std::span<double> scratch) const;
  /// Convenience overload that allocates its scratch.
  profile_result operator()(std::span<const response> responses) const;
  std::size_t scratch_size() const noexcept { return scratch_size_; }
  std::size_t dims() const noexcept { return dims_; }
  std::size_t nodes() const noexcept { return log_weights_.size(); }
  std::size_t points_per_dim() const noexcept { return points_.size(); }

 private:
  std::size_t dims_ = 0;
  std::vector<double> points_;       // the per-dimension points
  std::vector<double> log_weights_;  // log prior weight per node (normalised)
  mvn_prior prior_;
  // Item i: group group_[i]; log P(k | sub-node m) at table_[offset_[i] + k * sub_size + m].
  std::vector<std::uint32_t> group_;
  std::vector<std::uint16_t> categories_;
  std::vector<std::size_t> offset_;
  std::vector<double> table_;
  // Group g: the loaded dimensions as a bit mask, its sub-grid size and its scratch offset.
  std::vector<std::uint32_t> group_mask_;
  std::vector<std::size_t> group_size_;
  std::vector<std::size_t> group_offset_;
  std::size_t scratch_size_ = 0;
};

}  // namespace estimate
DSKILL_END_NAMESPACE
