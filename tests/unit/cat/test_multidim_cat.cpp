// cat: profile (multidimensional) selection criteria. Against mirtCAT's next item on the shared
// states of reference/mirt_multi.json (s1_M2PL2: Drule, Trule, DPrule, TPrule after the
// administered items, at mirtCAT's MAP, which dskill's profile MAP reproduces), and property
// checks: every criterion's value equals the determinant / trace / trace of the inverse of the
// full matrix A + I_j formed explicitly (Eigen), also where A is singular; a step allocates
// nothing; D = 1 ranks items as maximum information does.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/LU>

#include "dskill/cat/multidim.hpp"
#include "dskill/estimate/multidim.hpp"
#include "allocation_count.hpp"
#include "mirt_multi_support.hpp"
#include "test_support.hpp"

using namespace dskill;
using cat::profile_criterion;
using cat::profile_criteria;

namespace {

using dynamic_matrix = Eigen::MatrixXd;

// The test's information A (+ the prior precision) at theta, formed by the irt kernels.
dynamic_matrix information_of(const irt::multidim_table& t, std::span<const response> answered, std::span<const double> theta) {
  std::vector<double> m(t.dims * t.dims, 0.0);
  for (const auto& r : answered) irt::add_information<double>(t, r.item, theta, m);
  dynamic_matrix out(t.dims, t.dims);
  for (std::size_t r = 0; r < t.dims; ++r)
    for (std::size_t c = 0; c < t.dims; ++c) out(r, c) = m[r * t.dims + c];
  return out;
}
dynamic_matrix item_information(const irt::multidim_table& t, std::size_t i, std::span<const double> theta) {
  const response one[] = {{static_cast<std::uint32_t>(i), 0}};
  return information_of(t, one, theta);
}

std::vector<std::uint32_t> unanswered(std::size_t n, std::span<const response> answered) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < n; ++i) {
    bool seen = false;
    for (const auto& r : answered) seen = seen || r.item == i;
    if (!seen) out.push_back(i);
  }
  return out;
}

std::uint32_t best(std::span<const std::uint32_t> cand, std::span<const double> score) {
  std::uint32_t b = cand.front();
  for (auto i : cand)
    if (score[i] > score[b]) b = i;
  return b;
}

// Random within-item items on `dims` dimensions: 2PL, 3PL and graded (or, not mixed, 2PL and
// 3PL only: the criteria then take their dense pass over the whole table).
irt::multidim_store random_items(std::size_t dims, std::size_t count, std::uint64_t seed, bool mixed = true) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> slope(0.4, 2.0), intercept(-1.5, 1.5);
  irt::multidim_store store(dims);
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<double> a(dims, 0.0);
    a[i % dims] = slope(rng);
    a[(i + 1) % dims] = 0.5 * slope(rng);
    irt::item_params p{irt::model::two_pl, 1.0, 0.0, 1.0, {intercept(rng)}, {}};
    if (i % 3 == 1) {
      p.kind = irt::model::three_pl;
      p.lower = 0.2;
    } else if (i % 3 == 2 && mixed) {
      p.kind = irt::model::grm;
      p.intercepts = {1.2, 0.1, -1.0};
    }
    store.push_back({p, a});
  }
  return store;
}

}  // namespace

TEST_CASE("profile criteria: mirtCAT's Drule, Trule, DPrule and TPrule on the s1_M2PL2 states" * doctest::test_suite("cat")) {
  const auto ref = dskill_test::load_reference("mirt_multi.json").at("s1_M2PL2");
  const auto store = dskill_test::mirt_items(ref.at("estimates").at("items"), 2);
  const auto table = store.view();
  const auto prior = dskill_test::prior_of(ref.at("estimates").at("latent_cov"));
  std::vector<double> cov(prior.covariance.data(), prior.covariance.data() + 4);
  estimate::profile_options opts;
  opts.prior = prior;
  // mirtCAT's MAP stops at its optimiser's tolerance; the largest difference is 9.5e-7 here.
  constexpr double theta_tol = 1e-5;
  const std::pair<const char*, profile_criterion> rules[] = {{"Drule", profile_criterion::d_optimal},
                                                             {"Trule", profile_criterion::t_optimal},
                                                             {"DPrule", profile_criterion::dp_optimal},
                                                             {"TPrule", profile_criterion::tp_optimal}};
  int checked = 0;
  double worst = 0.0;
  std::vector<double> value(table.size()), score(table.size());
  for (const auto& state : ref.at("mirtCAT_next_item").at("states")) {
    std::vector<response> answered;
    const auto& items = state.at("administered_items");
    for (std::size_t k = 0; k < items.size(); ++k)
      answered.push_back({items.at(k).get<std::uint32_t>() - 1, state.at("responses").at(k).get<int>()});
    const auto map = estimate::estimate_profile(table, answered, opts);
    const auto cand = unanswered(table.size(), answered);
    for (const auto& [name, rule] : rules) {
      const auto& sel = state.at("selection").at(name);
      INFO(state.at("label").get<std::string>() << " " << name);
      for (Eigen::Index d = 0; d < 2; ++d) {
        const double diff = std::abs(map.theta[d] - sel.at("theta_MAP").at(d).get<double>());
        CHECK(diff <= theta_tol);
        worst = std::max(worst, diff);
      }
      const profile_criteria crit(table, rule, {}, cov);
      const std::vector<double> theta(map.theta.data(), map.theta.data() + 2);
      crit.evaluate(theta, answered, cand, value, score);
      CHECK(best(cand, score) + 1 == sel.at("selected_item").get<std::uint32_t>());
      ++checked;
    }
  }
  CHECK(checked == 12);
  MESSAGE("largest |dskill MAP - mirtCAT theta_MAP|: " << worst);
}

TEST_CASE("profile criteria: values equal det / trace / trace of the inverse of A + I_j formed explicitly" *
          doctest::test_suite("cat")) {
  constexpr double rel_tol = 1e-10;
  for (const bool mixed : {true, false})
  for (std::size_t dims : {1u, 2u, 3u, 5u}) {
    const auto store = random_items(dims, 40, 11 + dims, mixed);
    const auto table = store.view();
    std::vector<double> theta(dims);
    for (std::size_t d = 0; d < dims; ++d) theta[d] = 0.3 * static_cast<double>(d) - 0.4;
    // A latent covariance with correlations 0.5.
    std::vector<double> cov(dims * dims, 0.5);
    for (std::size_t d = 0; d < dims; ++d) cov[d * dims + d] = 1.0;
    dynamic_matrix prec = Eigen::Map<dynamic_matrix>(cov.data(), static_cast<Eigen::Index>(dims), static_cast<Eigen::Index>(dims)).inverse();
    std::vector<double> weights(dims);
    for (std::size_t d = 0; d < dims; ++d) weights[d] = 1.0 + static_cast<double>(d);
    dynamic_matrix w = Eigen::Map<Eigen::VectorXd>(weights.data(), static_cast<Eigen::Index>(dims)).asDiagonal();
    // Several answered counts: none, fewer than dims (A singular), dims - 1, and many.
    for (std::size_t answered_count : {std::size_t{0}, dims - 1, dims + 7}) {
      std::vector<response> answered;
      for (std::size_t k = 0; k < answered_count; ++k) answered.push_back({static_cast<std::uint32_t>(3 * k % 40), 1});
      std::sort(answered.begin(), answered.end(), [](auto& x, auto& y) { return x.item < y.item; });
      answered.erase(std::unique(answered.begin(), answered.end(), [](auto& x, auto& y) { return x.item == y.item; }), answered.end());
      const auto cand = unanswered(table.size(), answered);
      const dynamic_matrix a = information_of(table, answered, theta);
      for (auto rule : {profile_criterion::d_optimal, profile_criterion::dp_optimal, profile_criterion::a_optimal,
                        profile_criterion::ap_optimal, profile_criterion::t_optimal, profile_criterion::tp_optimal}) {
        INFO("D = " << dims << (mixed ? " mixed" : " dichotomous") << ", answered " << answered.size() << ", "
                    << cat::to_string(rule));
        const profile_criteria crit(table, rule, weights, cov);
        std::vector<double> value(table.size()), score(table.size());
        const auto info = crit.evaluate(theta, answered, cand, value, score);
        const dynamic_matrix base = cat::uses_prior(rule) ? dynamic_matrix(a + prec) : a;
        const bool d_rule = rule == profile_criterion::d_optimal || rule == profile_criterion::dp_optimal;
        const bool a_rule = rule == profile_criterion::a_optimal || rule == profile_criterion::ap_optimal;
        for (auto i : cand) {
          const dynamic_matrix m = base + item_information(table, i, theta);
          double expected;
          if (info.tied || rule == profile_criterion::t_optimal || rule == profile_criterion::tp_optimal) {
            expected = (w * m).trace();
          } else if (d_rule) {
            expected = m.determinant();
          } else {
            expected = (w * m.inverse()).trace();
          }
          CHECK(std::abs(value[i] - expected) <= rel_tol * std::max(1.0, std::abs(expected)));
          CHECK(score[i] == doctest::Approx(a_rule && !info.tied ? -value[i] : value[i]));
        }
        // A singular A only ties D where its rank is below D - 1.
        if (d_rule && !cat::uses_prior(rule)) CHECK(info.tied == (answered.size() + 1 < dims));
        if (cat::uses_prior(rule)) CHECK(!info.tied);
      }
    }
  }
}

TEST_CASE("profile criteria: D = 1 ranks items as maximum Fisher information" * doctest::test_suite("cat")) {
  const auto store = random_items(1, 30, 5);
  const auto table = store.view();
  const std::vector<double> theta = {0.4};
  const response answered[] = {{0, 1}, {7, 0}};
  const auto cand = unanswered(table.size(), answered);
  std::vector<double> value(table.size()), score(table.size());
  for (auto rule : {profile_criterion::d_optimal, profile_criterion::dp_optimal, profile_criterion::t_optimal,
                    profile_criterion::a_optimal}) {
    const profile_criteria crit(table, rule);
    crit.evaluate(theta, answered, cand, value, score);
    std::uint32_t mfi = cand.front();
    for (auto i : cand)
      if (irt::information(table.links[i], table.projection(i, theta)) * table.slopes[i] * table.slopes[i] >
          irt::information(table.links[mfi], table.projection(mfi, theta)) * table.slopes[mfi] * table.slopes[mfi])
        mfi = i;
    CHECK(best(cand, score) == mfi);
  }
}

TEST_CASE("profile criteria: posterior expected KL is >= 0, near 0 for items far off, and a step allocates nothing" *
          doctest::test_suite("cat")) {
  const auto store = random_items(5, 200, 3);
  const auto table = store.view();
  const std::vector<double> theta = {0.5, -0.3, 1.0, 0.0, -1.2};
  std::vector<response> answered;
  for (std::uint32_t k = 0; k < 10; ++k) answered.push_back({k * 7, static_cast<int>(k % 2)});
  const auto cand = unanswered(table.size(), answered);
  std::vector<double> value(table.size()), score(table.size());
  const profile_criteria kl(table, profile_criterion::kl);
  const profile_criteria d(table, profile_criterion::d_optimal);
  const profile_criteria a(table, profile_criterion::ap_optimal);
  long count = 0;
  {
    const dskill_test::allocation_counter counter;
    kl.evaluate(theta, answered, cand, value, score);
    for (auto i : cand) CHECK(value[i] >= 0.0);
    d.evaluate(theta, answered, cand, value, score);
    a.evaluate(theta, answered, cand, value, score);
    count = counter.count();
  }
  CHECK(count == 0);
  // KL of an item grows with its slopes: the same item with slopes doubled carries more.
  irt::multidim_store two(1);
  two.push_back({{irt::model::two_pl, 1.0, 0.0, 1.0, {0.0}, {}}, {1.0}});
  two.push_back({{irt::model::two_pl, 1.0, 0.0, 1.0, {0.0}, {}}, {2.0}});
  two.push_back({{irt::model::two_pl, 1.0, 0.0, 1.0, {-8.0}, {}}, {1.0}});
  const profile_criteria kl1(two.view(), profile_criterion::kl);
  std::vector<double> v(3), s(3);
  const std::uint32_t all[] = {0, 1, 2};
  const std::vector<double> th0 = {0.0};
  kl1.evaluate(th0, {}, all, v, s);
  CHECK(v[1] > v[0]);
  CHECK(v[2] < 0.1 * v[0]);
}

TEST_CASE("profile criteria: the dense pass and the per-candidate loop give the same values" * doctest::test_suite("cat")) {
  const auto store = random_items(4, 60, 9, false);  // dichotomous: the dense pass applies
  const auto table = store.view();
  const std::vector<double> theta = {0.2, -0.5, 0.9, 0.0};
  const response answered[] = {{1, 1}, {6, 0}, {11, 1}, {16, 1}, {21, 0}};
  const auto all = unanswered(table.size(), answered);
  const std::vector<std::uint32_t> few(all.begin(), all.begin() + 10);  // fewer than half: per candidate
  for (auto rule : {profile_criterion::d_optimal, profile_criterion::dp_optimal, profile_criterion::t_optimal,
                    profile_criterion::tp_optimal}) {
    const profile_criteria crit(table, rule, std::vector<double>{1.0, 2.0, 0.5, 1.0});
    std::vector<double> v1(table.size()), s1(table.size()), v2(table.size()), s2(table.size());
    crit.evaluate(theta, answered, all, v1, s1);
    crit.evaluate(theta, answered, few, v2, s2);
    for (auto i : few) {
      CHECK(v2[i] == doctest::Approx(v1[i]).epsilon(1e-12));
      CHECK(s2[i] == doctest::Approx(s1[i]).epsilon(1e-12));
    }
  }
}
