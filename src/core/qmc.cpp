#include "dskill/core/qmc.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "dskill/core/normal.hpp"
#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace core {

namespace {
constexpr std::array<unsigned, max_halton_dimensions> primes = {2,  3,  5,  7,  11, 13, 17, 19, 23, 29, 31,
                                                               37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79,
                                                               83, 89, 97, 101, 103, 107, 109, 113, 127, 131};
}  // namespace

unsigned halton_base(std::size_t d) {
  if (d >= max_halton_dimensions)
    throw invalid_argument(fmt::format("Halton points: dimension {} is beyond the {} supported", d + 1, max_halton_dimensions));
  return primes[d];
}

double radical_inverse(std::uint64_t index, unsigned base) noexcept {
  const double inverse_base = 1.0 / base;
  double factor = inverse_base, out = 0.0;
  while (index > 0) {
    out += static_cast<double>(index % base) * factor;
    index /= base;
    factor *= inverse_base;
  }
  return out;
}

void halton_normal(std::span<double> out, std::size_t dims, std::span<const double> shift) {
  if (dims == 0 || dims > max_halton_dimensions)
    throw invalid_argument(fmt::format("Halton points: 1 to {} dimensions, got {}", max_halton_dimensions, dims));
  if (out.size() % dims != 0) throw invalid_argument("Halton points: the output size is not a multiple of the dimensions");
  if (!shift.empty() && shift.size() != dims) throw invalid_argument("Halton points: the shift needs one entry per dimension");
  const std::size_t n = out.size() / dims;
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t d = 0; d < dims; ++d) {
      double u = radical_inverse(j + 1, primes[d]);
      if (!shift.empty()) {
        u += shift[d];
        u -= std::floor(u);
      }
      out[j * dims + d] = normal_quantile(std::clamp(u, 1e-16, 1.0 - 1e-16));
    }
}

std::vector<double> halton_normal(std::size_t n, std::size_t dims, std::span<const double> shift) {
  std::vector<double> out(n * dims);
  halton_normal(out, dims, shift);
  return out;
}

}  // namespace core
DSKILL_END_NAMESPACE
