// dskill::core: a small portable random number generator.
//
// xoshiro256** (Blackman & Vigna 2018) seeded through splitmix64, with our own mappings to
// uniform doubles and bounded integers: the same seed gives the same stream on every compiler
// and standard library (std:: distributions differ between them). Its state is four 64-bit
// words, which keeps sessions and their snapshots small (std::mt19937_64 would be 2.5 KB).
//
// The streams are a format: CAT snapshots store the state, simulations are reproduced from a
// seed. tests/unit/core/test_rng.cpp pins them (raw, uniform, normal, below) against literals
// and the published splitmix64 / xoshiro256** reference outputs; a change must be deliberate.
#pragma once
#include <array>
#include <cmath>
#include <cstdint>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace core {

/// splitmix64 step: also a good 64-bit mixer for deriving seeds.
constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// A seed for stream `index` derived from a master seed (simulation: one stream per examinee,
/// so results do not depend on how examinees are spread over threads).
constexpr std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t index, std::uint64_t purpose = 0) noexcept {
  std::uint64_t s = seed ^ (purpose * 0xD1B54A32D192ED03ull);
  std::uint64_t a = splitmix64(s);
  std::uint64_t t = a ^ (index * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull);
  return splitmix64(t);
}

class rng {
 public:
  using state_type = std::array<std::uint64_t, 4>;
  explicit rng(std::uint64_t seed = 0) noexcept { reseed(seed); }
  void reseed(std::uint64_t seed) noexcept {
    for (auto& w : s_) w = splitmix64(seed);
  }
  /// Next 64 random bits.
  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform double in [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform integer in [0, n) without modulo bias (reject the short first block). n > 0.
  std::uint64_t below(std::uint64_t n) noexcept {
    const std::uint64_t threshold = (0 - n) % n;
    for (;;) {
      const std::uint64_t r = next();
      if (r >= threshold) return r % n;
    }
  }
  /// Standard normal deviate (Marsaglia polar method on uniform()).
  double normal() noexcept {
    for (;;) {
      const double u = 2.0 * uniform() - 1.0, v = 2.0 * uniform() - 1.0;
      const double s = u * u + v * v;
      if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * std::log(s) / s);
    }
  }
  const state_type& state() const noexcept { return s_; }
  void set_state(const state_type& s) noexcept { s_ = s; }
  friend bool operator==(const rng&, const rng&) = default;

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  state_type s_{};
};

}  // namespace core
DSKILL_END_NAMESPACE
