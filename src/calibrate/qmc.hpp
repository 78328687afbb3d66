// Internal: quasi-Monte Carlo normal points for QMC-EM (Halton sequence through the normal
// quantile), deterministic and the same on every platform.
#pragma once
#include <cmath>
#include <cstddef>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate::detail {

/// The standard normal quantile, Acklam's rational approximation refined by one Halley step on
/// erfc (relative error near machine precision on (0, 1)).
inline double normal_quantile(double p) noexcept {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01,  -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  constexpr double lo = 0.02425, hi = 1 - lo;
  double x;
  if (p < lo) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= hi) {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // Halley refinement.
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2 * 3.14159265358979323846) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

/// n points of the Halton sequence in `dims` dimensions (bases the first primes), starting at
/// index 1 (the origin is left out), mapped through the normal quantile: row-major n x dims.
inline std::vector<double> halton_normal(std::size_t n, std::size_t dims) {
  static constexpr unsigned primes[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53};
  std::vector<double> out(n * dims);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t d = 0; d < dims; ++d) {
      const unsigned base = primes[d % 16];
      double f = 1.0, r = 0.0;
      std::size_t k = i + 1;
      while (k > 0) {
        f /= base;
        r += f * static_cast<double>(k % base);
        k /= base;
      }
      out[i * dims + d] = normal_quantile(r);
    }
  return out;
}

}  // namespace calibrate::detail
DSKILL_END_NAMESPACE
