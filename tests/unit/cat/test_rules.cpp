// cat: the open engine. A selector and a stopping rule registered from C++ and named in a spec
// YAML drive a session and a simulation; every built-in is registered under its YAML name;
// unknown and taken names are refused; a session takes an item chosen outside the engine.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "dskill/bank/yaml.hpp"
#include "dskill/cat/registry.hpp"
#include "dskill/cat/session.hpp"
#include "dskill/cat/simulate.hpp"
#include "dskill/error.hpp"

using namespace dskill;

namespace {

const std::string core_bank_path = std::string(DSKILL_SOURCE_DIR) + "/item_banks/digcomp-core.yaml";

// The easiest eligible item first (a selector that ignores theta).
class easiest_first final : public cat::item_selector {
 public:
  void evaluate(const cat::step_context& ctx) const override {
    const auto b = ctx.eng.bank().difficulties();
    for (auto i : ctx.candidates) ctx.value[i] = ctx.score[i] = -b[i];
  }
};

// Stops as soon as two answers in a row were wrong.
class two_wrong final : public cat::stopping_rule {
 public:
  cat::finish_reason check(const cat::stop_context& ctx) const override {
    const auto r = ctx.state.responses;
    return r.size() >= 2 && r[r.size() - 1].category == 0 && r[r.size() - 2].category == 0 ? cat::finish_reason::user_rule
                                                                                            : cat::finish_reason::not_finished;
  }
};

void register_test_rules() {
  auto& reg = cat::registry::global();
  if (!reg.selectors.contains("test_easiest_first"))
    cat::register_selector("test_easiest_first", [](const cat::engine&) { return std::make_unique<easiest_first>(); });
  if (!reg.stopping.contains("test_two_wrong"))
    cat::register_stopping_rule("test_two_wrong", [](const cat::engine&) { return std::make_unique<two_wrong>(); });
}

constexpr const char* user_spec = R"(dskill: 1
selection: {rule: Test_Easiest_First}
exposure: {randomesque: 1}
stopping: {min_items: 1, max_items: 12, rules: [test_two_wrong]}
)";

}  // namespace

TEST_CASE("cat: every built-in rule is registered under its spec YAML name") {
  auto& reg = cat::registry::global();
  for (const char* name : {"mfi", "bopt", "mlwi", "mpwi", "kl", "klp", "mei", "mepv", "random", "progressive", "proportional",
                           "a_stratified", "astrat"})
    CHECK(reg.selectors.contains(name));
  for (const char* name : {"fixed_theta", "random_window", "fixed_items"}) CHECK(reg.start.contains(name));
  for (const char* name : {"eap", "map", "ml", "wle"}) CHECK(reg.estimators.contains(name));
  for (const char* name : {"combined", "max_items", "se", "min_information", "sprt", "confidence_interval", "ci"})
    CHECK(reg.stopping.contains(name));
  CHECK(reg.selectors.canonical("MFI") == "mfi");
  CHECK(reg.selectors.canonical("a-stratified") == "a_stratified");
  // a built-in cannot be replaced, an unknown name lists the registered ones
  CHECK_THROWS_AS(cat::register_selector("KL", [](const cat::engine&) { return std::make_unique<easiest_first>(); }),
                  invalid_argument);
  CHECK_THROWS_AS(cat::register_selector("bad name", [](const cat::engine&) { return std::make_unique<easiest_first>(); }),
                  invalid_argument);
  try {
    (void)reg.selectors.canonical("mfl");
    FAIL("no error");
  } catch (const invalid_argument& e) {
    CHECK(std::string(e.what()).find("unknown selection rule 'mfl'") != std::string::npos);
    CHECK(std::string(e.what()).find("mfi, bopt") != std::string::npos);
  }
  CHECK_THROWS_AS(cat::parse_test_spec("dskill: 1\nstopping: {rules: [no_such_rule]}\n"), parse_error);
  const auto bank = bank::load_bank(core_bank_path);
  cat::test_spec spec;
  spec.selection.rule = cat::rule_name<cat::criterion>("nope");
  CHECK_THROWS_AS(cat::engine::create(bank, spec), invalid_argument);
}

TEST_CASE("cat: a user selector and stopping rule named in a spec drive sessions and simulations") {
  register_test_rules();
  const auto bank = bank::load_bank(core_bank_path);
  const auto spec = cat::parse_test_spec(user_spec, "user.yaml");
  CHECK(spec.selection.rule.str() == "test_easiest_first");  // the registered spelling
  REQUIRE(spec.stopping.rules.size() == 1);
  CHECK(cat::parse_test_spec(cat::to_yaml(spec)).stopping.rules == spec.stopping.rules);
  const auto eng = cat::engine::create(bank, spec);

  SUBCASE("session") {
    cat::session s(eng, 7);
    const auto b = bank->difficulties();
    std::vector<std::uint32_t> given;
    for (;;) {
      const auto st = s.next_item();
      if (!st.item) break;
      given.push_back(*st.item);
      s.record_response(*st.item, given.size() == 1 ? 1 : 0);  // right, then wrong, wrong
    }
    CHECK(s.reason() == cat::finish_reason::user_rule);
    REQUIRE(given.size() == 3);
    CHECK(given[0] == static_cast<std::uint32_t>(std::min_element(b.begin(), b.end()) - b.begin()));
    CHECK(std::is_sorted(given.begin(), given.end(), [&](auto x, auto y) { return b[x] < b[y]; }));
    // the snapshot names the user rules and restores
    const auto restored = cat::session::restore(bank, s.snapshot());
    CHECK(restored.same_state(s));
  }
  SUBCASE("simulation, the same for any number of threads") {
    cat::simulation_options o;
    o.examinees = 300;
    o.seed = 11;
    const auto one = cat::simulate(cat::engine::create(bank, spec), o);
    o.threads = 3;
    const auto three = cat::simulate(cat::engine::create(bank, spec), o);
    REQUIRE(one.examinees.size() == three.examinees.size());
    for (std::size_t k = 0; k < one.examinees.size(); ++k) CHECK(one.examinees[k].items == three.examinees[k].items);
    CHECK(one.summary.reasons.count("user_rule") == 1);
    CHECK(one.summary.length_max <= 12);
  }
}

TEST_CASE("cat: a session takes an item chosen outside the engine") {
  const auto bank = bank::load_bank(core_bank_path);
  cat::test_spec spec;
  spec.stopping.max_items = 5;
  const auto eng = cat::engine::create(bank, spec);
  cat::session s(eng, 3);
  const auto a = static_cast<std::uint32_t>(*bank->find("dc-1.2-003"));
  const auto enemy = static_cast<std::uint32_t>(*bank->find("dc-1.2-005"));
  CHECK(s.administer(a));
  CHECK_FALSE(s.administer(a));  // already pending
  CHECK(s.next_item().item == a);
  CHECK_THROWS_AS(s.administer(enemy), state_error);  // another item is pending
  CHECK(s.record_response(a, 1));
  CHECK_THROWS_AS(s.administer(a), state_error);  // answered
  CHECK_THROWS_AS(s.administer(enemy), state_error);  // an enemy of an answered item
  CHECK_THROWS_AS(s.administer(static_cast<std::uint32_t>(bank->size())), invalid_argument);
  CHECK_THROWS_AS(s.administer("no-such-item"), invalid_argument);
  CHECK(s.administer(enemy, true));
  CHECK(eng->exposure().administered_count(enemy) == 1);
  // the snapshot keeps the external pending item
  auto restored = cat::session::restore(eng, s.snapshot());
  CHECK(restored.same_state(s));
  CHECK(restored.next_item().item == enemy);
  CHECK(s.record_response(enemy, 0));
  CHECK(restored.record_response(enemy, 0));
  CHECK(restored.same_state(s));
  // the engine then goes on around both
  const auto next = s.next_item();
  REQUIRE(next.item);
  CHECK(*next.item != a);
  CHECK(*next.item != enemy);
  while (s.next_item().item) s.record_response(*s.pending(), 1);
  CHECK(s.finished());
  CHECK_THROWS_AS(s.administer(0u), state_error);  // the test is over
}
