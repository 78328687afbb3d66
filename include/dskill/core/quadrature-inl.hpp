// dskill: bodies of the quadrature builders (quadrature.hpp). Compiled in src/core/quadrature.cpp;
// included by quadrature.hpp in header-only mode, so they use the standard library only (EAP in
// the header-only estimate needs them).
#pragma once
#include <cmath>
#include <limits>

#include "dskill/core/quadrature.hpp"
#include "dskill/detail/format.hpp"
#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE

DSKILL_FUNC std::vector<double> grid_nodes(const grid_spec& grid) {
  if (grid.n < 1 || grid.n > max_grid_points)
    throw invalid_argument(detail::concat("a grid has 1 to ", max_grid_points, " points, got ", grid.n));
  std::vector<double> nodes(static_cast<std::size_t>(grid.n));
  if (grid.n == 1) {
    nodes[0] = grid.lo;
    return nodes;
  }
  const double step = (grid.hi - grid.lo) / (grid.n - 1);
  for (int i = 0; i < grid.n; ++i) nodes[static_cast<std::size_t>(i)] = grid.lo + step * i;
  nodes.back() = grid.hi;
  return nodes;
}

DSKILL_FUNC quadrature make_quadrature(const grid_spec& grid, const prior& p, integration_rule rule) {
  if (grid.n < 2 || grid.n > max_grid_points || !(grid.hi > grid.lo))
    throw invalid_argument(detail::concat("a quadrature grid needs 2 <= n <= 1000000 and hi > lo, got ", grid.lo, ':', grid.hi, ':', grid.n));
  quadrature q;
  q.nodes = grid_nodes(grid);
  const std::size_t n = q.nodes.size();
  q.weights.resize(n);
  switch (p.kind) {
    case prior_kind::normal:
      if (!(p.sd > 0) || !std::isfinite(p.mean))
        throw invalid_argument(detail::concat("a normal prior needs a finite mean and sd > 0, got mean ", p.mean, " sd ", p.sd));
      for (std::size_t i = 0; i < n; ++i) {
        const double z = (q.nodes[i] - p.mean) / p.sd;
        q.weights[i] = std::exp(-0.5 * z * z);
      }
      break;
    case prior_kind::uniform:
      for (auto& w : q.weights) w = 1.0;
      break;
    case prior_kind::custom:
      if (p.weights.size() != n)
        throw invalid_argument(detail::concat("custom prior has ", p.weights.size(), " weights for a grid of ", n, " nodes"));
      for (std::size_t i = 0; i < n; ++i) {
        if (!(p.weights[i] >= 0) || !std::isfinite(p.weights[i]))
          throw invalid_argument(detail::concat("custom prior weight ", i + 1, " is ", p.weights[i], "; weights must be finite and >= 0"));
        q.weights[i] = p.weights[i];
      }
      break;
  }
  if (rule == integration_rule::trapezoid) {
    q.weights.front() *= 0.5;
    q.weights.back() *= 0.5;
  }
  double total = 0.0;
  for (double w : q.weights) total += w;
  if (!(total > 0)) throw invalid_argument("prior weights sum to zero on the grid");
  q.log_weights.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    q.weights[i] /= total;
    q.log_weights[i] = q.weights[i] > 0 ? std::log(q.weights[i]) : -std::numeric_limits<double>::infinity();
  }
  return q;
}

DSKILL_END_NAMESPACE
