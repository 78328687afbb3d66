// core::rng: the streams are pinned. Snapshots store the generator's state and simulations are
// reproduced from a seed, so the raw stream and every mapping (uniform, normal, below) are a
// format: these literals were printed once by the implementation and must not change unless
// the change is announced (new snapshot format version, new golden files).
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <type_traits>

#include "dskill/cat/rng.hpp"
#include "dskill/core/rng.hpp"

using dskill::core::rng;

TEST_CASE("core rng: splitmix64 and xoshiro256** give the published reference outputs" * doctest::test_suite("core")) {
  // splitmix64 from seed 1234567 (Vigna's splitmix64.c; the values of Rosetta Code's
  // "Pseudo-random numbers/Splitmix64" task).
  std::uint64_t s = 1234567;
  for (const std::uint64_t want : {6457827717110365317ull, 3203168211198807973ull, 9817491932198370423ull,
                                   4593380528125082431ull, 16408922859458223821ull})
    CHECK(dskill::core::splitmix64(s) == want);
  // xoshiro256** from the state {1, 2, 3, 4} (Blackman & Vigna's reference xoshiro256starstar.c;
  // the same vector is in the test suite of Rust's rand_xoshiro).
  rng g;
  g.set_state({1, 2, 3, 4});
  for (const std::uint64_t want : {11520ull, 0ull, 1509978240ull, 1215971899390074240ull, 1216172134540287360ull,
                                   607988272756665600ull, 16172922978634559625ull, 8476171486693032832ull,
                                   10595114339597558777ull, 2904607092377533576ull})
    CHECK(g.next() == want);
}

namespace {
struct pinned_stream {
  std::uint64_t seed;
  std::array<std::uint64_t, 4> state;  // after seeding: four splitmix64 outputs
  std::array<std::uint64_t, 4> raw;
  std::array<double, 4> uniform;       // exact: 53 bits times 2^-53
  std::array<double, 4> normal;        // polar method: sqrt and log may differ in the last bits
  std::array<std::uint64_t, 8> below6;
  std::array<std::uint64_t, 4> below_1e9_7;
};

constexpr pinned_stream streams[] = {
    {12345,
     {0x22118258a9d111a0ull, 0x346edce5f713f8edull, 0x1e9a57bc80e6721dull, 0x2d160e7e5c3f42caull},
     {0xbe6a36374160d49bull, 0x214aaa0637a688c6ull, 0xf69d16de9954d388ull, 0x0c60048c4e96e033ull},
     {0x1.7cd46c6e82c1ap-1, 0x1.0a555031bd344p-3, 0x1.ed3a2dbd32a9ap-1, 0x1.8c009189d2dcp-5},
     {0.38264563425510895, 0.027694542068353228, -0.8245283486377718, -0.21394329608105755},
     {3, 4, 4, 5, 4, 4, 1, 4},
     {639732380, 415980252, 592176181, 637777355}},
    {20260101,
     {0xf2acd20ec0fad03aull, 0x2c482c33d2ab04c6ull, 0xc0fa83c1251e50b4ull, 0xc570b66e1b950bebull},
     {0x57e28e0407eb6adeull, 0xae12aadc7d2056a3ull, 0x007b518906d1df4full, 0x98342917c27b3aebull},
     {0x1.5f8a38101fadap-2, 0x1.5c2555b8fa40ap-1, 0x1.ed46241b476p-10, 0x1.3068522f84f67p-1},
     {-1.1295233683171542, -0.13366256553802966, 1.7851520553369116, 0.068083501828269485},
     {0, 1, 3, 5, 2, 0, 0, 1},
     {670759991, 346121227, 859220093, 805790244}},
};
}  // namespace

TEST_CASE("core rng: the first outputs for two seeds are pinned" * doctest::test_suite("core")) {
  for (const auto& p : streams) {
    CAPTURE(p.seed);
    CHECK(rng(p.seed).state() == p.state);
    {
      rng g(p.seed);
      for (auto want : p.raw) CHECK(g.next() == want);
    }
    {
      rng g(p.seed);
      for (double want : p.uniform) CHECK(g.uniform() == want);
    }
    {
      rng g(p.seed);
      for (double want : p.normal) CHECK(std::abs(g.normal() - want) <= 4e-16 * (1 + std::abs(want)));
    }
    {
      rng g(p.seed);
      for (auto want : p.below6) CHECK(g.below(6) == want);
    }
    {
      rng g(p.seed);
      for (auto want : p.below_1e9_7) CHECK(g.below(1000000007) == want);
    }
    // Reseeding restarts the stream; a copied state continues it.
    rng g(p.seed);
    g.next();
    rng h;
    h.set_state(g.state());
    CHECK(h.next() == p.raw[1]);
    g.reseed(p.seed);
    CHECK(g.next() == p.raw[0]);
  }
  CHECK(dskill::core::derive_seed(1, 2) == 0x63a5bffa7361d1e6ull);
  CHECK(dskill::core::derive_seed(1, 3) == 0x47e344c86f2213f8ull);
  CHECK(dskill::core::derive_seed(99, 0, 1) == 0x48eed25f1251f4a5ull);
}

TEST_CASE("core rng: below() is unbiased enough and streams differ by seed and index" * doctest::test_suite("core")) {
  rng g(12345);
  CHECK(g.next() == 0xbe6a36374160d49bull);  // (the stream the counts below have always used)
  int counts[5] = {};
  for (int i = 0; i < 50000; ++i) ++counts[g.below(5)];
  for (int c : counts) CHECK(std::abs(c - 10000) < 500);
  CHECK(dskill::core::derive_seed(1, 2) != dskill::core::derive_seed(1, 3));
  CHECK(dskill::core::derive_seed(1, 2) != dskill::core::derive_seed(2, 2));
}

TEST_CASE("core rng: cat::rng is the same generator (forwarding header)" * doctest::test_suite("core")) {
  static_assert(std::is_same_v<dskill::cat::rng, dskill::core::rng>);
  std::uint64_t a = 7, b = 7;
  CHECK(dskill::cat::splitmix64(a) == dskill::core::splitmix64(b));
  CHECK(dskill::cat::derive_seed(5, 6) == dskill::core::derive_seed(5, 6));
}
