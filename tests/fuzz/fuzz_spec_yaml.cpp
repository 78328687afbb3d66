// Fuzz target for the CAT specification reader. Any input must either parse or be refused with a
// dskill::error; validate_test_spec never throws and agrees with parse_test_spec (no error
// listed exactly when it parses); a specification that parses writes canonical YAML that parses
// back to the same text and hash. Anything else (another exception, a crash, a sanitizer
// report) is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "dskill/cat/spec.hpp"
#include "dskill/cat/spec_diagnostics.hpp"
#include "dskill/core/diagnostic.hpp"
#include "dskill/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using namespace dskill;
  const auto diags = cat::validate_test_spec(text, "fuzz.yaml");
  const bool listed_error = has_errors(diags);
  try {
    const auto spec = cat::parse_test_spec(text, "fuzz.yaml");
    if (listed_error) {
      std::fprintf(stderr, "validate_test_spec lists an error for a specification that parses\n");
      std::abort();
    }
    const std::string canonical = cat::to_yaml(spec);
    const auto again = cat::parse_test_spec(canonical, "canonical.yaml");
    if (cat::to_yaml(again) != canonical || cat::spec_hash(again) != cat::spec_hash(spec)) {
      std::fprintf(stderr, "canonical YAML does not round-trip:\n%s\n", canonical.c_str());
      std::abort();
    }
  } catch (const error&) {
    if (!listed_error) {
      std::fprintf(stderr, "parse_test_spec refuses what validate_test_spec accepts\n");
      std::abort();
    }
  }
  return 0;
}
