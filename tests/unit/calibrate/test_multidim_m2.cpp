// calibrate::multidim::m2 (Maydeu-Olivares & Joe) against a brute-force computation from the
// full multinomial: on 6 items every response pattern's probability is integrated on the same
// grid, the first- and second-order margins are T2 p, their covariance T2 (diag p - p p') T2',
// their derivatives T2 times the pattern probabilities' central differences (items and
// correlation), and M2 = N e' (Xi^-1 - Xi^-1 D (D' Xi^-1 D)^-1 D' Xi^-1) e by explicit inverses.
#include <doctest/doctest.h>

#include <cmath>
#include <iomanip>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "dskill/calibrate/fit.hpp"
#include "dskill/calibrate/multidim.hpp"
#include "dskill/calibrate/simulate.hpp"
#include "dskill/error.hpp"

using namespace dskill;
namespace md = calibrate::multidim;

namespace {

struct small_case {
  std::vector<irt::multidim_item> truth;
  std::vector<irt::model> models;
  std::vector<std::int8_t> y;
  std::size_t persons = 1500;
  small_case() {
    // F1: items 1-4, F2: items 3-6 (3 and 4 on both), item 6 a 3PL.
    const double a1[] = {1.2, 1.5, 0.9, 1.0, 0.0, 0.0}, a2[] = {0.0, 0.0, 0.8, 1.1, 1.4, 1.3};
    const double d[] = {0.5, -0.3, 0.2, 0.8, -0.6, 0.1};
    for (int i = 0; i < 6; ++i) {
      irt::multidim_item it;
      it.params.kind = i == 5 ? irt::model::three_pl : irt::model::two_pl;
      it.params.intercepts = {d[i]};
      if (i == 5) it.params.lower = 0.15;
      it.slopes = {a1[i], a2[i]};
      truth.push_back(it);
      models.push_back(it.params.kind);
    }
    const std::vector<double> R = {1.0, 0.4, 0.4, 1.0};
    y = calibrate::simulate_responses(truth, calibrate::simulate_thetas_mvn(persons, R, 2, 4242), 2, 4243);
  }
  md::problem problem(const char* syntax) const {
    md::problem p;
    p.responses = y.data();
    p.persons = persons;
    p.items = 6;
    p.models = models;
    p.factors = md::parse_structure(syntax, 6);
    return p;
  }
};

// Pattern probabilities (64) on mirt's 31-point grid over 2 dimensions, weights the normal
// density with correlation rho normalised over the grid (as the EM and m2 integrate).
std::vector<double> pattern_probabilities(const std::vector<irt::multidim_item>& items, double rho) {
  const int n1 = 31;
  std::vector<double> x(n1);
  for (int k = 0; k < n1; ++k) x[static_cast<std::size_t>(k)] = -6.0 + 12.0 * k / (n1 - 1);
  std::vector<double> w, p(64, 0.0);
  double top = -1e300;
  for (int a = 0; a < n1; ++a)
    for (int b = 0; b < n1; ++b) {
      const double u = x[static_cast<std::size_t>(a)], v = x[static_cast<std::size_t>(b)];
      w.push_back(-0.5 * (u * u - 2 * rho * u * v + v * v) / (1 - rho * rho));
      top = std::max(top, w.back());
    }
  double sum = 0.0;
  for (double& v : w) sum += (v = std::exp(v - top));
  std::size_t q = 0;
  for (int a = 0; a < n1; ++a)
    for (int b = 0; b < n1; ++b, ++q) {
      double P[6];
      for (std::size_t i = 0; i < 6; ++i) {
        const auto& it = items[i];
        const double a2 = it.slopes.size() > 1 ? it.slopes[1] : 0.0;  // a one-factor model: no second slope
        const double t = it.slopes[0] * x[static_cast<std::size_t>(a)] + a2 * x[static_cast<std::size_t>(b)] +
                         it.params.intercepts[0];
        P[i] = it.params.lower + (it.params.upper - it.params.lower) / (1 + std::exp(-t));
      }
      for (int pat = 0; pat < 64; ++pat) {
        double l = w[q] / sum;
        for (int i = 0; i < 6; ++i) l *= (pat >> i) & 1 ? P[i] : 1 - P[i];
        p[static_cast<std::size_t>(pat)] += l;
      }
    }
  return p;
}

double brute_force_m2(const small_case& c, const md::problem& prob, const md::result& res, double& df) {
  using Matrix = Eigen::MatrixXd;
  using Vector = Eigen::VectorXd;
  std::vector<irt::multidim_item> items;
  for (const auto& e : res.items) items.push_back(e.item);
  const double rho = res.dimensions == 2 ? res.correlation[1] : 0.0;  // one factor: the second is integrated out
  // T2: 6 singles, then 15 pairs (i < j), over the 64 patterns.
  Matrix T(21, 64);
  for (int pat = 0; pat < 64; ++pat) {
    int r = 0;
    for (int i = 0; i < 6; ++i) T(r++, pat) = (pat >> i) & 1;
    for (int i = 0; i < 6; ++i)
      for (int j = i + 1; j < 6; ++j) T(r++, pat) = ((pat >> i) & 1) * ((pat >> j) & 1);
  }
  const auto pv = pattern_probabilities(items, rho);
  const Vector p = Eigen::Map<const Vector>(pv.data(), 64);
  Vector obs = Vector::Zero(64);
  for (std::size_t n = 0; n < c.persons; ++n) {
    int pat = 0;
    for (int i = 0; i < 6; ++i) pat |= c.y[n * 6 + static_cast<std::size_t>(i)] << i;
    obs(pat) += 1.0 / static_cast<double>(c.persons);
  }
  const Matrix Xi = T * (Matrix(p.asDiagonal()) - p * p.transpose()) * T.transpose();
  // Free parameters: every slope on a loading, every intercept, c of the 3PL, the correlation.
  std::vector<Vector> cols;
  const double h = 1e-5;
  auto add = [&](auto&& set) {
    auto up = items, down = items;
    set(up, h);
    set(down, -h);
    const auto pu = pattern_probabilities(up, rho), pd = pattern_probabilities(down, rho);
    cols.push_back(T * ((Eigen::Map<const Vector>(pu.data(), 64) - Eigen::Map<const Vector>(pd.data(), 64)) / (2 * h)));
  };
  for (std::size_t i = 0; i < 6; ++i) {
    for (int f : prob.factors.loadings[i]) add([&](auto& it, double e) { it[i].slopes[static_cast<std::size_t>(f)] += e; });
    add([&](auto& it, double e) { it[i].params.intercepts[0] += e; });
    if (items[i].params.kind == irt::model::three_pl) add([&](auto& it, double e) { it[i].params.lower += e; });
  }
  if (!prob.factors.free_correlations.empty()) {
    const auto pu = pattern_probabilities(items, rho + h), pd = pattern_probabilities(items, rho - h);
    cols.push_back(T * ((Eigen::Map<const Vector>(pu.data(), 64) - Eigen::Map<const Vector>(pd.data(), 64)) / (2 * h)));
  }
  Matrix D(21, static_cast<Eigen::Index>(cols.size()));
  for (std::size_t k = 0; k < cols.size(); ++k) D.col(static_cast<Eigen::Index>(k)) = cols[k];
  const Matrix Xinv = Xi.inverse();
  const Matrix C = Xinv - Xinv * D * (D.transpose() * Xinv * D).inverse() * D.transpose() * Xinv;
  const Vector e = T * (obs - p);
  df = 21.0 - static_cast<double>(cols.size());
  return static_cast<double>(c.persons) * e.dot(C * e);
}

}  // namespace

TEST_CASE("calibrate::multidim::m2 equals the brute-force M2 from the full multinomial") {
  const small_case c;
  for (const char* syntax : {"F1 = 1-4; F2 = 3-6; COV = F1*F2", "F1 = 1-6"}) {
    CAPTURE(syntax);
    const auto prob = c.problem(syntax);
    md::options o;
    o.tolerance = 1e-6;
    const auto res = md::run(prob, o);
    REQUIRE(res.converged);
    const auto fit = md::m2(prob, res);
    double df = 0.0;
    const double brute = brute_force_m2(c, prob, res, df);
    CHECK(fit.df == df);
    CHECK(fit.parameters == static_cast<std::size_t>(res.parameters));
    CHECK(fit.moments == 21);
    CHECK(fit.statistic == doctest::Approx(brute).epsilon(1e-6));  // finite differences vs analytic derivatives
    CHECK(fit.p == doctest::Approx(calibrate::chi_square_upper(brute, df)).epsilon(1e-5));
    MESSAGE(std::string(syntax) << ": M2 " << std::setprecision(10) << fit.statistic << " (brute force " << brute << "), df " << fit.df << ", p " << fit.p
                   << ", RMSEA " << fit.rmsea << ", SRMSR " << fit.srmsr);
    if (prob.factors.factors == 2) {
      CHECK(fit.p > 0.01);  // the generating structure fits
    } else {
      CHECK(fit.p < 1e-6);  // one factor for two (correlation 0.4) does not
      CHECK(fit.rmsea > 0.05);
    }
  }
}

TEST_CASE("calibrate::multidim::m2 refuses what it does not cover") {
  const small_case c;
  auto prob = c.problem("F1 = 1-4; F2 = 3-6; COV = F1*F2");
  md::options o;
  o.max_iterations = 3;
  const auto res = md::run(prob, o);
  auto y = c.y;
  y[7] = -1;
  prob.responses = y.data();
  CHECK_THROWS_AS(md::m2(prob, res), invalid_argument);  // a missing response
  prob.responses = c.y.data();
  auto poly = res;
  poly.items[0].item.params.kind = irt::model::grm;
  CHECK_THROWS_AS(md::m2(prob, poly), invalid_argument);
}
