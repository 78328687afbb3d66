// dskill: bodies of the error model (error.hpp). Compiled in src/core/error.cpp; included by
// error.hpp itself in header-only mode (DSKILL_HEADER_ONLY), so they use the standard library only.
#pragma once
#include "dskill/detail/format.hpp"
#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE

DSKILL_FUNC std::string_view to_string(errc code) noexcept {
  switch (code) {
    case errc::ok: return "ok";
    case errc::invalid_argument: return "invalid_argument";
    case errc::parse_error: return "parse_error";
    case errc::bank_error: return "bank_error";
    case errc::framework_error: return "framework_error";
    case errc::no_items_available: return "no_items_available";
    case errc::serialization_error: return "serialization_error";
    case errc::io_error: return "io_error";
    case errc::state_error: return "state_error";
    case errc::not_supported: return "not_supported";
    case errc::internal: return "internal";
  }
  return "unknown";
}

DSKILL_FUNC std::string location::to_string() const {
  using detail::concat;
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out += concat(':', line);
      if (column > 0) out += concat(':', column);
    }
  } else if (line > 0) {
    out += concat("line ", line);
    if (column > 0) out += concat(':', column);
  }
  if (row > 0) out += concat(out.empty() ? "" : ": ", "row ", row);
  if (!item_id.empty()) out += concat(out.empty() ? "" : ": ", "item '", item_id, '\'');
  return out;
}

namespace detail {
inline std::string compose_error(errc code, std::string_view message, const location& where) {
  std::string loc = where.to_string();
  const int number = static_cast<int>(code);  // "E001": at least three digits
  const char* pad = number < 10 ? "00" : number < 100 ? "0" : "";
  return concat("[dskill.", to_string(code), ".E", pad, number, "] ", loc, loc.empty() ? "" : ": ", message);
}
}  // namespace detail

DSKILL_FUNC error::error(errc code, std::string_view message, location where)
    : std::runtime_error(detail::compose_error(code, message, where)),
      code_(code),
      where_(std::move(where)),
      detail_(message) {}

DSKILL_END_NAMESPACE
