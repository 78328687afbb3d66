// dskill::io: JSON string literals as RFC 8785 (JCS) writes them, which is also plain valid
// JSON: ", \ and the short escapes \b \f \n \r \t, other control characters as \u00xx, every
// other byte as is (UTF-8 stays UTF-8). One writer for score files, credentials and JSON-LD.
#pragma once
#include <string>
#include <string_view>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

/// Appends `s` escaped for the inside of a JSON string (no quotes).
void append_json_escaped(std::string& out, std::string_view s);
/// Appends `s` as a JSON string literal (with quotes).
inline void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  append_json_escaped(out, s);
  out += '"';
}

}  // namespace io
DSKILL_END_NAMESPACE
