// calibrate::make_profile_bank and match_areas: a multidimensional calibration as a profile bank
// (dimensions, correlations, slopes, SEs, template content) that loads and round-trips, and the
// rules that map dimensions to framework areas.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "dskill/bank/yaml.hpp"
#include "dskill/calibrate/bank_output.hpp"
#include "dskill/error.hpp"
#include "dskill/framework/framework.hpp"
#include "test_support.hpp"

using namespace dskill;
namespace md = calibrate::multidim;

namespace {

std::string fmt_stem(int i) { return "Question " + std::to_string(i + 1); }

md::item_estimate estimate(irt::model kind, std::vector<double> slopes, std::vector<double> intercepts, double c = 0.0) {
  md::item_estimate e;
  e.item.params.kind = kind;
  e.item.params.intercepts = std::move(intercepts);
  if (kind == irt::model::three_pl) e.item.params.lower = c;
  e.item.slopes = std::move(slopes);
  for (double a : e.item.slopes) e.se_slopes.push_back(a != 0.0 ? 0.1 : NAN);
  for (double a : e.item.slopes)
    if (a != 0.0) {
      e.item.params.slope = a;  // as run(): the slope on its first loading
      break;
    }
  e.se_intercepts.assign(e.item.params.intercepts.size(), 0.05);
  if (kind == irt::model::three_pl) e.se_lower = 0.03;
  return e;
}

// A 3-factor calibration: between-item 2PL/3PL/GPCM items, a within-item GRM and an item with a
// negative slope (written with its slope map).
struct fixture {
  md::structure s;
  md::result res;
  std::vector<std::string> ids = {"q1", "q2", "q3", "q4", "q5", "q6"};
  fixture() {
    s.factors = 3;
    s.loadings = {{0}, {1}, {2}, {0, 1}, {2}, {1}};
    s.free_correlations = {{0, 1}, {0, 2}, {1, 2}};
    s.names = {"info", "comm", "safety"};
    res.dimensions = 3;
    res.names = s.names;
    res.correlation = {1, 0.7, 0.6, 0.7, 1, 0.55, 0.6, 0.55, 1};
    res.se_correlation = {NAN, 0.02, 0.03, 0.02, NAN, 0.025, 0.03, 0.025, NAN};
    res.items = {estimate(irt::model::two_pl, {1.3, 0, 0}, {0.4}),
                 estimate(irt::model::three_pl, {0, 1.7, 0}, {-0.9}, 0.18),
                 estimate(irt::model::gpcm, {0, 0, 0.9}, {0.6, -0.3}),
                 estimate(irt::model::grm, {0.8, 0.6, 0}, {1.5, 0.1, -1.2}),
                 estimate(irt::model::two_pl, {0, 0, -0.4}, {0.2}),
                 estimate(irt::model::two_pl, {0, 1.1, 0}, {-0.1})};
    res.log_likelihood = -1234.5;
    res.parameters = 20;
    res.persons = 500;
    res.iterations = 12;
    res.converged = true;
    res.standard_errors = true;
    res.points = 15;
  }
};

bank::item_bank template_bank() {
  bank::bank_info info;
  info.id = "content";
  info.title = "Content bank";
  info.framework_id = "mini";
  info.framework_version = "1.0";
  info.languages = {"en"};
  info.meta = {{"owner", "tests", false}, {"calibration", "{old: true}", true}};
  std::vector<bank::bank_item> items;
  const char* areas[] = {"1", "2", "4", "1", "4", "2", "4"};
  const char* ids[] = {"q1", "q2", "q3", "q4", "q5", "q6", "q7"};
  for (int i = 0; i < 7; ++i) {
    bank::bank_item it;
    it.id = ids[i];
    it.params.kind = irt::model::two_pl;
    it.params.intercepts = {0.0};
    it.area = areas[i];
    it.competences = {std::string(areas[i]) + ".1"};
    it.level = 2;
    it.content = {{"en", {fmt_stem(i), {}, {}}}};
    it.meta = {{"se", "{a: 0.1}", true}, {"author", "tests", false}};
    items.push_back(std::move(it));
  }
  items[0].enemies = {"q7"};
  items[6].enemies = {"q1"};
  items[1].enemies = {"q6"};
  items[5].enemies = {"q2"};
  return bank::item_bank(info, std::move(items));
}

}  // namespace

TEST_CASE("make_profile_bank: a profile bank that loads and round-trips") {
  fixture f;
  const auto tpl = template_bank();
  calibrate::profile_bank_options o;
  o.id = "profile";
  o.data = "simulated";
  o.date = "2026-12-03";
  o.areas = {"1", "2", "4"};
  o.template_bank = &tpl;
  const auto bank = calibrate::make_profile_bank(f.res, f.s, f.ids, o);
  REQUIRE(bank.multidimensional());
  CHECK(bank.dimensions() == 3);
  CHECK(bank.info().dimensions[2].area == "4");
  CHECK(bank.info().framework_id == "mini");
  CHECK(bank.info().title == "Content bank");
  CHECK(bank.info().latent_covariance[1] == 0.7);
  // Template content and metadata, less its SEs; enemies outside the calibration dropped.
  CHECK(bank.item(0).content.at(0).second.stem == "Question 1");
  CHECK(bank.item(0).enemies.empty());
  CHECK(bank.item(1).enemies == std::vector<std::string>{"q6"});
  bool old_calibration = false;
  for (const auto& m : bank.info().meta) old_calibration = old_calibration || m.value == "{old: true}";
  CHECK_FALSE(old_calibration);
  int se_entries = 0;
  for (const auto& m : bank.item(3).meta) se_entries += m.key == "se" ? 1 : 0;
  CHECK(se_entries == 1);
  CHECK(bank.item(3).params.slope == doctest::Approx(1.0));  // MDISC of (0.8, 0.6)

  const std::string text = bank::to_yaml(bank);
  CHECK(text.find("dimension: comm") != std::string::npos);          // q2: one dimension, difficulty form
  CHECK(text.find("a: {info: 0.8, comm: 0.6}") != std::string::npos);  // q4: within-item
  CHECK(text.find("a: {safety: -0.4}") != std::string::npos);         // q5: a negative slope keeps the map form
  CHECK(text.find("se: {form: intercept, a: {info: 0.1, comm: 0.1}, intercepts: [0.05, 0.05, 0.05]}") != std::string::npos);
  const auto back = bank::load_bank_from_string(text);
  CHECK(back->fingerprint() == bank.fingerprint());
  CHECK(bank::to_yaml(*back) == text);
  for (std::size_t i = 0; i < bank.size(); ++i) {
    for (std::size_t d = 0; d < 3; ++d) CHECK(back->item(i).slopes[d] == doctest::Approx(f.res.items[i].item.slopes[d]).epsilon(1e-13));
    for (std::size_t k = 0; k < bank.item(i).params.intercepts.size(); ++k)
      CHECK(back->params(i).intercepts[k] == doctest::Approx(f.res.items[i].item.params.intercepts[k]).epsilon(1e-13));
  }
  CHECK(back->params(1).lower == doctest::Approx(0.18));

  // Inconsistent inputs.
  o.areas = {"1", "1", "4"};
  CHECK_THROWS_AS(calibrate::make_profile_bank(f.res, f.s, f.ids, o), invalid_argument);
  o.areas = {"1"};
  CHECK_THROWS_AS(calibrate::make_profile_bank(f.res, f.s, f.ids, o), invalid_argument);
}

TEST_CASE("make_profile_bank: bifactor roles, no template, no SEs") {
  md::structure s;
  s.factors = 1;
  s.specifics = 2;
  s.loadings = {{0}, {0}, {0}, {0}};
  s.specific = {0, 0, 1, 1};
  s.names = {"G", "S1", "S2"};
  md::result res;
  res.dimensions = 3;
  res.names = s.names;
  res.correlation = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  res.se_correlation.assign(9, NAN);
  res.items = {estimate(irt::model::two_pl, {1.2, 0.5, 0}, {0.1}), estimate(irt::model::two_pl, {1.0, 0.7, 0}, {-0.2}),
               estimate(irt::model::two_pl, {0.9, 0, 0.6}, {0.3}), estimate(irt::model::two_pl, {1.4, 0, 0.4}, {0.0})};
  res.persons = 100;
  const std::vector<std::string> ids = {"a", "b", "c", "d"};
  const auto bank = calibrate::make_profile_bank(res, s, ids, {});
  CHECK(bank.info().dimensions[0].role == bank::dimension_role::general);
  CHECK(bank.info().dimensions[1].role == bank::dimension_role::specific);
  const std::string text = bank::to_yaml(bank);
  CHECK(text.find("se:") == std::string::npos);
  CHECK(bank::load_bank_from_string(text)->fingerprint() == bank.fingerprint());
  calibrate::profile_bank_options o;
  o.areas = {"1", "", ""};
  CHECK_THROWS_AS(calibrate::make_profile_bank(res, s, ids, o), invalid_argument);  // a general factor reports no area
  // match_areas: specifics take the one area of their items; the general factor none.
  std::vector<bank::bank_item> items(4);
  const char* areas[] = {"1", "1", "4", "4"};
  for (int i = 0; i < 4; ++i) {
    items[i].id = ids[i];
    items[i].params.kind = irt::model::two_pl;
    items[i].params.intercepts = {0.0};
    items[i].area = areas[i];
  }
  const bank::item_bank tpl({.id = "t"}, std::move(items));
  const std::vector<std::string> fw = {"1", "4"};
  CHECK(calibrate::match_areas(s, ids, &tpl, fw, {}) == std::vector<std::string>{"", "1", "4"});
  CHECK_THROWS_AS(calibrate::match_areas(s, ids, &tpl, fw, {{"G", "1"}}), invalid_argument);
}

TEST_CASE("match_areas: explicit, by name, by the template's items") {
  fixture f;
  const auto tpl = template_bank();
  const std::vector<std::string> fw = {"1", "2", "4"};
  // By the items measuring a dimension alone: info (q1; q4 is within-item) -> 1, comm (q2, q6) -> 2,
  // safety (q3, q5) -> 4.
  CHECK(calibrate::match_areas(f.s, f.ids, &tpl, fw, {}) == std::vector<std::string>{"1", "2", "4"});
  // Explicit entries win; an area taken explicitly is not inferred again.
  CHECK(calibrate::match_areas(f.s, f.ids, &tpl, fw, {{"comm", "1"}}) == std::vector<std::string>{"", "1", "4"});
  // A dimension named as an area.
  md::structure named = f.s;
  named.names = {"x", "2", "y"};
  CHECK(calibrate::match_areas(named, f.ids, nullptr, fw, {}) == std::vector<std::string>{"", "2", ""});
  // Items of two areas on one dimension: none.
  md::structure mixed = f.s;
  mixed.loadings = {{0}, {0}, {2}, {0, 1}, {2}, {1}};
  CHECK(calibrate::match_areas(mixed, f.ids, &tpl, fw, {}) == std::vector<std::string>{"", "2", "4"});
  // Two dimensions on the same area (info: q5, safety: q3, both area 4): neither takes it.
  md::structure twice = f.s;
  twice.loadings = {{1}, {1}, {2}, {1}, {0}, {1}};
  CHECK(calibrate::match_areas(twice, f.ids, &tpl, fw, {}) == std::vector<std::string>{"", "", ""});
  CHECK_THROWS_AS(calibrate::match_areas(f.s, f.ids, &tpl, fw, {{"nope", "1"}}), invalid_argument);
  CHECK_THROWS_AS(calibrate::match_areas(f.s, f.ids, &tpl, fw, {{"info", "9"}}), invalid_argument);
  CHECK_THROWS_AS(calibrate::match_areas(f.s, f.ids, &tpl, fw, {{"info", "1"}, {"comm", "1"}}), invalid_argument);
}

TEST_CASE("the bundled profile bank (item_banks/digcomp-profile.yaml): five area dimensions, loads and round-trips") {
  const auto fw = framework::load_framework(dskill_test::source_path("item_banks/frameworks/digcomp-2.2.yaml"));
  bank::load_options lo;
  lo.framework = fw.get();
  lo.warnings_as_errors = true;
  const std::string path = dskill_test::source_path("item_banks/digcomp-profile.yaml");
  const auto b = bank::load_bank(path, lo);
  REQUIRE(b->dimensions() == 5);
  for (std::size_t d = 0; d < 5; ++d) CHECK(b->info().dimensions[d].area == std::to_string(d + 1));
  CHECK(b->info().provenance.data == "simulated");
  for (const auto& it : b->items()) {
    std::size_t loads = 0;
    for (double a : it.slopes) loads += a != 0.0 ? 1 : 0;
    CHECK(loads == 1);  // between-item
  }
  // Round trip: saving and reloading (twice) keeps the fingerprint, the slopes and the
  // intercepts. Not the bytes: a GPCM item's steps are recomputed from its intercepts on each save
  // and may move in the 15th digit (dc-4.2-008 does), as in a unidimensional bank.
  const auto again = bank::load_bank_from_string(bank::to_yaml(*b), lo);
  const auto third = bank::load_bank_from_string(bank::to_yaml(*again), lo);
  CHECK(again->fingerprint() == b->fingerprint());
  CHECK(third->fingerprint() == b->fingerprint());
  for (std::size_t i = 0; i < b->size(); ++i) {
    for (std::size_t d = 0; d < 5; ++d) CHECK(third->item(i).slopes[d] == doctest::Approx(b->item(i).slopes[d]).epsilon(1e-13));
    for (std::size_t k = 0; k < b->params(i).intercepts.size(); ++k)
      CHECK(third->params(i).intercepts[k] == doctest::Approx(b->params(i).intercepts[k]).epsilon(1e-12));
  }
}
