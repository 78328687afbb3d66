// Fuzz target for the linked-data layer. The first byte picks the parser, the rest is the
// input: JSON-LD (to_rdf, then canonicalize) or N-Quads (parse_nquads, then canonicalize).
// Only dskill errors may come out; canonical N-Quads must parse back to the same canonical
// form (canonicalisation is a fixed point). to_rdf's own JSON reader must accept exactly the
// texts nlohmann::json accepts (within the nesting bound), but for one intended difference:
// nlohmann stops at a NUL byte as at the end of the text (so "1\0garbage" passes), where
// to_rdf refuses the text. Anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "dskill/error.hpp"
#include "dskill/io/json_limits.hpp"
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
  const bool jsonld = data[0] % 2 == 0;
  const bool valid_json = jsonld && input.find('\0') == std::string_view::npos && nlohmann::json::accept(input) &&
                          io::json_too_deep_at(input) == 0;
  std::vector<ld::quad> quads;
  try {
    quads = jsonld ? ld::to_rdf(input) : ld::parse_nquads(input);
  } catch (const parse_error& e) {
    const std::string& d = e.detail();
    const bool not_json = d.starts_with("JSON-LD: not JSON") || d.starts_with("JSON-LD: nested deeper") ||
                          d.starts_with("JSON-LD: number overflow");
    if (jsonld && not_json == valid_json) fail(valid_json ? "valid JSON refused" : "invalid JSON accepted", input);
    return 0;
  } catch (const error& e) {
    if (e.code() == errc::internal) fail(e.what(), input);
    if (jsonld && !valid_json) fail("invalid JSON accepted", input);
    return 0;
  }
  if (jsonld && !valid_json) fail("invalid JSON accepted", input);
  check_fixed_point(quads, input);
  return 0;
}
