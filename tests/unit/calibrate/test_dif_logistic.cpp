// calibrate: logistic-regression DIF on an IRT ability (lordif's method): the proportional-odds
// fit against closed forms and a local-maximum check, and planted uniform and non-uniform DIF
// found on a booklet design with polytomous items and group impact.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "dskill/bank/item_bank.hpp"
#include "dskill/calibrate/dif.hpp"
#include "dskill/calibrate/simulate.hpp"
#include "dskill/error.hpp"
#include "dskill/estimate/estimate.hpp"

using namespace dskill;
using irt::model;

TEST_CASE("dif: the proportional-odds fit matches closed forms" * doctest::test_suite("calibrate")) {
  // Binary outcome, one 0/1 covariate: the MLE is each group's observed log-odds.
  std::vector<int> y;
  std::vector<double> x;
  auto add = [&](int n, int yy, double xx) {
    for (int i = 0; i < n; ++i) y.push_back(yy), x.push_back(xx);
  };
  add(30, 1, 0), add(10, 0, 0), add(12, 1, 1), add(28, 0, 1);
  std::vector<double> c;
  const double ll = calibrate::ordinal_logit_fit(y, 2, x, 1, &c);
  CHECK(c[0] == doctest::Approx(std::log(30.0 / 10.0)).epsilon(1e-9));
  CHECK(c[1] == doctest::Approx(std::log(12.0 / 28.0) - std::log(30.0 / 10.0)).epsilon(1e-9));
  const double want = 30 * std::log(0.75) + 10 * std::log(0.25) + 12 * std::log(0.3) + 28 * std::log(0.7);
  CHECK(ll == doctest::Approx(want).epsilon(1e-12));
  // No covariate, K categories: the null model's log-likelihood is sum n_k log(n_k / n).
  std::vector<int> y3 = {0, 0, 1, 1, 1, 2, 2, 2, 2, 2};
  CHECK(calibrate::ordinal_logit_fit(y3, 3, {}, 0) ==
        doctest::Approx(2 * std::log(0.2) + 3 * std::log(0.3) + 5 * std::log(0.5)).epsilon(1e-10));
}

TEST_CASE("dif: the proportional-odds fit is a maximum" * doctest::test_suite("calibrate")) {
  calibrate::portable_rng rng(5);
  std::vector<int> y;
  std::vector<double> x;
  for (int i = 0; i < 600; ++i) {
    const double t = rng.normal(), g = i % 2;
    const double eta = 0.9 * t - 0.4 * g + 0.3 * t * g;
    const double u = rng.uniform();
    // thresholds 1.0, -0.2, -1.5 on P(Y >= k)
    int k = 0;
    for (double a : {1.0, -0.2, -1.5}) k += u < 1.0 / (1.0 + std::exp(-(a + eta)));
    y.push_back(k);
    x.insert(x.end(), {t, g, t * g});
  }
  std::vector<double> c;
  const double ll = calibrate::ordinal_logit_fit(y, 4, x, 3, &c);
  CHECK(c[0] > c[1]);
  CHECK(c[1] > c[2]);
  CHECK(c[3] == doctest::Approx(0.9).epsilon(0.25));
  // Nudging any coefficient lowers the log-likelihood (evaluated by fitting with it fixed is not
  // exposed; instead compare against a coarse search around the optimum of the slope).
  for (std::size_t j = 0; j < c.size(); ++j)
    for (double h : {-1e-3, 1e-3}) {
      auto d = c;
      d[j] += h;
      double l2 = 0;
      for (std::size_t i = 0; i < y.size(); ++i) {
        const double xb = x[3 * i] * d[3] + x[3 * i + 1] * d[4] + x[3 * i + 2] * d[5];
        auto s = [&](int k) { return k == 0 ? 1.0 : k == 4 ? 0.0 : 1.0 / (1.0 + std::exp(-(d[static_cast<std::size_t>(k - 1)] + xb))); };
        l2 += std::log(s(y[i]) - s(y[i] + 1));
      }
      CHECK(l2 < ll + 1e-12);
    }
}

TEST_CASE("dif: logistic regression on theta finds planted DIF on booklets" * doctest::test_suite("calibrate")) {
  calibrate::portable_rng rng(17);
  const std::size_t J = 24, n = 4000;
  std::vector<irt::item_params> ref_items;
  for (std::size_t i = 0; i < J; ++i) {
    const double a = rng.uniform(0.9, 2.0), b = rng.uniform(-1.2, 1.2);
    if (i % 6 == 5)
      ref_items.push_back(irt::to_intercept_form({.kind = model::gpcm, .a = a, .b = {b - 0.7, b + 0.7}}));
    else
      ref_items.push_back(irt::to_intercept_form({.kind = model::two_pl, .a = a, .b = {b}}));
  }
  // Focal group: item 3 harder (uniform DIF), item 8 much less discriminating (non-uniform),
  // item 11 (GPCM) harder in both steps.
  auto focal_items = ref_items;
  {
    auto shift = [&](std::size_t i, double db) {
      for (auto& d : focal_items[i].intercepts) d -= focal_items[i].slope * db;
    };
    shift(3, 0.8);
    focal_items[8].slope *= 0.35;
    focal_items[8].intercepts[0] *= 0.35;
    shift(11, 0.8);
  }
  std::vector<std::int8_t> group(n);
  std::vector<double> truth(n);
  for (std::size_t p = 0; p < n; ++p) {
    group[p] = static_cast<std::int8_t>(p % 2);
    truth[p] = (group[p] ? -0.3 : 0.0) + rng.normal();
  }
  std::vector<std::int8_t> resp(n * J);
  for (std::size_t p = 0; p < n; ++p) {
    const auto& items = group[p] ? focal_items : ref_items;
    const std::vector<double> one = {truth[p]};
    const auto row = calibrate::simulate_responses(items, one, 1000 + p);
    for (std::size_t i = 0; i < J; ++i) resp[p * J + i] = row[i];
    // Booklets: person p skips the block of 8 items number (p / 2) % 3.
    for (std::size_t i = 0; i < J; ++i)
      if (i / 8 == (p / 2) % 3) resp[p * J + i] = -1;
  }
  // Abilities: EAP from the reference parameters over the answered items, purified (as the CLI).
  std::vector<bank::bank_item> bi(J);
  for (std::size_t i = 0; i < J; ++i) bi[i].id = "i" + std::to_string(i), bi[i].params = ref_items[i];
  const bank::item_bank bank({.id = "dif"}, std::move(bi));
  estimate::options eo;
  eo.estimator = estimate::method::eap;
  const auto pur = calibrate::logistic_dif_purified(resp.data(), n, bank, group, eo);
  const auto& res = pur.items;
  CHECK(pur.converged);
  CHECK(pur.rounds >= 2);
  CHECK(!pur.matching[3]);
  CHECK(!pur.matching[11]);
  int false_flags = 0;
  for (std::size_t i = 0; i < J; ++i) {
    REQUIRE(res[i].tested);
    std::size_t answered = 0;
    for (std::size_t q = 0; q < n; ++q) answered += resp[q * J + i] >= 0;
    CHECK(res[i].reference_n + res[i].focal_n == answered);
    if (i != 3 && i != 8 && i != 11) false_flags += res[i].flagged;
  }
  // 21 items without DIF at the 1% level: 2 or more false flags has probability 0.02.
  CHECK(false_flags <= 1);
  CHECK(res[3].flagged);
  CHECK(res[3].p_uniform < 1e-6);
  CHECK(res[3].group_effect < 0);  // harder for the focal group
  CHECK(res[8].flagged);
  CHECK(res[8].p_nonuniform < 1e-6);
  CHECK(res[11].categories == 3);
  CHECK(res[11].flagged);
  CHECK(res[11].group_effect < 0);
  MESSAGE("item 3: chi2 " << res[3].chi2_total << " R2 change " << res[3].r2_change << "; false flags " << false_flags
                           << "; rounds " << pur.rounds);

  // Without purification the two harder items pull the focal group's theta down and items
  // without DIF look easier for it (the reason for purifying).
  const auto raw = calibrate::logistic_dif(resp.data(), n, J, [&] {
    std::vector<double> t(n);
    std::vector<estimate::response> rs;
    for (std::size_t p = 0; p < n; ++p) {
      rs.clear();
      for (std::size_t i = 0; i < J; ++i)
        if (resp[p * J + i] >= 0) rs.push_back({static_cast<std::uint32_t>(i), resp[p * J + i]});
      t[p] = estimate::estimate_theta(bank, rs, eo).theta;
    }
    return t;
  }(), group);
  int raw_false = 0;
  for (std::size_t i = 0; i < J; ++i) raw_false += i != 3 && i != 8 && i != 11 && raw[i].flagged;
  CHECK(raw_false >= false_flags);
}
