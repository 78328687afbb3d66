// dskill: diagnostics, the non-throwing form of input errors. Validators collect every problem
// they find (up to a limit) as diagnostics; loaders throw the first error as a dskill::error.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE

/// How serious a diagnostic is. Errors make a file unusable; warnings do not.
enum class severity : unsigned char { error, warning, note };
/// "error", "warning", "note".
std::string_view to_string(severity s) noexcept;

/// One problem found in an input file.
struct diagnostic {
  severity level = severity::error;
  location where;     ///< file, line, column (1-based) and item id when known
  std::string code;   ///< stable kebab-case code ("unknown-key", "duplicate-id", ...): match on it
  std::string message;

  /// "file:line:col: error: item 'q7': message" (the form compilers use, so editors can jump).
  std::string to_string() const;
};

/// True if any diagnostic is an error.
bool has_errors(const std::vector<diagnostic>& diagnostics) noexcept;

DSKILL_END_NAMESPACE
