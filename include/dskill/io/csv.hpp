// dskill::io: the one CSV record splitter (RFC 4180 quoting) every reader uses.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

/// Splits one CSV record (without its line end) into fields, reusing `fields`' storage so a
/// reader loop does not allocate once warmed up. Quoted fields may contain commas and doubled
/// quotes (""). Surrounding spaces of unquoted fields are kept. A trailing '\r' is dropped.
/// Returns false (fields then undefined) if a quote is unbalanced or text follows a closing quote.
bool split_csv_record(std::string_view line, std::vector<std::string>& fields);

/// Quotes a field for CSV output if it needs it (comma, quote, CR or LF inside).
std::string csv_escape(std::string_view field);

}  // namespace io
DSKILL_END_NAMESPACE
