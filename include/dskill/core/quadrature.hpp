// dskill: quadrature grids and priors on theta, shared by EAP, CAT criteria and EM.
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE

/// An equally spaced grid of n points on [lo, hi] ("LO:HI:N" on the command line).
struct grid_spec {
  double lo = -6.0;
  double hi = 6.0;
  int n = 121;  ///< mirt's default for unidimensional scoring
  friend bool operator==(const grid_spec&, const grid_spec&) = default;
};
/// Parses "LO:HI:N" (for example "-6:6:121"); throws invalid_argument naming the text.
grid_spec parse_grid(std::string_view text);
/// The nodes of the grid.
std::vector<double> grid_nodes(const grid_spec& grid);

/// A prior on theta.
enum class prior_kind { normal, uniform, custom };
struct prior {
  prior_kind kind = prior_kind::normal;
  double mean = 0.0;
  double sd = 1.0;
  std::vector<double> weights;  ///< custom only: one non-negative weight per grid node
};

/// How a posterior integral is approximated on the grid.
enum class integration_rule {
  normalized_density,  ///< w_q proportional to prior density at node q (mirt)
  trapezoid,           ///< trapezoid rule on the grid (catR): end nodes weigh half
};

/// Nodes with prior weights that sum to 1 (log weights kept too, for log-space sums).
struct quadrature {
  std::vector<double> nodes;
  std::vector<double> weights;
  std::vector<double> log_weights;
  std::size_t size() const noexcept { return nodes.size(); }
};
/// Builds the weights of `p` on `grid` under `rule`. Throws invalid_argument for an empty grid,
/// a non-positive sd, or custom weights of the wrong length or all zero.
quadrature make_quadrature(const grid_spec& grid, const prior& p,
                           integration_rule rule = integration_rule::normalized_density);

DSKILL_END_NAMESPACE
