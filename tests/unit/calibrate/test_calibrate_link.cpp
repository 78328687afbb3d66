// calibrate: Mantel-Haenszel DIF, linking (mean-mean, mean-sigma, Haebara, Stocking-Lord) and
// pretest calibration (fixed theta, OEM, MEM).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "dskill/calibrate/dif.hpp"
#include "dskill/calibrate/linking.hpp"
#include "dskill/calibrate/simulate.hpp"
#include "dskill/error.hpp"

using namespace dskill;
using irt::model;

TEST_CASE("dif: Mantel-Haenszel on a hand-computed two-stratum table" * doctest::test_suite("calibrate")) {
  // Item 0 studied, item 1 makes two strata (matching score = item0 + item1).
  // Build persons: (group, x0, x1).
  std::vector<std::int8_t> resp, group;
  auto add = [&](int g, int x0, int x1, int n) {
    for (int i = 0; i < n; ++i) {
      resp.push_back(static_cast<std::int8_t>(x0));
      resp.push_back(static_cast<std::int8_t>(x1));
      group.push_back(static_cast<std::int8_t>(g));
    }
  };
  // Score 1 stratum: (x0=1,x1=0) right, (x0=0,x1=1) wrong.
  add(0, 1, 0, 30);
  add(0, 0, 1, 10);
  add(1, 1, 0, 20);
  add(1, 0, 1, 20);
  // Score 0 and 2 strata have only one response to item 0, so they carry no information.
  add(0, 0, 0, 5);
  add(1, 1, 1, 5);
  calibrate::mh_options o;
  const auto r = calibrate::mantel_haenszel(resp.data(), group.size(), 2, group, o);
  REQUIRE(r[0].tested);
  // One informative stratum: alpha = (30 * 20) / (10 * 20) = 3.
  CHECK(r[0].alpha_mh == doctest::Approx(3.0));
  CHECK(r[0].delta == doctest::Approx(-2.35 * std::log(3.0)));
  // chi2: A = 30, E = 40 * 50 / 80 = 25, V = 40 * 40 * 50 * 30 / (80^2 * 79).
  const double V = 40.0 * 40 * 50 * 30 / (80.0 * 80 * 79);
  CHECK(r[0].chi_square == doctest::Approx((5 - 0.5) * (5 - 0.5) / V));
  CHECK(r[0].sign == "-");
}

TEST_CASE("dif: a shifted item is flagged C, the others mostly A" * doctest::test_suite("calibrate")) {
  calibrate::portable_rng rng(91);
  std::vector<irt::item_params> ref_items;
  for (int i = 0; i < 25; ++i)
    ref_items.push_back(irt::to_intercept_form({.kind = model::two_pl, .a = rng.uniform(0.8, 1.8), .b = {rng.uniform(-1.5, 1.5)}}));
  auto focal_items = ref_items;
  focal_items[3] = irt::to_intercept_form(
      {.kind = model::two_pl, .a = irt::to_difficulty_form(ref_items[3]).a, .b = {irt::to_difficulty_form(ref_items[3]).b[0] + 0.9}});
  const std::size_t n = 2000;
  auto r0 = calibrate::simulate_responses(ref_items, calibrate::simulate_thetas(n, 92), 93);
  auto r1 = calibrate::simulate_responses(focal_items, calibrate::simulate_thetas(n, 94, -0.3), 95);
  std::vector<std::int8_t> all(r0);
  all.insert(all.end(), r1.begin(), r1.end());
  std::vector<std::int8_t> group(n, 0);
  group.insert(group.end(), n, 1);
  calibrate::mh_options o;
  o.purify = true;
  const auto res = calibrate::mantel_haenszel(all.data(), 2 * n, 25, group, o);
  CHECK(res[3].category == calibrate::ets_class::C);
  CHECK(res[3].sign == "-");
  int flagged = 0;
  for (std::size_t i = 0; i < 25; ++i)
    if (i != 3 && res[i].category != calibrate::ets_class::A) ++flagged;
  MESSAGE("item 4 MH D-DIF " << res[3].delta << " (SE " << res[3].se_delta << "); other items flagged: " << flagged);
  CHECK(flagged <= 2);
}

TEST_CASE("link: every method recovers a known transformation exactly" * doctest::test_suite("calibrate")) {
  calibrate::portable_rng rng(17);
  std::vector<irt::item_params> base;
  for (int i = 0; i < 12; ++i) {
    const model k = i % 4 == 0 ? model::three_pl : i % 4 == 1 ? model::grm : i % 4 == 2 ? model::gpcm : model::two_pl;
    irt::difficulty_form f{.kind = k, .a = rng.uniform(0.8, 1.8), .b = {rng.uniform(-1.5, 1.5)}};
    if (k == model::three_pl) f.c = 0.2;
    if (!irt::is_dichotomous(k)) f.b = {-1.0 + rng.uniform(-0.3, 0.3), 0.2, 1.1};
    base.push_back(irt::to_intercept_form(f));
  }
  // New scale: theta_base = 1.25 theta_new - 0.4, so new = transform(base, inverse).
  const calibrate::link_constants truth{1.25, -0.4};
  const calibrate::link_constants inverse{1.0 / truth.A, -truth.B / truth.A};
  std::vector<irt::item_params> moved;
  for (const auto& it : base) moved.push_back(calibrate::transform(it, inverse));
  for (auto m : {calibrate::link_method::mean_mean, calibrate::link_method::mean_sigma, calibrate::link_method::haebara,
                 calibrate::link_method::stocking_lord}) {
    CAPTURE(calibrate::to_string(m));
    calibrate::link_options o;
    o.method = m;
    const auto k = calibrate::link(moved, base, o);
    CHECK(k.A == doctest::Approx(truth.A).epsilon(1e-6));
    CHECK(k.B == doctest::Approx(truth.B).epsilon(1e-6));
  }
  // Transforming back gives the base parameters.
  const auto back = calibrate::transform(moved[1], truth);
  for (std::size_t j = 0; j < back.intercepts.size(); ++j) CHECK(back.intercepts[j] == doctest::Approx(base[1].intercepts[j]));
  CHECK_THROWS_AS(calibrate::link(std::span(moved).first(3), std::span(base).first(4)), dskill::invalid_argument);
}

TEST_CASE("link: separate calibrations of two forms are put on one scale" * doctest::test_suite("calibrate")) {
  calibrate::portable_rng rng(31);
  std::vector<irt::item_params> truth;
  for (int i = 0; i < 30; ++i)
    truth.push_back(irt::to_intercept_form({.kind = model::two_pl, .a = rng.uniform(0.8, 1.8), .b = {rng.uniform(-1.5, 1.5)}}));
  // Form X: items 0-19 with N(0,1); form Y: items 10-29 with N(0.6, 1.3^2). Anchors 10-19.
  std::vector<irt::item_params> fx(truth.begin(), truth.begin() + 20), fy(truth.begin() + 10, truth.end());
  const auto rx = calibrate::simulate_responses(fx, calibrate::simulate_thetas(3000, 32), 33);
  const auto ry = calibrate::simulate_responses(fy, calibrate::simulate_thetas(3000, 34, 0.6, 1.3), 35);
  auto fit = [](const std::vector<std::int8_t>& r, std::size_t n) {
    calibrate::problem p;
    p.responses = r.data();
    p.persons = n;
    p.items = 20;
    p.models.assign(20, model::two_pl);
    return calibrate::run(p);
  };
  const auto ex = fit(rx, 3000), ey = fit(ry, 3000);
  std::vector<irt::item_params> ax, ay;
  for (int i = 10; i < 20; ++i) ax.push_back(ex.items[static_cast<std::size_t>(i)].params);
  for (int i = 0; i < 10; ++i) ay.push_back(ey.items[static_cast<std::size_t>(i)].params);
  for (auto m : {calibrate::link_method::mean_sigma, calibrate::link_method::stocking_lord, calibrate::link_method::haebara}) {
    calibrate::link_options o;
    o.method = m;
    const auto k = calibrate::link(ay, ax, o);  // Y's scale onto X's
    MESSAGE(calibrate::to_string(m) << ": A = " << k.A << " B = " << k.B << " (true 1.3, 0.6)");
    CHECK(k.A == doctest::Approx(1.3).epsilon(0.1));
    CHECK(k.B == doctest::Approx(0.6).epsilon(0.15));
  }
}

TEST_CASE("pretest: fixed-theta, OEM and MEM calibration of new items" * doctest::test_suite("calibrate")) {
  calibrate::portable_rng rng(77);
  std::vector<irt::item_params> items;
  for (int i = 0; i < 25; ++i)
    items.push_back(irt::to_intercept_form({.kind = model::two_pl, .a = rng.uniform(0.8, 1.8), .b = {rng.uniform(-1.5, 1.5)}}));
  items.push_back(irt::to_intercept_form({.kind = model::two_pl, .a = 1.4, .b = {0.5}}));
  items.push_back(irt::to_intercept_form({.kind = model::grm, .a = 1.1, .b = {-0.8, 0.3, 1.2}}));
  const std::size_t N = 4000, J = items.size();
  const auto th = calibrate::simulate_thetas(N, 78);
  auto resp = calibrate::simulate_responses(items, th, 79);
  // Each person sees a pretest item with probability 0.5 (sparse, as in CAT seeding).
  for (std::size_t p = 0; p < N; ++p)
    for (std::size_t i = 25; i < J; ++i)
      if (rng.uniform() < 0.5) resp[p * J + i] = -1;
  std::vector<std::optional<irt::item_params>> op(J);
  std::vector<model> models(J, model::two_pl);
  models[26] = model::grm;
  for (std::size_t i = 0; i < 25; ++i) op[i] = items[i];
  for (auto method : {calibrate::pretest_method::fixed_theta, calibrate::pretest_method::oem, calibrate::pretest_method::mem}) {
    CAPTURE(calibrate::to_string(method));
    calibrate::pretest_options o;
    o.method = method;
    const auto est = calibrate::pretest_calibrate(resp.data(), N, J, op, models, th, o);
    CHECK(est[0].fixed);
    CHECK(est[0].params == items[0]);
    const auto f25 = irt::to_difficulty_form(est[25].params), f26 = irt::to_difficulty_form(est[26].params);
    MESSAGE(calibrate::to_string(method) << ": item 26 a " << f25.a << " b " << f25.b[0] << " (1.4, 0.5); GRM a " << f26.a
                                         << " b " << f26.b[0] << "," << f26.b[1] << "," << f26.b[2]);
    // OEM is known to shrink slopes (posteriors from the operational items only).
    const double tol_a = method == calibrate::pretest_method::oem ? 0.25 : 0.12;
    CHECK(f25.a == doctest::Approx(1.4).epsilon(tol_a));
    const double tol_b = method == calibrate::pretest_method::oem ? 0.2 : 0.1;
    CHECK(std::abs(f25.b[0] - 0.5) < tol_b);
    CHECK(f26.a == doctest::Approx(1.1).epsilon(tol_a));
    CHECK(std::abs(f26.b[1] - 0.3) < tol_b);
    CHECK(std::isfinite(est[25].se_slope));
  }
}

namespace {
// 15 anchors on the base scale and, on the new scale, the same items moved by the inverse of
// theta_base = 1.2 theta_new + 0.3 with estimation noise of the given SDs on a and b.
struct noisy_anchors {
  std::vector<irt::item_params> base, moved;
  std::vector<irt::difficulty_form> se;
};
noisy_anchors make_anchors(std::uint64_t seed, double se_a, double se_b) {
  calibrate::portable_rng rng(seed);
  noisy_anchors out;
  const calibrate::link_constants inverse{1.0 / 1.2, -0.3 / 1.2};
  for (int i = 0; i < 15; ++i) {
    irt::difficulty_form f{.kind = i % 3 ? model::two_pl : model::three_pl, .a = rng.uniform(0.8, 1.8),
                           .b = {rng.uniform(-1.5, 1.5)}, .c = i % 3 ? 0.0 : 0.2};
    out.base.push_back(irt::to_intercept_form(f));
    auto m = irt::to_difficulty_form(calibrate::transform(out.base.back(), inverse));
    m.a += se_a * rng.normal();
    m.b[0] += se_b * rng.normal();
    out.moved.push_back(irt::to_intercept_form(m));
    out.se.push_back({.kind = f.kind, .a = se_a, .b = {se_b}, .c = 0.0});
  }
  return out;
}
}  // namespace

TEST_CASE("link: the symmetric criterion is its own inverse, unit weights differ" * doctest::test_suite("calibrate")) {
  const auto x = make_anchors(41, 0.08, 0.12);
  for (auto m : {calibrate::link_method::haebara, calibrate::link_method::stocking_lord}) {
    CAPTURE(calibrate::to_string(m));
    calibrate::link_options o;
    o.method = m;
    const auto plain = calibrate::link(x.moved, x.base, o);
    const auto plain_back = calibrate::link(x.base, x.moved, o);
    o.symmetric = true;
    const auto sym = calibrate::link(x.moved, x.base, o);
    const auto sym_back = calibrate::link(x.base, x.moved, o);
    // Linking the other way gives exactly the inverse transformation with the symmetric
    // criterion (up to the optimiser), not with the one-sided one.
    CHECK(sym_back.A == doctest::Approx(1.0 / sym.A).epsilon(1e-6));
    CHECK(sym_back.B == doctest::Approx(-sym.B / sym.A).epsilon(1e-6));
    CHECK(std::abs(plain_back.A - 1.0 / plain.A) > 1e-4);
    CHECK(sym.A == doctest::Approx(1.2).epsilon(0.1));
    CHECK(sym.B == doctest::Approx(0.3).epsilon(0.3));
    o.symmetric = false;
    o.weights = {prior_kind::uniform, 0.0, 1.0, {}};
    const auto unit = calibrate::link(x.moved, x.base, o);
    CHECK(std::abs(unit.A - plain.A) > 1e-5);
  }
  // Exact anchors: every variant recovers the transformation.
  const auto exact = make_anchors(42, 0.0, 0.0);
  calibrate::link_options o;
  o.symmetric = true;
  o.weights = {prior_kind::uniform, 0.0, 1.0, {}};
  const auto k = calibrate::link(exact.moved, exact.base, o);
  CHECK(k.A == doctest::Approx(1.2).epsilon(1e-6));
  CHECK(k.B == doctest::Approx(0.3).epsilon(1e-6));
}

TEST_CASE("link: delta-method SEs of A and B match the spread over replications" * doctest::test_suite("calibrate")) {
  // The SE the delta method gives for the noise of make_anchors, against the SD of A and B over
  // 300 replications of that noise (new-scale parameters only; the base scale is exact).
  for (auto m : {calibrate::link_method::mean_sigma, calibrate::link_method::stocking_lord}) {
    CAPTURE(calibrate::to_string(m));
    calibrate::link_options o;
    o.method = m;
    const auto x = make_anchors(43, 0.08, 0.12);
    std::vector<irt::difficulty_form> zero(x.se.size(), irt::difficulty_form{.a = 0.0, .b = {0.0}});
    const auto k = calibrate::link_standard_errors(x.moved, x.base, x.se, zero, calibrate::link(x.moved, x.base, o), o);
    double sa = 0, sa2 = 0, sb = 0, sb2 = 0;
    const int reps = 300;
    for (int r = 0; r < reps; ++r) {
      const auto y = make_anchors(1000 + static_cast<std::uint64_t>(r), 0.08, 0.12);
      // y has other items; keep x's items and add y's noise (its noisy less its clean values).
      std::vector<irt::item_params> moved;
      for (std::size_t i = 0; i < x.base.size(); ++i) {
        auto clean = irt::to_difficulty_form(calibrate::transform(x.base[i], {1.0 / 1.2, -0.3 / 1.2}));
        const auto noisy_y = irt::to_difficulty_form(y.moved[i]);
        const auto clean_y = irt::to_difficulty_form(calibrate::transform(y.base[i], {1.0 / 1.2, -0.3 / 1.2}));
        clean.a += noisy_y.a - clean_y.a;
        clean.b[0] += noisy_y.b[0] - clean_y.b[0];
        moved.push_back(irt::to_intercept_form(clean));
      }
      const auto kr = calibrate::link(moved, x.base, o);
      sa += kr.A, sa2 += kr.A * kr.A, sb += kr.B, sb2 += kr.B * kr.B;
    }
    const double sd_a = std::sqrt(sa2 / reps - (sa / reps) * (sa / reps)), sd_b = std::sqrt(sb2 / reps - (sb / reps) * (sb / reps));
    MESSAGE("SE(A) " << k.se_A << " vs SD " << sd_a << "; SE(B) " << k.se_B << " vs SD " << sd_b);
    CHECK(k.se_A == doctest::Approx(sd_a).epsilon(0.2));
    CHECK(k.se_B == doctest::Approx(sd_b).epsilon(0.2));
    CHECK(std::isfinite(k.cov_AB));
  }
}
