// dskill::calibrate::multidim: marginal maximum likelihood calibration of compensatory
// multidimensional items (M2PL, M3PL, M4PL, MGRM, MGPCM) by EM, as mirt does it.
//
// A structure says which factors each item loads on (between-item: one each; within-item:
// several), which factor correlations are estimated (means 0 and variances 1 are fixed, as in
// mirt), and optionally orthogonal specific factors with at most one per item (bifactor: one
// general factor plus specifics; two-tier: several correlated primary factors plus specifics).
//
// Integration:
// - a fixed product grid over the primary factors, mirt's default (61, 31, 15, 9, 7, then 3
//   points per dimension for 1..6 dimensions, on [-6, 6]), weights the multivariate normal
//   density at the nodes normalised to sum 1;
// - with specific factors, the Gibbons & Hedeker (1992) dimension reduction: the primary grid
//   times one specific factor at a time (cost linear in the number of specifics); mirt's bfactor
//   uses 31 points per dimension for one general factor;
// - quasi-Monte Carlo (Halton points through the normal quantile and the Cholesky factor of the
//   latent correlation matrix, equal weights) for 4 or more primary factors by default.
//
// The E-step works on unique response patterns and on each item's own sub-grid: an item that
// loads on factors L has its log-probability table over the grid of L only, the pattern's sums
// are broadcast onto the full grid and the posterior marginalised back, so a between-item model
// costs a few passes over the grid per pattern rather than one per item. The M-step is a
// safeguarded Newton-Raphson per item over its slopes and intercepts on the expected counts, and
// a Newton step on the free correlations from the posterior second moments (the maximiser of the
// expected complete-data log-density of the latent normal). SQUAREM extrapolation as in the
// unidimensional EM. Standard errors by Oakes' identity over items and correlations (grid only).
// Results do not depend on the number of threads.
#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dskill/calibrate/calibrate.hpp"
#include "dskill/irt/model.hpp"
#include "dskill/irt/multidim.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate::multidim {

/// The factor structure of a multidimensional calibration.
struct structure {
  std::size_t factors = 1;                 ///< primary factors (correlations among them may be free)
  std::vector<std::vector<int>> loadings;  ///< per item: the primary factors it loads on, 0-based
  /// Primary factor pairs (i, j) whose correlation is estimated; the others are 0.
  std::vector<std::pair<int, int>> free_correlations;
  std::size_t specifics = 0;  ///< orthogonal specific factors (bifactor, two-tier)
  std::vector<int> specific;  ///< per item: its specific factor (0-based) or -1; empty = none
  std::vector<std::string> names;  ///< factors then specifics; empty = F1.., S1..
  std::size_t dimensions() const noexcept { return factors + specifics; }
  /// The name of dimension d (names[d] or the default).
  std::string name(std::size_t d) const;
};

/// Parses mirt.model-like syntax, one statement a line (or separated by ';'):
///   F1 = 1-12          items (1-based positions, ranges, commas; or item ids)
///   F2 = 9-20
///   COV = F1*F2        free correlations (F1*F2*F3 frees every pair among them)
///   S1 = 1-4           with SPECIFIC = S1, S2: these factors are specific (orthogonal, one per item)
/// Factor names are letters, digits and '_'. Throws invalid_argument naming the line.
structure parse_structure(std::string_view syntax, std::size_t items, std::span<const std::string> item_ids = {});

/// One factor per item (factor_of_item 0-based), all correlations free when correlated.
structure between_items(std::span<const int> factor_of_item, std::size_t factors, bool correlated = true);
/// A bifactor structure: one general factor (every item) plus the given specific per item (0-based, or -1).
structure bifactor(std::span<const int> specific_of_item);

enum class integration { automatic, grid, qmc };

struct options {
  /// automatic: the product grid up to 3 primary factors, QMC beyond (and with specifics, the
  /// grid and the dimension reduction).
  integration method = integration::automatic;
  int points = 0;  ///< grid points per dimension; 0 = mirt's default for the dimension
  double lo = -6.0, hi = 6.0;
  int qmc_points = 5000;  ///< mirt's QMC default
  double tolerance = 1e-4;  ///< largest parameter change (mirt's TOL)
  int max_iterations = 500;
  bool accelerate = true;  ///< SQUAREM
  bool standard_errors = false;  ///< Oakes; grid integration only
  int threads = 0;  ///< 0 = hardware concurrency; results identical for any value
  /// Item priors (MAP-in-EM, mirt's parprior): lognormal on every slope (slopes must then be
  /// > 0), normal on every intercept (difficulty_mean/sd: on d, not b, for every model), Beta on c.
  item_priors priors;
  std::function<void(const iteration_info&)> on_iteration;
};

struct problem {
  const std::int8_t* responses = nullptr;  ///< persons x items, row-major, -1 = missing
  std::size_t persons = 0;
  std::size_t items = 0;
  std::vector<irt::model> models;  ///< one per item: 2pl, 3pl, 4pl, grm, gpcm
  std::vector<int> categories;     ///< empty = 2 for dichotomous, max observed + 1 otherwise
  structure factors;
  /// Start values (slopes over structure.dimensions()); empty or one entry per item.
  std::vector<std::optional<irt::multidim_item>> start;
};

struct item_estimate {
  /// Slopes over every dimension (primary factors then specifics), 0 where the item does not
  /// load; params.slope holds the slope on its first loading.
  irt::multidim_item item;
  int free_parameters = 0;
  std::vector<double> se_slopes;  ///< NaN where not loading or not computed
  std::vector<double> se_intercepts;
  double se_lower = std::numeric_limits<double>::quiet_NaN();
  double se_upper = std::numeric_limits<double>::quiet_NaN();
};

struct result {
  std::vector<item_estimate> items;
  std::size_t dimensions = 0;
  std::vector<std::string> names;
  std::vector<double> correlation;     ///< dimensions x dimensions, row-major (unit variances)
  std::vector<double> se_correlation;  ///< NaN where fixed or not computed
  double log_likelihood = 0.0;
  int parameters = 0;  ///< free item parameters + free correlations
  double aic = 0.0, bic = 0.0;
  int iterations = 0;
  bool converged = false;
  std::vector<double> log_likelihood_history;
  bool standard_errors = false;
  bool se_positive_definite = true;
  std::size_t persons = 0;
  std::size_t unique_patterns = 0;
  std::size_t nodes = 0;  ///< primary integration nodes
  int points = 0;         ///< grid points per dimension (0 for QMC)
  bool qmc = false;
  double seconds = 0.0;
};

/// Runs the calibration. Throws invalid_argument for an inconsistent problem.
result run(const problem& data, const options& opts = {});

/// The marginal log-likelihood at given items (slopes over structure.dimensions()) and primary
/// correlation matrix (factors x factors, row-major; empty = identity), as run() integrates.
double log_likelihood(const problem& data, std::span<const irt::multidim_item> items,
                      std::span<const double> correlation = {}, const options& opts = {});

/// Limited-information fit of a dichotomous (2pl, 3pl, 4pl) calibration: M2 (Maydeu-Olivares &
/// Joe 2005, 2006) on the n proportions correct and n(n - 1)/2 joint proportions, with df =
/// margins - free parameters, its p-value, RMSEA2 and SRMSR (root mean square residual of the
/// inter-item correlations).
struct m2_fit {
  double statistic = std::numeric_limits<double>::quiet_NaN();
  double df = std::numeric_limits<double>::quiet_NaN();
  double p = std::numeric_limits<double>::quiet_NaN();
  double rmsea = std::numeric_limits<double>::quiet_NaN();
  double srmsr = std::numeric_limits<double>::quiet_NaN();
  std::size_t moments = 0;     ///< first- and second-order margins
  std::size_t parameters = 0;  ///< free item parameters and correlations
  std::size_t nodes = 0;       ///< integration nodes
};

/// M2 of `res` (run's result on `data`, same structure), integrating over every dimension
/// (specifics too) on the product grid up to 3 dimensions (opts.points, lo, hi) and by QMC beyond
/// (opts.qmc_points), as run(). Needs complete responses (it compares every pair of items).
/// Memory and time grow as the square of the n(n - 1)/2 margins: 50 items need 10 MB, 150 items
/// 1 GB. Throws invalid_argument for polytomous items, missing responses or no df.
m2_fit m2(const problem& data, const result& res, const options& opts = {});

/// Writes the estimates as CSV in slope-intercept form on the logit scale (mirt's coef()):
/// item,model,a_<dimension>...,d1..dK,c,u, then the same with se_ in front (empty when not
/// computed or not estimated), one row per item. The correlations are in the result (and in
/// `dskill calibrate`'s summary).
void write_params_csv(const std::string& path, const result& res, std::span<const std::string> item_ids);

/// mirt's default grid points per dimension for a d-dimensional integral: 61, 31, 15, 9, 7, 3.
int default_points(std::size_t d) noexcept;

}  // namespace calibrate::multidim
DSKILL_END_NAMESPACE
