// dskill::io: why a record of a response file is rejected, as a code with a stable id.
//
// The readers (response_reader.hpp) set a code together with a human message on every
// rejected record; the batch scorer counts rejects by code (the summary's `rejects_by_kind`
// keys are these ids). The ids are a stable interface, documented in docs/scoring.md: new
// codes may be added, existing ids are never renamed or reused.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

enum class reject_code : std::uint8_t {
  none = 0,               ///< not rejected
  truncated_row,          ///< the file (or gzip stream) ends inside the record
  wrong_encoding,         ///< invalid UTF-8 or a NUL byte in the record
  duplicate_person,       ///< the person id was seen in an earlier record (set by the batch scorer)
  ragged_row,             ///< a CSV line with more or fewer fields than the header
  non_numeric_response,   ///< a response that is not an integer category (or missing)
  out_of_range_response,  ///< a category outside 0..K-1 of its item
  unknown_item,           ///< an item id that is not in the bank (long and JSON Lines records)
  item_answered_twice,    ///< one item with two responses in one record (long format)
  bad_person_id,          ///< person id empty, missing or not a string (or no object to hold one)
  malformed_record,       ///< not well-formed CSV or JSON, or a missing or mistyped field
  record_too_long,        ///< a line longer than the reader's limit (64 MiB); skipped, the run goes on
};

/// Number of codes, `none` included (for tables indexed by code).
inline constexpr std::size_t reject_code_count = static_cast<std::size_t>(reject_code::record_too_long) + 1;

/// The stable id ("ragged_row", ...); "none" for reject_code::none.
std::string_view to_string(reject_code c) noexcept;
/// The code of a stable id; empty for an unknown id.
std::optional<reject_code> parse_reject_code(std::string_view id) noexcept;

}  // namespace io
DSKILL_END_NAMESPACE
