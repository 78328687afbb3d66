// Fuzz target for the linked-data layer. The first byte picks the parser, the rest is the
// input: JSON-LD (to_rdf, then canonicalize) or N-Quads (parse_nquads, then canonicalize).
// Only dskill errors may come out; canonical N-Quads must parse back to the same canonical
// form (canonicalisation is a fixed point). Anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dskill/error.hpp"
#include "dskill/ld/ld.hpp"

namespace {
using namespace dskill;

void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "%s\n%.*s\n", what, static_cast<int>(input.size()), input.data());
  std::abort();
}

void check_fixed_point(const std::vector<ld::quad>& quads, std::string_view input) {
  ld::canonical_dataset once;
  try {
    once = ld::canonicalize(quads);
  } catch (const error& e) {
    if (e.code() != errc::not_supported) fail("canonicalize threw something else than its work limit", input);
    return;
  }
  // The number of Hash N-Degree Quads calls depends on the labels (the permutations start from
  // them sorted), so the relabelled dataset may pass the bound where the input did not, or not.
  ld::canonical_dataset again;
  try {
    again = ld::canonicalize(ld::parse_nquads(once.nquads));
  } catch (const error& e) {
    if (e.code() != errc::not_supported) fail("canonical N-Quads do not parse back", input);
    return;
  }
  if (again.nquads != once.nquads) fail("canonical N-Quads are not a fixed point", input);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<ld::quad> quads;
  try {
    quads = data[0] % 2 == 0 ? ld::to_rdf(input) : ld::parse_nquads(input);
  } catch (const error& e) {
    if (e.code() == errc::internal) fail(e.what(), input);
    return 0;
  }
  check_fixed_point(quads, input);
  return 0;
}
