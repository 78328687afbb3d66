#include <doctest/doctest.h>

#include <algorithm>
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

// Every tests/data/banks/broken/NAME.yaml has NAME.expected: one line per diagnostic, in order,
// "line:col: code: item 'id': message" (the text after "code: " may be a fragment). A first line
// "# framework: FILE" in the bank names a framework under tests/data/frameworks to check against.
TEST_CASE("bank: the corpus of broken banks gives exactly the expected diagnostics" * doctest::test_suite("bank")) {
  namespace fs = std::filesystem;
  std::size_t cases = 0;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(data_path("banks/broken")))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    CAPTURE(path.filename().string());
    std::ifstream in(path);
    std::string first;
    std::getline(in, first);
    std::shared_ptr<const framework::framework> fw;
    if (first.rfind("# framework: ", 0) == 0) fw = framework::load_framework(data_path("frameworks/" + first.substr(13)));
    bank::load_options options;
    options.framework = fw.get();
    const auto diags = bank::validate_bank_file(path.string(), options);
    auto expected_path = path;
    expected_path.replace_extension(".expected");
    std::ifstream ex(expected_path);
    REQUIRE_MESSAGE(ex.good(), "missing " << expected_path.string());
    std::vector<std::string> expected;
    for (std::string line; std::getline(ex, line);)
      if (!line.empty()) expected.push_back(line);
    std::vector<std::string> actual;
    for (const auto& d : diags) {
      std::string s = std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " + d.code + ": ";
      if (!d.where.item_id.empty()) s += "item '" + d.where.item_id + "': ";
      actual.push_back(s + d.message);
      CHECK(d.where.file == path.string());
    }
    REQUIRE(actual.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const auto& e = expected[i];
      const auto& a = actual[i];
      // Position and code exactly; the message may be given as a fragment.
      const auto head = e.find(": ", e.find(": ") + 2) + 2;
      CHECK(a.substr(0, head) == e.substr(0, head));
      CHECK_MESSAGE(a.find(e.substr(head)) != std::string::npos, a << "\n  expected: " << e);
    }
    CHECK(has_errors(diags));
    // load_bank throws the first error with its position.
    try {
      bank::load_bank(path.string(), options);
      FAIL("no exception");
    } catch (const error& e) {
      CHECK(e.where().line == diags.front().where.line);
      CHECK(e.where().column == diags.front().where.column);
      CHECK(e.where().item_id == diags.front().where.item_id);
      CHECK((e.code() == errc::bank_error || e.code() == errc::parse_error));
    }
    ++cases;
  }
  CHECK(cases >= 40);
}

TEST_CASE("bank: errors carry file, line, column and item id" * doctest::test_suite("bank")) {
  const std::string yaml = "dskill: 1\nbank: {id: t}\nitems:\n  - {id: q1, model: 2pl, params: {a: 1, b: 0}}\n"
                           "  - {id: q7, model: 2pl, params: {a: -2, b: 0}}\n";
  try {
    bank::load_bank_from_string(yaml, {}, "my.yaml");
    FAIL("no exception");
  } catch (const bank_error& e) {
    CHECK(std::string(e.what()) == "[dskill.bank_error.E003] my.yaml:5:38: item 'q7': discrimination a must be > 0, got -2");
    CHECK(e.where().item_id == "q7");
  }
  try {
    bank::load_bank_from_string("dskill: 1\nbank: {id: t\n", {}, "bad.yaml");
    FAIL("no exception");
  } catch (const parse_error& e) {
    CHECK(e.where().file == "bad.yaml");
    CHECK(e.where().line > 0);
  }
  CHECK_THROWS_AS(bank::load_bank(data_path("banks/no-such-file.yaml")), io_error);
  auto diags = bank::validate_bank_file(data_path("banks/no-such-file.yaml"));
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].code == "io");
}

TEST_CASE("bank: all problems at once, up to a limit" * doctest::test_suite("bank")) {
  std::string yaml = "dskill: 1\nbank: {id: t}\nitems:\n";
  for (int i = 0; i < 30; ++i) yaml += "  - {id: q" + std::to_string(i) + ", model: 2pl, params: {a: 0, b: 0}}\n";
  auto all = check(yaml);
  CHECK(all.size() == 30);
  bank::load_options o;
  o.max_diagnostics = 10;
  auto some = bank::validate_bank_string(yaml, o);
  REQUIRE(some.size() == 11);
  CHECK(some.back().level == severity::note);
  CHECK(some.back().message == "20 more problems were not listed (limit 10)");
  try {
    bank::load_bank_from_string(yaml);
  } catch (const bank_error& e) {
    CHECK(std::string(e.detail()).find("(and 29 more problems;") != std::string::npos);
  }
}

TEST_CASE("bank: warnings do not stop loading unless asked" * doctest::test_suite("bank")) {
  const std::string yaml = "dskill: 1\nbank: {id: t}\nitems:\n"
                           "  - {id: q1, model: 2pl, params: {a: 1, b: 0}, content: {en: {stem: s, options: [x, y]}}}\n";
  auto diags = check(yaml);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].level == severity::warning);
  CHECK(diags[0].code == "key");
  CHECK(bank::load_bank_from_string(yaml)->size() == 1);
  bank::load_options strict;
  strict.warnings_as_errors = true;
  CHECK_THROWS_AS(bank::load_bank_from_string(yaml, strict), bank_error);
  CHECK(diags[0].to_string() == "t.yaml:4:5: warning: item 'q1': multiple-choice item has options but no 'key' [key]");
}

TEST_CASE("bank: aliases, anchors and other YAML forms" * doctest::test_suite("bank")) {
  const std::string yaml = R"(dskill: 1
bank: {id: t, title: Plain title}
items:
  - id: q1
    model: Rasch
    params: &p {b: 0.5}
  - id: q2
    model: 1pl
    params: *p
    competences: single
    tags: one
    enemies: q3
  - {id: q3, model: 2pl, params: {a: 1, intercept: +0.5}, enemies: [q2], exposure: {sh: 1}}
  - {id: q4, model: 3pl, params: {a: 1e0, b: -1.5e-1, c: 0}}
)";
  auto diags = check(yaml);
  for (const auto& d : diags) MESSAGE(d.to_string());
  CHECK(diags.empty());
  auto b = bank::load_bank_from_string(yaml);
  CHECK(b->info().title == "Plain title");
  CHECK(b->item(1).params.intercepts[0] == -0.5);
  CHECK(b->item(1).competences == std::vector<std::string>{"single"});
  CHECK(b->item(1).tags == std::vector<std::string>{"one"});
  CHECK(b->item(2).params.intercepts[0] == 0.5);
  CHECK(b->item(3).params.intercepts[0] == doctest::Approx(0.15));
  // Quoted numbers are text, not numbers.
  auto q = check("dskill: 1\nbank: {id: t}\nitems:\n  - {id: q1, model: 2pl, params: {a: \"1\", b: 0}}\n");
  REQUIRE(q.size() == 1);
  CHECK(q[0].code == "type");
}

TEST_CASE("bank: the bundled bank is clean against DigComp 2.2" * doctest::test_suite("bank")) {
  const std::string bank_path = dskill_test::source_path("item_banks/digcomp-core.yaml");
  const std::string fw_path = dskill_test::source_path("item_banks/frameworks/digcomp-2.2.yaml");
  if (!std::filesystem::exists(bank_path) || !std::filesystem::exists(fw_path)) return;
  auto fw = framework::load_framework(fw_path);
  auto diags = bank::validate_bank_file(bank_path, fw.get());
  for (const auto& d : diags) MESSAGE(d.to_string());
  CHECK(diags.empty());
  bank::load_options o;
  o.framework = fw.get();
  auto b = bank::load_bank(bank_path, o);
  CHECK(b->size() >= 150);
  for (const auto& it : b->items()) CHECK_MESSAGE(!it.area.empty(), it.id);
  // And it survives a save: same fingerprint.
  auto again = bank::load_bank_from_string(bank::to_yaml(*b), o);
  CHECK(again->fingerprint() == b->fingerprint());
}

TEST_CASE("bank: save_bank to a file and an item without competence" * doctest::test_suite("bank")) {
  namespace fs = std::filesystem;
  auto fw = framework::load_framework(data_path("frameworks/mini.yaml"));
  auto b = load("banks/complete.yaml", fw.get());
  const fs::path out = fs::temp_directory_path() / "dskill-test-saved-bank.yaml";
  bank::save_bank(*b, out.string());
  auto again = bank::load_bank(out.string());
  CHECK(again->fingerprint() == b->fingerprint());
  std::ostringstream ss;
  bank::save_bank(*b, ss);
  CHECK(ss.str() == bank::to_yaml(*b));
  fs::remove(out);
  CHECK_THROWS_AS(bank::save_bank(*b, "/nonexistent-dir/x.yaml"), io_error);
  // With a framework, an item without competence is a warning (it counts in no area).
  auto diags = bank::validate_bank_file(data_path("banks/example.yaml"), fw.get());
  REQUIRE(diags.size() == 5);
  CHECK(diags[0].code == "competence");
  CHECK(diags[0].level == severity::warning);
  CHECK(diags[4].message == "the bank does not name its framework (expected 'mini')");
}
