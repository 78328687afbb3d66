// bank: profile (multidimensional) banks: dimensions mapped to framework areas, the latent
// structure, each item's dimension or slopes; load, save, load keeps everything; the
// multidimensional table the estimators read; unidimensional banks unchanged.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include "dskill/bank/yaml.hpp"
#include "dskill/error.hpp"
#include "dskill/framework/framework.hpp"
#include "test_support.hpp"

using namespace dskill;
using dskill_test::data_path;

TEST_CASE("bank: a profile bank loads with its dimensions, latent structure and slopes" * doctest::test_suite("bank")) {
  auto fw = framework::load_framework(data_path("frameworks/mini.yaml"));
  bank::load_options options;
  options.framework = fw.get();
  const auto diags = bank::validate_bank_file(data_path("banks/profile.yaml"), options);
  for (const auto& d : diags) MESSAGE(d.to_string());
  CHECK(diags.empty());
  auto b = bank::load_bank(data_path("banks/profile.yaml"), options);
  REQUIRE(b->multidimensional());
  REQUIRE(b->dimensions() == 2);
  const auto& info = b->info();
  CHECK(info.dimensions[0].id == "info");
  CHECK(info.dimensions[0].area == "1");
  CHECK(info.dimensions[1].area == "4");
  CHECK(info.dimensions[1].titles.get("en") == "Safety");
  CHECK(info.latent_mean == std::vector<double>{0.1, -0.2});
  CHECK(info.latent_covariance == std::vector<double>{1, 0.6, 0.6, 1});
  CHECK(info.latent_as_correlation);
  CHECK(*b->find_dimension("safety") == 1);
  CHECK_FALSE(b->find_dimension("nope"));

  const auto& i1 = b->item(*b->find("i1"));
  CHECK(i1.slopes == std::vector<double>{1.2, 0.0});
  CHECK(i1.params.intercepts[0] == doctest::Approx(-0.6));
  const auto& i3 = b->item(*b->find("i3"));
  CHECK(i3.slopes == std::vector<double>{0.8, 0.6});
  CHECK(i3.params.slope == doctest::Approx(1.0));  // MDISC = |(0.8, 0.6)|
  CHECK(i3.params.intercepts[0] == doctest::Approx(0.3));
  const auto& i4 = b->item(*b->find("i4"));
  CHECK(i4.slopes == std::vector<double>{0.0, 1.4});
  CHECK(i4.params.categories() == 4);
  CHECK(b->item(*b->find("i5")).slopes == std::vector<double>{0.7, 0.5});
  // Areas still come from the competences.
  CHECK(i1.area == "1");
  CHECK(i4.area == "4");

  // The table the estimators read: unit links and the slopes.
  const auto table = b->multidim_table();
  REQUIRE(table.dims == 2);
  REQUIRE(table.size() == b->size());
  CHECK(table.links.slopes[2] == 1.0);
  CHECK(table.slopes_of(2)[0] == 0.8);
  const double theta[2] = {0.5, -1.0};
  CHECK(table.projection(2, theta) == doctest::Approx(0.8 * 0.5 - 0.6));
}

TEST_CASE("bank: a profile bank survives save and load, fingerprint included" * doctest::test_suite("bank")) {
  auto b = bank::load_bank(data_path("banks/profile.yaml"));
  const std::string yaml = bank::to_yaml(*b);
  CAPTURE(yaml);
  auto again = bank::load_bank_from_string(yaml);
  CHECK(again->fingerprint() == b->fingerprint());
  CHECK(again->info().dimensions == b->info().dimensions);
  CHECK(again->info().latent_covariance == b->info().latent_covariance);
  CHECK(again->info().latent_as_correlation);
  for (std::size_t i = 0; i < b->size(); ++i) {
    CAPTURE(b->id(i));
    REQUIRE(again->item(i).slopes.size() == 2);
    for (std::size_t d = 0; d < 2; ++d)
      CHECK(again->item(i).slopes[d] == doctest::Approx(b->item(i).slopes[d]).epsilon(1e-12));
  }
  // Between-item items keep the difficulty form and their dimension; the others intercept form.
  CHECK(yaml.find("dimension: info") != std::string::npos);
  CHECK(yaml.find("a: {info: 0.8, safety: 0.6}") != std::string::npos);
}

TEST_CASE("bank: the latent structure and slopes enter the fingerprint" * doctest::test_suite("bank")) {
  const std::string base = R"(dskill: 1
bank:
  id: p
  dimensions: [f1, f2]
  latent: {correlation: [[1, CORR], [CORR, 1]]}
items:
  - id: q1
    model: 2pl
    params: {a: [1.0, SLOPE], intercept: 0.1}
)";
  auto make = [&](std::string corr, std::string slope) {
    std::string y = base;
    for (auto at = y.find("CORR"); at != std::string::npos; at = y.find("CORR")) y.replace(at, 4, corr);
    y.replace(y.find("SLOPE"), 5, slope);
    return bank::load_bank_from_string(y)->fingerprint();
  };
  const auto reference = make("0.5", "0.3");
  CHECK(make("0.5", "0.3") == reference);
  CHECK(make("0.4", "0.3") != reference);
  CHECK(make("0.5", "0.2") != reference);
}

TEST_CASE("bank: a unidimensional bank is the one-dimension case" * doctest::test_suite("bank")) {
  auto b = bank::load_bank(data_path("banks/example.yaml"));
  CHECK_FALSE(b->multidimensional());
  CHECK(b->dimensions() == 1);
  const auto table = b->multidim_table();
  REQUIRE(table.dims == 1);
  for (std::size_t i = 0; i < b->size(); ++i) {
    CHECK(table.slopes_of(i)[0] == b->params(i).slope);
    CHECK(table.links.slopes[i] == 1.0);
  }
  CHECK(bank::to_yaml(*b).find("dimension") == std::string::npos);
}

TEST_CASE("bank: building a profile bank in code checks shapes" * doctest::test_suite("bank")) {
  bank::bank_info info;
  info.id = "code";
  info.dimensions = {{"a", "", bank::dimension_role::general, {}}, {"b", "", bank::dimension_role::specific, {}}};
  bank::bank_item item;
  item.id = "x";
  item.params = {irt::model::two_pl, 1.0, 0.0, 1.0, {0.0}, {}};
  item.slopes = {1.0, 0.5};
  CHECK_NOTHROW(bank::item_bank(info, {item}));
  auto bad = item;
  bad.slopes = {1.0};
  CHECK_THROWS_AS(bank::item_bank(info, {bad}), bank_error);
  auto bad_cov = info;
  bad_cov.latent_covariance = {1, 2, 2, 1};
  CHECK_THROWS_WITH_AS(bank::item_bank(bad_cov, {item}), doctest::Contains("positive definite"), bank_error);
  auto uni = info;
  uni.dimensions.clear();
  CHECK_THROWS_AS(bank::item_bank(uni, {item}), bank_error);
}

TEST_CASE("bank: a profile bank warns of areas without a dimension and items off their area" * doctest::test_suite("bank")) {
  auto fw = framework::load_framework(data_path("frameworks/mini.yaml"));
  bank::load_options options;
  options.framework = fw.get();
  const auto diags = bank::validate_bank_string(R"(dskill: 1
bank:
  id: p
  framework: {id: mini, version: "1.0"}
  dimensions:
    - {id: f1, area: "1"}
items:
  - id: q1
    model: 2pl
    dimension: f1
    params: {a: 1.0, b: 0.1}
    competences: ["4.1"]
)",
                                                options, "w.yaml");
  REQUIRE(diags.size() == 2);
  CHECK(diags[0].level == severity::warning);
  CHECK(diags[0].message.find("no dimension reports area '4'") != std::string::npos);
  CHECK(diags[1].level == severity::warning);
  CHECK(diags[1].where.item_id == "q1");
  CHECK(diags[1].where.line == 8);
  CHECK(diags[1].message.find("measures dimension 'f1' (area '1')") != std::string::npos);
  CHECK_NOTHROW(bank::load_bank_from_string(R"(dskill: 1
bank: {id: p, dimensions: [f1]}
items: [{id: q1, model: 2pl, dimension: f1, params: {a: 1.0, b: 0.1}}]
)"));
}
