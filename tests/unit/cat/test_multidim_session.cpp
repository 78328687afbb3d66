// cat: adaptive tests on profile banks through the engine and sessions: the profile selectors
// pick the criterion's best item among the eligible ones, sessions keep the profile estimate and
// its covariance, snapshots restore them, se_per_area and per-area classification stop the test,
// content balancing, randomesque and enemies still hold, unidimensional rules are refused, the
// simulation reports per-dimension statistics and does not depend on the thread count, and the
// specification round-trips the new keys while a specification without them keeps its YAML.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "dskill/bank/yaml.hpp"
#include "dskill/cat/multidim.hpp"
#include "dskill/cat/replay.hpp"
#include "dskill/cat/session.hpp"
#include "dskill/cat/simulate.hpp"
#include "dskill/error.hpp"
#include "dskill/framework/framework.hpp"
#include "allocation_count.hpp"
#include "test_support.hpp"

using namespace dskill;

namespace {

// A 5-dimension within-item profile bank: item i loads on dimension i % 5 and, more weakly, on
// the next; area i % 5 + 1; latent correlations 0.5. Item 3 and item 8 are enemies.
bank::bank_ptr profile_bank(std::size_t n = 200, std::uint64_t seed = 3) {
  constexpr std::size_t dims = 5;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> slope(0.8, 2.0);
  std::normal_distribution<double> intercept(0.0, 1.0);
  bank::bank_info info{.id = "profile-test"};
  for (std::size_t d = 0; d < dims; ++d) info.dimensions.push_back({.id = "d" + std::to_string(d + 1), .area = std::to_string(d + 1)});
  info.latent_mean.assign(dims, 0.0);
  info.latent_covariance.assign(dims * dims, 0.5);
  for (std::size_t d = 0; d < dims; ++d) info.latent_covariance[d * dims + d] = 1.0;
  std::vector<bank::bank_item> items(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto& it = items[i];
    it.id = "q" + std::to_string(i + 1);
    it.slopes.assign(dims, 0.0);
    it.slopes[i % dims] = slope(rng);
    it.slopes[(i + 1) % dims] = 0.4 * slope(rng);
    it.params = {irt::model::two_pl, irt::mdisc(it.slopes), 0.0, 1.0, {intercept(rng)}, {}};
    it.area = std::to_string(i % dims + 1);
    it.competences = {it.area + ".1"};
  }
  items[3].enemies = {"q9"};
  return std::make_shared<const bank::item_bank>(std::move(info), std::move(items));
}

cat::test_spec profile_spec(std::string_view rule = "dp_optimal") {
  cat::test_spec spec;
  spec.selection.rule = cat::rule_name<cat::criterion>(std::string(rule));
  spec.estimator.estimator = estimate::method::map;
  spec.stopping.max_items = 20;
  return spec;
}

// Answers item i correctly when its intercept is above 0 (a fixed, person-free rule).
int answer(const bank::item_bank& b, std::uint32_t i) { return b.params(i).intercepts[0] > 0 ? 1 : 0; }

}  // namespace

TEST_CASE("profile cat: the engine gives the criterion's best eligible item at the session's MAP" * doctest::test_suite("cat")) {
  const auto bank = profile_bank();
  for (const char* rule : {"d_optimal", "dp_optimal", "a_optimal", "ap_optimal", "t_optimal", "tp_optimal", "kl_profile"}) {
    INFO(rule);
    const auto eng = cat::engine::create(bank, profile_spec(rule));
    REQUIRE(eng->profile());
    cat::session s(eng, 7);
    CHECK(s.profile_theta().size() == 5);
    // Before any answer: the prior.
    CHECK(s.profile_theta().isZero());
    CHECK(s.profile_covariance()(0, 1) == doctest::Approx(0.5));
    const cat::profile_criteria crit(bank->multidim_table(), *cat::parse_profile_criterion(rule), {},
                                     bank->info().latent_covariance, bank->info().latent_mean);
    std::vector<double> value(bank->size()), score(bank->size());
    for (int k = 0; k < 8; ++k) {
      const auto step = s.next_item();
      REQUIRE(step.item);
      // The criterion over every item not answered and not an enemy of an answered one.
      std::vector<std::uint8_t> el(bank->size());
      eng->mark_available(s.responses(), {}, el);
      std::vector<std::uint32_t> cand;
      for (std::uint32_t i = 0; i < bank->size(); ++i)
        if (el[i]) cand.push_back(i);
      const std::vector<double> theta(s.profile_theta().data(), s.profile_theta().data() + 5);
      crit.evaluate(theta, s.responses(), cand, value, score);
      std::uint32_t best = cand.front();
      for (auto i : cand)
        if (score[i] > score[best]) best = i;
      CHECK(*step.item == best);
      s.record_response(*step.item, answer(*bank, *step.item));
    }
    // The scalar summary is the first dimension's theta and the largest SE.
    CHECK(s.theta() == s.profile_theta()[0]);
    CHECK(s.se() == doctest::Approx(s.profile_se().maxCoeff()));
    CHECK(s.profile_covariance().isApprox(s.profile_covariance().transpose()));
    const auto map = eng->estimate_profile(s.responses());
    CHECK(map.theta == s.profile_theta());
  }
}

TEST_CASE("profile cat: snapshots restore the profile estimate and the next item" * doctest::test_suite("cat")) {
  const auto bank = profile_bank();
  auto spec = profile_spec("d_optimal");
  spec.exposure.randomesque = 3;
  const auto eng = cat::engine::create(bank, spec);
  cat::session s(eng, 11);
  for (int k = 0; k < 6; ++k) {
    const auto step = s.next_item();
    REQUIRE(step.item);
    s.record_response(*step.item, answer(*bank, *step.item));
  }
  const auto bytes = s.snapshot();
  auto r = cat::session::restore(eng, bytes);
  CHECK(r.same_state(s));
  CHECK(r.profile_theta() == s.profile_theta());
  CHECK(r.profile_covariance() == s.profile_covariance());
  CHECK(r.next_item().item == s.next_item().item);
  auto fresh = cat::session::restore(bank, bytes);  // with an engine built from the snapshot's spec
  CHECK(fresh.profile_theta() == s.profile_theta());
}

TEST_CASE("profile cat: se_per_area stops when every chosen area's SE is low enough" * doctest::test_suite("cat")) {
  const auto bank = profile_bank(400);
  auto spec = profile_spec("ap_optimal");
  spec.stopping.max_items = 60;
  spec.stopping.se_per_area = 0.55;
  SUBCASE("every area") {}
  SUBCASE("chosen areas, by area id and by dimension id") { spec.stopping.areas = {"1", "d3"}; }
  const auto eng = cat::engine::create(bank, spec);
  cat::session s(eng, 5);
  while (const auto step = s.next_item().item) s.record_response(*step, answer(*bank, *step));
  CHECK(s.reason() == cat::finish_reason::se_reached);
  const auto se = s.profile_se();
  for (auto d : eng->stopping_dimensions()) CHECK(se[d] <= 0.55);
  if (!spec.stopping.areas.empty()) {
    CHECK(std::vector<std::uint32_t>(eng->stopping_dimensions().begin(), eng->stopping_dimensions().end()) ==
          std::vector<std::uint32_t>{0, 2});
  }
  // One fewer item: some chosen area was still above the threshold.
  const auto before = eng->estimate_profile(s.responses().first(s.responses().size() - 1));
  bool above = false;
  for (auto d : eng->stopping_dimensions()) above = above || before.se[d] > 0.55;
  CHECK(above);
}

TEST_CASE("profile cat: classification per area (confidence region and SPRT)" * doctest::test_suite("cat")) {
  const auto bank = profile_bank(400);
  for (auto kind : {cat::classification_kind::confidence_interval, cat::classification_kind::sprt}) {
    auto spec = profile_spec("dp_optimal");
    spec.stopping.max_items = 80;
    spec.stopping.classification = kind;
    spec.stopping.cuts = {-0.5, 0.5};
    const auto eng = cat::engine::create(bank, spec);
    cat::session s(eng, 9);
    // Answers drawn at a profile well inside the top level, so that every area can be decided.
    const std::vector<double> truth = {1.8, 1.5, 2.0, 1.6, 1.9};
    std::mt19937_64 rng(21);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const auto table = bank->multidim_table();
    while (const auto step = s.next_item().item) {
      double lp[irt::max_categories] = {};
      irt::log_probabilities<double>(table, *step, truth, lp);
      s.record_response(*step, u(rng) < std::exp(lp[1]) ? 1 : 0);
    }
    const auto areas = s.classify_areas();
    REQUIRE(areas.size() == 5);
    MESSAGE(std::string(kind == cat::classification_kind::sprt ? "sprt: " : "ci: ") << std::string(cat::to_string(s.reason()))
                                                                                  << " after " << s.responses().size() << " items");
    CHECK(s.reason() == cat::finish_reason::classified);
    if (s.reason() == cat::finish_reason::classified) {
      for (const auto& a : areas) CHECK(a.decided);
      if (kind == cat::classification_kind::confidence_interval) {
        // Every marginal interval lies inside one level, the level of its estimate.
        const auto se = s.profile_se();
        for (std::size_t d = 0; d < 5; ++d) {
          const double th = s.profile_theta()[static_cast<Eigen::Index>(d)];
          const double z = 1.959963984540054;
          int level = 0;
          for (double c : spec.stopping.cuts) {
            CHECK((c < th - z * se[static_cast<Eigen::Index>(d)] || c > th + z * se[static_cast<Eigen::Index>(d)]));
            level += th >= c;
          }
          CHECK(areas[d].level == level);
        }
      }
    } else {
      CHECK(s.reason() == cat::finish_reason::max_items);
      bool undecided = false;
      for (const auto& a : areas) undecided = undecided || !a.decided;
      CHECK(undecided);
    }
    CHECK(s.classify().decided == (s.reason() == cat::finish_reason::classified));
  }
}

TEST_CASE("profile cat: the blueprint, randomesque and enemies hold around the profile criteria" * doctest::test_suite("cat")) {
  const auto bank = profile_bank();
  auto spec = profile_spec("d_optimal");
  spec.stopping.max_items = 20;
  spec.exposure.randomesque = 4;
  spec.content.method = cat::balancing::kingsbury_zara;
  spec.content.targets = {{"1", 0.2}, {"2", 0.2}, {"3", 0.2}, {"4", 0.2}, {"5", 0.2}};
  const auto eng = cat::engine::create(bank, spec);
  std::set<std::vector<std::uint32_t>> tests;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    cat::session s(eng, seed);
    while (const auto step = s.next_item().item) s.record_response(*step, answer(*bank, *step));
    CHECK(s.responses().size() == 20);
    std::map<std::string, int> per_area;
    std::vector<std::uint32_t> items;
    for (const auto& r : s.responses()) {
      ++per_area[bank->item(r.item).area];
      items.push_back(r.item);
    }
    for (const auto& [area, count] : per_area) CHECK(count == 4);
    const bool has3 = std::find(items.begin(), items.end(), 3u) != items.end();
    const bool has8 = std::find(items.begin(), items.end(), 8u) != items.end();
    CHECK(!(has3 && has8));
    tests.insert(items);
  }
  CHECK(tests.size() > 1);  // randomesque varies the tests
}

TEST_CASE("profile cat: unidimensional rules are refused on a profile bank; profile criteria run on a unidimensional one" *
          doctest::test_suite("cat")) {
  const auto bank = profile_bank(50);
  CHECK_THROWS_AS(cat::engine::create(bank, cat::test_spec{}), invalid_argument);  // mfi
  auto spec = profile_spec();
  spec.estimator.estimator = estimate::method::ml;
  CHECK_THROWS_AS(cat::engine::create(bank, spec), invalid_argument);
  spec = profile_spec();
  spec.stopping.min_information = 0.1;
  CHECK_THROWS_AS(cat::engine::create(bank, spec), invalid_argument);
  spec = profile_spec();
  spec.selection.weights = {{"nope", 1.0}};
  CHECK_THROWS_AS(cat::engine::create(bank, spec), invalid_argument);
  spec = profile_spec();
  spec.stopping.areas = {"d9"};
  CHECK_THROWS_AS(cat::engine::create(bank, spec), invalid_argument);
  spec = profile_spec("random");
  CHECK_NOTHROW(cat::engine::create(bank, spec));
  // The unidimensional bank is the one-dimension case.
  const auto uni = bank::load_bank(dskill_test::data_path("banks/example.yaml"));
  auto uspec = profile_spec("d_optimal");
  uspec.stopping.max_items = 5;
  const auto ueng = cat::engine::create(uni, uspec);
  CHECK(!ueng->profile());
  cat::session s(ueng, 1);
  while (const auto step = s.next_item().item) s.record_response(*step, 1);
  CHECK(s.responses().size() == std::min<std::size_t>(5, uni->size()));
  CHECK(s.profile_theta().size() == 1);
  CHECK(s.profile_theta()[0] == s.theta());
}

TEST_CASE("profile cat: the bundled test profile bank (tests/data/banks/profile.yaml) runs a session" * doctest::test_suite("cat")) {
  const auto bank = bank::load_bank(dskill_test::data_path("banks/profile.yaml"));
  const auto eng = cat::engine::create(bank, profile_spec("dp_optimal"));
  cat::session s(eng, 2);
  while (const auto step = s.next_item().item) s.record_response(*step, 0);
  CHECK(s.responses().size() == bank->size());
  CHECK(s.reason() == cat::finish_reason::bank_exhausted);
  CHECK(s.profile_theta().size() == 2);
  // All wrong: both dimensions below the prior mean.
  CHECK(s.profile_theta()[0] < 0.1);
  CHECK(s.profile_theta()[1] < -0.2);
}

TEST_CASE("profile cat: simulation reports per-dimension statistics, whatever the thread count" * doctest::test_suite("cat")) {
  const auto bank = profile_bank(300);
  auto spec = profile_spec("dp_optimal");
  spec.stopping.max_items = 25;
  spec.stopping.cuts = {-0.5, 0.5};
  spec.stopping.classification = cat::classification_kind::confidence_interval;
  const auto eng = cat::engine::create(bank, spec);
  cat::simulation_options o;
  o.examinees = 300;
  o.seed = 4;
  const auto one = cat::simulate(eng, o);
  o.threads = 3;
  const auto three = cat::simulate(cat::engine::create(bank, spec), o);
  REQUIRE(one.examinees.size() == 300);
  for (std::size_t i = 0; i < 300; ++i) {
    CHECK(one.examinees[i].profile == three.examinees[i].profile);
    CHECK(one.examinees[i].levels == three.examinees[i].levels);
  }
  const auto& s = one.summary;
  REQUIRE(s.dimensions.size() == 5);
  for (const auto& d : s.dimensions) {
    INFO(d.id);
    CHECK(d.rmse < 0.6);
    CHECK(d.correlation > 0.75);
    CHECK(std::abs(d.bias) < 0.15);
    CHECK(d.mean_se == doctest::Approx(d.rmse).epsilon(0.25));  // SEs track the errors
    REQUIRE(d.classification_accuracy);
    CHECK(*d.classification_accuracy > 0.6);
  }
  // The true profiles follow the latent correlation (0.5).
  double sxy = 0, sxx = 0, syy = 0;
  for (const auto& e : one.examinees) {
    sxy += e.true_profile[0] * e.true_profile[1];
    sxx += e.true_profile[0] * e.true_profile[0];
    syy += e.true_profile[1] * e.true_profile[1];
  }
  CHECK(sxy / std::sqrt(sxx * syy) == doctest::Approx(0.5).epsilon(0.3));
  // Given true profiles are used as given.
  cat::simulation_options g;
  g.true_profiles = {1, 1, 1, 1, 1, -1, -1, -1, -1, -1};
  const auto given = cat::simulate(eng, g);
  REQUIRE(given.examinees.size() == 2);
  CHECK(given.examinees[1].true_profile == std::vector<double>{-1, -1, -1, -1, -1});
  g.true_profiles.pop_back();
  CHECK_THROWS_AS(cat::simulate(eng, g), invalid_argument);
}

TEST_CASE("profile cat: the specification's weights, se_per_area and areas round-trip; other specifications keep their YAML" *
          doctest::test_suite("cat")) {
  const auto plain = cat::to_yaml(cat::test_spec{});
  const auto sel = plain.substr(plain.find("selection:"), plain.find('\n', plain.find("selection:")) - plain.find("selection:"));
  CHECK(sel.find("weights") == std::string::npos);
  CHECK(plain.find("se_per_area") == std::string::npos);
  CHECK(plain.find("areas") == std::string::npos);
  const auto spec = cat::parse_test_spec(R"(dskill: 1
selection: {rule: a_optimal, weights: {d1: 2, "3": 0.5}}
estimation: {method: map}
stopping: {max_items: 30, se_per_area: 0.4, areas: [d1, "3"]}
)");
  CHECK(spec.selection.rule.str() == "a_optimal");
  REQUIRE(spec.selection.weights.size() == 2);
  CHECK(spec.selection.weights[1] == std::pair<std::string, double>{"3", 0.5});
  CHECK(spec.stopping.se_per_area == 0.4);
  CHECK(spec.stopping.areas == std::vector<std::string>{"d1", "3"});
  const auto again = cat::parse_test_spec(cat::to_yaml(spec));
  CHECK(again.selection == spec.selection);
  CHECK(again.stopping == spec.stopping);
  CHECK(cat::to_yaml(again) == cat::to_yaml(spec));
  const auto eng = cat::engine::create(profile_bank(50), spec);
  CHECK(std::vector<double>(eng->dimension_weights().begin(), eng->dimension_weights().end()) ==
        std::vector<double>{2, 1, 0.5, 1, 1});
  CHECK_THROWS_AS(cat::parse_test_spec("dskill: 1\nstopping: {se_per_area: -1}\n"), parse_error);
  CHECK_THROWS_AS(cat::parse_test_spec("dskill: 1\nselection: {weights: [1, 2]}\n"), parse_error);
}

TEST_CASE("profile cat: cut scores per area, from the specification or the framework" * doctest::test_suite("cat")) {
  const auto bank = bank::load_bank(dskill_test::data_path("banks/profile.yaml"));
  const auto fw = framework::load_framework(dskill_test::data_path("frameworks/mini.yaml"));
  const auto cuts = cat::area_cuts_from(*fw, *bank);
  // Area "4" (dimension safety) has its own cuts in mini.yaml; area "1" the overall ones.
  REQUIRE(!cuts.empty());
  bool safety = false;
  for (const auto& [id, c] : cuts)
    if (id == "safety") {
      safety = true;
      CHECK(c == std::vector<double>{-0.5, 0.5, 1.5});
    }
  CHECK(safety);
  auto spec = profile_spec("dp_optimal");
  spec.stopping.classification = cat::classification_kind::confidence_interval;
  spec.stopping.cuts = {0.0};
  spec.stopping.area_cuts = {{"4", {-3.0, 3.0}}};  // by area id
  const auto eng = cat::engine::create(bank, spec);
  CHECK(std::vector<double>(eng->cuts_of(0).begin(), eng->cuts_of(0).end()) == std::vector<double>{0.0});
  CHECK(std::vector<double>(eng->cuts_of(1).begin(), eng->cuts_of(1).end()) == std::vector<double>{-3.0, 3.0});
  cat::session s(eng, 1);
  for (int k = 0; k < 2; ++k) {
    const auto step = s.next_item();
    REQUIRE(step.item);
    s.record_response(*step.item, 1);
  }
  const auto areas = s.classify_areas();
  REQUIRE(areas.size() == 2);
  // Safety's cuts at +-3 lie outside its interval after two answers: decided, middle level.
  CHECK(areas[1].decided);
  CHECK(areas[1].level == 1);
  // The YAML keeps them.
  const auto again = cat::parse_test_spec(cat::to_yaml(spec));
  CHECK(again.stopping == spec.stopping);
  // A unidimensional bank has no areas to cut.
  auto uspec = profile_spec("d_optimal");
  uspec.stopping.area_cuts = {{"1", {0.0}}};
  CHECK_THROWS_AS(cat::engine::create(bank::load_bank(dskill_test::data_path("banks/example.yaml")), uspec), invalid_argument);
}

TEST_CASE("profile cat: a step and an answer allocate nothing once a thread has made its first step" * doctest::test_suite("cat")) {
  const auto bank = profile_bank(300);
  for (const char* rule : {"d_optimal", "ap_optimal", "kl_profile"}) {
    INFO(rule);
    auto spec = profile_spec(rule);
    spec.stopping.max_items = 30;
    spec.stopping.se_per_area = 0.2;
    spec.stopping.classification = cat::classification_kind::sprt;
    spec.stopping.cuts = {0.0};
    spec.exposure.randomesque = 3;
    spec.content.method = cat::balancing::kingsbury_zara;
    spec.content.targets = {{"1", 0.2}, {"2", 0.2}, {"3", 0.2}, {"4", 0.2}, {"5", 0.2}};
    const auto eng = cat::engine::create(bank, spec);
    cat::session s(eng, 3);
    for (int k = 0; k < 2; ++k) {  // the thread's first steps grow its scratch
      const auto step = s.next_item();
      REQUIRE(step.item);
      s.record_response(*step.item, answer(*bank, *step.item));
    }
    long count = 0;
    {
      const dskill_test::allocation_counter counter;
      for (int k = 0; k < 10; ++k) {
        const auto step = s.next_item();
        if (!step.item) break;
        s.record_response(*step.item, answer(*bank, *step.item));
      }
      count = counter.count();
    }
    CHECK(count == 0);
  }
}

TEST_CASE("profile cat: Sympson-Hetter parameters derived by simulation bring the exposure down" * doctest::test_suite("cat")) {
  const auto bank = profile_bank(100);
  auto spec = profile_spec("dp_optimal");
  spec.stopping.max_items = 10;
  cat::simulation_options o;
  o.examinees = 400;
  o.seed = 8;
  const auto before = cat::simulate(cat::engine::create(bank, spec), o).summary.exposure_max;
  const auto k = cat::derive_sympson_hetter(bank, spec, 0.3, 400, 4, 5);
  REQUIRE(k.size() == bank->size());
  spec.exposure.sympson_hetter = true;
  const auto after = cat::simulate(cat::engine::create(bank, spec, nullptr, k), o).summary.exposure_max;
  MESSAGE("largest exposure rate: " << before << " without, " << after << " with Sympson-Hetter (target 0.3)");
  CHECK(before > 0.5);
  CHECK(after < 0.4);
}

TEST_CASE("profile cat: a recorded profile test replays step for step" * doctest::test_suite("cat")) {
  const auto bank = profile_bank();
  auto spec = profile_spec("d_optimal");
  spec.exposure.randomesque = 3;
  spec.exposure.restricted_max = 0.5;
  const auto eng = cat::engine::create(bank, spec);
  cat::session s(eng, 13);
  while (const auto step = s.next_item().item) s.record_response(*step, answer(*bank, *step));
  const auto result = cat::replay(eng, s.record());
  CHECK(result.matches());
  CHECK(result.difference.empty());
}
