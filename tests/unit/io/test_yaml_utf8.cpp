// YAML is read as UTF-8: a byte that is not stops the read at its line and column, for banks,
// frameworks and specifications alike (it used to pass `validate` and break credentials later).
#include <doctest/doctest.h>

#include "dskill/bank/yaml.hpp"
#include "dskill/cat/spec_diagnostics.hpp"
#include "dskill/core/diagnostic.hpp"
#include "dskill/error.hpp"
#include "dskill/framework/framework.hpp"
#include "dskill/io/yaml_tree.hpp"

using namespace dskill;

TEST_CASE("io: invalid UTF-8 in YAML is refused with its line and column" * doctest::test_suite("io")) {
  const std::string text = "id: fw\ntitle: \"Digital \xC3\x28 skills\"\n";  // C3 28: a lead byte without its tail
  try {
    (void)io::detail::parse_yaml(text, "fw.yaml");
    FAIL("invalid UTF-8 was accepted");
  } catch (const parse_error& e) {
    CHECK(e.where().file == "fw.yaml");
    CHECK(e.where().line == 2);
    CHECK(e.where().column == 17);
    CHECK(std::string(e.detail()).find("0xC3") != std::string::npos);
  }
  // the same bytes in a framework, a bank and a specification: validation lists the problem
  CHECK(has_errors(framework::validate_framework_string(text, "fw.yaml")));
  CHECK(has_errors(bank::validate_bank_string(text, {}, "bank.yaml")));
  CHECK(has_errors(cat::validate_test_spec(text, "spec.yaml")));
  // valid multi-byte text passes the check (Vietnamese, with combining forms)
  CHECK_NOTHROW((void)io::detail::parse_yaml("title: \"Nguy\xE1\xBB\x85n V\xC4\x83n A\"\n", "ok.yaml"));
}
