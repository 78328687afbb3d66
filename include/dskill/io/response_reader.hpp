// dskill::io: streaming readers of response files (wide CSV, long CSV, JSON Lines; plain or
// gzip) for batch scoring.
//
// Reading is split in two so that a pipeline can parse in parallel while reading stays serial:
// a `record_source` (serial, one per file) cuts the file into records, checks the encoding and
// the header, and hands out chunks of raw record text; a `record_parser` (immutable, shared by
// threads) turns one record's text into a person id and a list of (item, category) responses,
// or a reject (a code with a stable id, reject_code.hpp, and a message). `response_reader`
// chains the two for simple sequential use.
//
// What a "record" (a row in the summary's accounting) is, per format:
//  - wide:  one data line after the header (`person_id,<item ids...>`), one person.
//  - long:  one block of consecutive lines with the same person_id (`person_id,item_id,response
//           [,timestamp]`); a person's lines must be contiguous. A block whose person was already
//           seen earlier is rejected as a duplicate, naming the first block's row.
//  - jsonl: one non-blank line holding `{"person_id": "...", "responses": {"item": k, ...}}`.
// Blank lines are skipped in every format and counted apart (`blank_lines`); they hold no data.
// Memory stays bounded: a source holds one buffer (grown only for a longer line) and one chunk.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dskill/bank/item_bank.hpp"
#include "dskill/core/response.hpp"
#include "dskill/io/reject_code.hpp"
#include "dskill/io/utf8.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

enum class response_format : std::uint8_t { wide, long_csv, jsonl };
/// "wide", "long", "jsonl".
std::string_view to_string(response_format f) noexcept;
/// Accepts "wide", "long" (or "long_csv"), "jsonl" (or "ndjson"). Empty when unknown.
std::optional<response_format> parse_response_format(std::string_view name) noexcept;
/// The format a file name suggests: .jsonl/.ndjson (optionally .gz) -> jsonl, else wide.
response_format guess_response_format(std::string_view path) noexcept;

/// The raw text of one record and where it sits in the file.
struct record_text {
  std::uint64_t row = 0;   ///< 1-based record number (see the file comment for what a record is)
  std::uint64_t line = 0;  ///< 1-based physical line where the record starts
  std::uint32_t lines = 1; ///< physical lines in the record (long format: > 1)
  bool truncated = false;  ///< the file (or gzip stream) ended inside this record's last line
  bool oversized = false;  ///< a line of it was longer than the reader's limit (64 MiB) and was skipped
  std::string_view text;   ///< the lines, joined by '\n', without the final line end
};

/// A batch of consecutive records sharing one text buffer.
struct record_chunk {
  std::string buffer;
  struct span {
    std::uint64_t row, line;
    std::uint32_t lines;
    bool truncated;
    std::size_t offset, length;
    bool oversized = false;
  };
  std::vector<span> records;
  std::size_t size() const noexcept { return records.size(); }
  record_text operator[](std::size_t i) const noexcept {
    const auto& s = records[i];
    return {s.row, s.line, s.lines, s.truncated, s.oversized, std::string_view(buffer).substr(s.offset, s.length)};
  }
  void clear() noexcept {
    buffer.clear();
    records.clear();
  }
};

/// How a file's columns map to the bank (filled by the source from the header).
struct input_layout {
  response_format format = response_format::wide;
  std::string file;                 ///< the path, for messages
  std::vector<std::int32_t> column_item;  ///< wide: item index of each column (-1 = person_id)
  int person_column = 0, item_column = 1, response_column = 2, timestamp_column = -1;  ///< long
  std::size_t columns = 0;          ///< fields a CSV line must have
};

/// Serial reader: opens the file (gzip detected by its magic bytes, not its name), refuses
/// wrong encodings up front (UTF-16/UTF-32 byte-order marks, NUL bytes in the first block),
/// skips a UTF-8 BOM, reads and checks the header, then cuts records.
/// Throws io_error (cannot open/read) or parse_error (empty file, bad header, wrong encoding),
/// each naming the file and line. Record-level problems are left to the parser.
class record_source {
 public:
  record_source(const std::string& path, response_format format, const bank::item_bank& bank);
  ~record_source();
  record_source(const record_source&) = delete;
  record_source& operator=(const record_source&) = delete;

  const input_layout& layout() const noexcept { return layout_; }
  /// Fills `chunk` (cleared first) with up to max_records records; false when none is left.
  bool next_chunk(record_chunk& chunk, std::size_t max_records);
  /// Records handed out so far, and blank lines skipped.
  std::uint64_t records() const noexcept { return row_; }
  std::uint64_t blank_lines() const noexcept { return blank_lines_; }
  std::uint64_t lines() const noexcept { return line_no_; }
  /// Bytes of the file consumed so far (compressed bytes for gzip) and the file's size, for
  /// progress reports.
  std::uint64_t bytes_consumed() const noexcept;
  std::uint64_t file_size() const noexcept { return file_size_; }
  bool compressed() const noexcept { return compressed_; }
  /// A problem with the stream as a whole found at its end (a truncated gzip member), or empty.
  const std::string& stream_problem() const noexcept { return stream_problem_; }

 private:
  bool next_line(std::string_view& line, bool& terminated);
  bool skip_long_line(std::string_view& line, bool& terminated);
  bool fill();

  struct gz;
  std::unique_ptr<gz> gz_;
  input_layout layout_;
  std::string buf_;
  std::size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  bool compressed_ = false;
  std::uint64_t file_size_ = 0;
  std::uint64_t line_no_ = 0, row_ = 0, blank_lines_ = 0;
  std::string stream_problem_;
  // long format: the first line of the next block, read ahead while closing the previous one
  std::string pending_;
  std::uint64_t pending_line_ = 0;
  bool pending_truncated_ = false, has_pending_ = false;
  bool oversized_ = false;  // the line next_line gave last was too long and skipped
};

/// A parsed record.
struct session_record {
  std::uint64_t row = 0;
  std::uint64_t line = 0;   ///< the line of the problem when rejected, else the record's first line
  std::string person_id;    ///< may be empty when the record could not be read far enough
  std::vector<response> responses;  ///< in file order
  reject_code code = reject_code::none;  ///< why the record is rejected (a stable id); none = good
  std::string error;        ///< the reason in words (the code plus its details); empty when good
  bool ok() const noexcept { return code == reject_code::none; }
  /// Marks the record rejected.
  void reject(reject_code c, std::string message) {
    code = c;
    error = std::move(message);
  }
};

/// Turns record text into a session_record. Immutable and safe to share between threads; the
/// scratch vector is the caller's (one per thread), so parsing allocates nothing once warm.
class record_parser {
 public:
  record_parser(input_layout layout, bank::bank_ptr bank);
  /// Never throws on bad data: problems go to out.error (out.person_id filled if it was read).
  void parse(const record_text& rec, session_record& out, std::vector<std::string>& scratch) const;
  const input_layout& layout() const noexcept { return layout_; }

 private:
  void parse_wide(const record_text& rec, session_record& out, std::vector<std::string>& f) const;
  void parse_long(const record_text& rec, session_record& out, std::vector<std::string>& f) const;
  void parse_jsonl(const record_text& rec, session_record& out) const;
  input_layout layout_;
  bank::bank_ptr bank_;
};

/// Sequential reader: source + parser. Duplicate persons are not checked here (the batch
/// scorer does it, in input order).
class response_reader {
 public:
  response_reader(const std::string& path, response_format format, bank::bank_ptr bank);
  /// Next record (good or rejected); false at the end of the file.
  bool next(session_record& out);
  const record_source& source() const noexcept { return source_; }

 private:
  record_source source_;
  record_parser parser_;
  record_chunk chunk_;
  std::size_t pos_ = 0;
  std::vector<std::string> scratch_;
};

}  // namespace io
DSKILL_END_NAMESPACE
