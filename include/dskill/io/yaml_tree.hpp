// dskill::io::detail: the library's one YAML dialect. A small document tree built from
// libyaml's event parser, with 1-based positions on every node, plus the helpers every reader
// shares (YAML 1.2 core-schema numbers and booleans via from_chars, "did you mean", map key
// checks, a diagnostics sink with a limit). Banks, frameworks, test specifications,
// calibration reports and pretest records are all read through it; the parser itself stays
// inside src/io. In `detail`: an internal interface of the library, not a stable API.
//
// Why libyaml (the reference C parser, PyYAML's), not yaml-cpp: its scanner is about six times
// faster (17M events of a 1,000,000-item bank: 2.7 s against 15.9 s), which is most of a large
// bank's load time. yaml-cpp still writes banks (its emitter). Why a tree of our own and not a
// library's node graph: every key and value keeps its line and column, and nothing is built
// that the readers do not read.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dskill/core/diagnostic.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io::detail {

struct ynode {
  enum kind_t : std::uint8_t { null, scalar, sequence, map };
  kind_t kind = null;
  bool plain = true;  ///< scalar written without quotes and without a tag
  int line = 0;       ///< 1-based
  int column = 0;     ///< 1-based, in characters (as editors count), not bytes
  std::size_t weight = 1;  ///< size with aliases expanded (nodes + scalar bytes), saturating
  std::string value;  ///< scalar text
  /// sequence: the elements; map: key, value, key, value, ... Aliases share nodes (a DAG).
  std::vector<const ynode*> children;

  bool is_scalar() const noexcept { return kind == scalar; }
  bool is_map() const noexcept { return kind == map; }
  bool is_sequence() const noexcept { return kind == sequence; }
  std::size_t size() const noexcept { return kind == map ? children.size() / 2 : children.size(); }
};

/// What a kind of node is called in messages ("a map", "a list", "a string", "nothing").
std::string_view describe(const ynode& n) noexcept;

/// A parsed document: owns its nodes. root is nullptr for an empty document.
struct ydoc {
  std::deque<ynode> nodes;
  const ynode* root = nullptr;
};

/// Parses the first YAML document of text. Throws parse_error with the position of a syntax
/// error, of invalid UTF-8, of nesting deeper than max_yaml_depth, of a second document, of an alias to a node that contains it, or of the alias that
/// makes the document, with aliases expanded, more than 16 times its text (plus 1 MB): readers
/// copy values out of the tree, so unbounded expansion ("billion laughs") would exhaust memory.
ydoc parse_yaml(std::string_view text, const std::string& file);

/// Deepest nesting of lists and maps parse_yaml accepts (no dskill file needs more than 10).
inline constexpr std::size_t max_yaml_depth = 256;

/// Scalar conversions (YAML 1.2 core schema: 12, -0.5, 1e-3, .inf, .nan; true/false).
std::optional<double> to_double(const ynode& n) noexcept;
std::optional<long long> to_integer(const ynode& n) noexcept;
std::optional<bool> to_bool(const ynode& n) noexcept;

/// Edit distance in bytes (Levenshtein with transpositions); any value > cutoff means "more than
/// cutoff" (the computation stops early).
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cutoff = 64);
/// " (did you mean 'x'?)" for the closest candidate within a small distance, else "".
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);

/// Collects diagnostics up to a limit; later ones are counted, not kept.
class diag_sink {
 public:
  diag_sink(std::vector<diagnostic>& out, std::string file, std::size_t limit)
      : out_(out), file_(std::move(file)), limit_(limit == 0 ? 1 : limit) {}
  void add(severity level, const ynode* at, std::string_view item_id, std::string code, std::string message);
  void error(const ynode* at, std::string_view item_id, std::string code, std::string message) {
    add(severity::error, at, item_id, std::move(code), std::move(message));
  }
  void warning(const ynode* at, std::string_view item_id, std::string code, std::string message) {
    add(severity::warning, at, item_id, std::move(code), std::move(message));
  }
  /// Adds the "N more problems were not listed" note if needed.
  void finish();
  std::size_t errors() const noexcept { return errors_; }
  std::size_t warnings() const noexcept { return warnings_; }
  const std::string& file() const noexcept { return file_; }
  location where(const ynode* at, std::string_view item_id) const;

 private:
  std::vector<diagnostic>& out_;
  std::string file_;
  std::size_t limit_;
  std::size_t errors_ = 0, warnings_ = 0, dropped_ = 0;
};

/// The entries of a YAML map, checked once: keys must be scalars, unique, and among `allowed`
/// (unknown keys get a "did you mean"). Lookups are by key.
class map_fields {
 public:
  /// `context` names the map in messages ("item", "params", "bank").
  map_fields(const ynode& map, std::span<const std::string_view> allowed, diag_sink& sink,
             std::string_view item_id, std::string_view context);
  /// The value of key, or nullptr. The key node is given by key_node().
  const ynode* get(std::string_view key) const noexcept;
  const ynode* key_node(std::string_view key) const noexcept;
  /// True if an unknown key was probably a misspelling of this one (already reported).
  bool suggested(std::string_view key) const noexcept;
  /// Every accepted entry in file order.
  const std::vector<std::pair<const ynode*, const ynode*>>& entries() const noexcept { return entries_; }

 private:
  std::vector<std::pair<const ynode*, const ynode*>> entries_;  // (key, value)
  std::vector<std::string> suggested_;
};

/// The first error of `diags` (and of warnings, when `warnings_count`), or nullptr if there is
/// none; `message` gets its text plus " (and N more problems; <list_all> lists them all)" when
/// there are more. Loaders throw it; validators return them all.
const diagnostic* first_problem(const std::vector<diagnostic>& diags, bool warnings_count, std::string_view list_all,
                                std::string& message);

/// Writes a node as YAML flow text ({a: 1, b: [x, y]}); throws parse_error past max_bytes or
/// max_depth (aliases can make a tree exponentially large).
/// Appends `s` as a YAML double-quoted scalar that reads back as exactly `s` (", \ and every
/// control character escaped: a raw line break inside quotes would fold into a space).
void append_yaml_quoted(std::string& out, std::string_view s);

std::string to_flow_yaml(const ynode& n, std::size_t max_bytes = 1 << 20, int max_depth = 64);

/// True for text a YAML reader would not take as a string when written plain: numbers,
/// booleans, null, dates and versions (anything starting with a digit, sign or dot).
bool looks_typed(std::string_view s) noexcept;

/// Formats a number so it reads back the same at 15 significant digits (1.2, -0.5, 1e-05).
std::string format_number(double x);

}  // namespace io::detail
DSKILL_END_NAMESPACE
