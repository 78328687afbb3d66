// estimate: profile (multidimensional) MAP and EAP. Against mirt's factor scores of the first 50
// persons of reference/mirt_multi.json (s1_M2PL2: MAP and EAP on 61^2; s2_bifactor: EAP on the
// full 19^4 grid, and the bifactor reduction on the same points), and property checks: the
// log-posterior's gradient is zero at the MAP, its covariance is the inverse observed
// information, EAP approaches MAP as items grow, QMC agrees with the grid within its Monte Carlo
// error, D = 1 is the unidimensional estimator, empty and extreme patterns.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/LU>

#include "dskill/estimate/estimate.hpp"
#include "dskill/estimate/multidim.hpp"
#include "dskill/irt/multidim.hpp"
#include "allocation_count.hpp"
#include "mirt_multi_support.hpp"
#include "test_support.hpp"

using namespace dskill;
using estimate::profile_integration;
using estimate::profile_matrix;
using estimate::profile_method;
using estimate::profile_options;
using estimate::profile_vector;
using irt::model;

namespace {

using dskill_test::mirt_items;
using dskill_test::prior_of;

// The first `count` patterns of a wide response CSV (person_id first, 0/1 cells, no missing).
std::vector<std::vector<response>> read_patterns(const std::string& relative, std::size_t count) {
  std::ifstream in(dskill_test::reference_path(relative));
  REQUIRE(in);
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::vector<response>> out;
  while (out.size() < count && std::getline(in, line)) {
    std::stringstream cells(line);
    std::string cell;
    std::getline(cells, cell, ',');  // person_id
    std::vector<response> pattern;
    for (std::uint32_t item = 0; std::getline(cells, cell, ','); ++item)
      if (cell == "0" || cell == "1") pattern.push_back({item, cell == "1" ? 1 : 0});
    out.push_back(pattern);
  }
  return out;
}

// Random between- or within-item 2PL/3PL/GRM items and responses drawn at theta.
struct simulated {
  irt::multidim_store store;
  std::vector<response> pattern;
};
simulated simulate(std::size_t dims, std::size_t n_items, const std::vector<double>& theta, std::uint64_t seed,
                   bool within = false, bool mixed_models = false) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> slope(0.8, 2.0), intercept(-1.5, 1.5), u(0.0, 1.0);
  simulated s{irt::multidim_store(dims), {}};
  for (std::size_t i = 0; i < n_items; ++i) {
    std::vector<double> a(dims, 0.0);
    a[i % dims] = slope(rng);
    if (within) a[(i + 1) % dims] = 0.5 * slope(rng);
    irt::item_params p{model::two_pl, 1.0, 0.0, 1.0, {intercept(rng)}, {}};
    if (mixed_models && i % 3 == 1) {
      p.kind = model::three_pl;
      p.lower = 0.2;
    } else if (mixed_models && i % 3 == 2) {
      p.kind = model::grm;
      p.intercepts = {1.2, 0.0, -1.1};
    }
    s.store.push_back({p, a});
  }
  const auto table = s.store.view();
  for (std::size_t i = 0; i < n_items; ++i) {
    double lp[irt::max_categories];
    irt::log_probabilities(table, i, std::span<const double>(theta), lp);
    double draw = u(rng), cumulative = 0.0;
    int k = 0;
    for (; k + 1 < table.links.categories(i); ++k) {
      cumulative += std::exp(lp[k]);
      if (draw < cumulative) break;
    }
    s.pattern.push_back({static_cast<std::uint32_t>(i), k});
  }
  return s;
}

void check_finite(const estimate::profile_result& r) {
  CHECK(r.theta.allFinite());
  CHECK(r.covariance.allFinite());
  CHECK(r.se.allFinite());
  CHECK((r.se.array() > 0).all());
}

}  // namespace

TEST_CASE("profile estimate: MAP and EAP agree with mirt's fscores on s1_M2PL2 (50 persons)") {
  const auto ref = dskill_test::load_reference("mirt_multi.json").at("s1_M2PL2");
  const auto store = mirt_items(ref.at("estimates").at("items"), 2);
  const auto patterns = read_patterns("data/mirt_M2PL2_2000x20_responses.csv", 50);
  REQUIRE(patterns.size() == 50);
  profile_options opts;
  opts.prior = prior_of(ref.at("estimates").at("latent_cov"));
  const auto& scores = ref.at("fscores_first50");
  // Tolerance 1e-3 on theta and SE (the issue's): mirt's MAP stops at nlm's gradient tolerance and
  // takes its SE from a numerical Hessian; the EAP is on the same 61^2 grid.
  constexpr double tol = 1e-3;
  double worst_map = 0, worst_eap = 0;
  const estimate::profile_eap_scorer scorer(store, [&] {
    auto o = opts;
    o.estimator = profile_method::eap;
    return o;
  }());
  CHECK(scorer.nodes() == 61u * 61u);
  std::vector<double> scratch(scorer.scratch_size());
  for (std::size_t p = 0; p < 50; ++p) {
    opts.estimator = profile_method::map;
    const auto map = estimate::estimate_profile(store, patterns[p], opts);
    opts.estimator = profile_method::eap;
    const auto eap = estimate::estimate_profile(store, patterns[p], opts);
    const auto scored = scorer(patterns[p], scratch);
    CHECK(map.state == estimate::status::ok);
    CHECK(eap.state == estimate::status::ok);
    for (Eigen::Index d = 0; d < 2; ++d) {
      const double map_theta = scores.at("MAP").at("theta").at(p).at(d).get<double>();
      const double map_se = scores.at("MAP").at("se").at(p).at(d).get<double>();
      const double eap_theta = scores.at("EAP").at("theta").at(p).at(d).get<double>();
      const double eap_se = scores.at("EAP").at("se").at(p).at(d).get<double>();
      CHECK(std::abs(map.theta[d] - map_theta) <= tol);
      CHECK(std::abs(map.se[d] - map_se) <= tol);
      CHECK(std::abs(eap.theta[d] - eap_theta) <= tol);
      CHECK(std::abs(eap.se[d] - eap_se) <= tol);
      // The scorer is the same computation with precomputed tables (sums in another order).
      CHECK(std::abs(scored.theta[d] - eap.theta[d]) <= 1e-12);
      CHECK(std::abs(scored.se[d] - eap.se[d]) <= 1e-12);
      worst_map = std::max({worst_map, std::abs(map.theta[d] - map_theta), std::abs(map.se[d] - map_se)});
      worst_eap = std::max({worst_eap, std::abs(eap.theta[d] - eap_theta), std::abs(eap.se[d] - eap_se)});
    }
  }
  MESSAGE("s1 largest |dskill - mirt|: MAP " << worst_map << ", EAP " << worst_eap);
}

TEST_CASE("profile estimate: bifactor EAP agrees with mirt on s2 (full 19^4 grid and the reduction)") {
  const auto ref = dskill_test::load_reference("mirt_multi.json").at("s2_bifactor");
  const auto store = mirt_items(ref.at("estimates").at("items"), 4);
  const auto table = store.view();
  const auto patterns = read_patterns("data/mirt_bifactor_2000x18_responses.csv", 50);
  REQUIRE(patterns.size() == 50);
  CHECK(estimate::bifactor_general_dims(table, estimate::mvn_prior::standard(4)) == std::optional<std::size_t>(1));
  CHECK(estimate::default_grid_points(4) == 19);
  profile_options full;
  full.estimator = profile_method::eap;
  full.integration = profile_integration::grid;
  profile_options reduced = full;
  reduced.integration = profile_integration::bifactor;
  profile_options automatic = full;
  automatic.integration = profile_integration::automatic;
  const auto& scores = ref.at("fscores_first50").at("EAP");
  constexpr double tol = 1e-3;  // against mirt (the tolerance)
  constexpr double same = 1e-9;  // the reduction against the full grid: the same sums, regrouped
  double worst = 0, worst_reduction = 0;
  for (std::size_t p = 0; p < 50; ++p) {
    const auto a = estimate::estimate_profile(table, patterns[p], full);
    const auto b = estimate::estimate_profile(table, patterns[p], reduced);
    const auto c = estimate::estimate_profile(table, patterns[p], automatic);
    for (Eigen::Index d = 0; d < 4; ++d) {
      const double theta = scores.at("theta").at(p).at(d).get<double>();
      const double se = scores.at("se").at(p).at(d).get<double>();
      CHECK(std::abs(a.theta[d] - theta) <= tol);
      CHECK(std::abs(a.se[d] - se) <= tol);
      CHECK(std::abs(b.theta[d] - a.theta[d]) <= same);
      CHECK(std::abs(b.se[d] - a.se[d]) <= same);
      CHECK(c.theta[d] == b.theta[d]);  // automatic picks the reduction for this table
      worst = std::max({worst, std::abs(a.theta[d] - theta), std::abs(a.se[d] - se)});
      worst_reduction = std::max({worst_reduction, std::abs(b.theta[d] - a.theta[d]), std::abs(b.se[d] - a.se[d])});
    }
    CHECK(((b.covariance - a.covariance).cwiseAbs().maxCoeff()) <= same);
  }
  MESSAGE("s2 largest |dskill - mirt| " << worst << ", |reduction - full grid| " << worst_reduction);
}

TEST_CASE("profile estimate: a two-tier reduction (two correlated general factors) equals the full grid") {
  // Dimensions 0-1 general (correlated), 2-3 specific with their own means and variances.
  irt::multidim_store store(4);
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> a(0.6, 1.8), d(-1.0, 1.0);
  for (std::size_t i = 0; i < 16; ++i) {
    std::vector<double> slopes = {a(rng), i % 3 == 0 ? 0.0 : a(rng), 0.0, 0.0};
    if (i % 4 != 3) slopes[2 + (i % 2)] = a(rng);
    store.push_back({{model::two_pl, 1.0, 0.0, 1.0, {d(rng)}, {}}, slopes});
  }
  profile_options opts;
  opts.estimator = profile_method::eap;
  opts.grid_points = 13;
  opts.prior = estimate::mvn_prior::standard(4);
  opts.prior.covariance(0, 1) = opts.prior.covariance(1, 0) = 0.4;
  opts.prior.covariance(3, 3) = 0.7;
  opts.prior.mean[2] = 0.3;
  CHECK_FALSE(estimate::has_bifactor_structure(store, opts.prior, 1));
  CHECK(estimate::bifactor_general_dims(store, opts.prior) == std::optional<std::size_t>(2));
  std::vector<response> pattern;
  for (std::uint32_t i = 0; i < 16; ++i) pattern.push_back({i, static_cast<int>((i * 7) % 3 == 0)});
  opts.integration = profile_integration::grid;
  const auto full = estimate::estimate_profile(store, pattern, opts);
  opts.integration = profile_integration::bifactor;
  const auto reduced = estimate::estimate_profile(store, pattern, opts);
  CHECK((reduced.theta - full.theta).cwiseAbs().maxCoeff() <= 1e-10);
  CHECK((reduced.covariance - full.covariance).cwiseAbs().maxCoeff() <= 1e-10);
  // A prior correlating a specific factor with a general one breaks the structure.
  opts.prior.covariance(0, 2) = opts.prior.covariance(2, 0) = 0.2;
  CHECK_FALSE(estimate::bifactor_general_dims(store, opts.prior).has_value());
  CHECK_THROWS_AS(estimate::estimate_profile(store, pattern, opts), invalid_argument);
}

TEST_CASE("profile MAP: the log-posterior's gradient is zero at the estimate; covariance = inverse information") {
  for (const bool within : {false, true})
    for (const bool mixed : {false, true}) {
      const auto sim = simulate(3, 24, {0.8, -0.4, 1.3}, 5 + within + 2 * mixed, within, mixed);
      const auto table = sim.store.view();
      profile_options opts;
      opts.prior = estimate::mvn_prior::standard(3);
      opts.prior.mean << 0.1, -0.2, 0.0;
      opts.prior.covariance << 1.0, 0.5, 0.3, 0.5, 1.2, 0.4, 0.3, 0.4, 0.9;
      const auto r = estimate::estimate_profile(table, sim.pattern, opts);
      REQUIRE(r.state == estimate::status::ok);
      CHECK(r.iterations < 20);
      profile_vector g;
      profile_matrix h;
      CHECK(estimate::log_likelihood_derivatives(table, sim.pattern, r.theta, g, h) == 24);
      const profile_matrix precision = opts.prior.covariance.inverse();
      const profile_vector posterior_gradient = g - precision * (r.theta - opts.prior.mean);
      CHECK(posterior_gradient.cwiseAbs().maxCoeff() < 1e-7);
      // The gradient against central differences of the log-likelihood.
      for (Eigen::Index d = 0; d < 3; ++d) {
        profile_vector up = r.theta, down = r.theta;
        up[d] += 1e-5;
        down[d] -= 1e-5;
        const double fd = (estimate::log_likelihood(table, sim.pattern, up) - estimate::log_likelihood(table, sim.pattern, down)) / 2e-5;
        CHECK(g[d] == doctest::Approx(fd).epsilon(1e-6).scale(1e-6));
      }
      const profile_matrix observed = precision - h;
      CHECK((r.covariance * observed - profile_matrix::Identity(3, 3)).cwiseAbs().maxCoeff() < 1e-10);
      for (Eigen::Index d = 0; d < 3; ++d) CHECK(r.se[d] == doctest::Approx(std::sqrt(r.covariance(d, d))));
      // Expected information as the option: inverse of I + S^-1.
      opts.se_information = estimate::information_kind::expected;
      const auto e = estimate::estimate_profile(table, sim.pattern, opts);
      CHECK((e.theta - r.theta).cwiseAbs().maxCoeff() == 0.0);
      const profile_matrix expected = estimate::test_information(table, sim.pattern, r.theta) + precision;
      CHECK((e.covariance * expected - profile_matrix::Identity(3, 3)).cwiseAbs().maxCoeff() < 1e-10);
      if (!mixed) CHECK((e.covariance - r.covariance).cwiseAbs().maxCoeff() < 1e-10);  // 2PL: observed = expected
    }
}

TEST_CASE("profile MAP and the grid scorer allocate nothing per pattern") {
  const auto sim = simulate(5, 30, {0.5, -0.3, 1.0, 0.0, -1.2}, 8, true, true);
  profile_options opts;
  opts.prior = estimate::mvn_prior::standard(5);
  const estimate::profile_estimator estimator(sim.store, opts);
  const auto sim2 = simulate(2, 20, {0.5, -0.3}, 8, true);
  profile_options eap;
  eap.estimator = profile_method::eap;
  const estimate::profile_eap_scorer scorer(sim2.store, eap);
  std::vector<double> scratch(scorer.scratch_size());
  estimate::profile_result a, b, c;
  long count = 0;
  {
    const dskill_test::allocation_counter counter;
    a = estimator(sim.pattern);
    b = estimate::estimate_profile(sim.store, sim.pattern, opts);  // per call: the prior prepared each time
    c = scorer(sim2.pattern, scratch);
    count = counter.count();
  }
  CHECK(count == 0);
  if (dskill_test::allocation_counting_enabled()) {  // the counter sees an allocation when there is one
    const dskill_test::allocation_counter counter;
    const auto r = scorer(sim2.pattern, std::span<double>(scratch).first(10));  // too small: allocates
    CHECK(counter.count() > 0);
    CHECK(r.theta == c.theta);
  }
  CHECK(a.state == estimate::status::ok);
  CHECK(a.theta == b.theta);
  CHECK(c.state == estimate::status::ok);
  if (!dskill_test::allocation_counting_enabled()) MESSAGE("allocation counting is off (sanitizer build or valgrind)");
}

TEST_CASE("profile EAP approaches the MAP as items grow") {
  const std::vector<double> theta = {0.6, -0.9};
  profile_options opts;
  opts.prior = estimate::mvn_prior::standard(2);
  opts.prior.covariance(0, 1) = opts.prior.covariance(1, 0) = 0.5;
  double previous = 1e9;
  for (const std::size_t n : {6u, 24u, 96u, 384u}) {
    const auto sim = simulate(2, n, theta, 99, true);
    opts.estimator = profile_method::map;
    const auto map = estimate::estimate_profile(sim.store, sim.pattern, opts);
    opts.estimator = profile_method::eap;
    opts.grid_points = 121;  // fine enough for the posterior of 384 items (SD ~ 0.1)
    const auto eap = estimate::estimate_profile(sim.store, sim.pattern, opts);
    const double gap = (eap.theta - map.theta).cwiseAbs().maxCoeff();
    const double se_gap = (eap.se - map.se).cwiseAbs().maxCoeff() / map.se.maxCoeff();
    MESSAGE(n << " items: |EAP - MAP| " << gap << ", relative SE gap " << se_gap);
    CHECK(gap < previous);
    previous = gap;
    if (n == 384) {
      CHECK(gap < 0.01);
      CHECK(se_gap < 0.05);
    }
  }
}

TEST_CASE("profile EAP: QMC is within its Monte Carlo error of the grid in 3 dimensions") {
  const auto sim = simulate(3, 15, {0.5, -1.0, 0.2}, 3, true, true);
  profile_options opts;
  opts.estimator = profile_method::eap;
  opts.prior = estimate::mvn_prior::standard(3);
  opts.prior.covariance << 1.0, 0.6, 0.4, 0.6, 1.0, 0.5, 0.4, 0.5, 1.0;
  opts.integration = profile_integration::grid;
  opts.grid_points = 61;  // 61^3: the reference integral
  const auto grid = estimate::estimate_profile(sim.store, sim.pattern, opts);
  CHECK(grid.state == estimate::status::ok);
  opts.integration = profile_integration::qmc;
  opts.qmc_points = 4096;
  constexpr int replicates = 16;  // independent random shifts: their spread is the Monte Carlo error
  std::vector<estimate::profile_result> runs;
  for (int k = 0; k < replicates; ++k) {
    opts.qmc_seed = 1000 + static_cast<std::uint64_t>(k);
    runs.push_back(estimate::estimate_profile(sim.store, sim.pattern, opts));
  }
  for (Eigen::Index d = 0; d < 3; ++d) {
    for (const bool se : {false, true}) {
      double mean = 0, var = 0;
      for (const auto& r : runs) mean += (se ? r.se[d] : r.theta[d]) / replicates;
      for (const auto& r : runs) var += std::pow((se ? r.se[d] : r.theta[d]) - mean, 2) / (replicates - 1);
      const double sd = std::sqrt(var);
      const double target = se ? grid.se[d] : grid.theta[d];
      MESSAGE("dim " << d << std::string(se ? " SE" : " theta") << ": grid " << target << ", QMC mean " << mean << ", MC sd " << sd);
      // The mean of 16 shifts within 4 of its standard errors; a single run within 5 of its SD.
      CHECK(std::abs(mean - target) <= 4 * sd / std::sqrt(double(replicates)) + 1e-6);
      for (const auto& r : runs) CHECK(std::abs((se ? r.se[d] : r.theta[d]) - target) <= 5 * sd + 1e-6);
      CHECK(sd < 5e-3);  // and the error is small at 4096 points
    }
  }
  // The same seed gives the same numbers.
  const auto again = estimate::estimate_profile(sim.store, sim.pattern, opts);
  CHECK(again.theta == runs.back().theta);
}

TEST_CASE("profile estimate: D = 1 is the unidimensional MAP and EAP") {
  const std::vector<irt::item_params> uni = {{model::two_pl, 1.7, 0.0, 1.0, {0.4}, {}},
                                             {model::three_pl, 0.9, 0.25, 1.0, {-1.2}, {}},
                                             {model::four_pl, 1.2, 0.1, 0.95, {0.3}, {}},
                                             {model::grm, 1.3, 0.0, 1.0, {1.5, -0.5}, {}},
                                             {model::gpcm, 0.8, 0.0, 1.0, {0.4, -0.3, 0.1}, {}},
                                             {model::two_pl, 1.1, 0.0, 1.0, {-0.7}, {}}};
  const irt::item_store flat(uni);
  irt::multidim_store store(1);
  for (const auto& p : uni) store.push_back({p, {p.slope}});
  const std::vector<std::vector<response>> patterns = {
      {{0, 1}, {1, 0}, {2, 1}, {3, 2}, {4, 1}, {5, 0}},
      {{0, 1}, {1, 1}, {2, 1}, {3, 2}, {4, 3}, {5, 1}},
      {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 0}},
      {{3, 1}}};
  for (const auto kind : {estimate::information_kind::observed, estimate::information_kind::expected})
    for (const auto& pattern : patterns) {
      estimate::options uni_opts;
      uni_opts.prior_ = {prior_kind::normal, 0.3, 1.2, {}};
      uni_opts.se_information = kind;
      profile_options opts;
      opts.prior = {profile_vector::Constant(1, 0.3), profile_matrix::Constant(1, 1, 1.44)};
      opts.lower_bound = uni_opts.lower_bound;
      opts.upper_bound = uni_opts.upper_bound;
      opts.se_information = kind;
      uni_opts.estimator = estimate::method::map;
      const auto u = estimate::estimate_theta(flat, pattern, uni_opts);
      const auto m = estimate::estimate_profile(store, pattern, opts);
      CHECK(m.theta[0] == doctest::Approx(u.theta).epsilon(1e-9));
      CHECK(m.se[0] == doctest::Approx(u.se).epsilon(1e-9));
      uni_opts.estimator = estimate::method::eap;  // mirt's default grid, 121 points on [-6, 6]
      opts.estimator = profile_method::eap;
      const auto ue = estimate::estimate_theta(flat, pattern, uni_opts);
      const auto me = estimate::estimate_profile(store, pattern, opts);
      CHECK(me.theta[0] == doctest::Approx(ue.theta).epsilon(1e-12));
      CHECK(me.se[0] == doctest::Approx(ue.se).epsilon(1e-12));
    }
}

TEST_CASE("profile estimate: an empty pattern returns the prior with status no_responses") {
  const auto sim = simulate(3, 9, {0, 0, 0}, 1);
  profile_options opts;
  opts.prior = estimate::mvn_prior::standard(3);
  opts.prior.mean << 0.5, -0.25, 1.0;
  opts.prior.covariance << 1.0, 0.3, 0.0, 0.3, 2.0, 0.1, 0.0, 0.1, 0.5;
  const std::vector<response> none;
  const std::vector<response> unusable = {{99, 1}, {0, 5}, {1, -1}};
  for (const auto* pattern : {&none, &unusable})
    for (const auto integration : {profile_integration::grid, profile_integration::qmc}) {
      for (const auto m : {profile_method::map, profile_method::eap}) {
        opts.estimator = m;
        opts.integration = integration;
        const auto r = estimate::estimate_profile(sim.store, *pattern, opts);
        CHECK(r.state == estimate::status::no_responses);
        CHECK(r.theta == opts.prior.mean);
        CHECK(r.covariance == opts.prior.covariance);
        CHECK(r.se[1] == doctest::Approx(std::sqrt(2.0)));
      }
      opts.estimator = profile_method::eap;
      const estimate::profile_eap_scorer scorer(sim.store, opts);
      const auto s = scorer(*pattern);
      CHECK(s.state == estimate::status::no_responses);
      CHECK(s.theta == opts.prior.mean);
    }
}

TEST_CASE("profile estimate: extreme patterns stay finite") {
  for (const std::size_t dims : {2u, 3u, 5u}) {
    const auto sim = simulate(dims, 30, std::vector<double>(dims, 0.0), 17, true, true);
    const auto table = sim.store.view();
    std::vector<response> top, bottom;
    for (std::uint32_t i = 0; i < 30; ++i) {
      top.push_back({i, table.links.categories(i) - 1});
      bottom.push_back({i, 0});
    }
    for (const auto* pattern : {&top, &bottom}) {
      profile_options opts;
      const auto map = estimate::estimate_profile(table, *pattern, opts);
      CHECK(map.state == estimate::status::ok);
      check_finite(map);
      opts.estimator = profile_method::eap;
      opts.qmc_points = 2048;
      const auto eap = estimate::estimate_profile(table, *pattern, opts);
      check_finite(eap);
      // Far more extreme: a nearly flat prior lets the MAP run to the box.
      opts.estimator = profile_method::map;
      opts.prior = estimate::mvn_prior::standard(dims);
      opts.prior.covariance *= 1e12;
      opts.lower_bound = -3.0;
      opts.upper_bound = 3.0;
      const auto boxed = estimate::estimate_profile(table, *pattern, opts);
      check_finite(boxed);
      CHECK(boxed.state == (pattern == &top ? estimate::status::at_upper_bound : estimate::status::at_lower_bound));
      CHECK(boxed.theta.cwiseAbs().maxCoeff() == 3.0);
    }
  }
}

TEST_CASE("profile estimate: the iteration limit and bad options") {
  const auto sim = simulate(2, 20, {1.0, -1.0}, 23);
  profile_options opts;
  opts.max_iterations = 1;
  CHECK(estimate::estimate_profile(sim.store, sim.pattern, opts).state == estimate::status::max_iterations);
  const auto check_throws = [&](auto change) {
    profile_options o;
    change(o);
    CHECK_THROWS_AS(estimate::validate(o, sim.store), invalid_argument);
    CHECK_THROWS_AS((void)estimate::estimate_profile(sim.store, sim.pattern, o), invalid_argument);
  };
  check_throws([](profile_options& o) { o.prior = estimate::mvn_prior::standard(3); });
  check_throws([](profile_options& o) {
    o.prior = estimate::mvn_prior::standard(2);
    o.prior.covariance(0, 1) = o.prior.covariance(1, 0) = 1.5;  // not positive definite
  });
  check_throws([](profile_options& o) {
    o.prior = estimate::mvn_prior::standard(2);
    o.prior.covariance(0, 1) = 0.2;  // not symmetric
  });
  check_throws([](profile_options& o) { o.lower_bound = 2.0; o.upper_bound = 1.0; });
  check_throws([](profile_options& o) { o.tolerance = 0.0; });
  check_throws([](profile_options& o) { o.estimator = profile_method::eap; o.grid_points = 1; });
  check_throws([](profile_options& o) { o.estimator = profile_method::eap; o.grid_lo = 1.0; o.grid_hi = -1.0; });
  check_throws([](profile_options& o) { o.estimator = profile_method::eap; o.integration = profile_integration::bifactor; });
  check_throws([](profile_options& o) {
    o.estimator = profile_method::eap;
    o.integration = profile_integration::grid;
    o.grid_points = 1001;  // 1001^2 nodes
  });
  check_throws([](profile_options& o) {
    o.estimator = profile_method::eap;
    o.integration = profile_integration::qmc;
    o.qmc_points = 1;
  });
  CHECK_NOTHROW(estimate::validate(profile_options{}, sim.store));
  irt::multidim_store wide(estimate::max_dims + 1);
  wide.push_back({{model::two_pl, 1.0, 0.0, 1.0, {0.0}, {}}, std::vector<double>(estimate::max_dims + 1, 1.0)});
  CHECK_THROWS_AS(estimate::validate(profile_options{}, wide), invalid_argument);
}
