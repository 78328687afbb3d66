#include "dskill/core/quadrature.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE

namespace {
bool parse_double(std::string_view s, double& out) {
  if (s.empty()) return false;
  const char* first = s.data();
  if (*first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, s.data() + s.size(), out);
  return ec == std::errc{} && ptr == s.data() + s.size() && std::isfinite(out);
}
}  // namespace

grid_spec parse_grid(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return invalid_argument(fmt::format("bad grid '{}': {} (expected LO:HI:N, for example -6:6:121)", text, why));
  };
  const auto c1 = text.find(':');
  const auto c2 = c1 == std::string_view::npos ? c1 : text.find(':', c1 + 1);
  if (c2 == std::string_view::npos) throw bad("needs three fields");
  grid_spec g;
  double n = 0;
  if (!parse_double(text.substr(0, c1), g.lo) || !parse_double(text.substr(c1 + 1, c2 - c1 - 1), g.hi) ||
      !parse_double(text.substr(c2 + 1), n))
    throw bad("fields must be numbers");
  if (!(g.hi > g.lo)) throw bad("HI must be greater than LO");
  if (n < 2 || n > 1e6 || n != std::floor(n)) throw bad("N must be a whole number from 2 to 1000000");
  g.n = static_cast<int>(n);
  return g;
}

std::vector<double> grid_nodes(const grid_spec& grid) {
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

quadrature make_quadrature(const grid_spec& grid, const prior& p, integration_rule rule) {
  if (grid.n < 2 || !(grid.hi > grid.lo))
    throw invalid_argument(fmt::format("a quadrature grid needs n >= 2 and hi > lo, got {}:{}:{}", grid.lo, grid.hi, grid.n));
  quadrature q;
  q.nodes = grid_nodes(grid);
  const std::size_t n = q.nodes.size();
  q.weights.resize(n);
  switch (p.kind) {
    case prior_kind::normal:
      if (!(p.sd > 0) || !std::isfinite(p.mean))
        throw invalid_argument(fmt::format("a normal prior needs a finite mean and sd > 0, got mean {} sd {}", p.mean, p.sd));
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
        throw invalid_argument(fmt::format("custom prior has {} weights for a grid of {} nodes", p.weights.size(), n));
      for (std::size_t i = 0; i < n; ++i) {
        if (!(p.weights[i] >= 0) || !std::isfinite(p.weights[i]))
          throw invalid_argument(fmt::format("custom prior weight {} is {}; weights must be finite and >= 0", i + 1, p.weights[i]));
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
