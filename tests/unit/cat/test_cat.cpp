// cat: selection criteria against catR's nextItem (../shared/reference/nextitem_catR.json),
// sessions (next item, answers, repeats, errors), stopping rules and classification.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <map>

#include "dskill/cat/session.hpp"
#include "dskill/error.hpp"
#include "dskill/irt/kernels.hpp"
#include "test_cat_support.hpp"
#include "test_support.hpp"

using namespace dskill;

namespace {

cat::criterion criterion_from_catr(const std::string& name) {
  static const std::map<std::string, cat::criterion> names = {
      {"MFI", cat::criterion::mfi}, {"bOpt", cat::criterion::bopt}, {"MLWI", cat::criterion::mlwi},
      {"MPWI", cat::criterion::mpwi}, {"KL", cat::criterion::kl}, {"KLP", cat::criterion::klp},
      {"MEI", cat::criterion::mei}, {"MEPV", cat::criterion::mepv}};
  return names.at(name);
}

std::vector<int> as_list(const nlohmann::json& j) {
  if (j.is_array()) return j.get<std::vector<int>>();
  return {j.get<int>()};
}

}  // namespace

TEST_CASE("cat: every criterion picks catR's item with catR's criterion values") {
  const auto ref = dskill_test::load_reference("nextitem_catR.json");
  const auto bank = dskill_test::bank_from_abcd(ref.at("bank").at("items").get<std::vector<std::vector<double>>>());
  int cases = 0;
  for (const auto& state : ref.at("states")) {
    const auto items = as_list(state.at("administered_items"));
    const auto answers = as_list(state.at("responses"));
    std::vector<estimate::response> responses;
    for (std::size_t k = 0; k < items.size(); ++k)
      responses.push_back({static_cast<std::uint32_t>(items[k] - 1), answers[k]});
    for (const auto& [name, sel] : state.at("selection").items()) {
      CAPTURE(state.at("label").get<std::string>());
      CAPTURE(name);
      cat::test_spec spec;  // catR's settings: 33 nodes on [-4, 4], N(0, 1), MEI with BM + observed info
      spec.selection.rule = criterion_from_catr(name);
      spec.estimator.estimator = estimate::method::map;
      const auto eng = cat::engine::create(bank, spec);
      cat::selection_state st;
      st.responses = responses;
      st.theta = state.at("theta").get<double>();
      cat::rng gen(1);
      std::vector<cat::criterion_value> explained;
      const auto chosen = eng->select(st, gen, nullptr, &explained);
      REQUIRE(chosen);
      CHECK(static_cast<int>(*chosen) + 1 == sel.at("selected_item").get<int>());
      const auto& values = sel.at("criterion_values_all_items");
      CHECK(explained.size() == bank->size() - responses.size());
      // Tolerances: closed forms and grid sums agree to rounding (1e-9 relative); MEI
      // re-estimates theta, which catR does only to about 1e-4, so its values agree to 1e-4.
      const double tol = name == "MEI" ? 1e-4 : 1e-9;
      for (const auto& cv : explained) {
        CAPTURE(cv.item + 1);
        REQUIRE(!values.at(cv.item).is_null());
        const double expected = values.at(cv.item).get<double>();
        CHECK(std::abs(cv.value - expected) <= tol * std::max(1.0, std::abs(expected)));
      }
      ++cases;
    }
  }
  CHECK(cases == 16);
}

TEST_CASE("cat: session offers, records, refuses and stops") {
  const auto bank = dskill_test::random_bank(60, 5);
  cat::test_spec spec;
  spec.stopping.max_items = 5;
  cat::session s(bank, spec, 42);
  const auto first = s.next_item();
  REQUIRE(first.item);
  CHECK(s.next_item().item == first.item);  // asking again gives the same item
  // An item that was not offered is refused.
  const std::uint32_t other = *first.item == 0 ? 1 : 0;
  CHECK_THROWS_AS(s.record_response(other, 1), state_error);
  CHECK_THROWS_AS(s.record_response(*first.item, 7), invalid_argument);
  CHECK(s.record_response(*first.item, 1));
  CHECK(s.history().size() == 1);
  // The same answer again does not count twice; a different one is refused.
  CHECK_FALSE(s.record_response(*first.item, 1));
  CHECK(s.responses().size() == 1);
  CHECK_THROWS_AS(s.record_response(*first.item, 0), state_error);
  for (int k = 0; k < 4; ++k) {
    const auto st = s.next_item();
    REQUIRE(st.item);
    s.record_response(*st.item, k % 2);
  }
  const auto end = s.next_item();
  CHECK_FALSE(end.item);
  CHECK(end.reason == cat::finish_reason::max_items);
  CHECK(s.finished());
  CHECK(s.history().size() == 5);
  // History carries the estimate after each answer; the last one is the session's.
  CHECK(s.history().back().theta == s.theta());
  CHECK(s.history().back().se == s.se());
  CHECK(s.get_engine().exposure().sessions() == 1);
}

TEST_CASE("cat: SE, minimum length and information stopping rules") {
  const auto bank = dskill_test::random_bank(300, 9);
  cat::test_spec spec;
  spec.stopping.max_items = 60;
  spec.stopping.min_items = 4;
  spec.stopping.se = 0.35;
  cat::session s(bank, spec, 1);
  cat::rng answers(3);
  while (true) {
    const auto st = s.next_item();
    if (!st.item) {
      CHECK(st.reason == cat::finish_reason::se_reached);
      break;
    }
    s.record_response(*st.item, answers.uniform() < 0.5 ? 1 : 0);
  }
  CHECK(s.se() <= 0.35);
  CHECK(s.responses().size() >= 4u);
  CHECK(s.history()[s.history().size() - 2].se > 0.35);

  spec.stopping.se = 0;
  spec.stopping.min_information = 10.0;  // more than any item gives
  cat::session s2(bank, spec, 1);
  for (int k = 0; k < 4; ++k) s2.record_response(*s2.next_item().item, k % 2);
  CHECK(s2.next_item().reason == cat::finish_reason::information_exhausted);
}

TEST_CASE("cat: start rules") {
  const auto bank = dskill_test::random_bank(100, 11);
  cat::test_spec spec;
  spec.start.kind = cat::start_kind::fixed_items;
  spec.start.items = {"q7", "q3"};
  cat::session s(bank, spec, 1);
  CHECK(bank->id(*s.next_item().item) == "q7");
  s.record_response("q7", 1);
  CHECK(bank->id(*s.next_item().item) == "q3");

  spec.start = {};
  spec.start.kind = cat::start_kind::random_window;
  spec.start.count = 2;
  spec.start.window_lo = -0.5;
  spec.start.window_hi = 0.5;
  std::map<std::uint32_t, int> seen;
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    cat::session r(bank, spec, seed);
    const auto it = *r.next_item().item;
    CHECK(bank->difficulties()[it] >= -0.5);
    CHECK(bank->difficulties()[it] <= 0.5);
    ++seen[it];
  }
  CHECK(seen.size() > 3);  // random, not always the same

  spec.start.items = {"nope"};
  spec.start.kind = cat::start_kind::fixed_items;
  CHECK_THROWS_AS(cat::engine::create(bank, spec), bank_error);
}

TEST_CASE("cat: SPRT and confidence-interval classification") {
  const auto bank = dskill_test::random_bank(400, 21);
  for (auto kind : {cat::classification_kind::sprt, cat::classification_kind::confidence_interval}) {
    CAPTURE(static_cast<int>(kind));
    cat::test_spec spec;
    spec.stopping.max_items = 80;
    spec.stopping.min_items = 3;
    spec.stopping.classification = kind;
    spec.stopping.cuts = {0.0};
    int right = 0, classified = 0;
    const int people = 60;
    for (int p = 0; p < people; ++p) {
      const double truth = p % 2 ? 1.2 : -1.2;  // well away from the cut
      cat::session s(bank, spec, static_cast<std::uint64_t>(p));
      cat::rng answers(static_cast<std::uint64_t>(1000 + p));
      while (auto st = s.next_item().item) {
        double pr[irt::max_categories];
        irt::probabilities(bank->params(*st), truth, pr);
        s.record_response(*st, answers.uniform() < pr[1] ? 1 : 0);
      }
      const auto c = s.classify();
      if (s.reason() == cat::finish_reason::classified) {
        ++classified;
        CHECK(c.decided);
      }
      if (c.decided && c.level == (truth > 0 ? 1 : 0)) ++right;
    }
    CHECK(classified >= people * 9 / 10);
    CHECK(right >= people * 9 / 10);
  }
}

TEST_CASE("cat: test specification YAML round trip and errors") {
  cat::test_spec spec;
  spec.id = "digcomp \"core\"";
  spec.selection.rule = cat::criterion::kl;
  spec.selection.grid = {-3.5, 3.5, 29};
  spec.exposure.randomesque = 3;
  spec.content.method = cat::balancing::kingsbury_zara;
  spec.content.targets = {{"1", 0.3, 1, 4, 1.0}, {"2", 0.7, 0, -1, 2.0}};
  spec.stopping.classification = cat::classification_kind::sprt;
  spec.stopping.cuts = {-0.5, 0.1};
  spec.stopping.se = 0.3;
  spec.start.kind = cat::start_kind::fixed_items;
  spec.start.items = {"a", "b"};
  spec.estimator.prior_.sd = 1.25;
  const auto text = cat::to_yaml(spec);
  const auto back = cat::parse_test_spec(text);
  CHECK(cat::to_yaml(back) == text);
  CHECK(cat::spec_hash(back) == cat::spec_hash(spec));
  CHECK(back.stopping == spec.stopping);
  CHECK(back.content == spec.content);
  CHECK(back.start == spec.start);

  const auto minimal = cat::parse_test_spec("dskill: 1\nselection: {rule: mepv}\nstopping: {max_items: 12, se: 0.3}\n");
  CHECK(minimal.selection.rule == cat::criterion::mepv);
  CHECK(minimal.stopping.max_items == 12);
  try {
    cat::parse_test_spec("dskill: 1\nstopping:\n  max_item: 3\n", "t.yaml");
    FAIL("no error");
  } catch (const parse_error& e) {
    CHECK(e.where().line == 3);
    CHECK(std::string(e.what()).find("max_item") != std::string::npos);
  }
  CHECK_THROWS_AS(cat::parse_test_spec("dskill: 1\nselection: {rule: best}\n"), parse_error);
  CHECK_THROWS_AS(cat::parse_test_spec("dskill: 1\nstopping: {min_items: 5, max_items: 3}\n"), parse_error);
}

// The generator itself (cat::rng is core::rng) is pinned in tests/unit/core/test_rng.cpp.
