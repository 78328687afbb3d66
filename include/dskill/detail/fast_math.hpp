// dskill::detail: a branch-free exp that compilers vectorise (std::exp is a library call that
// blocks vectorisation unless -ffast-math). Relative error below 2e-16 on [-708, 708].
#pragma once
#include <bit>
#include <cstddef>
#include <cstdint>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace detail {

/// exp(x) for x in [-708, 708] (callers clamp). Cody-Waite reduction x = n ln2 + r, |r| <= ln2/2,
/// then a degree-12 Taylor polynomial in Horner form and 2^n assembled in the exponent bits.
DSKILL_ALWAYS_INLINE double exp_vectorizable(double x) noexcept {
  constexpr double log2e = 1.4426950408889634;
  constexpr double ln2_hi = 6.93147180369123816490e-01;
  constexpr double ln2_lo = 1.90821492927058770002e-10;
  constexpr double shifter = 6755399441055744.0;  // 1.5 * 2^52: rounds to nearest integer
  const double t = x * log2e + shifter;
  const double n = t - shifter;
  const double r = (x - n * ln2_hi) - n * ln2_lo;
  double p = 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // The low 32 bits of t hold n (two's complement); put n + 1023 into the exponent field.
  const std::int64_t bits = (std::bit_cast<std::int64_t>(t) + 1023) << 52;
  return p * std::bit_cast<double>(bits);
}

/// Exponentiates n log-values in place relative to their maximum m (each x - m clamped at
/// -700, so nothing underflows to a denormal) and returns m; `sum` receives the sum of the
/// results, so the log of the total is m + log(sum). The E-steps' posterior normalisation.
DSKILL_ALWAYS_INLINE double exp_relative_to_max(double* DSKILL_RESTRICT v, std::size_t n, double& sum) noexcept {
  double m = v[0];
  for (std::size_t i = 1; i < n; ++i) m = v[i] > m ? v[i] : m;
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    double x = v[i] - m;
    x = x < -700.0 ? -700.0 : x;
    v[i] = exp_vectorizable(x);
    s += v[i];
  }
  sum = s;
  return m;
}

}  // namespace detail
DSKILL_END_NAMESPACE
