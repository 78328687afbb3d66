#include "dskill/io/response_matrix.hpp"
#include "dskill/io/file_text.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include <fmt/format.h>

#include "dskill/error.hpp"
#include "dskill/io/csv.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}
}  // namespace

response_matrix parse_response_matrix(std::string_view text, const std::string& name) {
  response_matrix m;
  std::vector<std::string> fields;
  std::size_t pos = 0, line_no = 0, row = 0;
  bool header_done = false;
  std::unordered_set<std::string> seen;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) continue;
    if (!split_csv_record(line, fields)) {
      location where{.file = name, .line = static_cast<int>(line_no)};
      if (header_done) where.row = row + 1;
      throw parse_error("unbalanced quote in CSV record", where);
    }
    if (!header_done) {
      if (fields.size() < 2)
        throw parse_error("the header needs person_id and at least one item id",
                          {.file = name, .line = static_cast<int>(line_no)});
      for (std::size_t i = 1; i < fields.size(); ++i) {
        std::string id(trim(fields[i]));
        if (id.empty())
          throw parse_error(fmt::format("empty item id in header column {}", i + 1),
                            {.file = name, .line = static_cast<int>(line_no)});
        if (!seen.insert(id).second)
          throw parse_error("duplicate item id in header",
                            {.file = name, .line = static_cast<int>(line_no), .item_id = id});
        m.item_ids.push_back(std::move(id));
      }
      header_done = true;
      continue;
    }
    ++row;
    location where{.file = name, .line = static_cast<int>(line_no), .row = row};
    if (fields.size() != m.item_ids.size() + 1)
      throw parse_error(fmt::format("expected {} fields, found {}", m.item_ids.size() + 1, fields.size()), where);
    m.person_ids.emplace_back(trim(fields[0]));
    for (std::size_t i = 0; i < m.item_ids.size(); ++i) {
      const std::string_view cell = trim(fields[i + 1]);
      if (cell.empty() || cell == "NA" || cell == "na" || cell == ".") {
        m.cells.push_back(-1);
        continue;
      }
      int value = -1;
      auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
      if (ec != std::errc{} || ptr != cell.data() + cell.size() || value < 0 || value > 126) {
        where.item_id = m.item_ids[i];
        throw parse_error(fmt::format("bad response '{}': expected a category 0..126, empty or NA", cell), where);
      }
      m.cells.push_back(static_cast<std::int8_t>(value));
    }
  }
  if (!header_done) throw parse_error("empty response file", {.file = name});
  return m;
}

response_matrix read_response_matrix(const std::string& path) {
  return parse_response_matrix(read_file_text(path), path);  // plain or gzip
}

void write_response_matrix(const response_matrix& m, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw io_error("cannot write response file", {.file = path});
  out << "person_id";
  for (const auto& id : m.item_ids) out << ',' << csv_escape(id);
  out << '\n';
  for (std::size_t p = 0; p < m.persons(); ++p) {
    out << csv_escape(m.person_ids[p]);
    for (std::size_t i = 0; i < m.items(); ++i) {
      out << ',';
      if (m.at(p, i) >= 0) out << static_cast<int>(m.at(p, i));
    }
    out << '\n';
  }
  if (!out) throw io_error("error while writing response file", {.file = path});
}

}  // namespace io
DSKILL_END_NAMESPACE
