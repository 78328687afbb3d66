// calibrate: 1PL/Rasch standard errors from the full information matrix, common slope (latent
// SD) included. LSAT6 (Bock & Lieberman 1970; 1000 persons, 5 items) against ltm's
// rasch(LSAT) with the discrimination estimated (Rizopoulos 2006), and against a numerical
// Hessian of the marginal log-likelihood computed here, independently of the library.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "dskill/calibrate/calibrate.hpp"

using namespace dskill;

namespace {
// The 30 observed patterns of LSAT6 (items 1..5) and their frequencies; 01010 and 01100 have none.
struct pattern {
  const char* x;
  int n;
};
constexpr pattern lsat6[] = {
    {"00000", 3},   {"00001", 6},  {"00010", 2},  {"00011", 11}, {"00100", 1},  {"00101", 1},  {"00110", 3},
    {"00111", 4},   {"01000", 1},  {"01001", 8},  {"01011", 16}, {"01101", 3},  {"01110", 2},  {"01111", 15},
    {"10000", 10},  {"10001", 29}, {"10010", 14}, {"10011", 81}, {"10100", 3},  {"10101", 28}, {"10110", 15},
    {"10111", 80},  {"11000", 16}, {"11001", 56}, {"11010", 21}, {"11011", 173}, {"11100", 11}, {"11101", 61},
    {"11110", 28},  {"11111", 298}};
constexpr int J = 5;

// ltm 1.x, summary(rasch(LSAT)): difficulties and the common discrimination, with SEs (4 decimals).
constexpr std::array<double, J> ltm_b = {-3.6153, -1.3224, -0.3176, -1.7301, -2.7802};
constexpr std::array<double, J> ltm_se_b = {0.3266, 0.1422, 0.0977, 0.1691, 0.2510};
constexpr double ltm_a = 0.7551, ltm_se_a = 0.0694;
constexpr double ltm_loglik = -2466.938;

// Published values are rounded to 4 decimals and come from a 21-point Gauss-Hermite rule.
constexpr double estimate_tolerance = 1e-3;
constexpr double se_tolerance = 1e-3;
// The numerical Hessian here and the library's Oakes identity are two computations of the same
// matrix; they agree to the finite-difference error.
constexpr double method_relative_tolerance = 2e-3;

std::vector<std::int8_t> lsat6_matrix() {
  std::vector<std::int8_t> m;
  for (const auto& p : lsat6)
    for (int r = 0; r < p.n; ++r)
      for (int i = 0; i < J; ++i) m.push_back(static_cast<std::int8_t>(p.x[i] - '0'));
  return m;
}

// Marginal log-likelihood of LSAT6 under z = a theta + d_i, theta ~ N(0, 1), by a 201-point
// rectangle rule on [-10, 10] (exact for this integrand to far below the tolerances).
double marginal_loglik(const std::array<double, J + 1>& p) {
  constexpr int Q = 201;
  double total = 0.0;
  for (const auto& pat : lsat6) {
    double sum = 0.0, wsum = 0.0;
    for (int q = 0; q < Q; ++q) {
      const double theta = -10.0 + 20.0 * q / (Q - 1);
      const double w = std::exp(-0.5 * theta * theta);
      double like = 1.0;
      for (int i = 0; i < J; ++i) {
        const double pr = 1.0 / (1.0 + std::exp(-(p[0] * theta + p[static_cast<std::size_t>(i) + 1])));
        like *= pat.x[i] == '1' ? pr : 1.0 - pr;
      }
      sum += w * like;
      wsum += w;
    }
    total += pat.n * std::log(sum / wsum);
  }
  return total;
}

// Covariance = inverse of minus the numerical Hessian at p (central differences, Gauss-Jordan).
std::array<std::array<double, J + 1>, J + 1> numerical_covariance(const std::array<double, J + 1>& p) {
  constexpr int n = J + 1;
  constexpr double h = 1e-3;
  std::array<std::array<double, 2 * n>, n> m{};
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      auto at = [&](double dr, double dc) {
        auto q = p;
        q[static_cast<std::size_t>(r)] += dr;
        q[static_cast<std::size_t>(c)] += dc;
        return marginal_loglik(q);
      };
      const double d2 = (at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4 * h * h);
      m[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] = -d2;
      m[static_cast<std::size_t>(r)][static_cast<std::size_t>(n + r)] = 1.0;
    }
  for (std::size_t c = 0; c < n; ++c) {  // no pivoting needed: the matrix is positive definite
    const double piv = m[c][c];
    for (auto& v : m[c]) v /= piv;
    for (std::size_t r = 0; r < n; ++r) {
      if (r == c) continue;
      const double f = m[r][c];
      for (std::size_t k = 0; k < 2 * n; ++k) m[r][k] -= f * m[c][k];
    }
  }
  std::array<std::array<double, n>, n> v{};
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < n; ++c) v[r][c] = m[r][n + c];
  return v;
}

calibrate::result run_lsat6(bool rescale) {
  static const auto cells = lsat6_matrix();
  calibrate::problem prob;
  prob.responses = cells.data();
  prob.persons = 1000;
  prob.items = J;
  prob.models.assign(J, irt::model::one_pl);
  calibrate::options opts;
  opts.standard_errors = true;
  opts.tolerance = 1e-7;
  opts.rescale_rasch = rescale;
  return calibrate::run(prob, opts);
}
}  // namespace

TEST_CASE("calibrate: 1PL with estimated common slope on LSAT6 matches ltm's estimates and SEs" *
          doctest::test_suite("calibrate")) {
  const auto res = run_lsat6(true);
  REQUIRE(res.converged);
  REQUIRE(res.se_positive_definite);
  CHECK(std::abs(res.log_likelihood - ltm_loglik) < estimate_tolerance);
  for (std::size_t i = 0; i < J; ++i) {
    const auto& e = res.items[i];
    const double a = e.params.slope, b = -e.params.intercepts[0] / a;
    INFO("item " << i + 1 << ": a " << a << " (" << e.se_slope << "), b " << b << " (" << e.se_b[0] << ")");
    CHECK(std::abs(a - ltm_a) < estimate_tolerance);
    CHECK(std::abs(b - ltm_b[i]) < estimate_tolerance);
    CHECK(std::abs(e.se_slope - ltm_se_a) < se_tolerance);
    CHECK(std::abs(e.se_b[0] - ltm_se_b[i]) < se_tolerance);
  }
  CHECK(res.se_latent_sd_rasch == doctest::Approx(res.items[0].se_slope).epsilon(1e-12));
}

TEST_CASE("calibrate: 1PL SEs equal those of a numerical Hessian of the marginal log-likelihood" *
          doctest::test_suite("calibrate")) {
  const auto res = run_lsat6(true);
  REQUIRE(res.se_positive_definite);
  std::array<double, J + 1> p{};
  p[0] = res.items[0].params.slope;
  for (std::size_t i = 0; i < J; ++i) p[i + 1] = res.items[i].params.intercepts[0];
  const auto V = numerical_covariance(p);
  const double a = p[0];
  CHECK(res.items[0].se_slope == doctest::Approx(std::sqrt(V[0][0])).epsilon(method_relative_tolerance));
  for (std::size_t i = 0; i < J; ++i) {
    // b = -d / a: gradient (d / a^2, -1 / a) over (a, d).
    const double d = p[i + 1], ga = d / (a * a), gd = -1.0 / a;
    const double var_b = ga * ga * V[0][0] + 2 * ga * gd * V[0][i + 1] + gd * gd * V[i + 1][i + 1];
    INFO("item " << i + 1);
    CHECK(res.items[i].se_b[0] == doctest::Approx(std::sqrt(var_b)).epsilon(method_relative_tolerance));
    CHECK(res.items[i].se_intercepts[0] == doctest::Approx(std::sqrt(V[i + 1][i + 1])).epsilon(method_relative_tolerance));
  }

  // Rasch parameterisation (slopes 1, latent SD estimated): the same model, so the intercepts,
  // their SEs and the latent SD's SE are the same numbers.
  const auto rasch = run_lsat6(false);
  REQUIRE(rasch.se_positive_definite);
  CHECK(rasch.latent_sd_rasch == doctest::Approx(ltm_a).epsilon(estimate_tolerance / ltm_a));
  CHECK(rasch.se_latent_sd_rasch == doctest::Approx(std::sqrt(V[0][0])).epsilon(method_relative_tolerance));
  REQUIRE(rasch.groups.size() == 1);
  CHECK(rasch.groups[0].sd == doctest::Approx(rasch.latent_sd_rasch));
  CHECK(rasch.groups[0].se_sd == doctest::Approx(rasch.se_latent_sd_rasch));
  for (std::size_t i = 0; i < J; ++i) {
    const auto& e = rasch.items[i];
    INFO("item " << i + 1);
    CHECK(e.params.slope == 1.0);
    CHECK(e.params.intercepts[0] == doctest::Approx(p[i + 1]).epsilon(1e-4));
    CHECK(e.se_intercepts[0] == doctest::Approx(std::sqrt(V[i + 1][i + 1])).epsilon(method_relative_tolerance));
    CHECK(e.se_b[0] == doctest::Approx(e.se_intercepts[0]).epsilon(1e-12));
    CHECK(std::isnan(e.se_slope));
  }
}
