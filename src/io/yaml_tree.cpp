#include "dskill/io/yaml_tree.hpp"

#include <yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "dskill/error.hpp"
#include "dskill/io/utf8.hpp"

DSKILL_BEGIN_NAMESPACE

namespace io::detail {

std::string_view describe(const ynode& n) noexcept {
  switch (n.kind) {
    case ynode::null: return "nothing";
    case ynode::scalar: return "a single value";
    case ynode::sequence: return "a list";
    case ynode::map: return "a map";
  }
  return "?";
}

namespace {

// libyaml's parser and one event, released on every path out.
struct yaml_parser {
  yaml_parser_t p;
  yaml_parser() {
    if (!yaml_parser_initialize(&p)) throw std::bad_alloc();
  }
  ~yaml_parser() { yaml_parser_delete(&p); }
  yaml_parser(const yaml_parser&) = delete;
  yaml_parser& operator=(const yaml_parser&) = delete;
};
struct yaml_event {
  yaml_event_t e{};
  ~yaml_event() { yaml_event_delete(&e); }
};

std::string_view text_of(const yaml_char_t* s) { return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view{}; }

// Builds the tree from parser events. Containers are kept on an explicit stack (no recursion
// on input depth anywhere here), and depth is bounded by max_yaml_depth.
class tree_builder {
 public:
  tree_builder(ydoc& doc, const std::string& file, std::size_t budget) : doc_(doc), file_(file), budget_(budget) {}

  location at(const yaml_mark_t& m) const {
    return location{.file = file_, .line = static_cast<int>(m.line) + 1, .column = static_cast<int>(m.column) + 1};
  }

  void alias(const yaml_event_t& e) {
    const auto it = anchors_.find(std::string(text_of(e.data.alias.anchor)));
    if (it == anchors_.end()) throw parse_error("alias to an unknown anchor", at(e.start_mark));
    for (const ynode* open : stack_)
      if (open == it->second) throw parse_error("alias refers to a node that contains it", at(e.start_mark));
    expanded_ = saturating_add(expanded_, it->second->weight);
    if (expanded_ > budget_)
      throw parse_error("aliases expand the document too much (each alias copies its anchor's value)", at(e.start_mark));
    attach(it->second);
  }
  void scalar(const yaml_event_t& e) {
    const auto& s = e.data.scalar;
    ynode& n = make(e.start_mark, s.anchor);
    n.kind = ynode::scalar;
    n.plain = s.style == YAML_PLAIN_SCALAR_STYLE && s.tag == nullptr;
    n.value.assign(reinterpret_cast<const char*>(s.value), s.length);
    n.weight = 1 + s.length;
    // A plain "~", "null" or empty scalar is YAML's null.
    if (n.plain && (n.value.empty() || n.value == "~" || n.value == "null" || n.value == "Null" || n.value == "NULL"))
      n.kind = ynode::null;
    attach(&n);
  }
  void open(const yaml_event_t& e, ynode::kind_t kind, const yaml_char_t* anchor) {
    if (stack_.size() >= max_yaml_depth)
      throw parse_error(fmt::format("nested more than {} levels deep", max_yaml_depth), at(e.start_mark));
    ynode& n = make(e.start_mark, anchor);
    n.kind = kind;
    attach(&n);
    stack_.push_back(&n);
  }
  void close() {
    ynode* n = stack_.back();
    for (const ynode* c : n->children) n->weight = saturating_add(n->weight, c->weight);
    stack_.pop_back();
  }

 private:
  static std::size_t saturating_add(std::size_t a, std::size_t b) {
    return a > std::numeric_limits<std::size_t>::max() - b ? std::numeric_limits<std::size_t>::max() : a + b;
  }
  ynode& make(const yaml_mark_t& mark, const yaml_char_t* anchor) {
    ynode& n = doc_.nodes.emplace_back();
    n.line = static_cast<int>(mark.line) + 1;
    n.column = static_cast<int>(mark.column) + 1;
    if (anchor) anchors_[std::string(text_of(anchor))] = &n;
    return n;
  }
  void attach(const ynode* n) {
    if (stack_.empty()) {
      if (doc_.root == nullptr) doc_.root = n;
      return;
    }
    stack_.back()->children.push_back(n);
  }

  ydoc& doc_;
  const std::string& file_;
  std::size_t budget_;
  std::size_t expanded_ = 0;  // total weight copied by aliases
  std::vector<ynode*> stack_;
  std::unordered_map<std::string, const ynode*> anchors_;
};

// libyaml's messages are lowercase phrases ("did not find expected key"); keep them, with the
// context they arose in ("while parsing a block mapping").
std::string yaml_message(const yaml_parser_t& p) {
  std::string m = p.problem ? p.problem : "malformed YAML";
  if (p.context) m += fmt::format(" ({})", p.context);
  return "YAML syntax: " + m;
}

}  // namespace

ydoc parse_yaml(std::string_view text, const std::string& file) {
  // YAML is UTF-8 here (banks, frameworks, specifications): bytes that are not would reach
  // titles, credentials and reports, so they stop the read at their line and column.
  if (const auto bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    const auto before = text.substr(0, bad);
    const auto line_start = before.rfind('\n');
    const int line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
    const auto line_text = before.substr(line_start == std::string_view::npos ? 0 : line_start + 1);
    // In characters, as libyaml counts the columns of every other message.
    const int column = 1 + static_cast<int>(std::count_if(line_text.begin(), line_text.end(), [](char c) {
                         return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
                       }));
    throw parse_error(fmt::format("invalid UTF-8 byte 0x{:02X}: save the file as UTF-8", static_cast<unsigned char>(text[bad])),
                      location{.file = file, .line = line, .column = column});
  }
  ydoc doc;
  yaml_parser parser;
  yaml_parser_set_input_string(&parser.p, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  yaml_parser_set_encoding(&parser.p, YAML_UTF8_ENCODING);
  tree_builder builder(doc, file, 16 * text.size() + (1u << 20));
  int documents = 0;
  for (;;) {
    yaml_event event;
    if (!yaml_parser_parse(&parser.p, &event.e)) {
      const auto& m = parser.p.problem_mark;
      throw parse_error(yaml_message(parser.p),
                        location{.file = file, .line = static_cast<int>(m.line) + 1, .column = static_cast<int>(m.column) + 1});
    }
    const auto& e = event.e;
    switch (e.type) {
      case YAML_STREAM_END_EVENT: return doc;
      case YAML_DOCUMENT_START_EVENT:
        if (++documents > 1)
          throw parse_error("a bank or framework file holds one YAML document; a second one starts here", builder.at(e.start_mark));
        break;
      case YAML_ALIAS_EVENT: builder.alias(e); break;
      case YAML_SCALAR_EVENT: builder.scalar(e); break;
      case YAML_SEQUENCE_START_EVENT: builder.open(e, ynode::sequence, e.data.sequence_start.anchor); break;
      case YAML_MAPPING_START_EVENT: builder.open(e, ynode::map, e.data.mapping_start.anchor); break;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: builder.close(); break;
      default: break;  // stream start, document end, no event
    }
  }
}

std::optional<double> to_double(const ynode& n) noexcept {
  if (n.kind != ynode::scalar) return std::nullopt;
  std::string_view s = n.value;
  if (s.empty()) return std::nullopt;
  bool negative = false;
  if (s.front() == '+' || s.front() == '-') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s == ".inf" || s == ".Inf" || s == ".INF")
    return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return std::numeric_limits<double>::quiet_NaN();
  if (s.empty() || s.front() == '+' || s.front() == '-') return std::nullopt;
  double x = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  if (ptr != s.data() + s.size()) return std::nullopt;
  // Out of range: from_chars reports it; the value is then not a usable number anyway.
  if (ec == std::errc::result_out_of_range) return negative ? -HUGE_VAL : HUGE_VAL;
  if (ec != std::errc{}) return std::nullopt;
  return negative ? -x : x;
}

std::optional<long long> to_integer(const ynode& n) noexcept {
  if (n.kind != ynode::scalar) return std::nullopt;
  std::string_view s = n.value;
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  long long x = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return x;
}

std::optional<bool> to_bool(const ynode& n) noexcept {
  if (n.kind != ynode::scalar) return std::nullopt;
  const std::string& s = n.value;
  if (s == "true" || s == "True" || s == "TRUE" || s == "yes" || s == "Yes") return true;
  if (s == "false" || s == "False" || s == "FALSE" || s == "no" || s == "No") return false;
  return std::nullopt;
}

// Optimal string alignment distance: Levenshtein plus transpositions of neighbours, the most
// common typo ("modle" for "model" is one edit, not two). Stops early once every entry of a row
// exceeds `cutoff` (the result is then some value > cutoff), so suggesting among 10,000 ids is cheap.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cutoff) {
  if (a.size() > 64 || b.size() > 64) return std::max(a.size(), b.size());  // no suggestion for long words
  const std::size_t length_gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (length_gap > cutoff) return length_gap;
  const std::size_t m = b.size() + 1;
  std::size_t prev2[65], prev[65], row[65];
  for (std::size_t j = 0; j < m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    std::size_t row_min = row[0];
    for (std::size_t j = 1; j < m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) row[j] = std::min(row[j], prev2[j - 2] + 1);
      row_min = std::min(row_min, row[j]);
    }
    if (row_min > cutoff) return row_min;
    std::copy(prev, prev + m, prev2);
    std::copy(row, row + m, prev);
  }
  return prev[b.size()];
}

namespace {
template <class Range>
std::string suggest(std::string_view word, const Range& candidates) {
  // Close enough to be a typo: one edit for short words, about a third of the letters otherwise.
  const std::size_t allowed = std::max<std::size_t>(1, word.size() / 3);
  std::size_t best = allowed + 1;
  std::string_view best_word;
  for (const auto& c : candidates) {
    const std::string_view cv = c;
    const std::size_t d = edit_distance(word, cv, best - 1);
    if (d < best && d <= std::max<std::size_t>(1, std::min(word.size(), cv.size()) / 3)) {
      best = d;
      best_word = cv;
      if (d == 0) break;
    }
  }
  if (best_word.empty()) return {};
  return fmt::format(" (did you mean '{}'?)", best_word);
}
}  // namespace

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
  return suggest(word, candidates);
}
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates) {
  return suggest(word, candidates);
}

location diag_sink::where(const ynode* at, std::string_view item_id) const {
  location loc{.file = file_, .item_id = std::string(item_id)};
  if (at) {
    loc.line = at->line;
    loc.column = at->column;
  }
  return loc;
}

void diag_sink::add(severity level, const ynode* at, std::string_view item_id, std::string code, std::string message) {
  if (level == severity::error) ++errors_;
  if (level == severity::warning) ++warnings_;
  if (out_.size() >= limit_) {
    ++dropped_;
    return;
  }
  out_.push_back(diagnostic{level, where(at, item_id), std::move(code), std::move(message)});
}

void diag_sink::finish() {
  // File order (checks run in passes); diagnostics without a position go last.
  std::stable_sort(out_.begin(), out_.end(), [](const diagnostic& x, const diagnostic& y) {
    const auto key = [](const diagnostic& d) {
      return std::pair(d.where.line == 0 ? std::numeric_limits<int>::max() : d.where.line, d.where.column);
    };
    return key(x) < key(y);
  });
  if (dropped_ > 0)
    out_.push_back(diagnostic{severity::note, location{.file = file_}, "too-many-problems",
                              fmt::format("{} more problem{} not listed (limit {})", dropped_,
                                          dropped_ == 1 ? " was" : "s were", limit_)});
  dropped_ = 0;
}

map_fields::map_fields(const ynode& map, std::span<const std::string_view> allowed, diag_sink& sink,
                       std::string_view item_id, std::string_view context) {
  entries_.reserve(map.size());
  for (std::size_t i = 0; i + 1 < map.children.size(); i += 2) {
    const ynode* key = map.children[i];
    const ynode* value = map.children[i + 1];
    if (!key->is_scalar()) {
      sink.error(key, item_id, "bad-key", fmt::format("keys of {} must be plain words, not {}", context, describe(*key)));
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), key->value) == allowed.end()) {
      std::string hint = did_you_mean(key->value, allowed);
      // Remember the suggestion: a "missing key" error for it would only repeat this one.
      if (!hint.empty()) suggested_.push_back(std::string(hint.substr(16, hint.size() - 16 - 3)));
      sink.error(key, item_id, "unknown-key", fmt::format("unknown key '{}' in {}{}", key->value, context, hint));
      continue;
    }
    bool duplicate = false;
    for (const auto& [k, v] : entries_)
      if (k->value == key->value) {
        sink.error(key, item_id, "duplicate-key",
                   fmt::format("key '{}' appears twice in {} (first on line {})", key->value, context, k->line));
        duplicate = true;
        break;
      }
    if (!duplicate) entries_.emplace_back(key, value);
  }
}

const ynode* map_fields::get(std::string_view key) const noexcept {
  for (const auto& [k, v] : entries_)
    if (k->value == key) return v;
  return nullptr;
}

bool map_fields::suggested(std::string_view key) const noexcept {
  return std::find(suggested_.begin(), suggested_.end(), key) != suggested_.end();
}

const ynode* map_fields::key_node(std::string_view key) const noexcept {
  for (const auto& [k, v] : entries_)
    if (k->value == key) return k;
  return nullptr;
}

void append_yaml_quoted(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7f) fmt::format_to(std::back_inserter(out), "\\x{:02x}", c);
        else out += static_cast<char>(c);
    }
  }
  out += '"';
}

namespace {
bool needs_quotes(std::string_view s) {
  if (s.empty()) return true;
  static constexpr std::string_view specials = ":#,[]{}&*!|>'\"%@`";
  if (s.find_first_of(specials) != std::string_view::npos) return true;
  // '-' and '?' start a plain scalar unless a blank (or nothing) follows: -1.5 stays a number.
  if (s.front() == ' ' || s.back() == ' ') return true;
  if ((s.front() == '-' || s.front() == '?') && (s.size() == 1 || s[1] == ' ')) return true;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}


void flow(std::string& out, const ynode& n, std::size_t max_bytes, int depth) {
  if (depth <= 0) throw parse_error("metadata nests too deeply");
  if (out.size() > max_bytes) throw parse_error("metadata is too large to keep");
  switch (n.kind) {
    case ynode::null: out += "null"; break;
    case ynode::scalar:
      // Quotes only where needed, so that the text is the same after a save and a reload.
      if (n.plain ? !needs_quotes(n.value) : !(needs_quotes(n.value) || looks_typed(n.value))) out += n.value;
      else append_yaml_quoted(out, n.value);
      break;
    case ynode::sequence:
      out += '[';
      for (std::size_t i = 0; i < n.children.size(); ++i) {
        if (i) out += ", ";
        flow(out, *n.children[i], max_bytes, depth - 1);
      }
      out += ']';
      break;
    case ynode::map:
      out += '{';
      for (std::size_t i = 0; i + 1 < n.children.size(); i += 2) {
        if (i) out += ", ";
        flow(out, *n.children[i], max_bytes, depth - 1);
        out += ": ";
        flow(out, *n.children[i + 1], max_bytes, depth - 1);
      }
      out += '}';
      break;
  }
}
}  // namespace

const diagnostic* first_problem(const std::vector<diagnostic>& diags, bool warnings_count, std::string_view list_all,
                                std::string& message) {
  const diagnostic* first = nullptr;
  std::size_t count = 0;
  for (const auto& d : diags)
    if (d.level == severity::error || (warnings_count && d.level == severity::warning)) {
      if (!first) first = &d;
      ++count;
    }
  if (!first) return nullptr;
  message = first->message;
  if (count > 1)
    message += fmt::format(" (and {} more problem{}; {} lists them all)", count - 1, count == 2 ? "" : "s", list_all);
  return first;
}

std::string to_flow_yaml(const ynode& n, std::size_t max_bytes, int max_depth) {
  std::string out;
  flow(out, n, max_bytes, max_depth);
  return out;
}

bool looks_typed(std::string_view s) noexcept {
  if (s.empty()) return true;
  const char c = s.front();
  if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') return true;
  static constexpr std::string_view words[] = {"~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False",
                                               "FALSE", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON",
                                               "off", "Off", "OFF", "y", "Y", "n", "N"};
  for (auto w : words)
    if (s == w) return true;
  return false;
}

std::string format_number(double x) {
  if (x == 0.0) return "0";
  if (std::isnan(x)) return ".nan";
  if (std::isinf(x)) return x > 0 ? ".inf" : "-.inf";
  return fmt::format("{:.15g}", x);
}

}  // namespace io::detail
DSKILL_END_NAMESPACE
