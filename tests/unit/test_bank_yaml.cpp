#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "dskill/bank/yaml.hpp"
#include "dskill/error.hpp"
#include "dskill/framework/framework.hpp"
#include "test_support.hpp"

using namespace dskill;
using dskill_test::data_path;

namespace {
bank::bank_ptr load(const std::string& rel, const framework::framework* fw = nullptr) {
  bank::load_options o;
  o.framework = fw;
  return bank::load_bank(data_path(rel), o);
}
[[maybe_unused]] std::vector<diagnostic> check(std::string_view yaml, const framework::framework* fw = nullptr) {
  bank::load_options o;
  o.framework = fw;
  return bank::validate_bank_string(yaml, o, "t.yaml");
}
}  // namespace

TEST_CASE("bank: the minimal format of the core issue loads" * doctest::test_suite("bank")) {
  auto b = load("banks/example.yaml");
  REQUIRE(b->size() == 4);
  CHECK(b->info().id == "example");
  CHECK(b->scaling() == 1.0);
  const auto& q1 = b->item(*b->find("q1")).params;
  CHECK(q1.kind == irt::model::three_pl);
  CHECK(q1.slope == doctest::Approx(1.2));
  CHECK(q1.intercepts[0] == doctest::Approx(0.6));
  CHECK(q1.lower == doctest::Approx(0.2));
  const auto& q2 = b->item(*b->find("q2")).params;
  CHECK(q2.slope == doctest::Approx(0.9));
  CHECK(q2.intercepts[0] == doctest::Approx(0.45));
  const auto& p1 = b->item(*b->find("p1")).params;
  CHECK(p1.kind == irt::model::grm);
  CHECK(p1.categories() == 4);
  const auto& p2 = b->item(*b->find("p2")).params;
  CHECK(p2.kind == irt::model::gpcm);
  CHECK(p2.intercepts[1] == doctest::Approx(-0.9 * (-0.5 + 0.3)));
  CHECK(b->max_categories() == 4);
}

TEST_CASE("bank: the complete schema v1 example loads with its framework" * doctest::test_suite("bank")) {
  auto fw = framework::load_framework(data_path("frameworks/mini.yaml"));
  auto diags = bank::validate_bank_file(data_path("banks/complete.yaml"), fw.get());
  for (const auto& d : diags) MESSAGE(d.to_string());
  CHECK(diags.empty());
  auto b = load("banks/complete.yaml", fw.get());
  REQUIRE(b->size() == 8);
  const auto& info = b->info();
  CHECK(info.title == "Complete example bank");
  CHECK(info.titles.get("vi") == "Ngân hàng ví dụ đầy đủ");
  CHECK(info.framework_id == "mini");
  CHECK(info.framework_version == "1.0");
  CHECK(info.languages == std::vector<std::string>{"en", "vi"});
  CHECK(info.scaling == 1.702);
  CHECK(info.provenance.data == "simulated");
  CHECK(info.provenance.sample == 4000);
  const auto& pw = b->item(*b->find("pw-001"));
  CHECK(pw.area == "4");
  CHECK(pw.level == 2);
  CHECK(pw.key == 2);
  CHECK(pw.params.slope == doctest::Approx(1.702 * 1.2));
  CHECK(pw.exposure_control == 0.8);
  CHECK(pw.enemies == std::vector<std::string>{"pw-002"});
  CHECK(pw.content_for("vi")->stem == "Mật khẩu nào mạnh nhất?");
  CHECK(pw.content_for("fr")->stem == "Which password is the strongest?");
  CHECK(pw.content_for()->options.size() == 4);
  REQUIRE(pw.media.size() == 1);
  CHECK(pw.media[0].alt.get("vi") == "Một biểu mẫu đăng nhập");
  REQUIRE(pw.meta.size() == 4);
  CHECK(pw.meta[0].key == "author");
  CHECK(pw.meta[3].value == "{x: 1, y: two, z: \"3\"}");
  const auto& p2 = b->item(*b->find("pw-002"));
  CHECK(p2.params.kind == irt::model::four_pl);
  CHECK(p2.params.upper == 0.97);
  CHECK(p2.status == bank::item_status::pretest);
  CHECK(b->item(*b->find("search-001")).area == "1");
  CHECK(b->item(*b->find("search-001")).competences == std::vector<std::string>{"1.1"});
  const auto& task = b->item(*b->find("task-2fa"));
  CHECK(task.content_for("vi")->scoring.size() == 3);
  CHECK(b->item(*b->find("task-pcm")).params.slope == doctest::Approx(1.702));
  CHECK(b->item(*b->find("nom-001")).params.scores == std::vector<double>{1, 2, 3});
}

TEST_CASE("bank: load, save, load keeps the fingerprint and the content" * doctest::test_suite("bank")) {
  auto fw = framework::load_framework(data_path("frameworks/mini.yaml"));
  for (const char* rel : {"banks/example.yaml", "banks/complete.yaml"}) {
    CAPTURE(rel);
    auto a = load(rel, fw.get());
    const std::string text = bank::to_yaml(*a);
    bank::load_options o;
    o.framework = fw.get();
    auto diags = bank::validate_bank_string(text, o, "saved.yaml");
    for (const auto& d : diags) MESSAGE(d.to_string());
    auto b = bank::load_bank_from_string(text, o, "saved.yaml");
    CHECK(a->fingerprint() == b->fingerprint());
    REQUIRE(a->size() == b->size());
    for (std::size_t i = 0; i < a->size(); ++i) {
      const auto &x = a->item(i), &y = b->item(i);
      CAPTURE(x.id);
      CHECK(x.id == y.id);
      CHECK(x.competences == y.competences);
      CHECK(x.area == y.area);
      CHECK(x.level == y.level);
      CHECK(x.status == y.status);
      CHECK(x.enemies == y.enemies);
      CHECK(x.exposure_control == y.exposure_control);
      CHECK(x.tags == y.tags);
      CHECK(x.content == y.content);
      CHECK(x.key == y.key);
      CHECK(x.media == y.media);
      CHECK(x.meta == y.meta);
      CHECK(x.params.kind == y.params.kind);
      CHECK(x.params.slope == doctest::Approx(y.params.slope).epsilon(1e-13));
      REQUIRE(x.params.intercepts.size() == y.params.intercepts.size());
      for (std::size_t k = 0; k < x.params.intercepts.size(); ++k)
        CHECK(x.params.intercepts[k] == doctest::Approx(y.params.intercepts[k]).epsilon(1e-13));
    }
    CHECK(a->info().titles == b->info().titles);
    CHECK(a->info().provenance == b->info().provenance);
    CHECK(a->info().meta == b->info().meta);
    CHECK(a->info().languages == b->info().languages);
    // Saving again gives the same text: the writer is a fixed point after one round.
    CHECK(bank::to_yaml(*b) == text);
  }
}
