#include "dskill/io/response_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <functional>

#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include "dskill/error.hpp"
#include "dskill/io/csv.hpp"
#include "dskill/io/json_limits.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

std::string_view to_string(response_format f) noexcept {
  switch (f) {
    case response_format::wide: return "wide";
    case response_format::long_csv: return "long";
    case response_format::jsonl: return "jsonl";
  }
  return "?";
}

std::optional<response_format> parse_response_format(std::string_view name) noexcept {
  if (name == "wide") return response_format::wide;
  if (name == "long" || name == "long_csv") return response_format::long_csv;
  if (name == "jsonl" || name == "ndjson") return response_format::jsonl;
  return std::nullopt;
}

response_format guess_response_format(std::string_view path) noexcept {
  if (path.ends_with(".gz")) path.remove_suffix(3);
  if (path.ends_with(".jsonl") || path.ends_with(".ndjson")) return response_format::jsonl;
  return response_format::wide;
}


// ---- record_source ---------------------------------------------------------------------------

struct record_source::gz {
  gzFile file = nullptr;
  ~gz() {
    if (file) gzclose(file);
  }
};

namespace {
constexpr std::size_t read_block = 1 << 18;
constexpr std::size_t max_line = std::size_t(64) << 20;  // a longer line is not a response record
constexpr std::string_view long_line_marker = "(line too long: skipped)";  // its text, as kept

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(x) == std::tolower(y); });
}
}  // namespace

record_source::record_source(const std::string& path, response_format format, const bank::item_bank& bank)
    : gz_(std::make_unique<gz>()) {
  layout_.format = format;
  layout_.file = path;
  if (path == "-") {
    // Standard input (plain or gzip, as a file); its size is unknown, so progress shows no ETA.
    const int fd = ::dup(STDIN_FILENO);
    gz_->file = fd < 0 ? nullptr : gzdopen(fd, "rb");
    if (!gz_->file && fd >= 0) ::close(fd);
  } else {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
      throw io_error("is a directory, not a response file", location{.file = path});
    file_size_ = std::filesystem::file_size(path, ec);
    if (ec) throw io_error(fmt::format("cannot open response file: {}", ec.message()), location{.file = path});
    // gzopen reads plain files transparently, so one code path serves both.
    gz_->file = gzopen(path.c_str(), "rb");
  }
  if (!gz_->file) throw io_error(fmt::format("cannot open response file: {}", std::strerror(errno)), location{.file = path});
  gzbuffer(gz_->file, 1 << 17);
  buf_.resize(read_block * 2);
  fill();
  compressed_ = gzdirect(gz_->file) == 0;

  // Encoding: refuse what is not UTF-8 before reading anything as rows.
  const std::string_view head(buf_.data() + begin_, std::min<std::size_t>(end_ - begin_, 4096));
  auto starts = [&](std::string_view bom) { return head.substr(0, bom.size()) == bom; };
  auto wrong = [&](std::string_view what) {
    throw parse_error(fmt::format("wrong encoding: the file is {}; convert it to UTF-8 (for example with iconv)", what),
                      location{.file = path, .line = 1});
  };
  using namespace std::string_view_literals;
  if (starts("\xFF\xFE\x00\x00"sv)) wrong("UTF-32LE (byte-order mark FF FE 00 00)");
  if (starts("\x00\x00\xFE\xFF"sv)) wrong("UTF-32BE (byte-order mark 00 00 FE FF)");
  if (starts("\xFF\xFE"sv)) wrong("UTF-16LE (byte-order mark FF FE)");
  if (starts("\xFE\xFF"sv)) wrong("UTF-16BE (byte-order mark FE FF)");
  if (head.find('\0') != std::string_view::npos)
    wrong("not text: it contains NUL bytes (UTF-16 or UTF-32 without a byte-order mark, or binary data)");
  if (starts("\xEF\xBB\xBF"sv)) begin_ += 3;  // UTF-8 BOM: allowed and skipped

  if (format == response_format::jsonl) {
    if (end_ == begin_ && !stream_problem_.empty()) throw parse_error(stream_problem_, location{.file = path, .line = 1});
    if (end_ == begin_) throw parse_error("empty file: no records", location{.file = path, .line = 1});
    return;
  }
  // CSV header: the first non-blank line.
  std::string_view line;
  bool terminated = true;
  while (next_line(line, terminated)) {
    if (!trim(line).empty()) break;
    ++blank_lines_;
  }
  if (trim(line).empty() && !stream_problem_.empty()) throw parse_error(stream_problem_, location{.file = path, .line = 1});
  if (trim(line).empty()) throw parse_error("empty file: no header row", location{.file = path, .line = 1});
  const location where{.file = path, .line = static_cast<int>(line_no_)};
  if (oversized_) throw parse_error(fmt::format("the header line is longer than {} MiB", max_line >> 20), where);
  std::vector<std::string> fields;
  if (find_invalid_utf8(line) != std::string_view::npos) throw parse_error("header is not valid UTF-8", where);
  if (!split_csv_record(line, fields)) throw parse_error("header is not a well-formed CSV record (unbalanced quote)", where);
  for (auto& f : fields) f = std::string(trim(f));
  layout_.columns = fields.size();
  if (format == response_format::wide) {
    layout_.column_item.assign(fields.size(), -1);
    if (fields.size() < 2) throw parse_error("header needs person_id followed by item ids", where);
    std::vector<int> seen(bank.size(), 0);
    for (std::size_t c = 1; c < fields.size(); ++c) {
      const auto idx = bank.find(fields[c]);
      if (!idx)
        throw parse_error(fmt::format("header column {}: unknown item id '{}' (not in bank '{}')", c + 1, fields[c],
                                      bank.info().id),
                          where);
      if (seen[*idx]) throw parse_error(fmt::format("header column {}: item '{}' appears twice", c + 1, fields[c]), where);
      seen[*idx] = static_cast<int>(c + 1);
      layout_.column_item[c] = static_cast<std::int32_t>(*idx);
    }
  } else {
    layout_.person_column = layout_.item_column = layout_.response_column = -1;
    for (std::size_t c = 0; c < fields.size(); ++c) {
      int* slot = nullptr;
      if (iequals(fields[c], "person_id")) slot = &layout_.person_column;
      else if (iequals(fields[c], "item_id")) slot = &layout_.item_column;
      else if (iequals(fields[c], "response")) slot = &layout_.response_column;
      else if (iequals(fields[c], "timestamp")) slot = &layout_.timestamp_column;
      else
        throw parse_error(fmt::format("header column {}: unknown column '{}' (long format: "
                                      "person_id,item_id,response[,timestamp])", c + 1, fields[c]), where);
      if (*slot >= 0) throw parse_error(fmt::format("header column {}: '{}' appears twice", c + 1, fields[c]), where);
      *slot = static_cast<int>(c);
    }
    if (layout_.person_column < 0 || layout_.item_column < 0 || layout_.response_column < 0)
      throw parse_error("long format header must name person_id, item_id and response", where);
  }
}

record_source::~record_source() = default;

std::uint64_t record_source::bytes_consumed() const noexcept {
  const auto off = gzoffset(gz_->file);
  return off < 0 ? 0 : static_cast<std::uint64_t>(off);
}

bool record_source::fill() {
  if (eof_) return false;
  if (begin_ > 0) {  // keep the unread tail at the front
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buf_.size() - end_ < read_block) buf_.resize(buf_.size() * 2);
  const int got = gzread(gz_->file, buf_.data() + end_, static_cast<unsigned>(buf_.size() - end_));
  if (got < 0) {
    int errnum = 0;
    const char* msg = gzerror(gz_->file, &errnum);
    stream_problem_ = fmt::format("the compressed stream is corrupt after {} lines ({}); the rest of the file is unreadable",
                                  line_no_, msg ? msg : "zlib error");
    eof_ = true;
    return false;
  }
  if (got == 0) {
    int errnum = 0;
    const char* msg = gzerror(gz_->file, &errnum);
    if (errnum != Z_OK && errnum != Z_STREAM_END)
      stream_problem_ = fmt::format("the gzip stream ends early ({}): the file was cut off", msg ? msg : "truncated");
    eof_ = true;
    return false;
  }
  end_ += static_cast<std::size_t>(got);
  return true;
}

bool record_source::next_line(std::string_view& line, bool& terminated) {
  oversized_ = false;
  std::size_t scan = begin_;
  while (true) {
    const char* start = buf_.data() + scan;
    const void* nl = std::memchr(start, '\n', end_ - scan);
    if (nl) {
      const std::size_t pos = static_cast<std::size_t>(static_cast<const char*>(nl) - buf_.data());
      if (pos - begin_ > max_line) return skip_long_line(line, terminated);  // read whole, too long all the same
      line = std::string_view(buf_.data() + begin_, pos - begin_);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      begin_ = pos + 1;
      terminated = true;
      ++line_no_;
      return true;
    }
    // No line end in what is buffered: past the limit, this one line is too long.
    if (end_ - begin_ > max_line) return skip_long_line(line, terminated);
    const std::size_t scanned = end_ - begin_;
    if (!fill()) {
      if (begin_ == end_) return false;
      line = std::string_view(buf_.data() + begin_, end_ - begin_);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      begin_ = end_;
      terminated = false;
      ++line_no_;
      return true;
    }
    scan = begin_ + scanned;  // fill() moved the tail to the front
  }
}

// The rest of a line longer than max_line is read and dropped (memory stays bounded); the line
// comes back empty with oversized_ set, and the parser rejects its record (record_too_long).
bool record_source::skip_long_line(std::string_view& line, bool& terminated) {
  terminated = false;
  while (true) {
    const void* nl = std::memchr(buf_.data() + begin_, '\n', end_ - begin_);
    if (nl) {
      begin_ = static_cast<std::size_t>(static_cast<const char*>(nl) - buf_.data()) + 1;
      terminated = true;
      break;
    }
    begin_ = end_ = 0;  // drop what is buffered, then read on
    if (!fill()) break;
  }
  ++line_no_;
  oversized_ = true;
  line = std::string_view(long_line_marker);
  return true;
}

namespace {
// The person id of a long-format line, for grouping lines into blocks (serial, so it avoids
// splitting the whole line when the id is the first, unquoted field).
bool long_person_id(std::string_view line, int column, std::vector<std::string>& fields, std::string& out) {
  if (column == 0 && !line.empty() && line.front() != '"') {
    const auto comma = line.find(',');
    out.assign(trim(line.substr(0, comma)));
    return true;
  }
  if (!split_csv_record(line, fields) || static_cast<std::size_t>(column) >= fields.size()) return false;
  out.assign(trim(fields[static_cast<std::size_t>(column)]));
  return true;
}
}  // namespace

bool record_source::next_chunk(record_chunk& chunk, std::size_t max_records) {
  chunk.clear();
  std::string_view line;
  bool terminated = true;
  if (layout_.format != response_format::long_csv) {
    while (chunk.records.size() < max_records && next_line(line, terminated)) {
      if (trim(line).empty()) {
        ++blank_lines_;
        continue;
      }
      const std::size_t off = chunk.buffer.size();
      chunk.buffer.append(line);
      chunk.records.push_back({++row_, line_no_, 1, !terminated, off, line.size(), oversized_});
    }
    return !chunk.records.empty();
  }
  // Long format: a record is a block of consecutive lines with one person_id.
  std::vector<std::string> fields;
  std::string id, block_id;
  while (chunk.records.size() < max_records) {
    std::string first;
    std::uint64_t first_line = 0;
    bool first_truncated = false, first_oversized = false;
    if (has_pending_) {
      first.swap(pending_);
      first_line = pending_line_;
      first_truncated = pending_truncated_;
      has_pending_ = false;
    } else {
      bool got = false;
      while (next_line(line, terminated)) {
        if (trim(line).empty()) {
          ++blank_lines_;
          continue;
        }
        got = true;
        break;
      }
      if (!got) break;
      first.assign(line);
      first_line = line_no_;
      first_truncated = !terminated;
      first_oversized = oversized_;
    }
    const std::size_t off = chunk.buffer.size();
    chunk.buffer.append(first);
    record_chunk::span span{++row_, first_line, 1, first_truncated, off, first.size(), first_oversized};
    // An over-long first line is a record of its own (its person id was not kept).
    const bool known = !first_oversized && long_person_id(first, layout_.person_column, fields, block_id);
    while (known && next_line(line, terminated)) {
      if (trim(line).empty()) {
        ++blank_lines_;
        continue;
      }
      if (!oversized_ && long_person_id(line, layout_.person_column, fields, id) && id != block_id) {
        pending_.assign(line);
        pending_line_ = line_no_;
        pending_truncated_ = !terminated;
        has_pending_ = true;
        break;
      }
      // same person, or a line we cannot split: it belongs to this block and is judged with it
      chunk.buffer.push_back('\n');
      chunk.buffer.append(line);
      ++span.lines;
      span.truncated = !terminated;
      span.oversized |= oversized_;
    }
    span.length = chunk.buffer.size() - off;
    chunk.records.push_back(span);
  }
  return !chunk.records.empty();
}

// ---- record_parser ---------------------------------------------------------------------------

std::string_view to_string(reject_code c) noexcept {
  switch (c) {
    case reject_code::none: return "none";
    case reject_code::truncated_row: return "truncated_row";
    case reject_code::wrong_encoding: return "wrong_encoding";
    case reject_code::duplicate_person: return "duplicate_person";
    case reject_code::ragged_row: return "ragged_row";
    case reject_code::non_numeric_response: return "non_numeric_response";
    case reject_code::out_of_range_response: return "out_of_range_response";
    case reject_code::unknown_item: return "unknown_item";
    case reject_code::item_answered_twice: return "item_answered_twice";
    case reject_code::bad_person_id: return "bad_person_id";
    case reject_code::malformed_record: return "malformed_record";
    case reject_code::record_too_long: return "record_too_long";
  }
  return "?";
}

std::optional<reject_code> parse_reject_code(std::string_view id) noexcept {
  for (std::size_t c = 0; c < reject_code_count; ++c)
    if (to_string(static_cast<reject_code>(c)) == id) return static_cast<reject_code>(c);
  return std::nullopt;
}

record_parser::record_parser(input_layout layout, bank::bank_ptr bank) : layout_(std::move(layout)), bank_(std::move(bank)) {
  if (!bank_) throw invalid_argument("record_parser needs a bank");
}

namespace {
enum class cell_kind { missing, value, bad };

// A response cell: empty or NA = not presented; otherwise an integer category.
cell_kind parse_cell(std::string_view cell, int& value) noexcept {
  cell = trim(cell);
  if (cell.empty() || cell == "NA" || cell == "na" || cell == "NaN") return cell_kind::missing;
  const char* b = cell.data();
  const char* e = b + cell.size();
  if (*b == '+') ++b;
  const auto [p, ec] = std::from_chars(b, e, value);
  if (ec != std::errc{} || p != e) return cell_kind::bad;
  return cell_kind::value;
}

std::string printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 40)) out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
  if (s.size() > 40) out += "...";
  return out;
}

bool check_text(const record_text& rec, session_record& out) {
  if (const auto bad = find_invalid_utf8(rec.text); bad != std::string_view::npos) {
    out.reject(reject_code::wrong_encoding, fmt::format("wrong encoding: invalid UTF-8 byte 0x{:02X} at byte {} of the row",
                                                        static_cast<unsigned char>(rec.text[bad]), bad + 1));
    return false;
  }
  if (rec.text.find('\0') != std::string_view::npos) {
    out.reject(reject_code::wrong_encoding, "wrong encoding: NUL byte in the row (UTF-16 text?)");
    return false;
  }
  return true;
}

// A CSV line that is not well-formed: cut off by the end of the file, or malformed.
void reject_unsplittable(session_record& out, bool truncated) {
  if (truncated)
    out.reject(reject_code::truncated_row, "file ends mid-row: the last line has an unclosed quote");
  else
    out.reject(reject_code::malformed_record, "malformed CSV: unbalanced quote or text after a closing quote");
}

// Where a cell sits, for messages: " (column 3)" in wide files, " at line 7" in long ones.
struct cell_place {
  bool is_line;
  std::uint64_t number;
};
std::string describe(cell_place p) {
  return p.is_line ? fmt::format(" at line {}", p.number) : fmt::format(" (column {})", p.number);
}

// A CSV line with the wrong number of fields; `line` names it in long files.
bool check_width(std::size_t fields, std::size_t want, bool truncated, const cell_place* line, session_record& out) {
  if (fields == want) return true;
  if (truncated && fields < want)
    out.reject(reject_code::truncated_row, fmt::format("file ends mid-row: the last line has {} of {} fields", fields, want));
  else
    out.reject(reject_code::ragged_row, fmt::format("ragged row{}: {} fields, the header has {}",
                                                    line ? describe(*line) : std::string(), fields, want));
  return false;
}

// The reject of a cell take_cell could not use (kept out of line: it runs once per bad row).
[[gnu::cold, gnu::noinline]] void reject_cell(const bank::item_bank& bank, bool numeric, std::string_view cell, int v,
                                              std::uint32_t item, std::string_view item_id, cell_place place,
                                              session_record& out) {
  if (item_id.empty()) item_id = bank.id(item);
  if (!numeric) {
    out.reject(reject_code::non_numeric_response,
               fmt::format("non-numeric response '{}' for item '{}'{}", printable(cell), item_id, describe(place)));
    return;
  }
  out.reject(reject_code::out_of_range_response, fmt::format("response {} out of range 0..{} for item '{}'{}", v,
                                                             bank.params(item).categories() - 1, item_id, describe(place)));
}

// One response cell of item `item`: appended to out.responses, skipped when missing, or a
// reject. This runs for every cell of a file: inlined, with the messages out of line.
// `item_id` names the item in messages (empty: the bank's id).
[[gnu::always_inline]] inline bool take_cell(const bank::item_bank& bank, std::string_view cell, std::uint32_t item,
                                             std::string_view item_id, cell_place place, session_record& out) {
  int v = 0;
  const auto kind = parse_cell(cell, v);
  if (kind == cell_kind::missing) return true;
  if (kind == cell_kind::value && v >= 0 && v < bank.params(item).categories()) {
    out.responses.push_back({item, v});
    return true;
  }
  reject_cell(bank, kind == cell_kind::value, cell, v, item, item_id, place, out);
  return false;
}
}  // namespace

void record_parser::parse(const record_text& rec, session_record& out, std::vector<std::string>& scratch) const {
  out.row = rec.row;
  out.line = rec.line;
  out.person_id.clear();
  out.responses.clear();
  out.code = reject_code::none;
  out.error.clear();
  if (rec.oversized)
    return out.reject(reject_code::record_too_long,
                      fmt::format("a line of this record is longer than {} MiB (the limit of one line); it was skipped",
                                  max_line >> 20));
  if (!check_text(rec, out)) return;
  switch (layout_.format) {
    case response_format::wide: parse_wide(rec, out, scratch); break;
    case response_format::long_csv: parse_long(rec, out, scratch); break;
    case response_format::jsonl: parse_jsonl(rec, out); break;
  }
}

void record_parser::parse_wide(const record_text& rec, session_record& out, std::vector<std::string>& f) const {
  const auto& bank = *bank_;
  // Fields are views: into the line itself when it has no quotes (the common case: nothing
  // is copied), else into the unquoted copies split_csv_record makes.
  const std::string_view t = rec.text;
  const bool quoted = t.find('"') != std::string_view::npos;
  if (quoted && !split_csv_record(t, f)) return reject_unsplittable(out, rec.truncated);
  const std::size_t fields = quoted ? f.size() : static_cast<std::size_t>(std::count(t.begin(), t.end(), ',')) + 1;
  std::size_t pos = quoted ? 0 : t.find(',');
  out.person_id.assign(trim(quoted ? std::string_view(f[0]) : t.substr(0, pos)));
  if (!check_width(fields, layout_.columns, rec.truncated, nullptr, out)) return;
  if (out.person_id.empty()) return out.reject(reject_code::bad_person_id, "empty person_id");
  for (std::size_t c = 1; c < fields; ++c) {
    std::string_view cell;
    if (quoted) {
      cell = f[c];
    } else {
      const std::size_t start = pos + 1;
      pos = t.find(',', start);
      cell = t.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start);
    }
    const auto item = static_cast<std::uint32_t>(layout_.column_item[c]);
    if (!take_cell(bank, cell, item, {}, {false, c + 1}, out)) return;
  }
}

void record_parser::parse_long(const record_text& rec, session_record& out, std::vector<std::string>& f) const {
  const auto& bank = *bank_;
  std::string_view rest = rec.text;
  std::uint64_t line = rec.line;
  for (std::uint32_t l = 0; l < rec.lines; ++l, ++line) {
    const auto nl = rest.find('\n');
    const std::string_view text = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    const bool truncated = rec.truncated && l + 1 == rec.lines;
    out.line = line;  // the line of the problem, if this one has one
    const cell_place at{true, line};
    if (!split_csv_record(text, f)) return reject_unsplittable(out, truncated);
    if (!check_width(f.size(), layout_.columns, truncated, &at, out)) return;
    const std::string_view pid = trim(f[static_cast<std::size_t>(layout_.person_column)]);
    if (l == 0) out.person_id.assign(pid);
    if (pid.empty()) return out.reject(reject_code::bad_person_id, "empty person_id" + describe(at));
    const std::string_view item_id = trim(f[static_cast<std::size_t>(layout_.item_column)]);
    const auto idx = bank.find(item_id);
    if (!idx)
      return out.reject(reject_code::unknown_item, fmt::format("unknown item id '{}'{} (not in bank '{}')", printable(item_id),
                                                               describe(at), bank.info().id));
    const auto item = static_cast<std::uint32_t>(*idx);
    const std::size_t before = out.responses.size();
    if (!take_cell(bank, f[static_cast<std::size_t>(layout_.response_column)], item, item_id, at, out)) return;
    if (out.responses.size() == before) continue;  // an item shown but not answered
    for (std::size_t r = 0; r < before; ++r)
      if (out.responses[r].item == item) {
        out.responses.pop_back();
        return out.reject(reject_code::item_answered_twice, fmt::format("item '{}' answered twice (again{})", item_id,
                                                                           describe(at)));
      }
  }
  out.line = rec.line;
}

namespace {

// Finds a key given twice in one object (the parser would keep the last silently): the first
// such key, as the parser meets them.
class duplicate_key_finder {
 public:
  bool operator()(int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using event_t = nlohmann::json::parse_event_t;
    if (event == event_t::object_start) {
      if (open_.size() <= static_cast<std::size_t>(depth)) open_.resize(static_cast<std::size_t>(depth) + 1);
      open_[static_cast<std::size_t>(depth)].clear();
    } else if (event == event_t::key && found_.empty() && depth > 0) {
      auto& keys = open_[static_cast<std::size_t>(depth - 1)];
      const auto& key = parsed.get_ref<const std::string&>();
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) found_ = key;
      else keys.push_back(key);
    }
    return true;
  }
  const std::string& found() const noexcept { return found_; }

 private:
  std::vector<std::vector<std::string>> open_;  // keys so far of the open object at each depth
  std::string found_;
};

// A decoded string may hold what the raw line could not: "\u0000" and other control characters.
bool has_control_character(std::string_view s) noexcept {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

void record_parser::parse_jsonl(const record_text& rec, session_record& out) const {
  const auto& bank = *bank_;
  if (const auto at = json_too_deep_at(rec.text))
    return out.reject(reject_code::malformed_record,
                      fmt::format("JSON nested deeper than {} levels at byte {}", max_json_depth, at));
  nlohmann::json j;
  duplicate_key_finder duplicates;
  try {
    j = nlohmann::json::parse(rec.text, std::ref(duplicates));
  } catch (const nlohmann::json::parse_error& e) {
    if (rec.truncated) return out.reject(reject_code::truncated_row, "file ends mid-record: the last line is incomplete JSON");
    return out.reject(reject_code::malformed_record, fmt::format("malformed JSON at byte {}", e.byte));
  } catch (const nlohmann::json::exception& e) {
    // Well-formed but not representable, such as a number beyond the double range (1e400).
    return out.reject(reject_code::malformed_record,
                      fmt::format("JSON value out of range ({})", e.id == 406 ? "a number beyond the double range" : e.what()));
  }
  if (!duplicates.found().empty())
    return out.reject(reject_code::malformed_record,
                      fmt::format("key \"{}\" appears twice in one object", printable(duplicates.found())));
  // Not an object: no person id can be read (counted as bad_person_id, as it always was).
  if (!j.is_object())
    return out.reject(reject_code::bad_person_id,
                      "a JSON Lines record must be an object {\"person_id\": ..., \"responses\": {...}}");
  const auto pid = j.find("person_id");
  if (pid == j.end()) return out.reject(reject_code::bad_person_id, "missing \"person_id\"");
  if (!pid->is_string()) return out.reject(reject_code::bad_person_id, "\"person_id\" must be a string");
  out.person_id.assign(trim(pid->get_ref<const std::string&>()));
  if (out.person_id.empty()) return out.reject(reject_code::bad_person_id, "empty person_id");
  if (has_control_character(out.person_id))
    return out.reject(reject_code::wrong_encoding,
                      fmt::format("person_id \"{}\" holds a control character (such as \\u0000)", printable(out.person_id)));
  const auto resp = j.find("responses");
  if (resp == j.end()) return out.reject(reject_code::malformed_record, "missing \"responses\"");
  if (!resp->is_object())
    return out.reject(reject_code::malformed_record, "\"responses\" must be an object {\"item id\": category, ...}");
  for (const auto& [key, value] : resp->items()) {
    const auto idx = bank.find(key);
    if (!idx)
      return out.reject(reject_code::unknown_item,
                        fmt::format("unknown item id '{}' (not in bank '{}')", printable(key), bank.info().id));
    if (value.is_null()) continue;
    if (!value.is_number_integer())
      return out.reject(reject_code::non_numeric_response,
                        fmt::format("non-numeric response {} for item '{}' (an integer category or null)",
                                    printable(value.dump()), key));
    const auto v = value.get<std::int64_t>();
    const int k = bank.params(*idx).categories();
    if (v < 0 || v >= k)
      return out.reject(reject_code::out_of_range_response,
                        fmt::format("response {} out of range 0..{} for item '{}'", v, k - 1, key));
    out.responses.push_back({static_cast<std::uint32_t>(*idx), static_cast<std::int32_t>(v)});
  }
}

// ---- response_reader -------------------------------------------------------------------------

response_reader::response_reader(const std::string& path, response_format format, bank::bank_ptr bank)
    : source_(path, format, *bank), parser_(source_.layout(), bank) {}

bool response_reader::next(session_record& out) {
  if (pos_ >= chunk_.size()) {
    if (!source_.next_chunk(chunk_, 256)) return false;
    pos_ = 0;
  }
  parser_.parse(chunk_[pos_++], out, scratch_);
  return true;
}

}  // namespace io
DSKILL_END_NAMESPACE
