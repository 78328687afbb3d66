// dskill: the error model. One rooted hierarchy; every error carries a stable code.
//
// Messages read "[dskill.<kind>.E<code>] file:line:col: item 'q7': what is wrong". Programs match
// on code(), never on the text. Numeric kernels never throw; the API layer does.
#pragma once
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE

/// Stable error codes. The C API returns the negated value; never renumber.
enum class errc : int {
  ok = 0,
  invalid_argument = 1,    ///< a caller passed a value outside the documented domain
  parse_error = 2,         ///< a file or string is not well-formed
  bank_error = 3,          ///< an item bank is well-formed but invalid
  framework_error = 4,     ///< a competency framework is invalid (unknown id, cycle, ...)
  no_items_available = 5,  ///< a CAT step found no eligible item
  serialization_error = 6, ///< a snapshot is truncated, corrupted or for another bank
  io_error = 7,            ///< a file could not be opened, read or written
  state_error = 8,         ///< a call that is not valid in the object's current state
  not_supported = 9,       ///< a valid request that this build or model cannot serve
  internal = 99,           ///< a bug: please report it
};

/// Short lowercase name of a code ("bank_error"), used in message prefixes.
std::string_view to_string(errc code) noexcept;

/// Where in the input a problem is. Empty fields are omitted from messages.
struct location {
  std::string file;
  int line = 0;      ///< 1-based; 0 = unknown
  int column = 0;    ///< 1-based; 0 = unknown
  std::size_t row = 0; ///< 1-based data row (CSV, JSONL); 0 = not a row
  std::string item_id;

  /// "file:line:col: row 7: item 'q1'" (only the parts that are known).
  std::string to_string() const;
  bool empty() const noexcept { return file.empty() && line == 0 && row == 0 && item_id.empty(); }
};

/// Base of every exception dskill throws.
class error : public std::runtime_error {
 public:
  error(errc code, std::string_view message, location where = {});
  errc code() const noexcept { return code_; }
  const location& where() const noexcept { return where_; }
  /// The message without the "[dskill...] location:" prefix.
  const std::string& detail() const noexcept { return detail_; }

 private:
  errc code_;
  location where_;
  std::string detail_;
};

class invalid_argument : public error {
 public:
  explicit invalid_argument(std::string_view message, location where = {})
      : error(errc::invalid_argument, message, std::move(where)) {}
};
class parse_error : public error {
 public:
  explicit parse_error(std::string_view message, location where = {})
      : error(errc::parse_error, message, std::move(where)) {}
};
class bank_error : public error {
 public:
  explicit bank_error(std::string_view message, location where = {})
      : error(errc::bank_error, message, std::move(where)) {}
};
class framework_error : public error {
 public:
  explicit framework_error(std::string_view message, location where = {})
      : error(errc::framework_error, message, std::move(where)) {}
};
class no_items_available : public error {
 public:
  explicit no_items_available(std::string_view message)
      : error(errc::no_items_available, message) {}
};
class serialization_error : public error {
 public:
  explicit serialization_error(std::string_view message)
      : error(errc::serialization_error, message) {}
};
class io_error : public error {
 public:
  explicit io_error(std::string_view message, location where = {})
      : error(errc::io_error, message, std::move(where)) {}
};
class state_error : public error {
 public:
  explicit state_error(std::string_view message) : error(errc::state_error, message) {}
};

DSKILL_END_NAMESPACE

#ifdef DSKILL_HEADER_ONLY
#include "dskill/error-inl.hpp"
#endif
