// dskill::io: a CSV file read by column name, one record at a time, as the reports read the
// outputs of `dskill score`, `simulate`, `fit` and `calibrate --log`.
#pragma once
#include <cstddef>
#include <istream>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dskill/config.hpp"
#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

/// A CSV table (RFC 4180 records, one per line, a header line of column names). A UTF-8 byte
/// order mark and CR line ends are taken off; empty lines are skipped. Numbers go through
/// from_chars, so they never depend on the locale.
class csv_table {
 public:
  /// Reads the header from `in` (or takes `header_line` when the caller has already read it).
  /// `name` names the source in errors. Throws parse_error "malformed CSV header" at line 1,
  /// or `empty_message` at line 0 when there is no header line at all.
  csv_table(std::istream& in, std::string name, std::optional<std::string> header_line = std::nullopt,
            std::string_view empty_message = "empty CSV file");

  const std::vector<std::string>& header() const noexcept { return header_; }
  /// The index of column `name` (the last, if the header repeats it), or nullopt.
  std::optional<std::size_t> column(std::string_view name) const noexcept;
  /// The index of column `name`; throws parse_error `message` at line 1 when there is none.
  std::size_t require(std::string_view name, std::string_view message) const;

  /// Moves to the next record; false at the end. Throws parse_error "expected N fields" with
  /// file:line for a malformed record or one of another width than the header.
  bool next();
  /// The fields of the current record.
  const std::vector<std::string>& fields() const noexcept { return fields_; }
  const std::string& field(std::size_t column) const { return fields_.at(column); }
  /// The field as a number: NaN when empty, "null", "NA" or not a number.
  double number(std::size_t column) const;
  /// The field of an optional column as a number (NaN without the column).
  double number(std::optional<std::size_t> column) const {
    return column ? number(*column) : std::numeric_limits<double>::quiet_NaN();
  }
  /// The 1-based line of the current record.
  int line() const noexcept { return line_; }
  /// file:line of the current record (line 1: the header).
  location where(int line) const { return location{.file = name_, .line = line}; }

 private:
  std::istream& in_;
  std::string name_;
  std::vector<std::string> header_, fields_;
  std::string buffer_;
  int line_ = 1;
};

/// `text` as a number through from_chars (a leading '+' allowed): NaN when empty, "null", "NA"
/// or not a number in full.
double parse_number_or_nan(std::string_view text) noexcept;

}  // namespace io
DSKILL_END_NAMESPACE
