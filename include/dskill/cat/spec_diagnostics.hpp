// dskill::cat: every problem of a test specification at once, for editors and `validate`-style
// tools (parse_test_spec in spec.hpp throws only the first, saying how many more there are).
#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

#include "dskill/core/diagnostic.hpp"

DSKILL_BEGIN_NAMESPACE
namespace cat {

/// Every problem of a specification in YAML text, in file order, each with file:line:column
/// and a stable code ("unknown-key", "type", "unknown-name", "syntax", ...), as
/// validate_bank_string gives for banks; empty when parse_test_spec accepts the text. At most
/// `limit` are listed, then a note says how many more there were.
std::vector<diagnostic> validate_test_spec(std::string_view yaml, std::string_view origin = "<spec>",
                                           std::size_t limit = 100);

}  // namespace cat
DSKILL_END_NAMESPACE
