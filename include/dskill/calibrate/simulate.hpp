// dskill::calibrate: simulation of response data with known parameters, for recovery studies,
// tests and benchmarks. Deterministic: the same seed gives the same data on every platform
// (mt19937_64 with explicit conversions, no std distributions).
#pragma once
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "dskill/irt/kernels.hpp"
#include "dskill/irt/model.hpp"

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

}  // namespace calibrate
DSKILL_END_NAMESPACE
