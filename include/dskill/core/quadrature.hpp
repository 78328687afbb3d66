// dskill: quadrature grids and priors on theta, shared by EAP, CAT criteria and EM.
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE

/// An equally spaced grid of n points on [lo, hi] ("LO:HI:N" on the command line).
/// The most points a grid may have (as the grid text syntax allows): a larger one through the
/// C or Python API is refused, not allocated.
inline constexpr int max_grid_points = 1'000'000;

struct grid_spec {
  double lo = -6.0;
  double hi = 6.0;
  int n = 121;  ///< mirt's default for unidimensional scoring
  friend bool operator==(const grid_spec&, const grid_spec&) = default;
};

/// How a third field written as a bare whole number ("33") is read by parse_grid_text.
enum class grid_whole_number { count, step };

/// A theta grid as written on a command line or in a spec, in either of its two forms:
/// "LO:HI:N" (N equally spaced points, both ends included) or "LO:HI:STEP" (LO, LO + STEP, ...
/// up to HI). The forms are told apart by the third field: written with a decimal point or an
/// exponent ("0.5", "1.0", "5e-2") it is a STEP; written as a bare whole number ("121") it is
/// read as the caller says: a point count N for quadrature grids, a STEP for the options that
/// have always been LO:HI:STEP (`info --theta`, `report bank --theta`), which therefore take
/// only the STEP form.
struct grid_text {
  double lo = 0.0;
  double hi = 0.0;
  bool by_step = false;  ///< the third field was a STEP
  double step = 0.0;     ///< by_step: the STEP as written; otherwise (HI - LO) / (N - 1)
  std::size_t count = 0; ///< points: N, or how many of LO, LO + STEP, ... lie at or below HI
};
/// Parses "LO:HI:N" or "LO:HI:STEP" (numbers via from_chars, so locale-independent; a leading
/// '+' is allowed). A STEP grid needs HI >= LO and STEP > 0, a count grid HI > LO and a whole
/// N from 2; either has at most 1,000,000 points. Throws invalid_argument "bad <what> '<text>':
/// <why> (...)" otherwise.
grid_text parse_grid_text(std::string_view text, grid_whole_number whole = grid_whole_number::count,
                          std::string_view what = "grid");

/// Parses a quadrature grid, "LO:HI:N" (for example "-6:6:121") or "LO:HI:STEP" (for example
/// "-6:6:0.1", the same 121 points): see parse_grid_text. A STEP grid becomes the N points from
/// LO to the last LO + k * STEP not above HI. Throws invalid_argument naming the text, also for
/// a STEP grid of fewer than two points.
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

#ifdef DSKILL_HEADER_ONLY
#include "dskill/core/quadrature-inl.hpp"
#endif
