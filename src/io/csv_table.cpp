#include "dskill/io/csv_table.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "dskill/io/csv.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

double parse_number_or_nan(std::string_view s) noexcept {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  if (s.empty() || s == "null" || s == "NA") return nan;
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc{} && end == s.data() + s.size() ? v : nan;
}

csv_table::csv_table(std::istream& in, std::string name, std::optional<std::string> header_line,
                     std::string_view empty_message)
    : in_(in), name_(std::move(name)) {
  if (header_line) {
    buffer_ = std::move(*header_line);
  } else if (!std::getline(in_, buffer_)) {
    throw parse_error(empty_message, where(0));
  }
  if (buffer_.starts_with("\xEF\xBB\xBF")) buffer_.erase(0, 3);
  if (!buffer_.empty() && buffer_.back() == '\r') buffer_.pop_back();
  if (!split_csv_record(buffer_, header_)) throw parse_error("malformed CSV header", where(1));
}

std::optional<std::size_t> csv_table::column(std::string_view name) const noexcept {
  for (std::size_t i = header_.size(); i-- > 0;)
    if (header_[i] == name) return i;
  return std::nullopt;
}

std::size_t csv_table::require(std::string_view name, std::string_view message) const {
  if (const auto c = column(name)) return *c;
  throw parse_error(message, where(1));
}

bool csv_table::next() {
  while (std::getline(in_, buffer_)) {
    ++line_;
    if (!buffer_.empty() && buffer_.back() == '\r') buffer_.pop_back();
    if (buffer_.empty()) continue;
    if (!split_csv_record(buffer_, fields_) || fields_.size() != header_.size())
      throw parse_error(fmt::format("expected {} fields", header_.size()), where(line_));
    return true;
  }
  return false;
}

double csv_table::number(std::size_t column) const { return parse_number_or_nan(fields_.at(column)); }

}  // namespace io
DSKILL_END_NAMESPACE
