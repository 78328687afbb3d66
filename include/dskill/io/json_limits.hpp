// dskill::io: the nesting bound of every JSON text dskill parses (JSON Lines records,
// credentials). The check runs before the parser: nlohmann's tree is as deep as the input, and
// serialising or walking it recurses, so a record nested 70,000 deep would overflow the stack.
#pragma once
#include <cstddef>
#include <string_view>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

/// Deepest nesting of objects and arrays accepted (a response record needs 2, a credential 6).
inline constexpr int max_json_depth = 64;

/// The byte (1-based) where nesting first passes max_depth, or 0. Strings are skipped.
std::size_t json_too_deep_at(std::string_view text, int max_depth = max_json_depth) noexcept;

}  // namespace io
DSKILL_END_NAMESPACE
