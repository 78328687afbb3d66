// Internal to dskill::score: the number and field formatters of the score writers.
//
// They append to a std::string the caller reuses, so formatting a record allocates nothing
// once the buffer is warm (the writers run once per scored person).
#pragma once
#include <string>
#include <string_view>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score::detail {

/// Fixed-point with six decimals, as "{:.6f}" prints it but without the general float path
/// (it was a sixth of a scoring run's time). Rounds half away from zero.
void put_fixed6(std::string& out, double x);
/// A CSV number cell: empty for NaN, "inf"/"-inf", else six decimals.
void put_number(std::string& out, double x);
/// A JSON number: null when not finite, else six decimals.
void put_json_number(std::string& out, double x);
/// A JSON string literal, escaped.
void put_json_string(std::string& out, std::string_view s);
/// A CSV field, quoted only when it needs it.
void put_csv_field(std::string& out, std::string_view s);

}  // namespace score::detail
DSKILL_END_NAMESPACE
