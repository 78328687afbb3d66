#include <doctest/doctest.h>

#include <string>

#include "dskill/cat/spec.hpp"
#include "dskill/cat/spec_diagnostics.hpp"
#include "dskill/error.hpp"

namespace cat = dskill::cat;

TEST_CASE("cat: a test specification reports every problem with its position" * doctest::test_suite("cat")) {
  const std::string text =
      "dskill: 1\n"                        // 1
      "selection:\n"                       // 2
      "  rule: mfj\n"                      // 3
      "  strata: 2.5\n"                    // 4
      "stoping:\n"                         // 5
      "  max_items: 3\n"                   // 6
      "exposure: {sympson_hetter: maybe}\n"  // 7
      "estimation:\n"                      // 8
      "  method: eap\n"                    // 9
      "  tolerance: 1,5\n";                // 10
  const auto diags = cat::validate_test_spec(text, "t.yaml");
  REQUIRE(diags.size() == 5);
  CHECK(diags[0].where.line == 3);
  CHECK(diags[0].where.column == 9);
  CHECK(diags[0].code == "unknown-name");
  CHECK(diags[0].message.find("did you mean 'mfi'?") != std::string::npos);
  CHECK(diags[1].where.line == 4);
  CHECK(diags[1].message.find("'selection.strata' must be a whole number") != std::string::npos);
  CHECK(diags[2].where.line == 5);
  CHECK(diags[2].code == "unknown-key");
  CHECK(diags[2].message.find("did you mean 'stopping'?") != std::string::npos);
  CHECK(diags[3].where.line == 7);
  CHECK(diags[3].message.find("true or false") != std::string::npos);
  CHECK(diags[4].where.line == 10);
  CHECK(diags[4].where.column == 14);
  CHECK(diags[4].where.file == "t.yaml");
  CHECK(diags[4].message == "'estimation.tolerance' must be a number, not '1,5'");
  CHECK(diags[4].to_string() == "t.yaml:10:14: error: 'estimation.tolerance' must be a number, not '1,5' [type]");
  // The exception names the first problem and counts the others.
  try {
    cat::parse_test_spec(text, "t.yaml");
    FAIL("no error");
  } catch (const dskill::parse_error& e) {
    CHECK(e.where().line == 3);
    CHECK(std::string(e.what()).find("and 4 more problems") != std::string::npos);
  }
  CHECK(cat::validate_test_spec("dskill: 1\nstopping: {max_items: 12, se: 0.3}\n").empty());
}

TEST_CASE("cat: a bad number in a specification is reported where it is" * doctest::test_suite("cat")) {
  try {
    cat::parse_test_spec("dskill: 1\nstart:\n  theta: 0.5x\n", "s.yaml");
    FAIL("no error");
  } catch (const dskill::parse_error& e) {
    CHECK(e.where().file == "s.yaml");
    CHECK(e.where().line == 3);
    CHECK(e.where().column == 10);
    CHECK(e.detail() == "'start.theta' must be a number, not '0.5x'");
  }
  // Numbers are read without the locale; YAML 1.2 forms and the canonical writer's all read back.
  const auto s = cat::parse_test_spec("dskill: 1\nstart: {theta: -1.5e-1}\nselection: {acceleration: .5}\n"
                                      "test: {include_pretest: true}\nstopping: {se: +0.25}\n");
  CHECK(s.start.theta == -0.15);
  CHECK(s.selection.acceleration == 0.5);
  CHECK(s.include_pretest);
  CHECK(s.stopping.se == 0.25);
  // A quadrature grid in either syntax.
  CHECK(cat::parse_test_spec("dskill: 1\nselection: {quadrature: \"-4:4:0.25\"}\n").selection.grid.n == 33);
  CHECK(cat::parse_test_spec("dskill: 1\nselection: {quadrature: \"-4:4:33\"}\n").selection.grid.n == 33);
}

TEST_CASE("cat: a specification's canonical YAML keeps line breaks, tabs and quotes in its strings" * doctest::test_suite("cat")) {
  // A raw line break inside double quotes folds into a space when read back (found by
  // fuzz_spec_yaml): the writer escapes every control character.
  cat::test_spec spec;
  spec.id = "cli-classif\ny \"q\" \\ tab\t\x01";
  spec.start.items = {"item\nwith break"};
  const std::string text = cat::to_yaml(spec);
  const auto back = cat::parse_test_spec(text, "round-trip.yaml");
  CHECK(back.id == spec.id);
  CHECK(back.start.items == spec.start.items);
  CHECK(cat::to_yaml(back) == text);
  CHECK(cat::spec_hash(back) == cat::spec_hash(spec));
}
