// dskill::calibrate: simulation of response data with known parameters, for recovery studies,
// tests and benchmarks. Deterministic: the same seed gives the same data on every platform
// (mt19937_64 with explicit conversions, no std distributions).
#pragma once
#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "dskill/irt/kernels.hpp"
#include "dskill/irt/model.hpp"
#include "dskill/irt/multidim.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate {

/// A portable random source: uniform in [0, 1) from 53 bits, standard normal by Box-Muller.
class portable_rng {
 public:
  explicit portable_rng(std::uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u1 = uniform();
    while (u1 <= 0.0) u1 = uniform();
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(6.283185307179586 * u2);
    has_spare_ = true;
    return r * std::cos(6.283185307179586 * u2);
  }

 private:
  std::mt19937_64 engine_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

/// Responses (persons x items, row-major) drawn from the items at the given abilities.
inline std::vector<std::int8_t> simulate_responses(std::span<const irt::item_params> items,
                                                   std::span<const double> thetas, std::uint64_t seed) {
  portable_rng rng(seed);
  std::vector<std::int8_t> out(thetas.size() * items.size());
  double p[irt::max_categories];
  for (std::size_t n = 0; n < thetas.size(); ++n)
    for (std::size_t i = 0; i < items.size(); ++i) {
      irt::probabilities(items[i], thetas[n], p);
      const double u = rng.uniform();
      double acc = 0.0;
      int k = 0;
      const int K = items[i].categories();
      for (; k < K - 1; ++k) {
        acc += p[k];
        if (u < acc) break;
      }
      out[n * items.size() + i] = static_cast<std::int8_t>(k);
    }
  return out;
}

/// Standard normal abilities.
inline std::vector<double> simulate_thetas(std::size_t n, std::uint64_t seed, double mean = 0.0, double sd = 1.0) {
  portable_rng rng(seed);
  std::vector<double> t(n);
  for (auto& x : t) x = mean + sd * rng.normal();
  return t;
}

/// Multivariate normal abilities, n x dims row-major, with the given correlation (or covariance)
/// matrix (dims x dims row-major, positive definite; its Cholesky factor times standard normals).
inline std::vector<double> simulate_thetas_mvn(std::size_t n, std::span<const double> cov, std::size_t dims,
                                               std::uint64_t seed) {
  std::vector<double> L(dims * dims, 0.0);
  for (std::size_t i = 0; i < dims; ++i)
    for (std::size_t j = 0; j <= i; ++j) {
      double s = cov[i * dims + j];
      for (std::size_t k = 0; k < j; ++k) s -= L[i * dims + k] * L[j * dims + k];
      L[i * dims + j] = i == j ? std::sqrt(s) : s / L[j * dims + j];
    }
  portable_rng rng(seed);
  std::vector<double> t(n * dims), z(dims);
  for (std::size_t p = 0; p < n; ++p) {
    for (auto& v : z) v = rng.normal();
    for (std::size_t i = 0; i < dims; ++i) {
      double v = 0.0;
      for (std::size_t k = 0; k <= i; ++k) v += L[i * dims + k] * z[k];
      t[p * dims + i] = v;
    }
  }
  return t;
}

/// Responses (persons x items) drawn from compensatory multidimensional items at the abilities
/// (persons x dims row-major, dims = the items' slope count).
inline std::vector<std::int8_t> simulate_responses(std::span<const irt::multidim_item> items,
                                                   std::span<const double> thetas, std::size_t dims,
                                                   std::uint64_t seed) {
  portable_rng rng(seed);
  const std::size_t persons = thetas.size() / dims;
  std::vector<std::int8_t> out(persons * items.size());
  double p[irt::max_categories];
  for (std::size_t n = 0; n < persons; ++n)
    for (std::size_t i = 0; i < items.size(); ++i) {
      double t = 0.0;
      for (std::size_t d = 0; d < dims; ++d) t += items[i].slopes[d] * thetas[n * dims + d];
      irt::probabilities(irt::unit_link(items[i].params), t, p);
      const double u = rng.uniform();
      double acc = 0.0;
      int k = 0;
      const int K = items[i].params.categories();
      for (; k < K - 1; ++k) {
        acc += p[k];
        if (u < acc) break;
      }
      out[n * items.size() + i] = static_cast<std::int8_t>(k);
    }
  return out;
}

}  // namespace calibrate
DSKILL_END_NAMESPACE
