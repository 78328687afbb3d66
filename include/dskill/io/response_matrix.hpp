// dskill::io: a whole response file as a dense matrix, for calibration, fit and DIF.
//
// The streaming readers of dskill::score handle files larger than memory; calibration needs all
// responses at once, so this reader loads a wide CSV into one int8 matrix.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

/// Persons x items responses, row-major; -1 marks a missing (not presented) response.
struct response_matrix {
  std::vector<std::string> item_ids;
  std::vector<std::string> person_ids;
  std::vector<std::int8_t> cells;  ///< person p, item i at cells[p * items() + i]

  std::size_t persons() const noexcept { return person_ids.size(); }
  std::size_t items() const noexcept { return item_ids.size(); }
  std::int8_t at(std::size_t person, std::size_t item) const noexcept { return cells[person * items() + item]; }
  /// The responses of one person (items() cells).
  std::span<const std::int8_t> row(std::size_t person) const noexcept {
    return {cells.data() + person * items(), items()};
  }
};

/// Reads a wide CSV, plain or gzip-compressed: a header `person_id,<item id>,...`, then one row per person whose cells
/// are a category 0..126, empty, or NA (missing). Throws io_error if the file cannot be read and
/// parse_error naming the file, row (1-based data row) and item for a bad cell, a wrong field
/// count, a duplicate item id or an empty file.
response_matrix read_response_matrix(const std::string& path);  // plain or gzip-compressed

/// The same from CSV text already in memory (`name` is used in error messages).
response_matrix parse_response_matrix(std::string_view text, const std::string& name = "<memory>");

/// Writes the matrix as a wide CSV (missing cells empty).
void write_response_matrix(const response_matrix& m, const std::string& path);

}  // namespace io
DSKILL_END_NAMESPACE
