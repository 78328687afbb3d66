// Profile (multidimensional) scoring: per-area level probabilities from the marginal posterior
// (EAP grid against brute-force integration, MAP's normal approximation), Rudner's accuracy and
// consistency per area against a simulation with a fixed seed, and certification rules with a
// minimum probability (framework schema, validation, decisions).
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include <Eigen/LU>
#include <fmt/format.h>

#include "dskill/bank/yaml.hpp"
#include "dskill/core/quadrature.hpp"
#include "dskill/core/rng.hpp"
#include "dskill/error.hpp"
#include "dskill/estimate/multidim.hpp"
#include "dskill/framework/framework.hpp"
#include "dskill/score/framework_levels.hpp"
#include "dskill/score/scorer.hpp"
#include "test_score_support.hpp"
#include "test_support.hpp"

using namespace dskill;

namespace {

framework::framework_ptr mini() { return framework::load_framework(dskill_test::data_path("frameworks/mini.yaml")); }

bank::bank_ptr load_profile(const std::string& path, const framework::framework& fw) {
  bank::load_options lo;
  lo.framework = &fw;
  return bank::load_bank(path, lo);
}

// A between-item 2PL profile bank on framework mini: per_dim items on each of two dimensions
// (info -> area 1, safety -> area 4), latent correlation rho; slopes and intercepts returned.
struct sim_bank {
  std::string yaml;
  std::vector<double> a, d;
  std::vector<int> dim;
};
sim_bank make_sim_bank(int per_dim, double rho, std::uint64_t seed) {
  core::rng rng(seed);
  sim_bank out;
  out.yaml = fmt::format(R"(dskill: 1
bank:
  id: sim-profile
  framework: {{id: mini, version: "1.0"}}
  languages: [en]
  scale: {{D: 1.0}}
  dimensions:
    - {{id: info, area: "1", title: {{en: "Information"}}}}
    - {{id: safety, area: "4", title: {{en: "Safety"}}}}
  latent:
    mean: [0, 0]
    correlation: [[1, {0}], [{0}, 1]]
items:
)",
                         rho);
  for (int i = 0; i < 2 * per_dim; ++i) {
    const int k = i % 2;
    const double a = 0.8 + 1.2 * rng.uniform(), b = -2.0 + 4.0 * rng.uniform();
    out.a.push_back(a);
    out.d.push_back(-a * b);
    out.dim.push_back(k);
    out.yaml += fmt::format("  - id: q{}\n    model: 2pl\n    params: {{a: {{{}: {:.17g}}}, intercept: {:.17g}}}\n"
                            "    competences: [\"{}\"]\n",
                            i + 1, k == 0 ? "info" : "safety", a, -a * b, k == 0 ? "1.1" : "4.1");
  }
  return out;
}

// Brute-force marginal level probabilities of dimension `dim`: the posterior (the bank's
// likelihood times the MVN prior density) by the midpoint rule on cells of width h over
// [-6, 6]^2, integrated over each level's interval (no cell straddles a cut when h divides them).
std::vector<double> brute_force_levels(const bank::item_bank& bank, std::span<const response> resp,
                                       const estimate::mvn_prior& prior, std::size_t dim, std::span<const double> cuts,
                                       double h) {
  const auto table = bank.multidim_table();
  const Eigen::Matrix2d precision = prior.covariance.topLeftCorner(2, 2).inverse();
  const int n = static_cast<int>(std::lround(12.0 / h));
  std::vector<double> logp(static_cast<std::size_t>(n) * static_cast<std::size_t>(n));
  double top = -INFINITY;
  estimate::profile_vector theta(2);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      theta[0] = -6.0 + h * (i + 0.5);
      theta[1] = -6.0 + h * (j + 0.5);
      const Eigen::Vector2d x(theta[0] - prior.mean[0], theta[1] - prior.mean[1]);
      const double v = estimate::log_likelihood(table, resp, theta) - 0.5 * x.dot(precision * x);
      logp[static_cast<std::size_t>(i * n + j)] = v;
      top = std::max(top, v);
    }
  std::vector<double> p(cuts.size() + 1, 0.0);
  double total = 0.0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const double w = std::exp(logp[static_cast<std::size_t>(i * n + j)] - top);
      const double t = -6.0 + h * ((dim == 0 ? i : j) + 0.5);
      p[static_cast<std::size_t>(score::level_for(cuts, t) - 1)] += w;
      total += w;
    }
  for (double& x : p) x /= total;
  return p;
}

std::vector<response> parse_pattern(std::initializer_list<int> cats) {
  std::vector<response> r;
  std::size_t i = 0;
  for (int c : cats) {
    if (c >= 0) r.push_back({static_cast<std::uint32_t>(i), c});
    ++i;
  }
  return r;
}

}  // namespace

TEST_CASE("score profile: EAP level probabilities are the marginal posterior (brute force)" * doctest::test_suite("score")) {
  const auto fw = mini();
  const auto bank = load_profile(dskill_test::data_path("banks/profile.yaml"), *fw);
  const auto levels = score::from_framework(fw);
  const auto po = score::default_profile_options(*bank, estimate::method::eap);
  const std::vector<std::vector<response>> patterns = {parse_pattern({1, 0, 1, 2, 1}), parse_pattern({0, 0, 0, 0, 0}),
                                                       parse_pattern({1, 1, 1, 3, 2}), parse_pattern({1, -1, -1, -1, -1})};
  for (const int points : {0, 241}) {  // mirt's 61 per dimension, and a finer grid
    auto opts = po;
    opts.grid_points = points;
    const score::scorer s(bank, {}, levels, opts);
    REQUIRE(s.profiled());
    CHECK(s.marginals() == score::marginal_kind::grid);
    score::scorer::workspace ws;
    score::person_result r;
    double worst = 0.0;
    for (const auto& pattern : patterns) {
      s.score(pattern, r, ws);
      // The marginal weights the scorer sums are those of the EAP: their means are its coordinates.
      const std::size_t q = ws.marginal.size() / 2;
      const auto pts = grid_nodes({opts.grid_lo, opts.grid_hi, points ? points : estimate::default_grid_points(2)});
      REQUIRE(pts.size() == q);
      for (std::size_t d = 0; d < 2; ++d) {
        double m0 = 0.0, m1 = 0.0;
        for (std::size_t k = 0; k < q; ++k) {
          m0 += ws.marginal[d * q + k];
          m1 += ws.marginal[d * q + k] * pts[k];
        }
        CHECK(m1 / m0 == doctest::Approx(r.profile.theta[static_cast<Eigen::Index>(d)]).epsilon(1e-10));
      }
      for (std::size_t a = 0; a < 2; ++a) {
        const auto dim = s.area_dimension()[a];
        REQUIRE(dim < 2);
        const auto exact = brute_force_levels(*bank, pattern, po.prior, dim, levels->areas[a].cuts, 0.01);
        double sum = 0.0;
        for (std::size_t k = 0; k < exact.size(); ++k) {
          worst = std::max(worst, std::abs(r.areas[a].p_levels[k] - exact[k]));
          sum += r.areas[a].p_levels[k];
        }
        CHECK(sum == doctest::Approx(1.0).epsilon(1e-12));
        CHECK(r.areas[a].level == score::level_for(levels->areas[a].cuts, r.profile.theta[static_cast<Eigen::Index>(dim)]));
        CHECK(r.areas[a].p_assigned == r.areas[a].p_levels[static_cast<std::size_t>(r.areas[a].level - 1)]);
      }
    }
    MESSAGE("grid " << (points ? points : 61) << " points per dimension: largest |P(level) - brute force| = " << worst);
    // Tolerance: the grid posterior is piecewise constant over cells of width 0.2 (61 points) or
    // 0.05 (241); its error against the continuous integral falls as the cell squared (measured:
    // 3.1e-3 and 2.5e-4, a ratio of 12 for 16). Without the split of the cells at the cuts the
    // 61-point error was several times larger.
    CHECK(worst < (points ? 5e-4 : 5e-3));
  }
}

TEST_CASE("score profile: MAP level probabilities are the normal approximation of the profile" * doctest::test_suite("score")) {
  const auto fw = mini();
  const auto bank = load_profile(dskill_test::data_path("banks/profile.yaml"), *fw);
  const auto levels = score::from_framework(fw);
  estimate::options eo;
  eo.estimator = estimate::method::map;
  const score::scorer s(bank, eo, levels, score::default_profile_options(*bank, estimate::method::map));
  CHECK(s.marginals() == score::marginal_kind::normal);
  score::scorer::workspace ws;
  score::person_result r;
  const auto pattern = parse_pattern({1, 0, 1, 2, 1});
  s.score(pattern, r, ws);
  const auto direct = estimate::estimate_profile(bank->multidim_table(), pattern, s.profile_options());
  for (std::size_t a = 0; a < 2; ++a) {
    const auto d = static_cast<Eigen::Index>(s.area_dimension()[a]);
    CHECK(r.areas[a].est.theta == direct.theta[d]);
    CHECK(r.areas[a].est.se == direct.se[d]);
    std::vector<double> p(4);
    score::level_probabilities(levels->areas[a].cuts, direct.theta[d], direct.se[d], p);
    for (std::size_t k = 0; k < 4; ++k) CHECK(r.areas[a].p_levels[k] == p[k]);
  }
  // nothing answered: no level, whatever the prior says
  s.score({}, r, ws);
  CHECK(r.profile.state == estimate::status::no_responses);
  CHECK(r.areas[0].level == 0);
  CHECK_FALSE(r.certified());
  // ML has no profile form
  CHECK_THROWS_AS(score::default_profile_options(*bank, estimate::method::ml), invalid_argument);
  CHECK_THROWS_AS(score::default_profile_options(*score_test::make_bank(), estimate::method::map), invalid_argument);
}

TEST_CASE("score profile: Rudner accuracy and consistency per area match a simulation" * doctest::test_suite("score")) {
  const auto fw = mini();
  const auto sim = make_sim_bank(8, 0.6, 3);
  score_test::temp_dir tmp;
  const auto bank = load_profile(tmp.write("sim.yaml", sim.yaml), *fw);
  const auto levels = score::from_framework(fw);
  // the model the simulation draws from is the bank's (logit = a . theta + d)
  {
    estimate::profile_vector t(2);
    t << 0.3, -0.4;
    const std::vector<response> one{{0, 1}};
    const double logit = sim.a[0] * t[sim.dim[0]] + sim.d[0];
    CHECK(std::exp(estimate::log_likelihood(bank->multidim_table(), one, t)) ==
          doctest::Approx(1.0 / (1.0 + std::exp(-logit))).epsilon(1e-12));
  }
  const int persons = 4000;
  const double rho = 0.6;
  for (const auto m : {estimate::method::eap, estimate::method::map}) {
    estimate::options eo;
    eo.estimator = m;
    const score::scorer s(bank, eo, levels, score::default_profile_options(*bank, m));
    core::rng rng(11);
    score::scorer::workspace ws;
    score::person_result r1, r2;
    std::vector<score::classification_stats> stats(2);
    std::vector<int> agree_true(2, 0), agree_forms(2, 0);
    std::vector<response> f1, f2;
    for (int p = 0; p < persons; ++p) {
      const double z1 = rng.normal(), z2 = rng.normal();
      const double t[2] = {z1, rho * z1 + std::sqrt(1 - rho * rho) * z2};
      // two parallel forms: the same items answered twice, independently
      f1.clear();
      f2.clear();
      for (std::size_t i = 0; i < sim.a.size(); ++i) {
        const double pr = 1.0 / (1.0 + std::exp(-(sim.a[i] * t[sim.dim[i]] + sim.d[i])));
        f1.push_back({static_cast<std::uint32_t>(i), rng.uniform() < pr ? 1 : 0});
        f2.push_back({static_cast<std::uint32_t>(i), rng.uniform() < pr ? 1 : 0});
      }
      s.score(f1, r1, ws);
      const int l1[2] = {r1.areas[0].level, r1.areas[1].level};
      s.score(f2, r2, ws);
      for (std::size_t a = 0; a < 2; ++a) {
        stats[a].add(l1[a], r1.areas[a].p_assigned, r1.areas[a].p_squared);
        const auto dim = s.area_dimension()[a];
        agree_true[a] += l1[a] == score::level_for(levels->areas[a].cuts, t[dim]) ? 1 : 0;
        agree_forms[a] += l1[a] == r2.areas[a].level ? 1 : 0;
      }
    }
    for (std::size_t a = 0; a < 2; ++a) {
      const double acc = agree_true[a] / static_cast<double>(persons), con = agree_forms[a] / static_cast<double>(persons);
      MESSAGE(estimate::to_string(m) << " area " << levels->areas[a].id << ": Rudner accuracy " << stats[a].accuracy()
                                     << " (simulated " << acc << "), consistency " << stats[a].consistency()
                                     << " (simulated " << con << ")");
      // Tolerance: the sampling error of a proportion on 4,000 persons is at most 0.008 (measured
      // gaps: 0.011 or less). Consistency: Rudner's sum of p_k^2 takes the two forms' levels as
      // two draws of the true theta from one posterior; two shrunk estimates (MAP and EAP with
      // the latent prior) agree more often than that, so the formula is a lower bound here,
      // measured 0.035 to 0.048 under the simulated agreement.
      CHECK(std::abs(stats[a].accuracy() - acc) < 0.02);
      CHECK(stats[a].consistency() < con);
      CHECK(con - stats[a].consistency() < 0.06);
    }
  }
}

TEST_CASE("score levels: the level at a minimum probability" * doctest::test_suite("score")) {
  const std::vector<double> p{0.1, 0.2, 0.3, 0.4};
  CHECK(score::level_at_probability(p, 4, 0.4) == 4);
  CHECK(score::level_at_probability(p, 4, 0.5) == 3);  // P(>= 3) = 0.7
  CHECK(score::level_at_probability(p, 4, 0.8) == 2);  // P(>= 2) = 0.9
  CHECK(score::level_at_probability(p, 4, 0.95) == 1);
  CHECK(score::level_at_probability(p, 3, 0.5) == 3);  // never above the point level
  CHECK(score::level_at_probability(p, 0, 0.5) == 0);
  const std::vector<double> certain{0.0, 0.0, 1.0, 0.0};
  CHECK(score::level_at_probability(certain, 3, 1.0) == 3);
  // the cell split: a cut on a grid point gives it half to each side
  const std::vector<double> pts{-1.0, 0.0, 1.0}, w{1.0, 1.0, 1.0}, cuts{0.0};
  std::vector<double> out(2);
  score::level_probabilities(cuts, pts, w, out);
  CHECK(out[0] == doctest::Approx(0.5));
  CHECK(out[1] == doctest::Approx(0.5));
}

TEST_CASE("score: certification rules with min_probability" * doctest::test_suite("score")) {
  std::string text = score_test::slurp(dskill_test::data_path("frameworks/mini.yaml"));
  const std::string core_rule = "    all_areas_at_least: 3\n";
  REQUIRE(text.find(core_rule) != std::string::npos);

  SUBCASE("the framework reads and checks it") {
    auto with = [&](const std::string& value) {
      std::string t = text;
      t.replace(t.find(core_rule), core_rule.size(), core_rule + "    min_probability: " + value + "\n");
      return t;
    };
    const auto fw = framework::load_framework_from_string(with("0.8"), "p.yaml");
    REQUIRE(fw->certification_rules()[0].min_probability);
    CHECK(*fw->certification_rules()[0].min_probability == 0.8);
    CHECK_FALSE(fw->certification_rules()[1].min_probability);
    for (const char* bad : {"1.5", "0", "-0.2", "high", "[0.8]"}) {
      CAPTURE(bad);
      try {
        framework::load_framework_from_string(with(bad), "p.yaml");
        FAIL("accepted");
      } catch (const error& e) {
        const std::string what = e.what();
        CHECK(what.find("p.yaml:41:") != std::string::npos);
        CHECK(what.find("min_probability must be a number in (0, 1]") != std::string::npos);
      }
    }
    framework::framework_data d = fw->data();
    d.certification[0].min_probability = 1.2;
    CHECK_THROWS_AS(framework::framework{d}, framework_error);
  }

  SUBCASE("a level counts only when probable enough; otherwise the next lower one") {
    std::string t = text;
    // "core" (every area at 3 or more) needs P(level >= stated) >= 0.8; "foundation" below it
    // needs every area at level 2 or more at 0.8.
    t.replace(t.find(core_rule), core_rule.size(),
              core_rule + "    min_probability: 0.8\n  - id: foundation\n    name: {en: F, vi: F}\n"
                          "    all_areas_at_least: 2\n    min_probability: 0.8\n");
    const auto fw_p = framework::load_framework_from_string(t, "p.yaml");
    const auto fw = mini();
    const auto bank = load_profile(dskill_test::data_path("banks/profile.yaml"), *fw);
    const auto po = score::default_profile_options(*bank, estimate::method::eap);
    const score::scorer plain(bank, {}, score::from_framework(fw), po);
    const score::scorer strict(bank, {}, score::from_framework(fw_p), po);
    score::scorer::workspace ws;
    core::rng rng(5);
    int certified_plain = 0, certified_strict = 0, core_strict = 0;
    for (int p = 0; p < 400; ++p) {
      std::vector<response> pattern;
      for (std::size_t i = 0; i < bank->size(); ++i)
        pattern.push_back({static_cast<std::uint32_t>(i), static_cast<int>(rng.uniform() * bank->params(i).categories())});
      score::person_result a, b;
      plain.score(pattern, a, ws);
      strict.score(pattern, b, ws);
      certified_plain += a.certified() && *a.rule == 0;
      certified_strict += b.certified();
      if (!b.certified()) continue;
      // rules: core (0, at 0.8), foundation (1, at 0.8), safety-focus (2, point levels)
      const auto& rule = strict.levels()->rules[*b.rule];
      core_strict += *b.rule == 0;
      if (!rule.min_probability) {
        for (const auto& x : b.areas) CHECK(x.certified_level == x.level);
        continue;
      }
      const double t_min = *rule.min_probability;
      const int need = *b.rule == 0 ? 3 : 2;
      if (*b.rule == 0) CHECK((a.certified() && *a.rule == 0));  // strict "core" implies plain "core"
      for (std::size_t ar = 0; ar < 2; ++ar) {
        const auto& x = b.areas[ar];
        CHECK(x.certified_level >= need);
        CHECK(x.certified_level <= x.level);
        double at_least = 0.0;
        for (std::size_t k = static_cast<std::size_t>(x.certified_level - 1); k < x.p_levels.size(); ++k)
          at_least += x.p_levels[k];
        CHECK(at_least >= t_min - 1e-12);
      }
    }
    MESSAGE("core certified on point levels: " << certified_plain << ", at P >= 0.8: " << core_strict
                                               << " (any rule at P >= 0.8: " << certified_strict << ")");
    CHECK(core_strict < certified_plain);
    CHECK(core_strict > 0);
  }

  SUBCASE("unidimensional banks: the rule reads the normal approximation of each area") {
    auto L = std::const_pointer_cast<score::level_scheme>(score_test::make_levels());
    auto strict = std::make_shared<score::level_scheme>(*L);
    strict->rules[0].min_probability = 0.8;
    strict->rule_holds = [](std::size_t r, std::span<const int> areas, int overall) {
      if (r == 1) return overall >= 4;
      for (int l : areas)
        if (l < 3) return false;
      return !areas.empty();
    };
    const auto bank = score_test::make_bank(60, 9);
    const score::scorer plain(bank, {}, L), s(bank, {}, strict);
    score::scorer::workspace ws;
    core::rng rng(8);
    int n_plain = 0, n_strict = 0;
    for (int p = 0; p < 300; ++p) {
      std::vector<response> pattern;
      const double t = 1.0 + rng.normal() * 0.5;
      for (std::size_t i = 0; i < bank->size(); ++i) {
        const auto& prm = bank->params(i);
        const double pr = 1.0 / (1.0 + std::exp(-(prm.slope * t + prm.intercepts[0])));
        pattern.push_back({static_cast<std::uint32_t>(i), rng.uniform() < pr ? 1 : 0});
      }
      score::person_result a, b;
      plain.score(pattern, a, ws);
      s.score(pattern, b, ws);
      n_plain += a.certified() && *a.rule == 0;
      n_strict += b.certified() && *b.rule == 0;
      if (b.certified() && *b.rule == 0) {
        CHECK((a.certified() && *a.rule == 0));
        for (const auto& x : b.areas) {
          std::vector<double> p(4);
          score::level_probabilities(std::vector<double>{-1.0, 0.0, 1.0}, x.est.theta, x.est.se, p);
          CHECK(score::level_at_probability(p, x.level, 0.8) == x.certified_level);
          CHECK(x.certified_level >= 3);
        }
      }
    }
    MESSAGE("unidimensional: core on point levels " << n_plain << ", at P >= 0.8 " << n_strict);
    CHECK(n_strict < n_plain);
    // a scheme with a min_probability needs rule_holds
    auto broken = std::make_shared<score::level_scheme>(*strict);
    broken->rule_holds = nullptr;
    CHECK_THROWS_AS(broken->validate(), framework_error);
  }
}
