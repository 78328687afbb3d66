// calibrate: S-X2 (tables, collapsing, statistics) and person fit (Zh, infit, outfit) against
// mirt on the 2PL reference data; lz* properties; item infit/outfit.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "dskill/calibrate/calibrate.hpp"
#include "dskill/calibrate/fit.hpp"
#include "dskill/calibrate/simulate.hpp"
#include "dskill/error.hpp"
#include "dskill/io/response_matrix.hpp"
#include "test_support.hpp"

using namespace dskill;

namespace {
constexpr double table_tolerance = 1e-6;     // expected counts vs mirt (same parameters)
constexpr double statistic_tolerance = 1e-6; // S-X2 vs mirt (same parameters)
constexpr double person_tolerance = 1e-4;    // Zh, infit, outfit vs mirt (EAP theta to ~1e-6)

std::vector<irt::item_params> mirt_items(const nlohmann::json& est) {
  std::vector<irt::item_params> items;
  for (const auto& e : est) {
    irt::item_params p;
    p.kind = irt::model::two_pl;
    p.slope = e.at("a1");
    p.intercepts = {e.at("d").get<double>()};
    items.push_back(p);
  }
  return items;
}
}  // namespace

TEST_CASE("fit: S-X2 tables, collapsing and statistics agree with mirt" * doctest::test_suite("calibrate")) {
  const auto ref = dskill_test::load_reference("fit_2PL_2000x30_mirt.json").at("mirt_2PL_2000x30");
  const auto m = io::read_response_matrix(dskill_test::reference_path("data/calib_2PL_2000x30_responses.csv"));
  const auto items = mirt_items(ref.at("estimates_slope_intercept"));
  calibrate::sx2_options o;
  o.keep_tables = true;
  const auto sx = calibrate::s_x2({m.cells.data(), m.persons(), items}, o);
  REQUIRE(sx.size() == 30);
  double worst_e = 0, worst_stat = 0;
  for (std::size_t i = 0; i < 30; ++i) {
    CAPTURE(i);
    const auto& t = ref.at("tables")[i];
    const auto& E_raw = t.at("E_raw");
    REQUIRE(sx[i].expected_raw.size() == E_raw.size());
    for (std::size_t r = 0; r < E_raw.size(); ++r)
      for (std::size_t k = 0; k < 2; ++k) {
        worst_e = std::max(worst_e, std::abs(sx[i].expected_raw[r][k] - E_raw[r][k].get<double>()));
        CHECK(sx[i].observed_raw[r][k] == t.at("O_raw")[r][k].get<double>());
      }
    const auto& Oc = t.at("O_collapsed");
    REQUIRE(sx[i].observed.size() == Oc.size());
    for (std::size_t r = 0; r < Oc.size(); ++r) {
      CHECK(std::to_string(sx[i].row_labels[r]) == t.at("collapsed_row_labels")[r].get<std::string>());
      for (std::size_t k = 0; k < 2; ++k) {
        if (t.at("E_collapsed")[r][k].is_null()) {
          CHECK(std::isnan(sx[i].expected[r][k]));
        } else {
          CHECK(sx[i].observed[r][k] == Oc[r][k].get<double>());
          CHECK(std::abs(sx[i].expected[r][k] - t.at("E_collapsed")[r][k].get<double>()) < table_tolerance);
        }
      }
    }
    const auto& s = ref.at("S_X2")[i];
    CHECK(sx[i].df == s.at("df").get<int>());
    worst_stat = std::max(worst_stat, std::abs(sx[i].statistic - s.at("S_X2").get<double>()));
    CHECK(std::abs(sx[i].p - s.at("p").get<double>()) < statistic_tolerance);
    CHECK(std::abs(sx[i].rmsea - s.at("RMSEA").get<double>()) < statistic_tolerance);
  }
  MESSAGE("S-X2: largest |E - E_mirt| " << worst_e << ", largest |S-X2 - mirt| " << worst_stat);
  CHECK(worst_e < table_tolerance);
  CHECK(worst_stat < statistic_tolerance);
}

TEST_CASE("fit: S-X2 from our own calibration is close to mirt's" * doctest::test_suite("calibrate")) {
  const auto ref = dskill_test::load_reference("fit_2PL_2000x30_mirt.json").at("mirt_2PL_2000x30");
  const auto m = io::read_response_matrix(dskill_test::reference_path("data/calib_2PL_2000x30_responses.csv"));
  calibrate::problem p;
  p.responses = m.cells.data();
  p.persons = m.persons();
  p.items = m.items();
  p.models.assign(p.items, irt::model::two_pl);
  calibrate::options co;
  co.tolerance = 1e-6;
  const auto r = calibrate::run(p, co);
  std::vector<irt::item_params> items;
  for (const auto& it : r.items) items.push_back(it.params);
  const auto sx = calibrate::s_x2({m.cells.data(), m.persons(), items});
  double worst = 0;
  for (std::size_t i = 0; i < 30; ++i) worst = std::max(worst, std::abs(sx[i].statistic - ref.at("S_X2")[i].at("S_X2").get<double>()));
  MESSAGE("S-X2 with dskill's own estimates: largest difference from mirt " << worst);
  CHECK(worst < 0.1);
}

TEST_CASE("fit: person fit Zh, infit and outfit agree with mirt (EAP and ML)" * doctest::test_suite("calibrate")) {
  const auto ref = dskill_test::load_reference("fit_2PL_2000x30_mirt.json").at("mirt_2PL_2000x30");
  const auto m = io::read_response_matrix(dskill_test::reference_path("data/calib_2PL_2000x30_responses.csv"));
  const auto items = mirt_items(ref.at("estimates_slope_intercept"));
  const std::size_t n = 50;
  const auto pf = calibrate::person_fit({m.cells.data(), n, items});
  const auto& e = ref.at("personfit_first50");
  for (std::size_t i = 0; i < n; ++i) {
    CAPTURE(i);
    CHECK(std::abs(pf[i].theta - e.at("theta_EAP")[i].get<double>()) < person_tolerance);
    CHECK(std::abs(pf[i].zh - e.at("Zh")[i].get<double>()) < person_tolerance);
    CHECK(std::abs(pf[i].outfit - e.at("outfit")[i].get<double>()) < person_tolerance);
    CHECK(std::abs(pf[i].infit - e.at("infit")[i].get<double>()) < person_tolerance);
    CHECK(std::abs(pf[i].z_outfit - e.at("z_outfit")[i].get<double>()) < person_tolerance);
    CHECK(std::abs(pf[i].z_infit - e.at("z_infit")[i].get<double>()) < person_tolerance);
  }
  calibrate::person_fit_options ml;
  ml.method = calibrate::theta_method::ml;
  ml.bound = 20;
  const auto pm = calibrate::person_fit({m.cells.data(), n, items}, ml);
  const auto& em = ref.at("personfit_first50_ML");
  for (std::size_t i = 0; i < n; ++i) {
    CAPTURE(i);
    CHECK(std::abs(pm[i].theta - em.at("theta_ML")[i].get<double>()) < person_tolerance);
    CHECK(std::abs(pm[i].zh - em.at("Zh")[i].get<double>()) < person_tolerance);
    CHECK(std::abs(pm[i].outfit - em.at("outfit")[i].get<double>()) < person_tolerance);
    CHECK(std::abs(pm[i].infit - em.at("infit")[i].get<double>()) < person_tolerance);
  }
}

TEST_CASE("fit: lz* is about N(0, 1) for model-fitting persons and low for aberrant ones" * doctest::test_suite("calibrate")) {
  calibrate::portable_rng rng(55);
  std::vector<irt::item_params> items;
  for (int i = 0; i < 40; ++i)
    items.push_back(irt::to_intercept_form({.kind = irt::model::two_pl, .a = rng.uniform(0.8, 2.0), .b = {rng.uniform(-2, 2)}}));
  const std::size_t N = 2000;
  const auto th = calibrate::simulate_thetas(N, 56);
  auto resp = calibrate::simulate_responses(items, th, 57);
  // The last 100 persons answer at random.
  for (std::size_t p = N - 100; p < N; ++p)
    for (std::size_t i = 0; i < items.size(); ++i) resp[p * items.size() + i] = rng.uniform() < 0.5 ? 1 : 0;
  calibrate::person_fit_options o;
  o.method = calibrate::theta_method::ml;
  const auto pf = calibrate::person_fit({resp.data(), N, items}, o);
  double s = 0, s2 = 0, bad = 0;
  int n = 0;
  for (std::size_t p = 0; p < N - 100; ++p) {
    if (std::isnan(pf[p].lz_star)) continue;
    s += pf[p].lz_star;
    s2 += pf[p].lz_star * pf[p].lz_star;
    ++n;
  }
  for (std::size_t p = N - 100; p < N; ++p) bad += pf[p].lz_star;
  const double mean = s / n, sd = std::sqrt(s2 / n - mean * mean);
  MESSAGE("lz* of fitting persons: mean " << mean << " sd " << sd << "; random responders mean " << bad / 100);
  CHECK(std::abs(mean) < 0.1);
  CHECK(sd == doctest::Approx(1.0).epsilon(0.1));
  CHECK(bad / 100 < -2.0);
  // Item infit/outfit near 1 under the model.
  std::vector<double> thetas;
  for (const auto& r : pf) thetas.push_back(r.theta);
  const auto it = calibrate::item_infit({resp.data(), N - 100, items}, std::span(thetas).first(N - 100));
  for (const auto& row : it) {
    CHECK(row.infit == doctest::Approx(1.0).epsilon(0.15));
  }
}

TEST_CASE("fit: collapse_cells handles polytomous tables and S-X2 runs on GRM" * doctest::test_suite("calibrate")) {
  calibrate::portable_rng rng(66);
  std::vector<irt::item_params> items;
  for (int i = 0; i < 10; ++i)
    items.push_back(irt::to_intercept_form({.kind = irt::model::grm, .a = rng.uniform(0.8, 2.0), .b = {-1.0, 0.0, 1.2}}));
  const auto th = calibrate::simulate_thetas(1500, 67);
  const auto resp = calibrate::simulate_responses(items, th, 68);
  const auto sx = calibrate::s_x2({resp.data(), 1500, items});
  int rejected = 0;
  for (const auto& s : sx) {
    CHECK(s.df > 0);
    CHECK(std::isfinite(s.statistic));
    rejected += s.p < 0.01;
  }
  CHECK(rejected <= 1);
}

// Booklet data: three booklets of 20 of 30 items (each pair of booklets shares 10), 1,000
// persons each. With the generating parameters S-X2 pools each item's booklet tables, so its
// p-values are about uniform; an item answered by a 3PL with c = 0.35 but given as a 2PL misfits.
TEST_CASE("fit: S-X2 on a booklet design pools the booklets' tables" * doctest::test_suite("calibrate")) {
  calibrate::portable_rng rng(91);
  std::vector<irt::item_params> items;
  std::vector<double> a, b;
  for (int i = 0; i < 30; ++i) {
    a.push_back(rng.uniform(0.8, 2.0));
    b.push_back(rng.uniform(-1.5, 1.5));
    items.push_back(irt::to_intercept_form({.kind = irt::model::two_pl, .a = a.back(), .b = {b.back()}}));
  }
  auto truth = items;
  truth[7] = irt::to_intercept_form({.kind = irt::model::three_pl, .a = a[7], .b = {b[7]}, .c = 0.35});
  const std::size_t n = 3000;
  const auto th = calibrate::simulate_thetas(n, 92);
  auto resp = calibrate::simulate_responses(truth, th, 93);
  // Booklet k (persons k, k + 3, ...) leaves out items 10k .. 10k + 9.
  for (std::size_t p = 0; p < n; ++p)
    for (std::size_t i = 0; i < 30; ++i)
      if (i / 10 == p % 3) resp[p * 30 + i] = -1;
  calibrate::sx2_options known;  // the parameters are the generating ones: none estimated
  known.estimated_parameters.assign(30, 0);
  const auto sx = calibrate::s_x2({resp.data(), n, items}, known);
  int rejected = 0;
  for (std::size_t i = 0; i < 30; ++i) {
    CHECK(sx[i].groups == 2);  // each item is in two of the three booklets
    CHECK(sx[i].persons == 2000);
    CHECK(sx[i].persons_left_out == 0);
    REQUIRE(sx[i].df > 0);
    if (i != 7) rejected += sx[i].p < 0.01;
  }
  // 29 fitting items at the 1% level: more than 2 rejections has probability 0.003. (The misfit
  // of item 7 also enters the others' expected tables through the summed score, a little.)
  CHECK(rejected <= 2);
  CHECK(sx[7].p < 1e-4);

  // Groups smaller than min_group are left out and counted; none large enough is an error.
  calibrate::sx2_options o;
  o.min_group = 1001;
  CHECK_THROWS_AS(calibrate::s_x2({resp.data(), n, items}, o), invalid_argument);
  resp[0] = 1;  // person 0 now answers item 0 too: a group of one
  const auto sx1 = calibrate::s_x2({resp.data(), n, items});
  CHECK(sx1[0].persons_left_out == 1);
}

// Q3: on locally independent data its mean is near Yen's -1/(J - 1) and no pair stands out; a
// pair sharing a stimulus (a person effect on both items, a testlet) has the largest Q3*, above
// 0.2; pairs never answered together have no value.
TEST_CASE("fit: Q3 finds a dependent pair" * doctest::test_suite("calibrate")) {
  calibrate::portable_rng rng(31);
  const std::size_t J = 20, n = 3000;
  std::vector<irt::item_params> items;
  for (std::size_t i = 0; i < J; ++i)
    items.push_back(irt::to_intercept_form({.kind = irt::model::two_pl, .a = rng.uniform(0.9, 1.8), .b = {rng.uniform(-1, 1)}}));
  const auto th = calibrate::simulate_thetas(n, 32);
  auto resp = calibrate::simulate_responses(items, th, 33);
  const auto q_ind = calibrate::q3({resp.data(), n, items}, th);
  CHECK(q_ind.pairs == J * (J - 1) / 2);
  CHECK(q_ind.mean == doctest::Approx(-1.0 / (J - 1)).epsilon(0.5));
  CHECK(q_ind.max_star < 0.1);
  // Items 4 and 9 share a stimulus: answers drawn at theta + a common person effect (SD 1.2).
  for (std::size_t p = 0; p < n; ++p) {
    const double u = 1.2 * rng.normal();
    for (std::size_t i : {4, 9}) {
      const std::vector<double> one = {th[p] + u};
      const auto row = calibrate::simulate_responses(std::span(items).subspan(i, 1), one, 5000 + p * 31 + i);
      resp[p * J + i] = row[0];
    }
  }
  // Items 0 and 1 are never answered together (each person skips one of them).
  for (std::size_t p = 0; p < n; ++p) resp[p * J + (p % 2)] = -1;
  const auto q = calibrate::q3({resp.data(), n, items}, th);
  CHECK(std::isnan(q.at(0, 1)));
  CHECK(q.n[0 * J + 1] == 0);
  double best = -1;
  std::size_t bi = 0, bj = 0;
  for (std::size_t i = 0; i < J; ++i)
    for (std::size_t j = i + 1; j < J; ++j)
      if (!std::isnan(q.at(i, j)) && q.at(i, j) > best) best = q.at(i, j), bi = i, bj = j;
  CHECK(bi == 4);
  CHECK(bj == 9);
  CHECK(q.max_star == doctest::Approx(best - q.mean));
  CHECK(q.max_star > 0.2);
}
