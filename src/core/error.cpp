#include "dskill/error.hpp"

#include <fmt/format.h>

DSKILL_BEGIN_NAMESPACE

std::string_view to_string(errc code) noexcept {
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

std::string location::to_string() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out += fmt::format(":{}", line);
      if (column > 0) out += fmt::format(":{}", column);
    }
  } else if (line > 0) {
    out += fmt::format("line {}", line);
    if (column > 0) out += fmt::format(":{}", column);
  }
  if (row > 0) out += fmt::format("{}row {}", out.empty() ? "" : ": ", row);
  if (!item_id.empty()) out += fmt::format("{}item '{}'", out.empty() ? "" : ": ", item_id);
  return out;
}

namespace {
std::string compose(errc code, std::string_view message, const location& where) {
  std::string loc = where.to_string();
  return fmt::format("[dskill.{}.E{:03}] {}{}{}", to_string(code), static_cast<int>(code), loc,
                     loc.empty() ? "" : ": ", message);
}
}  // namespace

error::error(errc code, std::string_view message, location where)
    : std::runtime_error(compose(code, message, where)),
      code_(code),
      where_(std::move(where)),
      detail_(message) {}

DSKILL_END_NAMESPACE
