// Fuzz target for the bank and framework YAML readers. Any input must either load or be refused
// with a dskill::error; validation never throws; a bank that loads saves and reloads with the
// same fingerprint. Anything else (another exception, a crash, a sanitizer report) is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string_view>

#include "dskill/bank/yaml.hpp"
#include "dskill/error.hpp"
#include "dskill/framework/framework.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using namespace dskill;
  (void)bank::validate_bank_string(text, {}, "fuzz.yaml");  // must not throw
  (void)framework::validate_framework_string(text, "fuzz.yaml");
  try {
    auto b = bank::load_bank_from_string(text, {}, "fuzz.yaml");
    const std::string saved = bank::to_yaml(*b);
    auto again = bank::load_bank_from_string(saved, {}, "saved.yaml");
    if (again->fingerprint() != b->fingerprint() || again->size() != b->size()) {
      std::fprintf(stderr, "round trip changed the bank:\n%s\n", saved.c_str());
      std::abort();
    }
  } catch (const error&) {
  }
  try {
    auto fw = framework::load_framework_from_string(text, "fuzz.yaml");
    if (fw->topological_order().size() != fw->competences().size()) std::abort();
    for (std::size_t a = 0; a < fw->areas().size(); ++a) (void)fw->level_for_area(a, 0.0);
  } catch (const error&) {
  }
  return 0;
}
