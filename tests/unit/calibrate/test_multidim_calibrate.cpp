// calibrate::multidim: MML-EM for compensatory multidimensional items against mirt 1.45.1
// (mirt_multi.json: s1 2-factor M2PL with cross-loadings, s2 bifactor, s3 2-factor graded),
// the item M-step's derivatives against finite differences, the model syntax, and recovery on
// simulated data not in that file (3-factor between-item M2PL; QMC-EM on 4 factors).
#include <doctest/doctest.h>

#include <cmath>
#include <iomanip>
#include <string>
#include <vector>

#include "../../../src/calibrate/multidim_item.hpp"
#include "dskill/calibrate/multidim.hpp"
#include "dskill/calibrate/simulate.hpp"
#include "dskill/error.hpp"
#include "dskill/io/response_matrix.hpp"
#include "test_support.hpp"

using namespace dskill;
namespace md = calibrate::multidim;

namespace {
constexpr double loglik_tolerance = 0.01;  // issue 11: log-likelihood vs mirt
constexpr double param_tolerance = 0.01;   // issue 11: parameters vs mirt (largest absolute difference)
constexpr double cov_tolerance = 0.01;     // issue 11: latent correlation vs mirt

md::problem make_problem(const io::response_matrix& m, irt::model kind, md::structure s) {
  md::problem p;
  p.responses = m.cells.data();
  p.persons = m.persons();
  p.items = m.items();
  p.models.assign(m.items(), kind);
  p.factors = std::move(s);
  return p;
}

// mirt's items of a case as multidim_items (slopes a1..aD, intercepts d or d1..).
std::vector<irt::multidim_item> mirt_items(const nlohmann::json& items, irt::model kind, std::size_t dims) {
  std::vector<irt::multidim_item> out;
  for (const auto& row : items) {
    irt::multidim_item it;
    it.params.kind = kind;
    for (std::size_t d = 0; d < dims; ++d) it.slopes.push_back(row.at("a" + std::to_string(d + 1)).get<double>());
    if (row.contains("d")) {
      it.params.intercepts = {row.at("d").get<double>()};
    } else {
      for (int k = 1; row.contains("d" + std::to_string(k)); ++k)
        it.params.intercepts.push_back(row.at("d" + std::to_string(k)).get<double>());
    }
    out.push_back(it);
  }
  return out;
}

// Largest absolute difference of slopes and intercepts.
double worst_difference(const std::vector<md::item_estimate>& ours, const std::vector<irt::multidim_item>& ref) {
  double w = 0.0;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    for (std::size_t d = 0; d < ref[i].slopes.size(); ++d)
      w = std::max(w, std::abs(ours[i].item.slopes[d] - ref[i].slopes[d]));
    for (std::size_t k = 0; k < ref[i].params.intercepts.size(); ++k)
      w = std::max(w, std::abs(ours[i].item.params.intercepts[k] - ref[i].params.intercepts[k]));
  }
  return w;
}
}  // namespace

TEST_CASE("calibrate::multidim: model syntax" * doctest::test_suite("calibrate")) {
  const auto s = md::parse_structure("F1 = 1-12\nF2 = 9-20\nCOV = F1*F2", 20);
  CHECK(s.factors == 2);
  CHECK(s.specifics == 0);
  CHECK(s.loadings[0] == std::vector<int>{0});
  CHECK(s.loadings[8] == std::vector<int>{0, 1});
  CHECK(s.loadings[19] == std::vector<int>{1});
  REQUIRE(s.free_correlations.size() == 1);
  CHECK(s.free_correlations[0] == std::pair<int, int>{0, 1});
  CHECK(s.name(1) == "F2");
  const auto t = md::parse_structure("A = 1-3; B = 4,5,6 ; C = x7, 8 # note\nCOV = A*B*C", 8,
                                     std::vector<std::string>{"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8"});
  CHECK(t.factors == 3);
  CHECK(t.free_correlations.size() == 3);
  CHECK(t.loadings[6] == std::vector<int>{2});
  const auto b = md::parse_structure("G = 1-6\nS1 = 1-3\nS2 = 4-6\nSPECIFIC = S1, S2", 6);
  CHECK(b.factors == 1);
  CHECK(b.specifics == 2);
  CHECK(b.specific == std::vector<int>{0, 0, 0, 1, 1, 1});
  CHECK(b.name(2) == "S2");
  CHECK_THROWS_AS(md::parse_structure("F1 = 1-12", 10), invalid_argument);
  CHECK_THROWS_AS(md::parse_structure("F1 = 1-5\nCOV = F1*F9", 5), invalid_argument);
  CHECK_THROWS_AS(md::parse_structure("F1 = 1-4", 5), invalid_argument);  // item 5 on no factor
  CHECK_THROWS_AS(md::parse_structure("F1 1-4", 4), invalid_argument);
  CHECK_THROWS_AS(md::parse_structure("G = 1-4\nS1 = 1-3\nS2 = 3-4\nSPECIFIC = S1, S2", 4), invalid_argument);
}

TEST_CASE("calibrate::multidim: the item M-step's gradient and Hessian match finite differences (with and "
          "without priors)" *
          doctest::test_suite("calibrate")) {
  // Three nodes in two dimensions, arbitrary expected counts.
  const std::vector<double> X = {-1.2, 0.4, 0.3, -0.7, 1.5, 1.1};
  const int cols[2] = {0, 1};
  const calibrate::detail::node_view v{X.data(), 2, cols, 3};
  struct kase {
    irt::model kind;
    int K;
    std::vector<double> x;
  };
  const std::vector<kase> cases = {{irt::model::two_pl, 2, {1.1, 0.6, -0.3}},
                                   {irt::model::three_pl, 2, {1.1, 0.6, -0.3, -1.4}},
                                   {irt::model::four_pl, 2, {1.1, 0.6, -0.3, -1.4, 2.0}},
                                   {irt::model::grm, 4, {0.9, 1.3, 1.0, 0.1, -0.8}},
                                   {irt::model::gpcm, 4, {0.9, 1.3, 0.4, 0.1, -0.8}}};
  calibrate::item_priors all;
  all.slope_lognormal = all.difficulty_normal = all.lower_beta = true;
  const std::vector<const calibrate::item_priors*> priors = {nullptr, &all};
  for (const auto* pr : priors)
    for (const auto& c : cases) {
      const calibrate::detail::mitem_layout L{c.kind, c.K, 2};
      REQUIRE(L.size() == static_cast<int>(c.x.size()));
      std::vector<double> r(static_cast<std::size_t>(c.K) * 3);
      for (std::size_t k = 0; k < r.size(); ++k) r[k] = 3.0 + std::sin(1.7 * static_cast<double>(k)) * 2.5;
      const std::size_t n = c.x.size();
      std::vector<double> g(n), H(n * n), gp(n), gm(n);
      calibrate::detail::mobjective(L, c.x, v, r.data(), g.data(), H.data(), pr);
      for (std::size_t a = 0; a < n; ++a) {
        const double h = 1e-6;
        auto xp = c.x, xm = c.x;
        xp[a] += h;
        xm[a] -= h;
        const double fp = calibrate::detail::mobjective(L, xp, v, r.data(), gp.data(), nullptr, pr);
        const double fm = calibrate::detail::mobjective(L, xm, v, r.data(), gm.data(), nullptr, pr);
        CHECK(g[a] == doctest::Approx((fp - fm) / (2 * h)).epsilon(1e-6));
        for (std::size_t b = 0; b < n; ++b) CHECK(H[b * n + a] == doctest::Approx((gp[b] - gm[b]) / (2 * h)).epsilon(1e-5));
      }
    }
}

TEST_CASE("calibrate::multidim: s1 2-factor M2PL with cross-loadings agrees with mirt (logLik, parameters, "
          "correlation, Oakes SEs)" *
          doctest::test_suite("calibrate")) {
  const auto ref = dskill_test::load_reference("mirt_multi.json").at("s1_M2PL2");
  const auto m = io::read_response_matrix(dskill_test::reference_path("data/mirt_M2PL2_2000x20_responses.csv"));
  auto prob = make_problem(m, irt::model::two_pl, md::parse_structure("F1 = 1-12\nF2 = 9-20\nCOV = F1*F2", m.items()));
  const auto ref_items = mirt_items(ref.at("estimates").at("items"), irt::model::two_pl, 2);
  const double ref_rho = ref.at("estimates").at("latent_cov")[0][1];
  const double ref_ll = ref.at("logLik");
  // The same marginal likelihood at mirt's estimates (same grid, same weights).
  const std::vector<double> R = {1.0, ref_rho, ref_rho, 1.0};
  const double ll_at_mirt = md::log_likelihood(prob, ref_items, R);
  MESSAGE(std::setprecision(10) << "s1: logLik at mirt's estimates " << ll_at_mirt << " (mirt " << ref_ll << ")");
  CHECK(std::abs(ll_at_mirt - ref_ll) < 1e-3);

  md::options o;
  o.standard_errors = true;
  const auto res = md::run(prob, o);
  CHECK(res.converged);
  CHECK(res.points == 31);
  CHECK(res.nodes == 961);
  CHECK(res.parameters == 45);
  const double worst = worst_difference(res.items, ref_items);
  MESSAGE(std::setprecision(10) << "s1: logLik " << res.log_likelihood << " (mirt " << ref_ll << "), " << res.iterations
                        << " iterations, largest parameter difference " << worst << ", correlation "
                        << res.correlation[1] << " (mirt " << ref_rho << "), " << res.seconds << " s");
  CHECK(std::abs(res.log_likelihood - ref_ll) < loglik_tolerance);
  CHECK(res.log_likelihood >= ref_ll - 1e-3);
  CHECK(worst < param_tolerance);
  CHECK(std::abs(res.correlation[1] - ref_rho) < cov_tolerance);
  for (std::size_t i = 0; i < 8; ++i) CHECK(res.items[i].item.slopes[1] == 0.0);
  CHECK(res.aic == doctest::Approx(-2 * res.log_likelihood + 2 * 45));
  CHECK(res.bic == doctest::Approx(-2 * res.log_likelihood + 45 * std::log(2000.0)));
  // Oakes SEs against mirt's (SE = TRUE).
  REQUIRE(res.standard_errors);
  REQUIRE(res.se_positive_definite);
  double worst_se = 0.0, worst_rel = 0.0;
  for (const auto& row : ref.at("estimates_with_SE").at("items")) {
    const std::string item = row.at("item"), par = row.at("par");
    const std::size_t i = static_cast<std::size_t>(std::stoi(item.substr(1)) - 1);
    const double se = row.at("se");
    const double ours = par == "d" ? res.items[i].se_intercepts[0] : res.items[i].se_slopes[par == "a1" ? 0 : 1];
    worst_se = std::max(worst_se, std::abs(ours - se));
    worst_rel = std::max(worst_rel, std::abs(ours / se - 1));
  }
  double se_rho_ref = 0.0;
  for (const auto& g : ref.at("estimates_with_SE").at("group_pars"))
    if (g.at("par") == "COV_21") se_rho_ref = g.at("se");
  MESSAGE("s1: largest SE difference " << worst_se << " (relative " << worst_rel << "), SE of the correlation "
                                       << res.se_correlation[1] << " (mirt " << se_rho_ref << ")");
  CHECK(worst_se < 0.01);
  CHECK(worst_rel < 0.03);
  CHECK(std::abs(res.se_correlation[1] - se_rho_ref) < 0.002);
}

TEST_CASE("calibrate::multidim: s3 2-factor graded model agrees with mirt" * doctest::test_suite("calibrate")) {
  const auto ref = dskill_test::load_reference("mirt_multi.json").at("s3_MGRM2");
  const auto m = io::read_response_matrix(dskill_test::reference_path("data/mirt_MGRM2_1500x12_responses.csv"));
  auto prob = make_problem(m, irt::model::grm, md::parse_structure("F1 = 1-6\nF2 = 7-12\nCOV = F1*F2", m.items()));
  const auto ref_items = mirt_items(ref.at("estimates").at("items"), irt::model::grm, 2);
  const double ref_rho = ref.at("estimates").at("latent_cov")[0][1];
  const double ref_ll = ref.at("logLik");
  const std::vector<double> R = {1.0, ref_rho, ref_rho, 1.0};
  const double ll_at_mirt = md::log_likelihood(prob, ref_items, R);
  CHECK(std::abs(ll_at_mirt - ref_ll) < 1e-3);
  // mirt stops (TOL 1e-4) about 0.003 below the maximum this run reaches: its intercepts of the
  // extreme categories differ from ours by up to 0.0085 and move no closer at a tighter tolerance.
  const auto res = md::run(prob);
  CHECK(res.converged);
  const double worst = worst_difference(res.items, ref_items);
  MESSAGE(std::setprecision(10) << "s3: logLik " << res.log_likelihood << " (mirt " << ref_ll << ", at mirt's estimates " << ll_at_mirt << "), "
                        << res.iterations << " iterations, largest parameter difference " << worst << ", correlation "
                        << res.correlation[1] << " (mirt " << ref_rho << "), " << res.seconds << " s");
  CHECK(std::abs(res.log_likelihood - ref_ll) < loglik_tolerance);
  CHECK(worst < param_tolerance);
  CHECK(std::abs(res.correlation[1] - ref_rho) < cov_tolerance);
  CHECK(res.parameters == 12 * 4 + 1);
}

TEST_CASE("calibrate::multidim: s2 bifactor with the dimension reduction agrees with mirt's bfactor" *
          doctest::test_suite("calibrate")) {
  const auto ref = dskill_test::load_reference("mirt_multi.json").at("s2_bifactor");
  const auto m = io::read_response_matrix(dskill_test::reference_path("data/mirt_bifactor_2000x18_responses.csv"));
  std::vector<int> spec;
  for (const auto& k : ref.at("simulation").at("specific_of_item")) spec.push_back(k.get<int>() - 1);
  auto prob = make_problem(m, irt::model::two_pl, md::bifactor(spec));
  REQUIRE(prob.factors.dimensions() == 4);
  const auto ref_items = mirt_items(ref.at("estimates").at("items"), irt::model::two_pl, 4);
  const double ref_ll = ref.at("logLik");
  const double ll_at_mirt = md::log_likelihood(prob, ref_items);
  CHECK(std::abs(ll_at_mirt - ref_ll) < 1e-3);
  const auto res = md::run(prob);
  CHECK(res.converged);
  CHECK(res.points == 31);
  CHECK(res.nodes == 31);  // the general factor's grid; each specific adds 31 points at a time
  const double worst = worst_difference(res.items, ref_items);
  MESSAGE(std::setprecision(10) << "s2: logLik " << res.log_likelihood << " (mirt " << ref_ll << ", at mirt's estimates "
                                << ll_at_mirt << "), " << res.iterations << " iterations, largest parameter difference "
                                << worst << ", " << res.seconds << " s");
  CHECK(std::abs(res.log_likelihood - ref_ll) < loglik_tolerance);
  CHECK(worst < param_tolerance);
  CHECK(res.parameters == 18 * 3);
  for (std::size_t i = 0; i < 18; ++i)
    for (std::size_t k = 0; k < 3; ++k)
      if (static_cast<int>(k) != spec[i]) CHECK(res.items[i].item.slopes[1 + k] == 0.0);
}

TEST_CASE("calibrate::multidim: the dimension reduction is the full-grid integral (bifactor and two-tier)" *
          doctest::test_suite("calibrate")) {
  // Two-tier: two correlated primary factors (items 1-6 on F1, 7-12 on F2, 5 and 8 on both), two
  // specific factors (items 1-4 and 9-12). The same integral over the full 4-dimensional product
  // grid of the same points, with the specifics as orthogonal primary factors.
  calibrate::portable_rng rng(77);
  md::structure tt;
  tt.factors = 2;
  tt.specifics = 2;
  tt.free_correlations = {{0, 1}};
  std::vector<irt::multidim_item> items;
  for (int i = 0; i < 12; ++i) {
    std::vector<int> l = {i < 6 ? 0 : 1};
    if (i == 4) l = {0, 1};
    if (i == 7) l = {0, 1};
    tt.loadings.push_back(l);
    tt.specific.push_back(i < 4 ? 0 : (i >= 8 ? 1 : -1));
    irt::multidim_item it;
    it.params.kind = i % 3 == 2 ? irt::model::grm : irt::model::two_pl;
    it.params.intercepts = it.params.kind == irt::model::grm ? std::vector<double>{1.0, -0.2, -1.1}
                                                             : std::vector<double>{rng.uniform(-1, 1)};
    it.slopes.assign(4, 0.0);
    for (int d : l) it.slopes[static_cast<std::size_t>(d)] = rng.uniform(0.7, 1.8);
    if (tt.specific.back() >= 0) it.slopes[2 + static_cast<std::size_t>(tt.specific.back())] = rng.uniform(0.5, 1.2);
    items.push_back(it);
  }
  const std::vector<double> cov4 = {1, 0.4, 0, 0, 0.4, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
  const auto theta = calibrate::simulate_thetas_mvn(400, cov4, 4, 5);
  auto y = calibrate::simulate_responses(items, theta, 4, 6);
  md::problem p;
  p.responses = y.data();
  p.persons = 400;
  p.items = 12;
  for (const auto& it : items) p.models.push_back(it.params.kind);
  p.factors = tt;
  md::problem full = p;
  full.factors.factors = 4;
  full.factors.specifics = 0;
  full.factors.specific.clear();
  for (std::size_t i = 0; i < 12; ++i)
    if (tt.specific[i] >= 0) full.factors.loadings[i].push_back(2 + tt.specific[i]);
  md::options o;
  o.points = 9;
  const std::vector<double> R2 = {1, 0.4, 0.4, 1};
  {
    // Complete data: the dichotomous items take the log-odds path, in the specifics too.
    md::options og = o;
    og.method = md::integration::grid;
    CHECK(md::log_likelihood(p, items, R2, o) == doctest::Approx(md::log_likelihood(full, items, cov4, og)).epsilon(1e-12));
  }
  for (std::size_t k = 0; k < y.size(); k += 7) y[k] = -1;  // some missing
  const double reduced = md::log_likelihood(p, items, R2, o);
  o.method = md::integration::grid;
  const double whole = md::log_likelihood(full, items, cov4, o);
  MESSAGE(std::setprecision(15) << "two-tier: reduced " << reduced << ", full grid " << whole);
  CHECK(reduced == doctest::Approx(whole).epsilon(1e-12));
  // And the calibration runs to the same estimates either way (bifactor reduction vs 4-D grid).
  const auto a = md::run(p, o);
  const auto b = md::run(full, o);
  CHECK(a.log_likelihood == doctest::Approx(b.log_likelihood).epsilon(1e-9));
  CHECK(a.correlation[1] == doctest::Approx(b.correlation[1]).epsilon(1e-5));
  for (std::size_t i = 0; i < 12; ++i)
    for (std::size_t d = 0; d < 4; ++d) CHECK(a.items[i].item.slopes[d] == doctest::Approx(b.items[i].item.slopes[d]).epsilon(1e-5));
}

TEST_CASE("calibrate::multidim: results do not depend on the thread count" * doctest::test_suite("calibrate")) {
  const auto m = io::read_response_matrix(dskill_test::reference_path("data/mirt_MGRM2_1500x12_responses.csv"));
  auto prob = make_problem(m, irt::model::grm, md::parse_structure("F1 = 1-6\nF2 = 7-12\nCOV = F1*F2", m.items()));
  md::options o1, o2;
  o1.threads = 1;
  o2.threads = 3;
  o1.max_iterations = o2.max_iterations = 6;
  const auto r1 = md::run(prob, o1), r2 = md::run(prob, o2);
  CHECK(r1.log_likelihood == r2.log_likelihood);
  for (std::size_t i = 0; i < m.items(); ++i) CHECK(r1.items[i].item == r2.items[i].item);
}

namespace {
struct mdsim {
  std::vector<irt::multidim_item> truth;
  std::vector<std::int8_t> responses;
  std::size_t persons = 0;
};
// Items on one factor each (factor_of_item), slopes in [0.9, 2.0], intercepts in [-1.5, 1.5];
// abilities from the correlation matrix R.
mdsim simulate_between(const std::vector<int>& factor_of_item, std::size_t dims, const std::vector<double>& R,
                       std::size_t persons, std::uint64_t seed, bool with_missing = false) {
  mdsim s;
  s.persons = persons;
  calibrate::portable_rng rng(seed);
  for (int f : factor_of_item) {
    irt::multidim_item it;
    it.params.kind = irt::model::two_pl;
    it.params.intercepts = {rng.uniform(-1.5, 1.5)};
    it.slopes.assign(dims, 0.0);
    it.slopes[static_cast<std::size_t>(f)] = rng.uniform(0.9, 2.0);
    s.truth.push_back(it);
  }
  const auto theta = calibrate::simulate_thetas_mvn(persons, R, dims, seed + 1);
  s.responses = calibrate::simulate_responses(s.truth, theta, dims, seed + 2);
  if (with_missing)
    for (std::size_t k = 0; k < s.responses.size(); ++k)
      if (rng.uniform() < 0.15) s.responses[k] = -1;
  return s;
}
}  // namespace

TEST_CASE("calibrate::multidim: recovery of a 3-factor between-item M2PL with missing responses" *
          doctest::test_suite("calibrate")) {
  std::vector<int> f;
  for (int i = 0; i < 24; ++i) f.push_back(i / 8);
  const std::vector<double> R = {1.0, 0.5, 0.3, 0.5, 1.0, 0.6, 0.3, 0.6, 1.0};
  const auto s = simulate_between(f, 3, R, 3000, 20240611, true);
  md::problem p;
  p.responses = s.responses.data();
  p.persons = s.persons;
  p.items = f.size();
  p.models.assign(f.size(), irt::model::two_pl);
  p.factors = md::between_items(f, 3);
  const auto res = md::run(p);
  CHECK(res.converged);
  CHECK(res.points == 15);
  double ss = 0.0;
  int n = 0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const auto fi = static_cast<std::size_t>(f[i]);
    ss += std::pow(res.items[i].item.slopes[fi] - s.truth[i].slopes[fi], 2);
    ss += std::pow(res.items[i].item.params.intercepts[0] - s.truth[i].params.intercepts[0], 2);
    n += 2;
  }
  const double rmse = std::sqrt(ss / n);
  MESSAGE("3-factor M2PL recovery: RMSE " << rmse << ", correlations " << res.correlation[1] << " " << res.correlation[2]
                                          << " " << res.correlation[5] << ", " << res.iterations << " iterations, "
                                          << res.seconds << " s");
  CHECK(rmse < 0.12);
  CHECK(std::abs(res.correlation[1] - 0.5) < 0.06);
  CHECK(std::abs(res.correlation[2] - 0.3) < 0.06);
  CHECK(std::abs(res.correlation[5] - 0.6) < 0.06);
}

TEST_CASE("calibrate::multidim: recovery of mixed M3PL, MGRM and MGPCM items with cross-loadings, and their SEs" *
          doctest::test_suite("calibrate")) {
  calibrate::portable_rng rng(4242);
  md::structure st;
  st.factors = 2;
  st.free_correlations = {{0, 1}};
  std::vector<irt::multidim_item> truth;
  std::vector<irt::model> models;
  for (int i = 0; i < 24; ++i) {
    const irt::model kind = i % 3 == 0 ? irt::model::three_pl : (i % 3 == 1 ? irt::model::grm : irt::model::gpcm);
    std::vector<int> l = {i < 12 ? 0 : 1};
    if (i % 6 == 5) l = {0, 1};
    st.loadings.push_back(l);
    irt::multidim_item it;
    it.params.kind = kind;
    it.slopes.assign(2, 0.0);
    for (int d : l) it.slopes[static_cast<std::size_t>(d)] = rng.uniform(0.9, 1.8);
    if (kind == irt::model::three_pl) {
      it.params.intercepts = {rng.uniform(-0.5, 1.0)};
      it.params.lower = rng.uniform(0.1, 0.2);
    } else if (kind == irt::model::grm) {
      const double c = rng.uniform(-0.5, 0.5);
      it.params.intercepts = {c + 1.5, c, c - 1.5};
    } else {
      it.params.intercepts = {0.8 + rng.uniform(-0.3, 0.3), 0.6, -0.8};
    }
    truth.push_back(it);
    models.push_back(kind);
  }
  const std::vector<double> R = {1.0, 0.5, 0.5, 1.0};
  const auto theta = calibrate::simulate_thetas_mvn(4000, R, 2, 808);
  const auto y = calibrate::simulate_responses(truth, theta, 2, 809);
  md::problem p;
  p.responses = y.data();
  p.persons = 4000;
  p.items = 24;
  p.models = models;
  p.factors = st;
  md::options o;
  o.standard_errors = true;
  const auto res = md::run(p, o);
  CHECK(res.converged);
  CHECK(res.se_positive_definite);
  double ss_a = 0.0, ss_d = 0.0, worst_z = 0.0;
  int na = 0, nd = 0;
  for (std::size_t i = 0; i < 24; ++i) {
    const auto& e = res.items[i];
    for (int d : st.loadings[i]) {
      const auto ud = static_cast<std::size_t>(d);
      const double err = e.item.slopes[ud] - truth[i].slopes[ud];
      ss_a += err * err;
      ++na;
      worst_z = std::max(worst_z, std::abs(err) / e.se_slopes[ud]);
    }
    if (models[i] == irt::model::three_pl) continue;  // the 3PL intercept trades off with c
    for (std::size_t k = 0; k < e.item.params.intercepts.size(); ++k) {
      ss_d += std::pow(e.item.params.intercepts[k] - truth[i].params.intercepts[k], 2);
      ++nd;
    }
  }
  MESSAGE("mixed-model recovery: slope RMSE " << std::sqrt(ss_a / na) << ", intercept RMSE " << std::sqrt(ss_d / nd)
                                              << ", largest |error| / SE of a slope " << worst_z << ", correlation "
                                              << res.correlation[1] << " (SE " << res.se_correlation[1] << ")");
  CHECK(std::sqrt(ss_a / na) < 0.12);
  CHECK(std::sqrt(ss_d / nd) < 0.12);
  CHECK(worst_z < 4.0);
  CHECK(std::abs(res.correlation[1] - 0.5) < 3 * res.se_correlation[1] + 0.01);
  CHECK(res.items[0].se_lower > 0);
  // With a Beta(5, 17) prior on c (MAP-in-EM): the lower asymptotes move towards the prior mode
  // 0.2, the log-likelihood falls a little, the rest stays close.
  md::options op;
  op.priors.lower_beta = true;
  const auto rp = md::run(p, op);
  CHECK(rp.converged);
  CHECK(rp.log_likelihood < res.log_likelihood);
  CHECK(rp.log_likelihood > res.log_likelihood - 5.0);
  double moved = 0.0;
  for (std::size_t i = 0; i < 24; i += 3) {
    CHECK(rp.items[i].item.params.lower > 0.05);
    CHECK(rp.items[i].item.params.lower < 0.35);
    moved = std::max(moved, std::abs(rp.items[i].item.params.lower - res.items[i].item.params.lower));
  }
  CHECK(moved > 0.0);
  CHECK(moved < 0.15);
}

TEST_CASE("calibrate::multidim: QMC-EM recovers a 5-factor between-item M2PL" * doctest::test_suite("calibrate")) {
  std::vector<int> f;
  for (int i = 0; i < 30; ++i) f.push_back(i / 6);
  std::vector<double> R(25, 0.0);
  for (std::size_t a = 0; a < 5; ++a)
    for (std::size_t b = 0; b < 5; ++b) R[a * 5 + b] = a == b ? 1.0 : 0.3 + 0.05 * static_cast<double>(a + b);
  const auto s = simulate_between(f, 5, R, 2500, 99);
  md::problem p;
  p.responses = s.responses.data();
  p.persons = s.persons;
  p.items = f.size();
  p.models.assign(f.size(), irt::model::two_pl);
  p.factors = md::between_items(f, 5);
  md::options o;
  o.qmc_points = 3000;
  const auto res = md::run(p, o);
  CHECK(res.qmc);  // automatic: QMC beyond 3 factors
  CHECK(res.nodes == 3000);
  double ss = 0.0, worst_r = 0.0;
  int n = 0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const auto fi = static_cast<std::size_t>(f[i]);
    ss += std::pow(res.items[i].item.slopes[fi] - s.truth[i].slopes[fi], 2);
    ss += std::pow(res.items[i].item.params.intercepts[0] - s.truth[i].params.intercepts[0], 2);
    n += 2;
  }
  for (std::size_t a = 0; a < 5; ++a)
    for (std::size_t b = a + 1; b < 5; ++b) worst_r = std::max(worst_r, std::abs(res.correlation[a * 5 + b] - R[a * 5 + b]));
  const double rmse = std::sqrt(ss / n);
  MESSAGE("5-factor QMC-EM recovery: RMSE " << rmse << ", largest correlation error " << worst_r << ", "
                                            << res.iterations << " iterations, " << res.seconds << " s");
  CHECK(res.converged);
  CHECK(rmse < 0.12);
  CHECK(worst_r < 0.07);
}

TEST_CASE("calibrate::multidim: bad problems are refused" * doctest::test_suite("calibrate")) {
  const std::vector<std::int8_t> y = {0, 1, 1, 0, 1, 0, 0, 1};
  md::problem p;
  p.responses = y.data();
  p.persons = 4;
  p.items = 2;
  p.models.assign(2, irt::model::two_pl);
  p.factors = md::between_items(std::vector<int>{0, 3}, 2);
  CHECK_THROWS_AS(md::run(p), invalid_argument);
  p.factors = md::between_items(std::vector<int>{0, 1}, 2);
  p.models[0] = irt::model::pcm;
  CHECK_THROWS_AS(md::run(p), invalid_argument);
  p.models[0] = irt::model::two_pl;
  p.factors.loadings[1] = {};
  CHECK_THROWS_AS(md::run(p), invalid_argument);
}
