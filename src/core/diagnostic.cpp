#include "dskill/core/diagnostic.hpp"

#include <algorithm>

#include <fmt/format.h>

DSKILL_BEGIN_NAMESPACE

std::string_view to_string(severity s) noexcept {
  switch (s) {
    case severity::error: return "error";
    case severity::warning: return "warning";
    case severity::note: return "note";
  }
  return "?";
}

std::string diagnostic::to_string() const {
  std::string out;
  if (!where.file.empty()) {
    out += where.file;
    if (where.line > 0) {
      out += fmt::format(":{}", where.line);
      if (where.column > 0) out += fmt::format(":{}", where.column);
    }
    out += ": ";
  } else if (where.line > 0) {
    out += fmt::format("{}:{}: ", where.line, where.column);
  }
  out += dskill::to_string(level);
  out += ": ";
  if (!where.item_id.empty()) out += fmt::format("item '{}': ", where.item_id);
  out += message;
  if (!code.empty()) out += fmt::format(" [{}]", code);
  return out;
}

bool has_errors(const std::vector<diagnostic>& diagnostics) noexcept {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const diagnostic& d) { return d.level == severity::error; });
}

DSKILL_END_NAMESPACE
