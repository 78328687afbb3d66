#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <limits>
#include <vector>

#include "dskill/error.hpp"
#include "dskill/framework/framework.hpp"
#include "test_support.hpp"

using namespace dskill;
using dskill_test::data_path;

TEST_CASE("framework: mini loads with levels, areas, competences and indices" * doctest::test_suite("framework")) {
  auto fw = framework::load_framework(data_path("frameworks/mini.yaml"));
  CHECK(fw->id() == "mini");
  CHECK(fw->version() == "1.0");
  REQUIRE(fw->levels().size() == 4);
  CHECK(fw->levels()[2].tier == "intermediate");
  CHECK(fw->levels()[0].name.get("vi") == "Cơ bản 1");
  REQUIRE(fw->areas().size() == 2);
  CHECK(fw->areas()[1].competences == std::vector<std::string>{"4.1", "4.2"});
  CHECK(fw->competences().size() == 4);
  CHECK(fw->competences()[3].unconfirmed);
  CHECK(fw->area_index_of("4.2") == 1u);
  CHECK(fw->area_index_of("9.9") == std::nullopt);
  CHECK(fw->area_index("4") == 1u);
  CHECK(fw->area_index("x") == std::nullopt);
}

TEST_CASE("framework: levels from theta, 1 + boundaries at or below theta" * doctest::test_suite("framework")) {
  auto fw = framework::load_framework(data_path("frameworks/mini.yaml"));
  CHECK(fw->level_for_area(0, -5.0) == 1);
  CHECK(fw->level_for_area(0, -1.0) == 2);  // on the boundary: the higher level
  CHECK(fw->level_for_area(0, -0.01) == 2);
  CHECK(fw->level_for_area(0, 0.0) == 3);
  CHECK(fw->level_for_area(0, 7.0) == 4);
  CHECK(fw->level_for_area(1, 0.0) == 2);  // area "4" has its own cut scores
  CHECK(fw->level_for_area(1, 1.5) == 4);
  CHECK(fw->level_overall(0.05) == 2);
  CHECK(fw->level_overall(0.1) == 3);
  CHECK(fw->level_overall(std::numeric_limits<double>::quiet_NaN()) == 0);
  CHECK_THROWS_AS(fw->level_for_area(2, 0.0), invalid_argument);
}

TEST_CASE("framework: certification rules in order" * doctest::test_suite("framework")) {
  auto fw = framework::load_framework(data_path("frameworks/mini.yaml"));
  std::vector<int> all3{3, 3}, safety{1, 3}, weak{2, 2};
  CHECK(fw->certify(all3, 1) == "core");
  CHECK(fw->certify(safety, 2) == "safety-focus");
  CHECK(fw->certify(safety, 1) == std::nullopt);
  CHECK(fw->certify(weak, 4) == std::nullopt);
  std::vector<int> wrong{3};
  CHECK_THROWS_AS(fw->certify(wrong, 3), invalid_argument);
}

TEST_CASE("framework: topological order, closures, roll-up" * doctest::test_suite("framework")) {
  auto fw = framework::load_framework(data_path("frameworks/mini.yaml"));
  // 1.1 -> 1.2 -> 4.1, 1.1 -> 4.2
  CHECK(fw->topological_order() == std::vector<std::size_t>{0, 1, 2, 3});
  CHECK(fw->prerequisites_closure(2) == std::vector<std::size_t>{0, 1});
  CHECK(fw->prerequisites_closure(0).empty());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> v{1.0, 2.0, nan, 4.0};
  auto mean = fw->roll_up(v);
  CHECK(mean[0] == 1.5);
  CHECK(mean[1] == 4.0);
  auto mn = fw->roll_up(v, framework::roll_up_rule::minimum);
  CHECK(mn[0] == 1.0);
  std::vector<double> none{nan, nan, nan, nan};
  CHECK(std::isnan(fw->roll_up(none)[0]));
}

TEST_CASE("framework: crosswalks map competences and results" * doctest::test_suite("framework")) {
  auto fw = framework::load_framework(data_path("frameworks/mini.yaml"));
  auto other = framework::load_framework(data_path("frameworks/other.yaml"));
  CHECK(fw->map_competence("other", "1.2") == std::vector<std::string>{"A.1", "A.2"});
  CHECK(fw->map_competence("other", "9.9").empty());
  CHECK(fw->map_competence("nowhere", "1.1").empty());
  auto levels = fw->map_competence_levels("other", {{"1.1", 4}, {"1.2", 2}, {"4.1", 3}});
  CHECK(levels.at("A.1") == 2);  // lowest of 1.1 (4) and 1.2 (2)
  CHECK(levels.at("A.2") == 2);
  CHECK(levels.at("B.1") == 3);
  CHECK_THROWS_AS(fw->map_competence_levels("nowhere", {}), framework_error);
  std::vector<int> areas{3, 2};
  CHECK(fw->map_area_levels(*other, areas) == std::vector<int>{3, 2});
}

TEST_CASE("framework: a prerequisite cycle is named" * doctest::test_suite("framework")) {
  const char* yaml = R"(dskill_framework: 1
framework: {id: cyc, version: "1"}
levels: [{level: 1}, {level: 2}]
areas:
  - id: "1"
    name: One
    competences:
      - {id: "1.1", name: a, prerequisites: ["2.3"]}
      - {id: "1.2", name: b}
  - id: "2"
    name: Two
    competences:
      - {id: "2.3", name: c, prerequisites: ["1.2", "1.1"]}
cut_scores: {default: [0.0]}
)";
  auto diags = framework::validate_framework_string(yaml, "cyc.yaml");
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].code == "cycle");
  CHECK(diags[0].message == "prerequisites form a cycle: 1.1 -> 2.3 -> 1.1");
  CHECK(diags[0].where.line == 8);
  try {
    framework::load_framework_from_string(yaml, "cyc.yaml");
    FAIL("no exception");
  } catch (const framework_error& e) {
    CHECK(std::string(e.what()).find("cyc.yaml:8:") != std::string::npos);
  }
}

TEST_CASE("framework: the validator reports every problem with its position" * doctest::test_suite("framework")) {
  const char* yaml = R"(dskill_framework: 1
framework: {id: bad, version: "1", languages: [en, vi]}
levels:
  - {level: 1, name: {en: One, vi: Một}}
  - {level: 3, name: {en: Two}}
areas:
  - id: "1"
    name: {en: One, vi: Một}
    competences:
      - {id: "1.1", name: {en: a, vi: a}, prerequisites: ["1.3"]}
      - {id: "1.1", name: {en: b, vi: b}, unconfirmd: true}
cut_scores: {default: [0.5, 0.2]}
certification:
  - {id: c1, areas_at_least: {"2": 1}}
  - {id: c2}
crosswalks:
  - {to: other, map: {"1.9": ["x"]}}
)";
  auto diags = framework::validate_framework_string(yaml, "bad.yaml");
  std::vector<std::string> got;
  for (const auto& d : diags) got.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + " " + d.code);
  CHECK(got == std::vector<std::string>{"5:13 level", "5:22 language", "10:59 prerequisite", "11:14 duplicate-id",
                                        "11:43 unknown-key", "12:29 cut-scores", "14:31 area", "15:5 certification",
                                        "17:23 competence"});
  for (const auto& d : diags) MESSAGE(d.to_string());
  CHECK(diags[4].message == "unknown key 'unconfirmd' in competence (did you mean 'unconfirmed'?)");
}

TEST_CASE("framework: the bundled frameworks are clean and their crosswalks land" * doctest::test_suite("framework")) {
  namespace fs = std::filesystem;
  const fs::path dir = dskill_test::source_path("item_banks/frameworks");
  if (!fs::exists(dir)) return;
  std::map<std::string, std::shared_ptr<const framework::framework>> all;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    CAPTURE(entry.path().string());
    auto diags = framework::validate_framework_file(entry.path().string());
    for (const auto& d : diags) MESSAGE(d.to_string());
    CHECK(diags.empty());
    auto fw = framework::load_framework(entry.path().string());
    all[fw->id()] = fw;
    CHECK(fw->topological_order().size() == fw->competences().size());
  }
  for (const auto& [id, fw] : all)
    for (const auto& cw : fw->crosswalks()) {
      auto target = all.find(cw.to_id);
      if (target == all.end()) continue;
      CAPTURE(id);
      CAPTURE(cw.to_id);
      if (!cw.to_version.empty()) CHECK(cw.to_version == target->second->version());
      for (const auto& [from, tos] : cw.map)
        for (const auto& to : tos) CHECK_MESSAGE(target->second->competence_index(to).has_value(), from << " -> " << to);
    }
}
