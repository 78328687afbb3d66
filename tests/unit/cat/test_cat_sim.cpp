// cat: snapshots (round trip, corruption, foreign bank), concurrent sessions, simulation,
// content balancing, enemies and exposure control.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <thread>

#include "dskill/cat/session.hpp"
#include "dskill/cat/simulate.hpp"
#include "dskill/error.hpp"
#include "dskill/irt/kernels.hpp"
#include "test_cat_support.hpp"

using namespace dskill;

namespace {

// Answers deterministically from a per-person stream.
int answer(const bank::item_bank& bank, std::uint32_t item, double theta, cat::rng& g) {
  double p[irt::max_categories];
  const auto& it = bank.params(item);
  irt::probabilities(it, theta, p);
  double u = g.uniform();
  for (int k = 0; k < it.categories(); ++k) {
    if (u < p[k]) return k;
    u -= p[k];
  }
  return it.categories() - 1;
}

struct transcript {
  std::vector<std::uint32_t> items;
  std::vector<double> thetas;
  friend bool operator==(const transcript&, const transcript&) = default;
};

transcript run_person(const std::shared_ptr<const cat::engine>& eng, std::uint64_t person) {
  cat::session s(eng, person);
  cat::rng g(cat::derive_seed(99, person));
  const double truth = g.normal();
  transcript t;
  while (auto st = s.next_item().item) {
    s.record_response(*st, answer(eng->bank(), *st, truth, g));
    t.items.push_back(*st);
    t.thetas.push_back(s.theta());
  }
  return t;
}

}  // namespace

TEST_CASE("cat: snapshot round trip gives an identical session, random state included") {
  const auto bank = dskill_test::random_bank(200, 3, 7);
  cat::test_spec spec;
  spec.exposure.randomesque = 4;  // random choices depend on the RNG state
  spec.stopping.max_items = 15;
  spec.selection.rule = cat::criterion::mepv;
  const auto eng = cat::engine::create(bank, spec);
  cat::session a(eng, 77);
  cat::rng g(5);
  for (int k = 0; k < 6; ++k) {
    const auto st = a.next_item();
    a.record_response(*st.item, answer(*bank, *st.item, 0.4, g));
  }
  a.next_item();  // leave an item pending
  const auto bytes = a.snapshot();
  auto b = cat::session::restore(bank, bytes);
  CHECK(b.same_state(a));
  auto c = cat::session::restore(eng, bytes);
  CHECK(c.same_state(a));
  CHECK(&c.get_engine() == eng.get());
  // Both continue identically.
  for (int k = 0; k < 9; ++k) {
    const auto sa = a.next_item(), sb = b.next_item();
    REQUIRE(sa.item == sb.item);
    if (!sa.item) break;
    const int x = answer(*bank, *sa.item, 0.4, g);
    a.record_response(*sa.item, x);
    b.record_response(*sb.item, x);
    CHECK(a.theta() == b.theta());
  }
  CHECK(a.snapshot() == b.snapshot());
}

TEST_CASE("cat: truncated, corrupted and foreign snapshots are refused") {
  const auto bank = dskill_test::random_bank(50, 3);
  cat::session a(bank, cat::test_spec{}, 1);
  a.record_response(*a.next_item().item, 1);
  const auto bytes = a.snapshot();
  // Every truncation.
  for (std::size_t len = 0; len < bytes.size(); ++len)
    CHECK_THROWS_AS(cat::session::restore(bank, std::span(bytes.data(), len)), serialization_error);
  // Every single-bit flip.
  for (std::size_t pos = 0; pos < bytes.size(); ++pos) {
    auto bad = bytes;
    bad[pos] ^= static_cast<std::uint8_t>(1u << (pos % 8));
    CHECK_THROWS_AS(cat::session::restore(bank, bad), serialization_error);
  }
  // Another bank.
  const auto other = dskill_test::random_bank(50, 4);
  try {
    cat::session::restore(other, bytes);
    FAIL("restored over a foreign bank");
  } catch (const serialization_error& e) {
    CHECK(std::string(e.what()).find("bank") != std::string::npos);
  }
  // Another specification, over an engine.
  cat::test_spec spec2;
  spec2.stopping.max_items = 7;
  CHECK_THROWS_AS(cat::session::restore(cat::engine::create(bank, spec2), bytes), serialization_error);
  // Trailing garbage.
  auto longer = bytes;
  longer.push_back(0);
  CHECK_THROWS_AS(cat::session::restore(bank, longer), serialization_error);
}

TEST_CASE("cat: thousands of concurrent sessions equal the same sessions run one by one") {
  const auto bank = dskill_test::random_bank(300, 8, 9, true);
  cat::test_spec spec;
  spec.exposure.randomesque = 3;
  spec.stopping.max_items = 12;
  spec.content.method = cat::balancing::kingsbury_zara;
  spec.content.targets = {{"A", 0.2}, {"B", 0.2}, {"C", 0.2}, {"D", 0.2}, {"E", 0.2}};
  const auto eng = cat::engine::create(bank, spec);
  constexpr std::size_t people = 2000;
  std::vector<transcript> one_by_one(people), concurrent(people);
  for (std::size_t p = 0; p < people; ++p) one_by_one[p] = run_person(eng, p);
  // Interleaved: each thread advances many live sessions in turn.
  constexpr unsigned threads = 4;
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      std::vector<std::unique_ptr<cat::session>> live;
      std::vector<std::size_t> who;
      std::vector<cat::rng> gens;
      std::vector<double> truths;
      for (std::size_t p = t; p < people; p += threads) {
        live.push_back(std::make_unique<cat::session>(eng, p));
        who.push_back(p);
        gens.emplace_back(cat::derive_seed(99, p));
        truths.push_back(gens.back().normal());
      }
      bool any = true;
      while (any) {
        any = false;
        for (std::size_t k = 0; k < live.size(); ++k) {
          auto& s = *live[k];
          if (s.finished()) continue;
          const auto st = s.next_item();
          if (!st.item) continue;
          any = true;
          s.record_response(*st.item, answer(*bank, *st.item, truths[k], gens[k]));
          concurrent[who[k]].items.push_back(*st.item);
          concurrent[who[k]].thetas.push_back(s.theta());
        }
      }
    });
  for (auto& th : pool) th.join();
  std::size_t same = 0;
  for (std::size_t p = 0; p < people; ++p) same += one_by_one[p] == concurrent[p];
  CHECK(same == people);
  CHECK(eng->exposure().sessions() == 2 * people);
}

TEST_CASE("cat: simulation is identical for any number of threads") {
  const auto bank = dskill_test::random_bank(250, 12, 5);
  cat::test_spec spec;
  spec.exposure.randomesque = 2;
  spec.stopping.max_items = 15;
  spec.stopping.se = 0.4;
  spec.stopping.min_items = 5;
  cat::simulation_options o;
  o.examinees = 1500;
  o.seed = 2024;
  o.threads = 1;
  const auto r1 = cat::simulate(cat::engine::create(bank, spec), o);
  o.threads = 3;
  const auto r3 = cat::simulate(cat::engine::create(bank, spec), o);
  REQUIRE(r1.examinees.size() == r3.examinees.size());
  for (std::size_t i = 0; i < r1.examinees.size(); ++i) {
    CHECK(r1.examinees[i].items == r3.examinees[i].items);
    CHECK(r1.examinees[i].theta == r3.examinees[i].theta);
  }
  CHECK(r1.summary.rmse == r3.summary.rmse);
  CHECK(r1.summary.rmse < 0.5);
  CHECK(std::abs(r1.summary.bias) < 0.1);
  CHECK(r1.summary.length_max <= 15);
  CHECK(r1.summary.length_min >= 5);
}

TEST_CASE("cat: streamed simulation hands every examinee over in index order, equal to the kept results") {
  const auto bank = dskill_test::random_bank(250, 12, 5);
  cat::test_spec spec;
  spec.exposure.randomesque = 2;
  spec.exposure.sympson_hetter = true;  // set-aside items travel too
  spec.stopping.max_items = 12;
  spec.stopping.se = 0.4;
  spec.stopping.min_items = 4;
  spec.stopping.classification = cat::classification_kind::confidence_interval;
  spec.stopping.cuts = {-0.5, 0.5};
  std::vector<double> k(bank->size(), 1.0);
  for (std::size_t i = 0; i < k.size(); i += 3) k[i] = 0.5;
  cat::simulation_options o;
  o.examinees = 1000;
  o.seed = 77;
  o.threads = 1;
  const auto kept = cat::simulate(cat::engine::create(bank, spec, nullptr, k), o);
  for (unsigned threads : {1u, 3u}) {
    for (std::size_t block : {std::size_t{1}, std::size_t{37}, std::size_t{4096}}) {
      CAPTURE(threads);
      CAPTURE(block);
      o.threads = threads;
      o.block = block;
      std::size_t next = 0, mismatches = 0;
      const auto summary = cat::simulate(cat::engine::create(bank, spec, nullptr, k), o,
                                         [&](std::size_t i, const cat::examinee_result& r) {
                                           REQUIRE(i == next++);
                                           const auto& want = kept.examinees[i];
                                           const bool same = r.items == want.items && r.set_aside == want.set_aside &&
                                                             r.theta == want.theta && r.se == want.se &&
                                                             r.true_theta == want.true_theta && r.reason == want.reason &&
                                                             r.level == want.level && r.true_level == want.true_level;
                                           mismatches += same ? 0 : 1;
                                         });
      CHECK(next == o.examinees);
      CHECK(mismatches == 0);
      CHECK(summary.rmse == kept.summary.rmse);
      CHECK(summary.correlation == kept.summary.correlation);
      CHECK(summary.exposure_rates == kept.summary.exposure_rates);
      CHECK(summary.test_overlap == kept.summary.test_overlap);
    }
  }
  // summarize() is the same accumulator over the kept results.
  const auto again = cat::summarize(*cat::engine::create(bank, spec), kept.examinees);
  CHECK(again.bias == kept.summary.bias);
  CHECK(again.correlation == kept.summary.correlation);
  CHECK(again.exposure_chi_square == kept.summary.exposure_chi_square);
  CHECK(again.classification_accuracy == kept.summary.classification_accuracy);
  REQUIRE(again.bands.size() == kept.summary.bands.size());
  for (std::size_t b = 0; b < again.bands.size(); ++b) CHECK(again.bands[b].rmse == kept.summary.bands[b].rmse);
  // The one-pass correlation agrees with the two-pass formula.
  double mt = 0, me = 0;
  for (const auto& r : kept.examinees) {
    mt += r.true_theta;
    me += r.theta;
  }
  mt /= static_cast<double>(kept.examinees.size());
  me /= static_cast<double>(kept.examinees.size());
  double sxy = 0, sxx = 0, syy = 0;
  for (const auto& r : kept.examinees) {
    sxy += (r.true_theta - mt) * (r.theta - me);
    sxx += (r.true_theta - mt) * (r.true_theta - mt);
    syy += (r.theta - me) * (r.theta - me);
  }
  CHECK(std::abs(kept.summary.correlation - sxy / std::sqrt(sxx * syy)) < 1e-12);
  CHECK(kept.summary.correlation > 0.8);
  std::size_t set_aside = 0;
  for (const auto& r : kept.examinees) set_aside += r.set_aside.size();
  CHECK(set_aside > 0);
}

TEST_CASE("cat: blueprint and enemy constraints hold in simulation") {
  const auto bank = dskill_test::random_bank(400, 31, 0, true);
  for (auto method : {cat::balancing::kingsbury_zara, cat::balancing::weighted_deviations}) {
    CAPTURE(static_cast<int>(method));
    cat::test_spec spec;
    spec.stopping.max_items = 20;
    spec.content.method = method;
    spec.content.targets = {{"A", 0.4, 6, 9}, {"B", 0.1, 2, 3}, {"C", 0.2, 3, 5}, {"D", 0.2, 3, 5}, {"E", 0.1, 1, 3}};
    cat::simulation_options o;
    o.examinees = 400;
    o.seed = 5;
    const auto eng = cat::engine::create(bank, spec);
    const auto res = cat::simulate(eng, o);
    for (const auto& r : res.examinees) {
      int count[5] = {};
      std::set<std::uint32_t> given(r.items.begin(), r.items.end());
      for (auto i : r.items) {
        ++count[eng->group_of(i)];
        for (auto e : eng->enemies_of(i)) CHECK(given.count(e) == 0);
      }
      for (int g = 0; g < 5; ++g) {
        CHECK(count[g] >= spec.content.targets[static_cast<std::size_t>(g)].min);
        CHECK(count[g] <= spec.content.targets[static_cast<std::size_t>(g)].max);
      }
    }
  }
}

TEST_CASE("cat: exposure control lowers the maximum exposure rate") {
  const auto bank = dskill_test::random_bank(300, 17);
  cat::test_spec spec;
  spec.stopping.max_items = 15;
  cat::simulation_options o;
  o.examinees = 1000;
  o.seed = 9;
  o.threads = 2;
  const auto plain = cat::simulate(cat::engine::create(bank, spec), o).summary;
  CHECK(plain.exposure_max > 0.6);

  auto rspec = spec;
  rspec.exposure.randomesque = 5;
  const auto randomesque = cat::simulate(cat::engine::create(bank, rspec), o).summary;
  CHECK(randomesque.exposure_max < plain.exposure_max);

  auto pr = spec;
  pr.exposure.restricted_max = 0.3;
  const auto restricted = cat::simulate(cat::engine::create(bank, pr), o).summary;
  CHECK(restricted.exposure_max <= 0.32);

  const auto k = cat::derive_sympson_hetter(bank, spec, 0.3, 1000, 8, 1, 2);
  auto sh = spec;
  sh.exposure.sympson_hetter = true;
  const auto controlled = cat::simulate(cat::engine::create(bank, sh, nullptr, k), o).summary;
  CHECK(controlled.exposure_max < 0.38);
  CHECK(controlled.exposure_max < plain.exposure_max);
  CHECK(controlled.exposure_never_used <= plain.exposure_never_used);
  MESSAGE("max exposure: plain ", plain.exposure_max, ", randomesque-5 ", randomesque.exposure_max, ", restricted-0.3 ",
          restricted.exposure_max, ", Sympson-Hetter-0.3 ", controlled.exposure_max);
}

TEST_CASE("cat: progressive-restricted simulation is the same on any number of threads, wave by wave") {
  const auto bank = dskill_test::random_bank(300, 17);
  cat::test_spec spec;
  spec.stopping.max_items = 15;
  spec.exposure.restricted_max = 0.25;
  cat::simulation_options o;
  o.examinees = 900;
  o.seed = 31;
  std::map<std::size_t, std::vector<cat::examinee_result>> results;
  for (std::size_t wave : {std::size_t{1}, std::size_t{64}}) {
    CAPTURE(wave);
    o.exposure_wave = wave;
    o.threads = 1;
    o.block = 4096;
    const auto one = cat::simulate(cat::engine::create(bank, spec), o);
    for (unsigned threads : {2u, 3u}) {
      for (std::size_t block : {std::size_t{100}, std::size_t{4096}}) {
        CAPTURE(threads);
        CAPTURE(block);
        o.threads = threads;
        o.block = block;  // rounded to whole waves
        const auto many = cat::simulate(cat::engine::create(bank, spec), o);
        std::size_t differ = 0;
        for (std::size_t i = 0; i < one.examinees.size(); ++i)
          differ += one.examinees[i].items != many.examinees[i].items || one.examinees[i].theta != many.examinees[i].theta;
        CHECK(differ == 0);
        CHECK(many.summary.exposure_rates == one.summary.exposure_rates);
      }
    }
    // The control still holds the rate near its maximum (a wave reads rates up to 64 tests old).
    CHECK(one.summary.exposure_max <= 0.25 + (wave == 1 ? 0.01 : 0.03));
    results[wave] = one.examinees;
  }
  // The first wave reads no rates: with one wave of all 900, nobody is restricted, and the first
  // 64 examinees take the same tests as in waves of 64; later ones do not.
  o.exposure_wave = 900;
  o.threads = 2;
  const auto unread = cat::simulate(cat::engine::create(bank, spec), o).examinees;
  std::size_t same_first = 0, same_later = 0, same_sequential = 0;
  for (std::size_t i = 0; i < 64; ++i) {
    same_first += unread[i].items == results[64][i].items;
    same_sequential += unread[i].items == results[1][i].items;
  }
  for (std::size_t i = 64; i < 900; ++i) same_later += unread[i].items == results[64][i].items;
  CHECK(same_first == 64);
  CHECK(same_sequential < 64);
  CHECK(same_later < 800);
}

TEST_CASE("cat: a session reads progressive-restricted input from counts kept elsewhere") {
  const auto bank = dskill_test::random_bank(40, 3);
  cat::test_spec spec;
  spec.stopping.max_items = 5;
  spec.exposure.restricted_max = 0.5;
  const auto eng = cat::engine::create(bank, spec);
  // The first item of an unrestricted session, then the same session with that item over-exposed.
  cat::session live(eng, 8);
  const auto first = *live.next_item().item;
  std::vector<std::uint64_t> administered(bank->size(), 0);
  administered[first] = 3;
  std::vector<std::uint32_t> over;
  eng->over_exposed_items(administered, 4, over);
  CHECK(over == std::vector<std::uint32_t>{first});
  eng->over_exposed_items(administered, 7, over);  // 3 of 7 < 0.5
  CHECK(over.empty());
  CHECK_THROWS_AS(eng->over_exposed_items(std::vector<std::uint64_t>(3, 0), 4, over), invalid_argument);
  eng->over_exposed_items(administered, 4, over);
  cat::session kept_elsewhere(eng, 8);
  kept_elsewhere.read_exposure_from(over);
  const auto chosen = *kept_elsewhere.next_item().item;
  CHECK(chosen != first);
  // The step recorded what it read, so the test replays.
  REQUIRE(kept_elsewhere.exposure_state().steps() == 1);
  CHECK(std::vector<std::uint32_t>(kept_elsewhere.exposure_state().last().begin(),
                                   kept_elsewhere.exposure_state().last().end()) == over);
}

TEST_CASE("cat: every selection rule runs a whole test on a mixed bank") {
  const auto bank = dskill_test::random_bank(120, 44, 4, true);
  for (int r = 0; r <= static_cast<int>(cat::criterion::a_stratified); ++r) {
    cat::test_spec spec;
    spec.selection.rule = static_cast<cat::criterion>(r);
    CAPTURE(cat::to_string(spec.selection.rule));
    spec.stopping.max_items = 10;
    cat::simulation_options o;
    o.examinees = 20;
    const auto res = cat::simulate(cat::engine::create(bank, spec), o);
    for (const auto& e : res.examinees) {
      CHECK(e.items.size() == 10u);
      CHECK(std::isfinite(e.theta));
      std::set<std::uint32_t> uniq(e.items.begin(), e.items.end());
      CHECK(uniq.size() == e.items.size());
    }
  }
}

TEST_CASE("cat: simulated levels are numbered from 1 like framework levels") {
  const auto bank = dskill_test::random_bank(200, 12, 9);
  cat::test_spec spec;
  spec.stopping.max_items = 12;
  spec.stopping.classification = cat::classification_kind::confidence_interval;
  spec.stopping.cuts = {-1.0, 0.0, 1.0};
  cat::simulation_options o;
  o.examinees = 300;
  o.seed = 11;
  const auto res = cat::simulate(cat::engine::create(bank, spec), o);
  for (const auto& e : res.examinees) {
    int expected = 1;
    for (double c : spec.stopping.cuts) expected += e.true_theta >= c ? 1 : 0;
    CHECK(e.true_level == expected);
    CHECK(e.level >= 1);
    CHECK(e.level <= 4);
  }
  REQUIRE(res.summary.classification_accuracy.has_value());
  CHECK(*res.summary.classification_accuracy > 0.5);
}
