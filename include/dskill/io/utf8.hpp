// dskill::io: UTF-8 well-formedness, checked wherever text is read (banks, frameworks,
// specifications, responses), so that nothing invalid reaches an output.
#pragma once
#include <cstddef>
#include <string_view>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

/// Checks UTF-8 well-formedness (no overlongs, surrogates or code points above U+10FFFF).
/// Returns the byte offset of the first bad byte, or npos when the text is valid.
std::size_t find_invalid_utf8(std::string_view text) noexcept;

}  // namespace io
DSKILL_END_NAMESPACE
