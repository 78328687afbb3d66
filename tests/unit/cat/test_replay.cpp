// cat: session records and replay. Sessions run concurrently under progressive-restricted
// exposure control (which reads counts that the other sessions move) replay from their records
// to the same items and estimates; tampered records are reported at the step that differs; old
// and foreign records are handled; and the CLI's replay fixtures in tests/data/cat stay what
// they claim to be (write them again with DSKILL_WRITE_SNAPSHOTS=DIR dskill_tests).
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "dskill/bank/yaml.hpp"
#include "dskill/cat/replay.hpp"
#include "dskill/cat/session.hpp"
#include "dskill/cat/spec.hpp"
#include "dskill/error.hpp"
#include "test_cat_support.hpp"
#include "test_support.hpp"

using namespace dskill;

namespace {

struct lived {
  std::vector<std::uint32_t> items;
  std::vector<double> thetas;
  std::vector<std::uint8_t> snapshot;
};

cat::test_spec restricted_spec() {
  cat::test_spec spec;
  spec.exposure.randomesque = 3;
  spec.exposure.restricted_max = 0.15;
  spec.exposure.sympson_hetter = true;
  spec.stopping.max_items = 12;
  spec.stopping.min_items = 6;
  spec.stopping.se = 0.35;
  spec.content.method = cat::balancing::kingsbury_zara;
  spec.content.targets = {{"A", 0.2}, {"B", 0.2}, {"C", 0.2}, {"D", 0.2}, {"E", 0.2}};
  return spec;
}

std::vector<double> some_sympson_hetter(std::size_t n) {
  std::vector<double> k(n, 1.0);
  for (std::size_t i = 0; i < n; i += 5) k[i] = 0.7;
  return k;
}

// One session to its end, answers from its own stream; every 7th person is also given one item
// from outside (past the constraints) after two answers.
void run_person(cat::session& s, const bank::item_bank& bank, std::uint64_t person, lived& out) {
  cat::rng g(cat::derive_seed(99, person));
  const double truth = g.normal();
  while (const auto item = s.next_item().item) {
    s.record_response(*item, dskill_test::simulated_answer(bank, *item, truth, g));
    out.items.push_back(*item);
    out.thetas.push_back(s.theta());
    if (person % 7 == 0 && s.responses().size() == 2) {
      std::uint32_t extra = static_cast<std::uint32_t>((person * 13) % bank.size());
      auto answered = [&](std::uint32_t i) {
        for (const auto& r : s.responses())
          if (r.item == i) return true;
        return false;
      };
      while (answered(extra)) extra = (extra + 1) % static_cast<std::uint32_t>(bank.size());
      s.administer(extra, true);
      s.record_response(extra, dskill_test::simulated_answer(bank, extra, truth, g));
      out.items.push_back(extra);
      out.thetas.push_back(s.theta());
    }
  }
  out.snapshot = s.snapshot();
}


void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE_MESSAGE(out.good(), "cannot write " << path);
}

// How many of the record's items a plain rerun gives again (same seed and answers, a fresh
// engine, no recorded exposure state) before the first that differs.
std::size_t plain_rerun_agrees(const bank::bank_ptr& bank, const cat::test_spec& spec, const std::vector<double>& k,
                               const cat::session_record& rec) {
  cat::session s(cat::engine::create(bank, spec, nullptr, k), rec.seed);
  std::size_t same = 0;
  for (std::size_t i = 0; i < rec.history.size(); ++i) {
    const auto& h = rec.history[i];
    if (rec.origins[i] == cat::item_origin::engine) {
      if (s.next_item().item != h.item) break;
    } else {
      s.administer(h.item, true);
    }
    s.record_response(h.item, h.category);
    ++same;
  }
  return same;
}

}  // namespace

TEST_CASE("cat replay: sessions run concurrently under progressive-restricted control replay to the same items and thetas") {
  const auto bank = dskill_test::random_bank(200, 21, 7, true);
  const auto spec = restricted_spec();
  const auto k = some_sympson_hetter(bank->size());
  const auto eng = cat::engine::create(bank, spec, nullptr, k);
  constexpr std::size_t people = 800;
  constexpr unsigned threads = 4;
  std::vector<lived> runs(people);
  // Each thread advances its live sessions in turn, so they read counts the others move.
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (std::size_t p = t; p < people; p += threads) {
        cat::session s(eng, cat::derive_seed(7, p));
        run_person(s, *bank, p, runs[p]);
      }
    });
  for (auto& th : pool) th.join();

  auto selected = [&] {
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < bank->size(); ++i) n += eng->exposure().selected_count(i) + eng->exposure().administered_count(i);
    return n;
  };
  const auto counted = selected();
  std::size_t matched = 0, same_items = 0, logged = 0, administered = 0, set_aside = 0, plain_differs = 0;
  for (std::size_t p = 0; p < people; ++p) {
    CAPTURE(p);
    const auto rec = cat::read_snapshot(runs[p].snapshot);
    const auto res = cat::replay(eng, rec);
    if (!res.matches()) MESSAGE(res.difference);
    matched += res.matches();
    REQUIRE(res.steps.size() == runs[p].items.size());
    bool same = true;
    for (std::size_t i = 0; i < res.steps.size(); ++i)
      same = same && res.steps[i].item == runs[p].items[i] && res.steps[i].theta == runs[p].thetas[i];
    same_items += same;
    CHECK(res.reason == rec.reason);
    for (auto c : rec.exposure.counts()) logged += c;
    for (auto o : rec.origins) administered += o != cat::item_origin::engine;
    set_aside += rec.set_aside.size();
    if (p % 10 == 0) plain_differs += plain_rerun_agrees(bank, spec, k, rec) < rec.history.size();
  }
  CHECK(matched == people);
  CHECK(same_items == people);
  // The records do carry exposure state, items from outside and set-aside items, and without the
  // recorded state some tests would not come out the same.
  CHECK(logged > people);
  CHECK(administered > people / 10);
  CHECK(set_aside > 0);
  CHECK(plain_differs > 0);
  MESSAGE("exposure changes recorded: ", logged, "; plain reruns that differ: ", plain_differs, " of ", people / 10);
  // Replays over the live engine count nothing into its tracker.
  CHECK(eng->exposure().sessions() == people);
  CHECK(selected() == counted);
}

TEST_CASE("cat replay: a tampered record is reported at the step that differs") {
  const auto bank = dskill_test::random_bank(200, 21, 7, true);
  const auto spec = restricted_spec();
  const auto k = some_sympson_hetter(bank->size());
  const auto eng = cat::engine::create(bank, spec, nullptr, k);
  std::vector<lived> runs(40);
  for (std::size_t p = 0; p < runs.size(); ++p) {
    cat::session s(eng, p);
    run_person(s, *bank, p, runs[p]);
  }
  const auto rec = cat::read_snapshot(runs.back().snapshot);
  REQUIRE(rec.history.size() >= 6);
  REQUIRE(cat::replay(eng, rec).matches());

  SUBCASE("another answer: the estimate differs at that step") {
    auto bad = rec;
    auto& h = bad.history[3];
    h.category = (h.category + 1) % bank->params(h.item).categories();
    const auto res = cat::replay(eng, bad);
    REQUIRE(res.first_difference.has_value());
    CHECK(*res.first_difference == 3);
    REQUIRE(res.steps.size() > 3);
    CHECK(res.steps[2].matches);
    CHECK(res.steps[3].item == rec.history[3].item);
    CHECK_FALSE(res.steps[3].matches);
    CHECK(res.difference.find("step 4:") == 0);
  }
  SUBCASE("another item: the replay stops there") {
    auto bad = rec;
    bad.history[4].item = bad.history[4].item == 0 ? 1 : 0;
    const auto res = cat::replay(eng, bad);
    REQUIRE(res.first_difference.has_value());
    CHECK(*res.first_difference == 4);
    CHECK(res.steps.size() == 5);
    CHECK(res.steps[4].item == rec.history[4].item);
    CHECK(res.difference.find("step 5: the record gives item") == 0);
  }
  SUBCASE("another seed") {
    auto bad = rec;
    bad.seed ^= 1;
    CHECK_FALSE(cat::replay(eng, bad).matches());
  }
  SUBCASE("another finish: the steps match, the end does not") {
    auto bad = rec;
    bad.reason = bad.reason == cat::finish_reason::max_items ? cat::finish_reason::se_reached : cat::finish_reason::max_items;
    const auto res = cat::replay(eng, bad);
    REQUIRE(res.first_difference.has_value());
    CHECK(*res.first_difference == res.steps.size());
    CHECK(res.steps.size() == rec.history.size());
  }
  SUBCASE("another exposure state at the first step") {
    auto bad = rec;
    const auto first = rec.exposure.at(0);
    // Every item over-exposed at step 1 (a soft restriction: nothing is left out), then as recorded.
    std::vector<std::uint32_t> counts(rec.exposure.counts().begin(), rec.exposure.counts().end());
    std::vector<std::uint32_t> all(bank->size());
    for (std::uint32_t i = 0; i < all.size(); ++i) all[i] = i;
    cat::exposure_log log;
    log.append(all);
    for (std::size_t s = 1; s < rec.exposure.steps(); ++s) log.append(rec.exposure.at(s));
    bad.exposure = log;
    CHECK(bad.exposure.steps() == rec.exposure.steps());
    CHECK_FALSE(first.empty());
    CHECK_FALSE(cat::replay(eng, bad).matches());
  }
  SUBCASE("records that do not fit are errors, not differences") {
    CHECK_THROWS_AS(cat::replay(cat::engine::create(dskill_test::random_bank(200, 22, 7, true), spec, nullptr, k), rec),
                    invalid_argument);
    auto other = spec;
    other.stopping.max_items = 11;
    CHECK_THROWS_AS(cat::replay(cat::engine::create(bank, other, nullptr, k), rec), invalid_argument);
    CHECK_THROWS_AS(cat::replay(cat::engine::create(bank, spec), rec), invalid_argument);  // the bank's own k_i
    auto unknown = rec;
    unknown.exposure = cat::exposure_log();
    unknown.exposure.skip_unrecorded(rec.exposure.steps());
    CHECK_THROWS_WITH_AS(cat::replay(eng, unknown), doctest::Contains("format 1"), invalid_argument);
    auto out_of_range = rec;
    out_of_range.history[2].category = 9;
    CHECK_THROWS_WITH_AS(cat::replay(eng, out_of_range), doctest::Contains("step 3"), invalid_argument);
  }
}

TEST_CASE("cat replay: records restore through from_record, and inconsistent exposure logs are refused") {
  const auto bank = dskill_test::random_bank(200, 21, 7, true);
  const auto eng = cat::engine::create(bank, restricted_spec(), nullptr, some_sympson_hetter(bank->size()));
  lived run;
  for (std::uint64_t p = 0; p < 5; ++p) {
    cat::session s(eng, p);
    run = {};
    run_person(s, *bank, p, run);
  }
  cat::session s(eng, 77);
  for (int i = 0; i < 3; ++i) s.record_response(*s.next_item().item, 1);
  s.next_item();
  const auto rec = s.record();
  CHECK(cat::session::from_record(eng, rec).same_state(s));
  CHECK(cat::session::restore(eng, s.snapshot()).same_state(s));
  CHECK(rec.exposure.steps() == 4);
  auto short_log = rec;
  short_log.exposure = cat::exposure_log();
  short_log.exposure.append(rec.exposure.at(0));
  CHECK_THROWS_WITH_AS(cat::session::from_record(eng, short_log), doctest::Contains("exposure log"), serialization_error);
  // The log's parts are checked too.
  CHECK_THROWS_AS(cat::exposure_log::from_parts(0, {2}, {5, 3}, 10), invalid_argument);
  CHECK_THROWS_AS(cat::exposure_log::from_parts(0, {1}, {12}, 10), invalid_argument);
  CHECK_THROWS_AS(cat::exposure_log::from_parts(0, {3}, {1, 2}, 10), invalid_argument);
  const auto log = cat::exposure_log::from_parts(1, {2, 1, 0}, {1, 4, 1}, 10);
  CHECK(log.steps() == 4);
  CHECK(log.at(1) == std::vector<std::uint32_t>{1, 4});
  CHECK(log.at(2) == std::vector<std::uint32_t>{4});
  CHECK(log.at(3) == std::vector<std::uint32_t>{4});
  CHECK_THROWS_AS(log.at(0), invalid_argument);
}

TEST_CASE("cat replay: the pinned snapshots replay, format 1 (no exposure control) included") {
  const auto bank = bank::load_bank(dskill_test::data_path("cat/catr30.yaml"));
  const auto classify = cat::engine::create(bank, cat::load_test_spec(dskill_test::data_path("cat/classify.yaml")));
  const auto v1 = cat::replay(classify, cat::read_snapshot(dskill_test::read_bytes(dskill_test::data_path("snapshots/catr30_classify_v1.bin"))));
  CHECK(v1.matches());
  CHECK(v1.steps.size() == 5);  // four answers and the pending item
  CHECK_FALSE(v1.steps.back().answered);
  const auto restricted = cat::engine::create(bank, cat::load_test_spec(dskill_test::data_path("cat/restricted.yaml")));
  const auto v2 = cat::replay(restricted, cat::read_snapshot(dskill_test::read_bytes(dskill_test::data_path("cat/catr30_restricted_v2.bin"))));
  CHECK(v2.matches());
  REQUIRE(v2.steps.size() == 5);
  CHECK(v2.steps[2].origin == cat::item_origin::administered);
}

// The CLI test's inputs (tests/cli/replay.sh): the catR bank under tests/data/cat/restricted.yaml,
// forty sessions one after the other; the last one's snapshot, and the same with the answer at
// step 3 changed.
TEST_CASE("cat replay: the command-line fixtures replay as tests/cli/replay.sh expects") {
  const auto bank = bank::load_bank(dskill_test::data_path("cat/catr30.yaml"));
  const auto spec = cat::load_test_spec(dskill_test::data_path("cat/restricted.yaml"));
  const auto eng = cat::engine::create(bank, spec);
  const auto finished_path = dskill_test::data_path("cat/catr30_restricted_finished.bin");
  const auto tampered_path = dskill_test::data_path("cat/catr30_restricted_tampered.bin");
  if (const char* dir = std::getenv("DSKILL_WRITE_SNAPSHOTS")) {
    lived run;
    for (std::uint64_t p = 0; p < 40; ++p) {
      cat::session s(eng, 3000 + p);
      run = {};
      run_person(s, *bank, p + 1, run);  // p + 1: no item from outside in the last one
    }
    write_bytes(std::string(dir) + "/catr30_restricted_finished.bin", run.snapshot);
    auto rec = cat::read_snapshot(run.snapshot);
    rec.history[2].category = 1 - rec.history[2].category;
    write_bytes(std::string(dir) + "/catr30_restricted_tampered.bin", cat::write_snapshot(rec));
  }
  const auto finished = cat::read_snapshot(dskill_test::read_bytes(finished_path));
  CHECK(finished.reason != cat::finish_reason::not_finished);
  CHECK(cat::replay(eng, finished).matches());
  // Without the recorded exposure state the test would not come out the same.
  CHECK(plain_rerun_agrees(bank, spec, {}, finished) < finished.history.size());
  const auto tampered = cat::replay(eng, cat::read_snapshot(dskill_test::read_bytes(tampered_path)));
  REQUIRE(tampered.first_difference.has_value());
  CHECK(*tampered.first_difference == 2);
}
