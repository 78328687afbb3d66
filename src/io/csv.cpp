#include "dskill/io/csv.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

bool split_csv_record(std::string_view line, std::vector<std::string>& fields) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::size_t count = 0;
  auto next_field = [&]() -> std::string& {
    if (count == fields.size()) fields.emplace_back();
    std::string& f = fields[count++];
    f.clear();
    return f;
  };
  std::size_t i = 0;
  const std::size_t n = line.size();
  while (true) {
    std::string& field = next_field();
    if (i < n && line[i] == '"') {
      ++i;
      while (true) {
        if (i >= n) return false;  // unbalanced quote
        if (line[i] == '"') {
          if (i + 1 < n && line[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(line[i++]);
      }
      if (i < n && line[i] != ',') return false;  // text after closing quote
    } else {
      const std::size_t start = i;
      while (i < n && line[i] != ',') {
        if (line[i] == '"') return false;  // stray quote inside an unquoted field
        ++i;
      }
      field.assign(line.substr(start, i - start));
    }
    if (i >= n) break;
    ++i;  // skip the comma
    if (i == n) {  // trailing comma: one more empty field
      next_field();
      break;
    }
  }
  fields.resize(count);
  return true;
}

std::string csv_escape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace io
DSKILL_END_NAMESPACE
