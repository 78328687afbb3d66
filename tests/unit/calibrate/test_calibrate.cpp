// calibrate: MML-EM against mirt's 2PL reference (parameters, log-likelihood, Oakes SEs), the
// response-matrix reader, thread-count invariance.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "dskill/calibrate/calibrate.hpp"
#include "dskill/error.hpp"
#include "dskill/io/response_matrix.hpp"
#include "test_support.hpp"

using namespace dskill;

namespace {
constexpr double param_rmsd_tolerance = 0.01;  // issue 5: parameters vs mirt
constexpr double loglik_tolerance = 0.01;      // issue 5: log-likelihood vs mirt
constexpr double se_relative_tolerance = 0.03; // Oakes SEs vs mirt's Oakes SEs (numerical differences)

calibrate::problem make_problem(const io::response_matrix& m, irt::model kind) {
  calibrate::problem p;
  p.responses = m.cells.data();
  p.persons = m.persons();
  p.items = m.items();
  p.models.assign(m.items(), kind);
  return p;
}
}  // namespace

TEST_CASE("io: response matrix reads wide CSV with missing cells and reports bad cells" * doctest::test_suite("calibrate")) {
  const auto m = io::parse_response_matrix("person_id,a,b,c\np1,1,,0\np2,NA,2,1\n", "t.csv");
  CHECK(m.items() == 3);
  CHECK(m.persons() == 2);
  CHECK(m.at(0, 1) == -1);
  CHECK(m.at(1, 0) == -1);
  CHECK(m.at(1, 1) == 2);
  try {
    io::parse_response_matrix("person_id,a,b\np1,1,x\n", "t.csv");
    FAIL("no throw");
  } catch (const dskill::parse_error& e) {
    CHECK(e.where().row == 1);
    CHECK(e.where().item_id == "b");
    CHECK(e.where().file == "t.csv");
  }
  CHECK_THROWS_AS(io::parse_response_matrix("person_id,a,b\np1,1\n", "t.csv"), dskill::parse_error);
  CHECK_THROWS_AS(io::read_response_matrix("/nonexistent/file.csv"), dskill::io_error);
}

TEST_CASE("calibrate: 2PL EM agrees with mirt (parameters, log-likelihood, Oakes SEs)" * doctest::test_suite("calibrate")) {
  const auto ref = dskill_test::load_reference("calib_2PL_2000x30_mirt.json");
  const auto m = io::read_response_matrix(dskill_test::reference_path("data/calib_2PL_2000x30_responses.csv"));
  auto prob = make_problem(m, irt::model::two_pl);
  calibrate::options opts;
  opts.standard_errors = true;
  opts.tolerance = 1e-5;
  const auto res = calibrate::run(prob, opts);
  CHECK(res.converged);
  CHECK(std::abs(res.log_likelihood - ref.at("logLik").get<double>()) < loglik_tolerance);
  CHECK(std::abs(res.aic - ref.at("AIC").get<double>()) < 2 * loglik_tolerance);
  CHECK(std::abs(res.bic - ref.at("BIC").get<double>()) < 2 * loglik_tolerance);
  CHECK(res.parameters == ref.at("nest").get<int>());
  double ss = 0.0;
  int n = 0;
  const auto& est = ref.at("estimates_slope_intercept");
  for (std::size_t i = 0; i < m.items(); ++i) {
    const double a = est[i].at("a1"), d = est[i].at("d");
    ss += std::pow(res.items[i].params.slope - a, 2) + std::pow(res.items[i].params.intercepts[0] - d, 2);
    n += 2;
  }
  const double rmsd = std::sqrt(ss / n);
  MESSAGE("2PL parameter RMSD vs mirt: " << rmsd << ", logLik " << res.log_likelihood << " (mirt "
                                          << ref.at("logLik").get<double>() << "), iterations " << res.iterations);
  CHECK(rmsd < param_rmsd_tolerance);
  // Oakes SEs.
  double worst = 0.0;
  for (const auto& row : ref.at("estimates_with_SE")) {
    const std::string item = row.at("item");
    const std::size_t i = static_cast<std::size_t>(std::stoi(item.substr(1)) - 1);
    const double se = row.at("se");
    const double ours = row.at("par") == "a1" ? res.items[i].se_slope : res.items[i].se_intercepts[0];
    worst = std::max(worst, std::abs(ours / se - 1.0));
  }
  MESSAGE("largest relative SE difference vs mirt (Oakes): " << worst);
  CHECK(worst < se_relative_tolerance);
}

TEST_CASE("calibrate: results do not depend on the thread count" * doctest::test_suite("calibrate")) {
  const auto m = io::read_response_matrix(dskill_test::reference_path("data/calib_2PL_2000x30_responses.csv"));
  auto prob = make_problem(m, irt::model::two_pl);
  calibrate::options o1, o2;
  o1.threads = 1;
  o2.threads = 3;
  const auto r1 = calibrate::run(prob, o1), r2 = calibrate::run(prob, o2);
  CHECK(r1.log_likelihood == r2.log_likelihood);
  for (std::size_t i = 0; i < m.items(); ++i) CHECK(r1.items[i].params == r2.items[i].params);
}
