// dskill::calibrate: model fit. Item fit S-X2 (Orlando & Thissen 2000) with mirt's table
// construction and cell-collapsing rule, infit/outfit mean squares for items (Rasch models) and
// persons, and person fit Zh (Drasgow, Levine & Williams 1985, as mirt's personfit) and lz*
// (Snijders 2001).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dskill/core/quadrature.hpp"
#include "dskill/irt/model.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate {

/// Responses of persons x items (row-major, -1 = missing) with the items' parameters.
struct fit_data {
  const std::int8_t* responses = nullptr;
  std::size_t persons = 0;
  std::span<const irt::item_params> items;
};

struct sx2_options {
  grid_spec grid = {-6.0, 6.0, 61};  ///< mirt's itemfit default (quadpts 61 on [-6, 6])
  double latent_mean = 0.0;
  double latent_sd = 1.0;
  double mincell = 1.0;              ///< mirt's default
  /// Estimated parameters per item (subtracted from df); empty = the model's count (1pl 1,
  /// 2pl 2, 3pl 3, 4pl 4, grm/gpcm K, pcm K-1).
  std::vector<int> estimated_parameters;
  int latent_parameters = 0;  ///< estimated latent-distribution parameters (also subtracted)
  /// Incomplete data: the smallest group of persons with the same answered items that gets its
  /// own tables (smaller groups are left out and counted in sx2_item::persons_left_out).
  std::size_t min_group = 50;
  bool keep_tables = false;
};

/// S-X2 of one item. Tables have rows = total scores, columns = categories; NaN = ignored cell.
struct sx2_item {
  double statistic = 0.0;
  int df = 0;
  double p = 0.0;  ///< NaN when df <= 0
  double rmsea = 0.0;
  std::vector<int> raw_scores;
  std::vector<std::vector<double>> observed_raw, expected_raw, observed, expected;
  std::vector<int> row_labels;  ///< the total score mirt keeps as the label of each collapsed row
  std::size_t groups = 0;            ///< answer-pattern groups whose tables hold the item
  std::size_t persons = 0;           ///< persons in those groups (the RMSEA's N)
  std::size_t persons_left_out = 0;  ///< persons in groups smaller than min_group (all items)
};

/// S-X2 for every item. Complete data: Orlando & Thissen's statistic, as mirt's itemfit.
/// Missing by design (booklets, adaptive tests): persons are grouped by the set of items they
/// answered; each group of at least min_group persons gets its own summed-score tables over its
/// own items (Lord-Wingersky on those items, collapsed by mirt's rule), and an item's statistic
/// is the sum of its groups' chi-squares on the sum of their degrees of freedom (cells - rows per
/// group, less the item's parameters once). With one group this is the complete-data statistic.
/// Tables kept with keep_tables are the groups' rows one after another. Throws invalid_argument
/// when no group is large enough.
std::vector<sx2_item> s_x2(const fit_data& data, const sx2_options& opts = {});

/// mirt:::collapseCells on one item's observed and expected tables (in place); returns the
/// labels (indices into the input rows) of the surviving rows. Exposed for tests.
std::vector<int> collapse_cells(std::vector<std::vector<double>>& observed, std::vector<std::vector<double>>& expected,
                                double mincell = 1.0);

/// How person-fit and infit/outfit statistics estimate theta.
enum class theta_method : std::uint8_t { eap, ml, wle };

struct person_fit_options {
  theta_method method = theta_method::eap;
  grid_spec grid = {-6.0, 6.0, 121};  ///< EAP grid (mirt's fscores default)
  double latent_mean = 0.0;
  double latent_sd = 1.0;
  double bound = 6.0;  ///< ML/WLE search range [-bound, bound]
};

struct person_fit_row {
  double theta = 0.0;
  int answered = 0;
  double zh = 0.0;       ///< standardised log-likelihood l_z at theta (mirt's Zh)
  double lz_star = 0.0;  ///< Snijders' corrected l_z* (dichotomous items; NaN otherwise or for EAP)
  double outfit = 0.0, z_outfit = 0.0, infit = 0.0, z_infit = 0.0;
};
std::vector<person_fit_row> person_fit(const fit_data& data, const person_fit_options& opts = {});

struct item_infit_row {
  double outfit = 0.0, z_outfit = 0.0, infit = 0.0, z_infit = 0.0;
  std::size_t answered = 0;
};
/// Item infit/outfit mean squares (and Wilson-Hilferty z) from residuals at each person's theta
/// (the thetas given, for example from person_fit). Meant for Rasch models, computed for any.
std::vector<item_infit_row> item_infit(const fit_data& data, std::span<const double> thetas);

/// Yen's (1984) Q3 local-dependence statistics: for every item pair, the correlation over the
/// persons who answered both of the residuals x - E[X | theta] at each person's theta (the
/// thetas given, NaN = left out). Under local independence Q3 is about -1/(J - 1), not 0, so
/// Q3* = Q3 - the mean of all Q3 (Christensen, Makransky & Horton 2017) is the one to judge;
/// values above about 0.2 point at dependent pairs (shared stimulus, one item giving away
/// another).
struct q3_result {
  std::size_t items = 0;
  std::vector<double> q3;       ///< items x items, row-major, symmetric; NaN on the diagonal and
                                ///< for pairs answered together by fewer than min_pairs persons
  std::vector<std::size_t> n;   ///< persons behind each pair
  double mean = 0.0;            ///< mean Q3 over the pairs with a value
  double max_star = 0.0;        ///< largest Q3*
  std::size_t pairs = 0;        ///< pairs with a value
  double at(std::size_t i, std::size_t j) const noexcept { return q3[i * items + j]; }
};
q3_result q3(const fit_data& data, std::span<const double> thetas, std::size_t min_pairs = 30);

/// Upper-tail chi-square probability (regularised incomplete gamma).
double chi_square_upper(double x, double df);

}  // namespace calibrate
DSKILL_END_NAMESPACE
