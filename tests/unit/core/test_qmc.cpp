// core::halton_normal and its parts: the radical inverse, the bases, the shift modulo 1, and the
// checks on dimensions and sizes.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "dskill/core/normal.hpp"
#include "dskill/core/qmc.hpp"
#include "dskill/error.hpp"

using namespace dskill;

TEST_CASE("core::radical_inverse and halton_base") {
  CHECK(core::radical_inverse(1, 2) == 0.5);
  CHECK(core::radical_inverse(2, 2) == 0.25);
  CHECK(core::radical_inverse(3, 2) == 0.75);
  CHECK(core::radical_inverse(6, 2) == 0.375);  // 110 -> 0.011
  CHECK(core::radical_inverse(5, 3) == doctest::Approx(7.0 / 9.0).epsilon(1e-15));  // 12 -> 0.21
  CHECK(core::radical_inverse(0, 7) == 0.0);
  CHECK(core::halton_base(0) == 2);
  CHECK(core::halton_base(9) == 29);
  CHECK(core::halton_base(31) == 131);
  CHECK_THROWS_AS(core::halton_base(32), invalid_argument);
}

TEST_CASE("core::halton_normal: points 1..n through the normal quantile, shifted modulo 1") {
  const auto z = core::halton_normal(4, 3);
  REQUIRE(z.size() == 12);
  CHECK(z[0] == 0.0);  // Phi^-1(1/2)
  CHECK(z[1] == doctest::Approx(core::normal_quantile(1.0 / 3.0)));
  CHECK(z[3 * 3 + 2] == doctest::Approx(core::normal_quantile(0.8)));  // index 4 in base 5: 0.4
  const std::vector<double> shift = {0.75, 0.0, 0.5};
  const auto s = core::halton_normal(2, 3, shift);
  CHECK(s[0] == doctest::Approx(core::normal_quantile(0.25)));  // 0.5 + 0.75 - 1
  CHECK(s[2] == doctest::Approx(core::normal_quantile(0.7)));   // 0.2 + 0.5
  CHECK(s[3] == doctest::Approx(core::normal_quantile(1e-16)));  // 0.25 + 0.75 = 1 -> 0, kept at 1e-16
  std::vector<double> out(6);
  CHECK_THROWS_AS(core::halton_normal(out, 4), invalid_argument);
  CHECK_THROWS_AS(core::halton_normal(out, 0), invalid_argument);
  CHECK_THROWS_AS(core::halton_normal(out, 3, std::vector<double>{0.1}), invalid_argument);
  CHECK_THROWS_AS(core::halton_normal(1, 33), invalid_argument);
}
