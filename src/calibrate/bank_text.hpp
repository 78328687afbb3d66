// Private to dskill::calibrate: how the bank writers put numbers into metadata text.
#pragma once
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate::detail {

/// A number for a bank's YAML metadata: 6 significant digits, .nan when not finite.
inline std::string yaml_number(double v) {
  if (!std::isfinite(v)) return ".nan";
  return fmt::format("{:.6g}", v);
}

}  // namespace calibrate::detail
DSKILL_END_NAMESPACE
