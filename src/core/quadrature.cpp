#include "dskill/core/quadrature.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "dskill/core/quadrature-inl.hpp"
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

grid_text parse_grid_text(std::string_view text, grid_whole_number whole, std::string_view what) {
  const auto bad = [&](std::string_view why) {
    // A bare whole number is a STEP in step mode, so there the count form cannot be written.
    return invalid_argument(fmt::format("bad {} '{}': {} (expected {})", what, text, why,
                                        whole == grid_whole_number::count ? "LO:HI:N or LO:HI:STEP, for example -6:6:121"
                                                                          : "LO:HI:STEP, for example -4:4:0.5"));
  };
  const auto c1 = text.find(':');
  const auto c2 = c1 == std::string_view::npos ? c1 : text.find(':', c1 + 1);
  if (c2 == std::string_view::npos || text.find(':', c2 + 1) != std::string_view::npos) throw bad("needs three fields");
  grid_text g;
  const std::string_view third = text.substr(c2 + 1);
  double value = 0;
  if (!parse_double(text.substr(0, c1), g.lo) || !parse_double(text.substr(c1 + 1, c2 - c1 - 1), g.hi) ||
      !parse_double(third, value))
    throw bad("fields must be numbers");
  g.by_step = whole == grid_whole_number::step || third.find_first_of(".eE") != std::string_view::npos;
  if (g.by_step) {
    if (!(g.hi >= g.lo)) throw bad("HI must not be below LO");
    if (!(value > 0)) throw bad("STEP must be > 0");
    // Points LO, LO+STEP, ... up to HI; the small slack keeps HI when STEP does not divide
    // exactly in binary (0.1 steps).
    const double span = (g.hi - g.lo) / value;
    if (span > 1e6) throw bad("more than a million points");
    g.step = value;
    g.count = static_cast<std::size_t>(std::floor(span + 1e-9)) + 1;
    return g;
  }
  if (!(g.hi > g.lo)) throw bad("HI must be greater than LO");
  if (value < 2 || value > 1e6 || value != std::floor(value)) throw bad("N must be a whole number from 2 to 1000000");
  g.count = static_cast<std::size_t>(value);
  g.step = (g.hi - g.lo) / (value - 1);
  return g;
}

grid_spec parse_grid(std::string_view text) {
  const grid_text t = parse_grid_text(text);
  grid_spec g;
  g.lo = t.lo;
  g.hi = t.hi;
  if (t.by_step) {
    if (t.count < 2)
      throw invalid_argument(fmt::format("bad grid '{}': a quadrature grid needs at least two points", text));
    g.hi = t.lo + t.step * static_cast<double>(t.count - 1);
  }
  g.n = static_cast<int>(t.count);
  return g;
}

DSKILL_END_NAMESPACE
