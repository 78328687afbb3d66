// calibrate: parameter recovery on simulated data with fixed seeds (3PL, GRM, GPCM, PCM, 1PL,
// mixed models, an incomplete anchor design, two groups), priors, and the SE/empirical check.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "dskill/calibrate/calibrate.hpp"
#include "dskill/calibrate/simulate.hpp"
#include "dskill/error.hpp"

using namespace dskill;
using irt::model;

namespace {
struct sim {
  std::vector<irt::item_params> truth;
  std::vector<std::int8_t> responses;
  std::size_t persons = 0;
};

irt::item_params draw_item(model kind, calibrate::portable_rng& rng, int categories = 4) {
  irt::difficulty_form f{.kind = kind, .a = rng.uniform(0.8, 2.0), .b = {}};
  if (irt::is_dichotomous(kind)) {
    f.b = {rng.uniform(-1.5, 1.5)};
    if (kind == model::one_pl) f.a = 1.0;
    if (kind == model::three_pl || kind == model::four_pl) f.c = rng.uniform(0.1, 0.25);
    if (kind == model::four_pl) f.d = rng.uniform(0.85, 0.97);
  } else {
    double b = rng.uniform(-1.8, -0.8);
    for (int k = 1; k < categories; ++k) {
      f.b.push_back(b);
      b += rng.uniform(0.6, 1.2);
    }
    if (kind == model::pcm) f.a = 1.0;
  }
  return irt::to_intercept_form(f);
}

sim simulate(const std::vector<model>& kinds, std::size_t persons, std::uint64_t seed) {
  calibrate::portable_rng rng(seed);
  sim s;
  s.persons = persons;
  for (auto k : kinds) s.truth.push_back(draw_item(k, rng));
  const auto th = calibrate::simulate_thetas(persons, seed + 1);
  s.responses = calibrate::simulate_responses(s.truth, th, seed + 2);
  return s;
}

calibrate::problem problem_of(const sim& s, const std::vector<model>& kinds) {
  calibrate::problem p;
  p.responses = s.responses.data();
  p.persons = s.persons;
  p.items = kinds.size();
  p.models = kinds;
  return p;
}

struct rmse {
  double slope = 0, b = 0, c = 0;
};
rmse recovery(const calibrate::result& r, const std::vector<irt::item_params>& truth) {
  double sa = 0, sb = 0, sc = 0;
  int na = 0, nb = 0, nc = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const auto e = irt::to_difficulty_form(r.items[i].params), t = irt::to_difficulty_form(truth[i]);
    sa += std::pow(e.a - t.a, 2);
    ++na;
    for (std::size_t k = 0; k < t.b.size(); ++k) {
      sb += std::pow(e.b[k] - t.b[k], 2);
      ++nb;
    }
    if (truth[i].kind == model::three_pl || truth[i].kind == model::four_pl) {
      sc += std::pow(e.c - t.c, 2);
      ++nc;
    }
  }
  return {std::sqrt(sa / na), std::sqrt(sb / nb), nc ? std::sqrt(sc / nc) : 0.0};
}
}  // namespace

TEST_CASE("calibrate: 2PL recovery and SEs match the empirical spread" * doctest::test_suite("calibrate")) {
  std::vector<model> kinds(20, model::two_pl);
  const auto s = simulate(kinds, 3000, 101);
  calibrate::options o;
  o.standard_errors = true;
  const auto r = calibrate::run(problem_of(s, kinds), o);
  CHECK(r.converged);
  const auto e = recovery(r, s.truth);
  MESSAGE("2PL N=3000 RMSE a " << e.slope << " b " << e.b);
  CHECK(e.slope < 0.10);
  CHECK(e.b < 0.10);
  // Standardised errors (estimate - truth) / SE should look like N(0, 1).
  double z2 = 0;
  int n = 0;
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    z2 += std::pow((r.items[i].params.slope - s.truth[i].slope) / r.items[i].se_slope, 2);
    z2 += std::pow((r.items[i].params.intercepts[0] - s.truth[i].intercepts[0]) / r.items[i].se_intercepts[0], 2);
    n += 2;
  }
  MESSAGE("mean squared z " << z2 / n);
  CHECK(z2 / n > 0.4);
  CHECK(z2 / n < 2.0);
}

TEST_CASE("calibrate: 3PL recovery (with and without a beta prior on c)" * doctest::test_suite("calibrate")) {
  std::vector<model> kinds(30, model::three_pl);
  const auto s = simulate(kinds, 5000, 202);
  calibrate::options o;
  const auto r = calibrate::run(problem_of(s, kinds), o);
  CHECK(r.converged);
  const auto e = recovery(r, s.truth);
  MESSAGE("3PL N=5000 RMSE a " << e.slope << " b " << e.b << " c " << e.c << " iterations " << r.iterations);
  CHECK(e.slope < 0.25);
  CHECK(e.b < 0.25);
  CHECK(e.c < 0.08);
  o.priors.lower_beta = true;
  const auto rp = calibrate::run(problem_of(s, kinds), o);
  const auto ep = recovery(rp, s.truth);
  MESSAGE("3PL with Beta(5,17) prior: RMSE a " << ep.slope << " b " << ep.b << " c " << ep.c);
  CHECK(rp.converged);
  CHECK(ep.c < 0.06);
  CHECK(ep.b < 0.25);
}

TEST_CASE("calibrate: polytomous recovery (GRM, GPCM, PCM)" * doctest::test_suite("calibrate")) {
  for (auto kind : {model::grm, model::gpcm, model::pcm}) {
    CAPTURE(irt::to_string(kind));
    std::vector<model> kinds(12, kind);
    const auto s = simulate(kinds, 2500, 303 + static_cast<int>(kind));
    calibrate::options o;
    o.standard_errors = true;
    const auto r = calibrate::run(problem_of(s, kinds), o);
    CHECK(r.converged);
    CHECK(r.se_positive_definite);
    const auto e = recovery(r, s.truth);
    MESSAGE(irt::to_string(kind) << " N=2500 RMSE a " << e.slope << " b " << e.b << " iterations " << r.iterations);
    CHECK(e.slope < 0.12);
    CHECK(e.b < 0.12);
    for (const auto& it : r.items) CHECK(irt::check_params(it.params).empty());
  }
}

TEST_CASE("calibrate: 1PL (Rasch) estimates the latent SD and re-expresses it as a common slope" *
          doctest::test_suite("calibrate")) {
  calibrate::portable_rng rng(7);
  std::vector<model> kinds(15, model::one_pl);
  sim s;
  s.persons = 3000;
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    s.truth.push_back(irt::to_intercept_form({.kind = model::one_pl, .a = 1.4, .b = {rng.uniform(-1.5, 1.5)}}));
  }
  const auto th = calibrate::simulate_thetas(s.persons, 8);
  s.responses = calibrate::simulate_responses(s.truth, th, 9);
  const auto r = calibrate::run(problem_of(s, kinds), {});
  CHECK(r.converged);
  MESSAGE("Rasch latent SD " << r.latent_sd_rasch << " (true common slope 1.4)");
  CHECK(r.latent_sd_rasch == doctest::Approx(1.4).epsilon(0.06));
  const auto e = recovery(r, s.truth);
  CHECK(e.b < 0.1);
  CHECK(r.parameters == 16);
}

TEST_CASE("calibrate: mixed models, missing by design, anchors and two groups" * doctest::test_suite("calibrate")) {
  // Two forms of 20 items sharing 8 anchors; form B is taken by an abler group (mean 0.5, sd 1.2).
  calibrate::portable_rng rng(404);
  std::vector<model> kinds;
  for (int i = 0; i < 32; ++i) kinds.push_back(i % 8 == 7 ? model::grm : (i % 4 == 1 ? model::three_pl : model::two_pl));
  std::vector<irt::item_params> truth;
  for (auto k : kinds) truth.push_back(draw_item(k, rng, 3));
  const std::size_t n_a = 3000, n_b = 3000, J = kinds.size();
  auto th_a = calibrate::simulate_thetas(n_a, 405);
  auto th_b = calibrate::simulate_thetas(n_b, 406, 0.5, 1.2);
  auto ra = calibrate::simulate_responses(truth, th_a, 407);
  auto rb = calibrate::simulate_responses(truth, th_b, 408);
  std::vector<std::int8_t> all;
  std::vector<std::uint8_t> group;
  for (std::size_t p = 0; p < n_a; ++p) {  // form A: items 0..19
    for (std::size_t i = 0; i < J; ++i) all.push_back(i < 20 ? ra[p * J + i] : std::int8_t(-1));
    group.push_back(0);
  }
  for (std::size_t p = 0; p < n_b; ++p) {  // form B: items 12..31
    for (std::size_t i = 0; i < J; ++i) all.push_back(i >= 12 ? rb[p * J + i] : std::int8_t(-1));
    group.push_back(1);
  }
  calibrate::problem prob;
  prob.responses = all.data();
  prob.persons = n_a + n_b;
  prob.items = J;
  prob.models = kinds;
  prob.group = group;
  calibrate::options o;
  o.priors.lower_beta = true;
  const auto r = calibrate::run(prob, o);
  CHECK(r.converged);
  REQUIRE(r.groups.size() == 2);
  MESSAGE("group B latent mean " << r.groups[1].mean << " sd " << r.groups[1].sd << " (true 0.5, 1.2)");
  CHECK(r.groups[1].mean == doctest::Approx(0.5).epsilon(0.15));
  CHECK(r.groups[1].sd == doctest::Approx(1.2).epsilon(0.1));
  const auto e = recovery(r, truth);
  MESSAGE("mixed design RMSE a " << e.slope << " b " << e.b);
  CHECK(e.b < 0.2);
  CHECK(e.slope < 0.25);

  // The same with the 8 anchors held at their true values and one group with a free mean and
  // variance: the scale is set by the anchors.
  std::vector<std::int8_t> only_b(rb.begin(), rb.end());
  calibrate::problem pb;
  pb.responses = only_b.data();
  pb.persons = n_b;
  pb.items = J;
  pb.models = kinds;
  pb.fixed.resize(J);
  for (std::size_t i = 12; i < 20; ++i) pb.fixed[i] = truth[i];
  calibrate::options ob;
  ob.free_reference_mean = ob.free_reference_variance = true;
  ob.priors.lower_beta = true;
  const auto rb_res = calibrate::run(pb, ob);
  CHECK(rb_res.converged);
  MESSAGE("fixed-anchor calibration: latent mean " << rb_res.groups[0].mean << " sd " << rb_res.groups[0].sd);
  CHECK(rb_res.groups[0].mean == doctest::Approx(0.5).epsilon(0.15));
  CHECK(rb_res.groups[0].sd == doctest::Approx(1.2).epsilon(0.1));
  CHECK(rb_res.items[12].params == truth[12]);
}

TEST_CASE("calibrate: bad problems are refused with invalid_argument" * doctest::test_suite("calibrate")) {
  std::vector<std::int8_t> r = {0, 1, 1, 0, 2, 1};
  calibrate::problem p;
  p.responses = r.data();
  p.persons = 3;
  p.items = 2;
  p.models = {model::two_pl, model::two_pl};
  CHECK_THROWS_AS(calibrate::run(p), dskill::invalid_argument);  // a 2 on a dichotomous item
  p.models = {model::two_pl};
  CHECK_THROWS_AS(calibrate::run(p), dskill::invalid_argument);
  calibrate::options o;
  o.tolerance = 0;
  CHECK_THROWS_AS(calibrate::validate(o), dskill::invalid_argument);
}
