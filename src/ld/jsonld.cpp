// JSON-LD 1.1 to RDF: Context Processing, IRI Expansion, Expansion, Node Map Generation and
// Deserialize JSON-LD to RDF (W3C JSON-LD 1.1 Processing Algorithms and API), in "safe mode".
//
// Our own subset, not a full processor: what Verifiable Credentials use, with the behaviour of
// jsonld.js (the processor behind most verifiers) where the specification leaves room, since a
// signature only verifies if both sides hash the same N-Quads. Safe mode: anything the algorithm
// would silently drop (an undefined term, a relative IRI, a free-floating value...) is an
// error, as jsonld.js's `safe: true` makes it: a signer must not sign less than it shows.
// Unsupported (refused with not_supported, never half-done): remote contexts other than the
// shipped ones, @import, @nest, @direction, framing.
//
// Contexts are immutable once processed. Those built from shipped contexts only (the document's
// top-level URLs, then the type- and property-scoped contexts inside them) are cached for the
// life of the process, keyed by (the context they were applied to, the scoped context's node),
// so a credential costs lookups, never context processing.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "contexts.hpp"
#include "detail.hpp"
#include "dskill/error.hpp"
#include "dskill/io/json_limits.hpp"

DSKILL_BEGIN_NAMESPACE
namespace ld {
namespace {

using json = nlohmann::json;

constexpr std::string_view rdf_ns = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view xsd_ns = "http://www.w3.org/2001/XMLSchema#";

// ---- errors ------------------------------------------------------------------------------------

[[noreturn]] void syntax(std::string_view what) { throw parse_error(fmt::format("JSON-LD: {}", what)); }
// What jsonld.js's safe mode refuses: the algorithm would drop data without a word.
[[noreturn]] void unsafe(std::string_view what) {
  throw invalid_argument(fmt::format("JSON-LD (safe mode): {}; it would be left out of the RDF, so out of any signature", what));
}
[[noreturn]] void unsupported(std::string_view what) { throw error(errc::not_supported, fmt::format("JSON-LD: {}", what)); }

// ---- lexical helpers ---------------------------------------------------------------------------

bool is_keyword(std::string_view s) {
  static constexpr std::string_view keywords[] = {
      "@base", "@container", "@context", "@default", "@direction", "@embed", "@explicit", "@graph",
      "@id", "@import", "@included", "@index", "@json", "@language", "@list", "@nest", "@none",
      "@omitDefault", "@prefix", "@preserve", "@propagate", "@protected", "@requireAll", "@reverse",
      "@set", "@type", "@value", "@version", "@vocab"};
  if (s.size() < 3 || s[0] != '@') return false;
  return std::find(std::begin(keywords), std::end(keywords), s) != std::end(keywords);
}

// "@" followed by letters only: reserved for future keywords (dropped, so refused).
bool looks_like_keyword(std::string_view s) {
  if (s.size() < 2 || s[0] != '@') return false;
  for (std::size_t i = 1; i < s.size(); ++i)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) return false;
  return true;
}

bool alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// JavaScript's \s in UTF-8 at text[i]: its length, or 0.
std::size_t js_space_at(std::string_view t, std::size_t i) {
  const auto c = static_cast<unsigned char>(t[i]);
  if (c == ' ' || (c >= 0x09 && c <= 0x0d)) return 1;
  if (c < 0x80) return 0;
  auto at = [&](std::size_t k) { return i + k < t.size() ? static_cast<unsigned char>(t[i + k]) : 0u; };
  if (c == 0xC2 && at(1) == 0xA0) return 2;                                 // U+00A0
  if (c == 0xE1 && at(1) == 0x9A && at(2) == 0x80) return 3;                // U+1680
  if (c == 0xE2 && at(1) == 0x80 && (at(2) <= 0x8A || at(2) == 0xA8 || at(2) == 0xA9 || at(2) == 0xAF))
    return 3;                                                               // U+2000-200A, 2028, 2029, 202F
  if (c == 0xE2 && at(1) == 0x81 && at(2) == 0x9F) return 3;                // U+205F
  if (c == 0xE3 && at(1) == 0x80 && at(2) == 0x80) return 3;                // U+3000
  if (c == 0xEF && at(1) == 0xBB && at(2) == 0xBF) return 3;                // U+FEFF
  return 0;
}

// jsonld.js's absolute IRI test: /^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$/ (blank nodes pass).
bool is_absolute_iri(std::string_view s) {
  const auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  if (!(colon == 1 && s[0] == '_')) {
    if (!alpha(s[0])) return false;
    for (std::size_t i = 1; i < colon; ++i) {
      const char c = s[i];
      if (!(alpha(c) || (c >= '0' && c <= '9') || (c >= '+' && c <= '.'))) return false;
    }
  }
  for (std::size_t i = colon + 1; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c > 0x20 && c < 0x80) continue;  // the usual case, no space possible
    if (js_space_at(s, i) != 0) return false;
  }
  return true;
}

bool is_blank(std::string_view s) { return s.size() >= 2 && s[0] == '_' && s[1] == ':'; }

// BCP 47 as jsonld.js checks it: /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/.
bool is_bcp47(std::string_view s) {
  std::size_t i = 0, n = 0;
  while (i < s.size() && alpha(s[i])) ++i, ++n;
  if (n < 1 || n > 8) return false;
  while (i < s.size()) {
    if (s[i] != '-') return false;
    ++i;
    n = 0;
    while (i < s.size() && (alpha(s[i]) || (s[i] >= '0' && s[i] <= '9'))) ++i, ++n;
    if (n < 1 || n > 8) return false;
  }
  return true;
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// RFC 3986 section 5.2: reference resolution against an absolute base.
std::string remove_dot_segments(std::string_view path) {
  std::string out;
  while (!path.empty()) {
    if (path.starts_with("../")) path.remove_prefix(3);
    else if (path.starts_with("./")) path.remove_prefix(2);
    else if (path.starts_with("/./")) path.remove_prefix(2);
    else if (path == "/.") path = "/";
    else if (path.starts_with("/../") || path == "/..") {
      path = path.size() == 3 ? std::string_view("/") : path.substr(3);
      const auto slash = out.rfind('/');
      out.erase(slash == std::string::npos ? 0 : slash);
    } else if (path == "." || path == "..") path = {};
    else {
      const auto next = path.find('/', path[0] == '/' ? 1 : 0);
      out.append(path.substr(0, next));
      path = next == std::string_view::npos ? std::string_view{} : path.substr(next);
    }
  }
  return out;
}

struct uri_parts {
  std::string_view scheme, authority, path, query, fragment;
  bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
};

uri_parts split_uri(std::string_view s) {
  uri_parts p;
  if (const auto h = s.find('#'); h != std::string_view::npos) {
    p.fragment = s.substr(h + 1), p.has_fragment = true, s = s.substr(0, h);
  }
  if (const auto q = s.find('?'); q != std::string_view::npos) {
    p.query = s.substr(q + 1), p.has_query = true, s = s.substr(0, q);
  }
  const auto colon = s.find(':');
  if (colon != std::string_view::npos && colon > 0 && s.substr(0, colon).find('/') == std::string_view::npos) {
    p.scheme = s.substr(0, colon), p.has_scheme = true, s = s.substr(colon + 1);
  }
  if (s.starts_with("//")) {
    s.remove_prefix(2);
    const auto slash = s.find('/');
    p.authority = s.substr(0, slash), p.has_authority = true;
    s = slash == std::string_view::npos ? std::string_view{} : s.substr(slash);
  }
  p.path = s;
  return p;
}

std::string resolve_iri(std::string_view base, std::string_view ref) {
  if (is_absolute_iri(ref)) return std::string(ref);
  const uri_parts b = split_uri(base), r = split_uri(ref);
  std::string out(b.scheme);
  out += ':';
  std::string path;
  std::string_view query;
  bool has_query = false;
  if (r.has_authority) {
    out += "//";
    out += r.authority;
    path = remove_dot_segments(r.path);
    query = r.query, has_query = r.has_query;
  } else {
    if (b.has_authority) out += "//", out += b.authority;
    if (r.path.empty()) {
      path = std::string(b.path);
      query = r.has_query ? r.query : b.query;
      has_query = r.has_query || b.has_query;
    } else {
      if (r.path[0] == '/') {
        path = remove_dot_segments(r.path);
      } else {
        std::string merged;
        if (b.has_authority && b.path.empty()) merged = "/";
        else if (const auto slash = b.path.rfind('/'); slash != std::string_view::npos) merged = std::string(b.path.substr(0, slash + 1));
        merged += r.path;
        path = remove_dot_segments(merged);
      }
      query = r.query, has_query = r.has_query;
    }
  }
  out += path;
  if (has_query) out += '?', out += query;
  if (r.has_fragment) out += '#', out += r.fragment;
  return out;
}

// ---- numbers -----------------------------------------------------------------------------------

// ECMAScript Number::toString (shortest round-trip digits), as JCS and jsonld.js print numbers.
std::string es_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return "0";
  std::string out;
  if (v < 0) out += '-', v = -v;
  char buf[64];
  const auto end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific).ptr;
  const std::string_view sci(buf, static_cast<std::size_t>(end - buf));  // d.ddde[+-]XX
  const auto e = sci.find('e');
  std::string digits(1, sci[0]);
  if (e > 1) digits.append(sci.substr(2, e - 2));
  int exp10 = 0;
  std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exp10);
  const int k = static_cast<int>(digits.size()), n = exp10 + 1;
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<std::size_t>(n));
    out += '.';
    out.append(digits, static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) out += '.', out.append(digits, 1);
    out += 'e';
    out += n - 1 >= 0 ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

// A JSON number as JavaScript holds it: integers past 2^53 lose their low digits, as in JS.
double js_value(const json& v) {
  if (v.is_number_unsigned()) return static_cast<double>(v.get<std::uint64_t>());
  if (v.is_number_integer()) return static_cast<double>(v.get<std::int64_t>());
  return v.get<double>();
}

// xsd:double canonical form as jsonld.js writes it: toExponential(15), trailing zeros of the
// mantissa dropped down to one digit, "E", the exponent without "+" ("1.1E0", "-2.5E-7").
std::string xsd_double(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15e", v);
  std::string_view s(buf);
  const auto e = s.find('e');
  std::string_view mantissa = s.substr(0, e);
  while (mantissa.size() > 1 && mantissa.back() == '0' && mantissa[mantissa.size() - 2] != '.') mantissa.remove_suffix(1);
  int exp10 = 0;
  std::from_chars(s.data() + e + (s[e + 1] == '+' ? 2 : 1), s.data() + s.size(), exp10);
  return fmt::format("{}E{}", mantissa, exp10);
}

// JavaScript's parseFloat (the longest decimal prefix, after white space), for a string
// @value typed xsd:double.
double js_parse_float(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && js_space_at(s, i) != 0) i += js_space_at(s, i);
  s.remove_prefix(i);
  for (const auto& [text, value] : {std::pair{"Infinity", HUGE_VAL}, {"+Infinity", HUGE_VAL}, {"-Infinity", -HUGE_VAL}})
    if (s.starts_with(text)) return value;
  std::size_t n = 0;
  if (n < s.size() && (s[n] == '+' || s[n] == '-')) ++n;
  const std::size_t digits_start = n;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  if (n < s.size() && s[n] == '.') {
    ++n;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  }
  if (n == digits_start || (n == digits_start + 1 && s[digits_start] == '.')) return std::nan("");
  if (n < s.size() && (s[n] == 'e' || s[n] == 'E')) {
    std::size_t m = n + 1;
    if (m < s.size() && (s[m] == '+' || s[m] == '-')) ++m;
    if (m < s.size() && s[m] >= '0' && s[m] <= '9') {
      while (m < s.size() && s[m] >= '0' && s[m] <= '9') ++m;
      n = m;
    }
  }
  std::string text(s.substr(s[0] == '+' ? 1 : 0, s[0] == '+' ? n - 1 : n));
  return std::strtod(text.c_str(), nullptr);
}

// ---- JCS (RFC 8785), for @json literals --------------------------------------------------------

// Code-unit order of UTF-16, which JCS sorts keys by (UTF-8 byte order differs only for
// characters past U+FFFF against U+E000-U+FFFF).
bool utf16_less(std::string_view a, std::string_view b) {
  auto key = [](std::string_view s, std::size_t& i) -> unsigned {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return ++i, c;
    if (c < 0xE0) return i += 2, (c & 0x1Fu) << 6 | (static_cast<unsigned char>(s[i - 1]) & 0x3Fu);
    if (c < 0xF0) {
      i += 3;
      return (c & 0x0Fu) << 12 | (static_cast<unsigned char>(s[i - 2]) & 0x3Fu) << 6 | (static_cast<unsigned char>(s[i - 1]) & 0x3Fu);
    }
    i += 4;
    return 0xD800;  // a high surrogate: above U+D7FF, below U+E000
  };
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const std::size_t i0 = i, j0 = j;
    const unsigned x = key(a, i), y = key(b, j);
    if (x != y) return x < y;
    if (x == 0xD800 && a.substr(i0, i - i0) != b.substr(j0, j - j0)) return a.substr(i0, i - i0) < b.substr(j0, j - j0);
  }
  return a.size() - i < b.size() - j ? false : i >= a.size() && j < b.size();
}

void jcs_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += ch;
    }
  }
  out += '"';
}

void jcs(std::string& out, const json& v) {
  switch (v.type()) {
    case json::value_t::null: out += "null"; break;
    case json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; break;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: out += es_number(js_value(v)); break;
    case json::value_t::string: jcs_string(out, v.get_ref<const std::string&>()); break;
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v) {
        if (!first) out += ',';
        first = false;
        jcs(out, item);
      }
      out += ']';
      break;
    }
    case json::value_t::object: {
      std::vector<const std::string*> keys;
      for (const auto& [k, item] : v.items()) keys.push_back(&k);
      std::sort(keys.begin(), keys.end(), [](const std::string* a, const std::string* b) { return utf16_less(*a, *b); });
      out += '{';
      bool first = true;
      for (const std::string* k : keys) {
        if (!first) out += ',';
        first = false;
        jcs_string(out, *k);
        out += ':';
        jcs(out, v.at(*k));
      }
      out += '}';
      break;
    }
    default: syntax("a binary or discarded JSON value");
  }
}

// ---- active contexts ---------------------------------------------------------------------------

enum container_flag : unsigned {
  c_list = 1, c_set = 2, c_index = 4, c_language = 8, c_graph = 16, c_id = 32, c_type = 64,
};

struct term_def {
  std::optional<std::string> id;  // nullopt: the term is defined as null
  bool reverse = false;
  bool prefix = false;
  bool is_protected = false;
  bool term_has_colon = false;
  std::optional<std::string> type;
  std::vector<std::string> container;  // as written, for the protected comparison
  unsigned containers = 0;
  std::optional<std::string> index;
  const json* context = nullptr;  // the scoped context, inside the JSON that defined the term
  bool has_language = false;
  std::optional<std::string> language;  // nullopt with has_language: @language null

  // jsonld.js's deep comparison of two mappings (with protected set on both).
  bool same_as(const term_def& o) const {
    const bool same_context = (context == nullptr) == (o.context == nullptr) &&
                              (context == nullptr || context == o.context || *context == *o.context);
    return id == o.id && reverse == o.reverse && prefix == o.prefix && term_has_colon == o.term_has_colon &&
           type == o.type && container == o.container && index == o.index && same_context &&
           has_language == o.has_language && language == o.language;
  }
};

struct context;
using context_ptr = std::shared_ptr<const context>;

// Lets the term map be searched with a string_view, without building a string per lookup.
struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

struct context {
  std::unordered_map<std::string, term_def, string_hash, std::equal_to<>> terms;
  std::optional<std::string> vocab;
  enum class base_kind : unsigned char { document, none, iri } base = base_kind::document;
  std::string base_iri;
  std::optional<std::string> language;
  bool any_protected = false;
  context_ptr previous;  // the context a non-propagated (type-scoped) one reverts to
  bool shared = false;   // built from shipped contexts only: cached, lives for ever

  const term_def* find(std::string_view term) const {
    const auto it = terms.find(term);
    return it == terms.end() ? nullptr : &it->second;
  }
};

const context_ptr& initial_context() {
  static const context_ptr initial = [] {
    auto c = std::make_shared<context>();
    c->shared = true;
    return context_ptr(std::move(c));
  }();
  return initial;
}

// The shipped contexts, each parsed once.
struct shipped_context {
  std::string_view url;
  json document;
};

const std::vector<shipped_context>& shipped() {
  static const std::vector<shipped_context> all = [] {
    std::vector<shipped_context> v;
    for (std::size_t i = 0; i < detail::embedded_context_count; ++i)
      v.push_back({detail::embedded_contexts[i].url, json::parse(detail::embedded_contexts[i].text)});
    return v;
  }();
  return all;
}

const json& shipped_document(std::string_view url) {
  for (const auto& c : shipped())
    if (c.url == url) return c.document;
  unsupported(fmt::format("context '{}' is not a shipped context; dskill does no network (shipped: {})", url,
                          fmt::join(shipped_contexts(), ", ")));
}

// The cache of shared contexts: (context applied to, scoped context node or null, flags, URL
// list) -> result. Bounded, so crafted documents cannot grow it without end.
class context_cache {
 public:
  using key = std::tuple<const context*, const json*, int, std::string>;
  context_ptr find(const key& k) {
    std::lock_guard lock(mutex_);
    const auto it = map_.find(k);
    return it == map_.end() ? nullptr : it->second;
  }
  context_ptr insert(const key& k, context_ptr value) {
    std::lock_guard lock(mutex_);
    if (map_.size() >= max_entries) return value;
    return map_.emplace(k, std::move(value)).first->second;  // an earlier thread's wins
  }

 private:
  static constexpr std::size_t max_entries = 4096;
  std::mutex mutex_;
  std::map<key, context_ptr> map_;
};

context_cache& cache() {
  static context_cache c;
  return c;
}

constexpr int max_context_depth = 32;  // scoped contexts inside scoped contexts

class context_processor;

// IRI Expansion (5.2), for a finished context (expansion) or one being built (a processor).
std::optional<std::string> expand_iri(const context& active, const std::optional<std::string>& value, bool vocab,
                                      bool document_relative, context_processor* building = nullptr);

context_ptr process_context(const context_ptr& active, const json& local, bool override_protected, bool propagate,
                            bool local_is_shipped, int depth);

// Context Processing (4.1.2) of one local context object into `result`, with Create Term
// Definition (4.2.2).
class context_processor {
 public:
  context_processor(context& result, const json& local, bool override_protected, int depth)
      : result_(result), local_(local), override_protected_(override_protected), depth_(depth) {}

  void run() {
    if (const auto it = local_.find("@version"); it != local_.end()) {
      if (!it->is_number() || it->get<double>() != 1.1) syntax("@version must be 1.1");
    }
    if (const auto it = local_.find("@import"); it != local_.end()) unsupported("@import is not supported");
    if (const auto it = local_.find("@direction"); it != local_.end()) unsupported("@direction is not supported (no rdfDirection)");
    if (const auto it = local_.find("@base"); it != local_.end()) {
      if (it->is_null()) {
        result_.base = context::base_kind::none;
      } else if (it->is_string()) {
        const auto& b = it->get_ref<const std::string&>();
        if (is_absolute_iri(b)) {
          result_.base = context::base_kind::iri, result_.base_iri = b;
        } else if (result_.base == context::base_kind::iri) {
          result_.base_iri = resolve_iri(result_.base_iri, b);
        } else {
          unsafe(fmt::format("relative @base '{}' with no base to resolve it against", b));
        }
      } else {
        syntax("@base must be a string or null");
      }
    }
    if (const auto it = local_.find("@vocab"); it != local_.end()) {
      if (it->is_null()) {
        result_.vocab.reset();
      } else if (it->is_string()) {
        auto v = expand_iri(result_, it->get<std::string>(), true, true, this);
        if (!v || !is_absolute_iri(*v)) unsafe(fmt::format("relative @vocab '{}'", it->get<std::string>()));
        result_.vocab = std::move(v);
      } else {
        syntax("@vocab must be a string or null");
      }
    }
    if (const auto it = local_.find("@language"); it != local_.end()) {
      if (it->is_null()) {
        result_.language.reset();
      } else if (it->is_string()) {
        if (!is_bcp47(it->get_ref<const std::string&>())) unsafe(fmt::format("@language '{}' is not BCP 47", it->get<std::string>()));
        result_.language = lower(it->get<std::string>());
      } else {
        syntax("@language in a context must be a string or null");
      }
    }
    if (const auto it = local_.find("@propagate"); it != local_.end() && !it->is_boolean()) syntax("@propagate must be true or false");
    if (const auto it = local_.find("@protected"); it != local_.end()) {
      if (!it->is_boolean()) syntax("@protected must be true or false");
      protected_ = it->get<bool>();
    }
    for (const auto& [key, value] : local_.items()) {
      if (key == "@version" || key == "@base" || key == "@vocab" || key == "@language" || key == "@propagate" ||
          key == "@protected")
        continue;
      define(key);
      // A scoped context must itself be valid (jsonld.js checks it here, not when used).
      if (value.is_object()) {
        if (const auto sc = value.find("@context"); sc != value.end()) {
          try {
            auto copy = std::make_shared<context>(result_);
            copy->shared = false;
            (void)process_context(copy, *sc, true, true, false, depth_ + 1);
          } catch (const error& e) {
            if (e.code() == errc::not_supported) throw;
            syntax(fmt::format("invalid scoped context of term '{}': {}", key, e.detail()));
          }
        }
      }
    }
  }

  // Create Term Definition, for `term` of this local context (called again by IRI expansion
  // for terms that others refer to).
  void define(const std::string& term) {
    if (const auto it = defined_.find(term); it != defined_.end()) {
      if (it->second) return;
      syntax(fmt::format("cyclic IRI mapping at term '{}'", term));
    }
    if (term.empty()) syntax("a term cannot be the empty string");
    const json& raw = local_.at(term);
    if (term == "@type") {
      // Only "@type": {"@container": "@set", "@protected": ...} may redefine a keyword.
      bool ok = raw.is_object() && !raw.empty();
      if (ok)
        for (const auto& [k, v] : raw.items()) ok = ok && (k == "@container" || k == "@protected" || k == "@id") && (k != "@container" || v == "@set");
      if (!ok) syntax("keywords cannot be redefined (@type)");
      unsupported("redefining @type is not supported");
    }
    if (is_keyword(term)) syntax(fmt::format("keywords cannot be redefined ({})", term));
    if (looks_like_keyword(term)) unsafe(fmt::format("term '{}' has the form of a keyword", term));
    defined_[term] = false;

    std::optional<term_def> previous;
    if (auto it = result_.terms.find(term); it != result_.terms.end()) {
      previous = std::move(it->second);
      result_.terms.erase(it);
    }
    json value_storage;
    const json* value = &raw;
    bool simple = false;
    if (raw.is_string() || raw.is_null()) {
      simple = true;
      value_storage = json::object({{"@id", raw}});
      value = &value_storage;
    }
    if (!value->is_object()) syntax(fmt::format("the definition of term '{}' is not a string, null or an object", term));
    for (const auto& [k, v] : value->items()) {
      if (k == "@nest") unsupported(fmt::format("@nest (term '{}') is not supported", term));
      if (k == "@direction") unsupported(fmt::format("@direction (term '{}') is not supported", term));
      if (k != "@container" && k != "@id" && k != "@language" && k != "@reverse" && k != "@type" && k != "@context" &&
          k != "@index" && k != "@prefix" && k != "@protected")
        syntax(fmt::format("a term definition (term '{}') cannot contain {}", term, k));
    }
    term_def def;
    const auto colon = term.find(':');
    def.term_has_colon = colon != std::string::npos && colon > 0;
    bool has_id = false;
    if (const auto rev = value->find("@reverse"); rev != value->end()) {
      if (value->contains("@id")) syntax(fmt::format("a @reverse term ('{}') cannot have @id", term));
      if (!rev->is_string()) syntax(fmt::format("@reverse of term '{}' must be a string", term));
      if (looks_like_keyword(rev->get_ref<const std::string&>()))
        unsafe(fmt::format("@reverse '{}' of term '{}' has the form of a keyword", rev->get<std::string>(), term));
      auto id = expand_iri(result_, rev->get<std::string>(), true, false, this);
      if (!id || !is_absolute_iri(*id)) syntax(fmt::format("@reverse of term '{}' must expand to an absolute IRI", term));
      def.id = std::move(id);
      def.reverse = true;
      has_id = true;
    } else if (const auto idv = value->find("@id"); idv != value->end()) {
      if (!idv->is_null() && !idv->is_string()) syntax(fmt::format("@id of term '{}' must be a string or null", term));
      if (idv->is_null()) {
        def.id.reset();
        has_id = true;
      } else {
        const auto& id_text = idv->get_ref<const std::string&>();
        if (!is_keyword(id_text) && looks_like_keyword(id_text))
          unsafe(fmt::format("@id '{}' of term '{}' has the form of a keyword", id_text, term));
        if (id_text != term) {
          auto id = expand_iri(result_, id_text, true, false, this);
          if (!id || (!is_absolute_iri(*id) && !is_keyword(*id)))
            syntax(fmt::format("@id of term '{}' must expand to an absolute IRI, a blank node or a keyword", term));
          // A term in the form of an IRI must expand to its own definition.
          bool iri_like = term.find('/') != std::string::npos;
          for (std::size_t i = 0; !iri_like && i + 1 < term.size(); ++i) iri_like = term[i] == ':' && term[i + 1] != ':';
          if (iri_like) {
            auto saved = defined_;
            defined_[term] = true;
            const auto self = expand_iri(result_, term, true, false, this);
            defined_ = std::move(saved);
            defined_[term] = false;
            if (self != id) syntax(fmt::format("term '{}' has the form of an IRI but expands to another one", term));
          }
          def.prefix = simple && !def.term_has_colon && !id->empty() && std::string_view(":/?#[]@").find(id->back()) != std::string_view::npos;
          def.id = std::move(id);
          has_id = true;
        }
      }
    }
    if (!has_id) {
      if (def.term_has_colon) {
        const std::string prefix = term.substr(0, colon);
        if (local_.contains(prefix)) define(prefix);
        if (const auto* p = result_.find(prefix)) {
          def.id = p->id ? *p->id + term.substr(colon + 1) : term.substr(colon + 1);  // jsonld.js: null + suffix
          if (!p->id) def.id = "null" + term.substr(colon + 1);
        } else {
          def.id = term;
        }
      } else {
        if (!result_.vocab) syntax(fmt::format("term '{}' has no @id and there is no @vocab", term));
        def.id = *result_.vocab + term;
      }
    }
    if (const auto p = value->find("@protected"); p != value->end()) {
      if (!p->is_boolean()) syntax(fmt::format("@protected of term '{}' must be true or false", term));
    }
    const auto p = value->find("@protected");
    if ((p != value->end() && *p == true) || (protected_ && (p == value->end() || *p != false))) {
      def.is_protected = true;
      result_.any_protected = true;
    }
    defined_[term] = true;
    if (const auto t = value->find("@type"); t != value->end()) {
      if (!t->is_string()) syntax(fmt::format("@type of term '{}' must be a string", term));
      std::string type = t->get<std::string>();
      if (type != "@json" && type != "@none" && type != "@id" && type != "@vocab") {
        auto expanded = expand_iri(result_, type, true, false, this);
        if (!expanded || !is_absolute_iri(*expanded)) syntax(fmt::format("@type of term '{}' must expand to an absolute IRI", term));
        if (is_blank(*expanded)) syntax(fmt::format("@type of term '{}' cannot be a blank node", term));
        type = std::move(*expanded);
      }
      def.type = std::move(type);
    }
    if (const auto c = value->find("@container"); c != value->end()) {
      if (c->is_string()) def.container.push_back(c->get<std::string>());
      else if (c->is_array()) {
        for (const auto& item : *c) {
          if (!item.is_string()) syntax(fmt::format("@container of term '{}' must hold strings", term));
          def.container.push_back(item.get<std::string>());
        }
      } else if (!c->is_null()) {
        syntax(fmt::format("@container of term '{}' must be a string or an array", term));
      }
      for (const auto& k : def.container) {
        if (k == "@list") def.containers |= c_list;
        else if (k == "@set") def.containers |= c_set;
        else if (k == "@index") def.containers |= c_index;
        else if (k == "@language") def.containers |= c_language;
        else if (k == "@graph") def.containers |= c_graph;
        else if (k == "@id") def.containers |= c_id;
        else if (k == "@type") def.containers |= c_type;
        else syntax(fmt::format("unknown @container '{}' of term '{}'", k, term));
      }
      const auto n = def.container.size();
      const unsigned f = def.containers;
      bool ok = true;
      if (f & c_list) ok = n == 1;
      else if (f & c_graph) ok = (f & ~(c_graph | c_id | c_index | c_set)) == 0;
      else ok = n <= ((f & c_set) ? 2u : 1u);
      if (!ok) syntax(fmt::format("invalid @container of term '{}'", term));
      if (f & c_type) {
        if (!def.type) def.type = "@id";
        if (*def.type != "@id" && *def.type != "@vocab") syntax(fmt::format("@container @type of term '{}' needs @type @id or @vocab", term));
      }
      if (def.reverse && (f & ~(c_index | c_set)) != 0) syntax(fmt::format("a @reverse term ('{}') may only have an @index or @set container", term));
    }
    if (const auto ix = value->find("@index"); ix != value->end()) {
      if (!(def.containers & c_index)) syntax(fmt::format("@index without an @index container (term '{}')", term));
      if (!ix->is_string() || ix->get_ref<const std::string&>().starts_with("@")) syntax(fmt::format("@index of term '{}' must be a property", term));
      def.index = ix->get<std::string>();
    }
    if (const auto sc = value->find("@context"); sc != value->end()) {
      if (depth_ >= max_context_depth) syntax("scoped contexts nested too deep");
      def.context = &*sc;
    }
    if (const auto lang = value->find("@language"); lang != value->end() && !value->contains("@type")) {
      if (!lang->is_null() && !lang->is_string()) syntax(fmt::format("@language of term '{}' must be a string or null", term));
      def.has_language = true;
      if (lang->is_string()) def.language = lower(lang->get<std::string>());
    }
    if (const auto pre = value->find("@prefix"); pre != value->end()) {
      if (term.find(':') != std::string::npos || term.find('/') != std::string::npos) syntax(fmt::format("@prefix on the compact IRI term '{}'", term));
      if (def.id && is_keyword(*def.id)) syntax(fmt::format("keyword alias '{}' cannot be a prefix", term));
      if (!pre->is_boolean()) syntax(fmt::format("@prefix of term '{}' must be true or false", term));
      def.prefix = pre->get<bool>();
    }
    if (def.id && (*def.id == "@context" || *def.id == "@preserve")) syntax("@context and @preserve cannot be aliased");
    if (previous && previous->is_protected && !override_protected_) {
      def.is_protected = true;
      if (!def.same_as(*previous)) syntax(fmt::format("protected term '{}' redefined", term));
    }
    result_.terms.insert_or_assign(term, std::move(def));
  }

  bool in_local(const std::string& term) const { return local_.contains(term); }
  bool is_defined(const std::string& term) const {
    const auto it = defined_.find(term);
    return it != defined_.end() && it->second;
  }

 private:
  context& result_;
  const json& local_;
  bool override_protected_;
  int depth_;
  bool protected_ = false;
  std::unordered_map<std::string, bool> defined_;
};

std::optional<std::string> expand_iri(const context& active, const std::optional<std::string>& value, bool vocab,
                                      bool document_relative, context_processor* building) {
  if (!value || is_keyword(*value)) return value;
  const std::string& v = *value;
  if (looks_like_keyword(v)) return std::nullopt;
  if (building && building->in_local(v) && !building->is_defined(v)) building->define(v);
  if (vocab) {
    if (const auto* def = active.find(v)) return def->id;
  }
  const auto colon = v.find(':');
  if (colon != std::string::npos && colon > 0) {
    const std::string prefix = v.substr(0, colon);
    const std::string_view suffix = std::string_view(v).substr(colon + 1);
    if (prefix == "_" || suffix.starts_with("//")) return v;
    if (building && building->in_local(prefix)) building->define(prefix);
    if (const auto* def = active.find(prefix); def && def->prefix) return (def->id ? *def->id : std::string("null")) + std::string(suffix);
    if (is_absolute_iri(v)) return v;
  }
  if (vocab && active.vocab) return *active.vocab + v;
  if (document_relative && active.base == context::base_kind::iri) return resolve_iri(active.base_iri, v);
  return v;
}

context_ptr process_context(const context_ptr& active, const json& local_in, bool override_protected, bool propagate,
                            bool local_is_shipped, int depth) {
  if (depth > max_context_depth) syntax("contexts nested too deep");
  const json* local = &local_in;
  if (local->is_object()) {
    if (const auto it = local->find("@context"); it != local->end() && it->is_array()) local = &*it;
  }
  // The cache key: shared contexts and scoped contexts of shipped JSON by address; a list of
  // shipped URLs (the usual top-level context) by its text.
  std::optional<context_cache::key> key;
  const int flags = (override_protected ? 1 : 0) | (propagate ? 2 : 0);
  if (active->shared) {
    if (local_is_shipped) {
      key.emplace(active.get(), local, flags, std::string());
    } else {
      std::string urls;
      bool all_urls = true;
      auto add = [&](const json& item) {
        if (!item.is_string()) return all_urls = false, void();
        urls += item.get_ref<const std::string&>();
        urls += '\n';
      };
      if (local->is_array()) for (const auto& item : *local) add(item);
      else add(*local);
      if (all_urls && !urls.empty()) key.emplace(active.get(), nullptr, flags, std::move(urls));
    }
    if (key)
      if (auto hit = cache().find(*key)) return hit;
  }

  static const json empty_array = json::array();
  const json& items = local->is_array() ? *local : empty_array;
  const std::size_t count = local->is_array() ? items.size() : 1;
  if (count == 0) return active;
  auto item_at = [&](std::size_t i) -> const json& { return local->is_array() ? items[i] : *local; };

  if (const json& first = item_at(0); first.is_object()) {
    if (const auto it = first.find("@propagate"); it != first.end() && it->is_boolean()) propagate = it->get<bool>();
  }
  // `shared`: the result is built from shipped JSON only, so it may be cached.
  context_ptr result = active;
  bool shared = active->shared;
  if (!propagate && !result->previous) {
    auto copy = std::make_shared<context>(*result);
    copy->previous = active;
    result = std::move(copy);
  }
  for (std::size_t i = 0; i < count; ++i) {
    const json& item = item_at(i);
    if (item.is_null()) {
      if (!override_protected && result->any_protected) syntax("a context with protected terms cannot be set to null");
      result = initial_context();
      continue;
    }
    const json* object = &item;
    bool item_shipped = local_is_shipped;
    if (item.is_string()) {
      // A URL: only the shipped contexts (their "@context" member), themselves cached.
      const json& doc = shipped_document(item.get_ref<const std::string&>());
      const auto inner = doc.find("@context");
      if (inner == doc.end()) syntax(fmt::format("shipped context '{}' has no @context", item.get<std::string>()));
      result = process_context(result, *inner, override_protected, true, true, depth + 1);
      shared = shared && result->shared;
      continue;
    }
    if (object->is_object()) {
      if (const auto it = object->find("@context"); it != object->end()) object = &*it;
    }
    if (!object->is_object()) syntax("a context must be an object, a URL or null");
    shared = shared && item_shipped;
    auto next = std::make_shared<context>(*result);
    next->shared = shared;
    context_processor(*next, *object, override_protected, depth).run();
    result = std::move(next);
  }
  if (key && shared && result->shared) return cache().insert(*key, std::move(result));
  return result;
}

// ---- expansion ---------------------------------------------------------------------------------

const std::string& str(const json& v) { return v.get_ref<const std::string&>(); }

json as_array(json v) {
  if (v.is_array()) return v;
  json a = json::array();
  a.push_back(std::move(v));
  return a;
}

// addValue with propertyIsArray: the property is an array; arrays are appended item by item.
void add_value(json& object, const std::string& property, json value) {
  json& slot = object[property];
  if (slot.is_null()) slot = json::array();
  if (value.is_array()) {
    for (auto& item : value) slot.push_back(std::move(item));
  } else {
    slot.push_back(std::move(value));
  }
}

bool is_value_object(const json& v) { return v.is_object() && v.contains("@value"); }
bool is_list_object(const json& v) { return v.is_object() && v.contains("@list"); }
bool is_graph_object(const json& v) {
  if (!v.is_object() || !v.contains("@graph")) return false;
  for (const auto& [k, x] : v.items())
    if (k != "@graph" && k != "@id" && k != "@index") return false;
  return true;
}

class expander {
 public:
  // Expansion (5.1.2), after jsonld.js's api.expand.
  json expand(context_ptr active, const std::string* property, const json& element, bool inside_list,
              bool inside_index, context_ptr type_scoped, int depth) {
    if (depth > 2 * io::max_json_depth + 8) syntax("nested too deep");
    if (element.is_null()) return nullptr;
    const term_def* pdef = property ? active->find(*property) : nullptr;
    if (!element.is_array() && !element.is_object()) {
      if (!inside_list && (property == nullptr || expand_iri(*active, *property, true, false) == "@graph"))
        unsafe(fmt::format("free-floating value {}", element.dump()));
      return expand_value(*active, property, element);
    }
    if (element.is_array()) {
      json out = json::array();
      const bool list = inside_list || (pdef && (pdef->containers & c_list));
      for (const auto& item : element) {
        json e = expand(active, property, item, false, inside_index, type_scoped, depth + 1);
        if (list && e.is_array()) e = json::object({{"@list", std::move(e)}});
        if (e.is_null()) continue;
        if (e.is_array()) for (auto& x : e) out.push_back(std::move(x));
        else out.push_back(std::move(e));
      }
      return out;
    }
    // An object.
    const std::optional<std::string> expanded_property =
        property ? expand_iri(*active, *property, true, false) : std::optional<std::string>();
    const json* property_scoped = pdef ? pdef->context : nullptr;
    const bool property_scoped_shipped = pdef && active->shared;
    if (!type_scoped && active->previous) type_scoped = active;
    bool must_revert = !inside_index;
    if (must_revert && type_scoped && element.size() <= 2 && !element.contains("@context")) {
      for (const auto& [key, v] : element.items()) {
        const auto e = expand_iri(*type_scoped, key, true, false);
        if (e == "@value") {
          must_revert = false;
          active = type_scoped;
          break;
        }
        if (e == "@id" && element.size() == 1) {
          must_revert = false;
          break;
        }
      }
    }
    if (must_revert && active->previous) active = active->previous;
    if (property_scoped) active = process_context(active, *property_scoped, true, true, property_scoped_shipped && active->shared, 0);
    if (const auto it = element.find("@context"); it != element.end()) active = process_context(active, *it, false, true, false, 0);
    type_scoped = active;
    const std::string* type_key = nullptr;
    for (const auto& [key, v] : element.items()) {
      if (expand_iri(*active, key, true, false) != "@type") continue;
      if (!type_key) type_key = &key;
      std::vector<const json*> types;
      if (v.is_array()) for (const auto& t : v) types.push_back(&t);
      else types.push_back(&v);
      std::sort(types.begin(), types.end(), [](const json* a, const json* b) {
        return a->is_string() && b->is_string() ? str(*a) < str(*b) : a->is_string() < b->is_string();
      });
      for (const json* t : types) {
        if (!t->is_string()) continue;
        const term_def* tdef = type_scoped->find(str(*t));
        if (tdef && tdef->context) active = process_context(active, *tdef->context, false, false, type_scoped->shared, 0);
      }
    }
    json result = json::object();
    expand_object(active, property, expanded_property, element, result, inside_list, type_key, type_scoped, depth);

    std::size_t count = result.size();
    if (result.contains("@value")) {
      if (result.contains("@type") && result.contains("@language")) syntax("a value object cannot have both @type and @language");
      std::size_t valid = count - 1;
      if (result.contains("@type")) --valid;
      if (result.contains("@index")) --valid;
      if (result.contains("@language")) --valid;
      if (valid != 0) syntax(fmt::format("invalid value object {}", result.dump()));
      const json& value = result["@value"];
      const bool json_type = result.contains("@type") && result["@type"] == "@json";
      if (json_type) {
        // any @value
      } else if (value.is_null()) {
        unsafe("a null @value");
      } else if (result.contains("@language") && !value.is_string()) {
        syntax("only strings may have a language");
      } else if (const auto t = result.find("@type"); t != result.end()) {
        if (!t->is_string() || !is_absolute_iri(str(*t)) || is_blank(str(*t)))
          syntax(fmt::format("the @type of a value object must be an absolute IRI, not {}", t->dump()));
      }
      if (!json_type && (value.is_object() || value.is_array())) syntax("@value cannot be an object or an array");
    } else if (const auto t = result.find("@type"); t != result.end() && !t->is_array()) {
      result["@type"] = as_array(std::move(*t));
    } else if (result.contains("@set") || result.contains("@list")) {
      if (count > 1 && !(count == 2 && result.contains("@index"))) syntax("@set and @list may only have @index beside them");
      if (result.contains("@set")) {
        json set = std::move(result["@set"]);
        result = std::move(set);
        count = result.is_object() ? result.size() : 0;
      }
    } else if (count == 1 && result.contains("@language")) {
      unsafe("an object with only @language");
    }
    if (result.is_object() && !inside_list &&
        (property == nullptr || expanded_property == "@graph" || (pdef && (pdef->containers & c_graph)))) {
      check_not_dropped(result, count);
    }
    return result;
  }

 private:
  // _dropUnsafeObject: what would be dropped at the top or in a graph.
  static void check_not_dropped(const json& value, std::size_t count) {
    if (count == 0) unsafe("an empty object");
    if (value.contains("@value")) unsafe("a value object at the top or in a graph");
    if (value.contains("@list")) unsafe("a list at the top or in a graph");
    if (count == 1 && value.contains("@id")) unsafe(fmt::format("an object with only @id ({})", value["@id"].dump()));
  }

  void expand_object(const context_ptr& active, const std::string* property, const std::optional<std::string>& expanded_property,
                     const json& element, json& parent, bool inside_list, const std::string* type_key,
                     const context_ptr& type_scoped, int depth) {
    bool json_type = false;
    if (type_key) {
      const json& tv = element.at(*type_key);
      const json& first = tv.is_array() ? (tv.empty() ? tv : tv[0]) : tv;
      if (first.is_string()) json_type = expand_iri(*active, str(first), true, false) == "@json";
    }
    const json* unexpanded_value = nullptr;
    for (const auto& [key, value] : element.items()) {
      if (key == "@context") continue;
      const auto ep = expand_iri(*active, key, true, false);
      if (!ep || !(is_absolute_iri(*ep) || is_keyword(*ep)))
        unsafe(fmt::format("property '{}' is not defined by the context (it expands to {})", key, ep ? "'" + *ep + "'" : "null"));
      const std::string& expanded = *ep;
      if (is_keyword(expanded)) {
        if (expanded_property == "@reverse") syntax("a keyword cannot be a @reverse property");
        if (parent.contains(expanded) && expanded != "@included" && expanded != "@type")
          syntax(fmt::format("colliding keywords ({})", expanded));
      }
      if (expanded == "@id") {
        if (!value.is_string()) syntax(fmt::format("@id must be a string, not {}", value.dump()));
        const auto id = expand_iri(*active, str(value), false, true);
        if (!id) unsafe(fmt::format("@id '{}' has the form of a keyword", str(value)));
        if (!is_absolute_iri(*id)) unsafe(fmt::format("relative @id '{}'", *id));
        parent["@id"] = *id;
        continue;
      }
      if (expanded == "@type") {
        if (!value.is_string() && !(value.is_array() && std::all_of(value.begin(), value.end(), [](const json& t) { return t.is_string(); })))
          syntax(fmt::format("@type must be a string or an array of strings, not {}", value.dump()));
        json types = json::array();
        for (const auto& t : as_array(value)) {
          const auto e = expand_iri(*type_scoped, str(t), true, true);
          if (!e) unsafe(fmt::format("@type '{}' has the form of a keyword", str(t)));
          if (*e != "@json" && !is_absolute_iri(*e)) unsafe(fmt::format("@type '{}' is not defined (relative '{}')", str(t), *e));
          types.push_back(*e);
        }
        // jsonld.js's addValue: one type stays a string (a node's becomes an array later).
        if (types.empty()) continue;
        if (const auto it = parent.find("@type"); it != parent.end()) {
          json merged = as_array(std::move(*it));
          for (auto& t : types) merged.push_back(std::move(t));
          parent["@type"] = std::move(merged);
        } else {
          parent["@type"] = types.size() == 1 ? std::move(types[0]) : std::move(types);
        }
        continue;
      }
      if (expanded == "@included") {
        json included = as_array(expand(active, property, value, false, false, nullptr, depth + 1));
        for (const auto& v : included)
          if (!v.is_object() || v.contains("@value") || v.contains("@list") || v.contains("@set"))
            syntax("@included values must be node objects");
        add_value(parent, "@included", std::move(included));
        continue;
      }
      if (expanded == "@graph" && !(value.is_object() || value.is_array())) syntax("@graph must be an object or an array");
      if (expanded == "@value") {
        unexpanded_value = &value;
        parent["@value"] = value;
        continue;
      }
      if (expanded == "@language") {
        if (value.is_null()) continue;
        if (!value.is_string()) syntax("@language must be a string");
        if (!is_bcp47(str(value))) unsafe(fmt::format("@language '{}' is not BCP 47", str(value)));
        parent["@language"] = lower(str(value));
        continue;
      }
      if (expanded == "@direction") unsupported("@direction is not supported (no rdfDirection)");
      if (expanded == "@index") {
        if (!value.is_string()) syntax("@index must be a string");
        parent["@index"] = value;
        continue;
      }
      if (expanded == "@reverse") {
        if (!value.is_object()) syntax("@reverse must be an object");
        static const std::string reverse_property = "@reverse";
        json ev = expand(active, &reverse_property, value, false, false, nullptr, depth + 1);
        if (!ev.is_object()) continue;
        if (const auto it = ev.find("@reverse"); it != ev.end())
          for (auto& [p, items] : it->items()) add_value(parent, p, items);
        for (auto& [p, items] : ev.items()) {
          if (p == "@reverse") continue;
          json& map = parent["@reverse"];
          if (map.is_null()) map = json::object();
          json& slot = map[p];
          if (slot.is_null()) slot = json::array();
          for (auto& item : items) {
            if (is_value_object(item) || is_list_object(item)) syntax("a @reverse value cannot be a value or a list");
            slot.push_back(item);
          }
        }
        continue;
      }
      if (expanded == "@nest") unsupported("@nest is not supported");
      if (is_keyword(expanded) && expanded != "@list" && expanded != "@set" && expanded != "@graph")
        unsupported(fmt::format("{} is not supported here", expanded));

      const term_def* kdef = active->find(key);
      context_ptr term_ctx = active;
      if (kdef && kdef->context) term_ctx = process_context(active, *kdef->context, true, true, active->shared, 0);
      const unsigned containers = kdef ? kdef->containers : 0;
      json ev;
      if ((containers & c_language) && value.is_object()) {
        ev = json::array();
        for (const auto& [lang, v] : value.items()) {
          const auto ek = expand_iri(*term_ctx, lang, true, false);
          for (const auto& item : as_array(v)) {
            if (item.is_null()) continue;
            if (!item.is_string()) syntax("language map values must be strings");
            json o = json::object({{"@value", item}});
            if (ek != "@none") {
              if (!is_bcp47(lang)) unsafe(fmt::format("@language '{}' is not BCP 47", lang));
              o["@language"] = lower(lang);
            }
            ev.push_back(std::move(o));
          }
        }
      } else if ((containers & (c_index | c_id | c_type)) && value.is_object()) {
        ev = expand_index_map(term_ctx, key, value, containers, kdef, depth);
      } else if (expanded == "@list" || expanded == "@set") {
        const std::string* next = property;
        if (expanded == "@list" && expanded_property == "@graph") next = nullptr;
        ev = expand(term_ctx, next, value, expanded == "@list", false, nullptr, depth + 1);
      } else if (kdef && kdef->type == "@json") {
        ev = json::object({{"@type", "@json"}, {"@value", value}});
      } else {
        ev = expand(term_ctx, &key, value, false, false, nullptr, depth + 1);
      }
      if (ev.is_null()) continue;
      if (expanded == "@list") {
        parent["@list"] = as_array(std::move(ev));
        continue;
      }
      if (!is_list_object(ev) && (containers & c_list)) ev = json::object({{"@list", as_array(std::move(ev))}});
      if ((containers & c_graph) && !(containers & (c_id | c_index))) {
        json graphs = json::array();
        for (auto& v : as_array(std::move(ev))) {
          check_not_dropped(v, v.is_object() ? v.size() : 1);
          graphs.push_back(json::object({{"@graph", as_array(std::move(v))}}));
        }
        if (graphs.empty()) continue;
        ev = std::move(graphs);
      }
      const term_def* tdef = term_ctx->find(key);
      if (tdef && tdef->reverse) {
        json& map = parent["@reverse"];
        if (map.is_null()) map = json::object();
        for (auto& item : as_array(std::move(ev))) {
          if (is_value_object(item) || is_list_object(item)) syntax("a @reverse value cannot be a value or a list");
          add_value(map, expanded, std::move(item));
        }
        continue;
      }
      if (expanded == "@set" || expanded == "@graph") {
        add_value(parent, expanded, std::move(ev));
      } else {
        add_value(parent, expanded, std::move(ev));
      }
    }
    if (parent.contains("@value") && !json_type && unexpanded_value &&
        (unexpanded_value->is_object() || unexpanded_value->is_array()))
      syntax("@value cannot be an object or an array");
    (void)inside_list;
  }

  json expand_index_map(const context_ptr& term_ctx, const std::string& key, const json& value, unsigned containers,
                        const term_def* kdef, int depth) {
    const bool as_graph = containers & c_graph;
    std::string index_key = (containers & c_type) ? "@type" : (containers & c_id) ? "@id" : (kdef->index ? *kdef->index : "@index");
    const bool type_index = index_key == "@type";
    context_ptr ctx = type_index && term_ctx->previous ? term_ctx->previous : term_ctx;
    std::optional<std::string> property_index;
    if ((containers & c_index) && index_key != "@index") property_index = expand_iri(*term_ctx, index_key, true, false);
    json out = json::array();
    for (const auto& [k, v] : value.items()) {
      context_ptr item_ctx = ctx;
      if (type_index) {
        if (const term_def* d = ctx->find(k); d && d->context) item_ctx = ctx = process_context(ctx, *d->context, false, false, ctx->shared, 0);
      }
      json items = expand(item_ctx, &key, as_array(v), false, true, nullptr, depth + 1);
      std::optional<std::string> expanded_key;
      json expanded_key_value;
      if (property_index) {
        if (k != "@none") expanded_key_value = expand_value(*item_ctx, &index_key, json(k));
      } else {
        expanded_key = expand_iri(*item_ctx, k, true, false);
      }
      std::string index = k;
      if (index_key == "@id") {
        const auto e = expand_iri(*item_ctx, k, false, true);
        index = e ? *e : k;
      } else if (type_index && expanded_key) {
        index = *expanded_key;
      }
      for (auto& item : items) {
        if (as_graph && !is_graph_object(item)) item = json::object({{"@graph", as_array(std::move(item))}});
        if (type_index) {
          if (expanded_key != "@none") {
            json types = json::array({index});
            if (const auto it = item.find("@type"); it != item.end()) for (auto& t : as_array(*it)) types.push_back(t);
            item["@type"] = std::move(types);
          }
        } else if (is_value_object(item) && index_key != "@language" && index_key != "@type" && index_key != "@index") {
          syntax(fmt::format("cannot add {} to a value object", index_key));
        } else if (property_index) {
          if (k != "@none") {
            json& slot = item[*property_index];
            json values = json::array({expanded_key_value});
            if (slot.is_array()) for (auto& x : slot) values.push_back(x);
            slot = std::move(values);
          }
        } else if (expanded_key != "@none" && !item.contains(index_key)) {
          item[index_key] = index;
        }
        out.push_back(std::move(item));
      }
    }
    return out;
  }

  // Value Expansion (5.3.2), after jsonld.js's _expandValue.
  json expand_value(const context& active, const std::string* property, const json& value) {
    const auto ep = property ? expand_iri(active, *property, true, false) : std::optional<std::string>();
    if (ep == "@id" || ep == "@type") {
      if (!value.is_string()) return value;
      return ep == "@id" ? json(expand_iri(active, str(value), false, true).value_or(""))
                         : json(expand_iri(active, str(value), true, true).value_or(""));
    }
    const term_def* def = property ? active.find(*property) : nullptr;
    const std::optional<std::string> type = def ? def->type : std::nullopt;
    if ((type == "@id" || ep == "@graph") && value.is_string()) {
      const auto id = expand_iri(active, str(value), false, true);
      if (!id) unsafe(fmt::format("@id '{}' has the form of a keyword", str(value)));
      return json::object({{"@id", *id}});
    }
    if (type == "@vocab" && value.is_string()) {
      const auto id = expand_iri(active, str(value), true, true);
      if (!id) unsafe(fmt::format("'{}' has the form of a keyword", str(value)));
      return json::object({{"@id", *id}});
    }
    if (ep && is_keyword(*ep)) return value;
    json out = json::object();
    if (type && *type != "@id" && *type != "@vocab" && *type != "@none") {
      out["@type"] = *type;
    } else if (value.is_string()) {
      std::optional<std::string> language = active.language;
      if (def && def->has_language) language = def->language;
      if (language) out["@language"] = *language;
    }
    out["@value"] = value;
    return out;
  }
};

// ---- node map generation (7.2.2) and toRdf (8.1) -----------------------------------------------

class rdf_builder {
 public:
  std::vector<quad> run(const json& expanded) {
    graphs_["@default"] = json::object();
    node_map(expanded, "@default", nullptr, nullptr, 0);
    std::vector<quad> out;
    for (auto& [graph_name, nodes] : graphs_) {
      term graph;
      if (graph_name != "@default") {
        if (!is_absolute_iri(graph_name)) unsafe(fmt::format("relative graph name '{}'", graph_name));
        graph = make_term(graph_name);
      }
      for (auto& [id, node] : nodes.items()) {
        if (!is_absolute_iri(id)) unsafe(fmt::format("relative subject '{}'", id));
        const term subject = make_term(id);
        for (auto& [property, items] : node.items()) {
          std::string predicate_iri;
          if (property == "@type") predicate_iri = std::string(rdf_ns) + "type";
          else if (is_keyword(property)) continue;
          else predicate_iri = property;
          if (!is_absolute_iri(predicate_iri)) unsafe(fmt::format("relative property '{}'", predicate_iri));
          if (is_blank(predicate_iri)) unsafe(fmt::format("blank node property '{}'", predicate_iri));
          const term predicate{.kind = term_kind::iri, .value = predicate_iri};
          for (auto& item : items) {
            term object = to_object(item, graph, out);
            out.push_back({subject, predicate, std::move(object), graph});
          }
        }
      }
    }
    return out;
  }

 private:
  static term make_term(std::string_view id) {
    if (is_blank(id)) return {.kind = term_kind::blank, .value = std::string(id.substr(2))};
    return {.kind = term_kind::iri, .value = std::string(id)};
  }

  std::string blank(const std::string* old) {
    if (old) {
      auto [it, fresh] = issued_.try_emplace(*old);
      if (fresh) it->second = "_:b" + std::to_string(counter_++);
      return it->second;
    }
    return "_:b" + std::to_string(counter_++);
  }

  // Values and node references are compared as jsonld.js's compareValues does.
  static bool same_value(const json& a, const json& b) {
    if (is_value_object(a) && is_value_object(b))
      return a["@value"] == b["@value"] && a.value("@type", json()) == b.value("@type", json()) &&
             a.value("@language", json()) == b.value("@language", json()) && a.value("@index", json()) == b.value("@index", json());
    if (a.is_object() && b.is_object() && a.contains("@id") && b.contains("@id") && !is_value_object(a) && !is_value_object(b))
      return a["@id"] == b["@id"];
    return false;
  }
  static void add_unique(json& subject, const std::string& property, json value) {
    json& slot = subject[property];
    if (slot.is_null()) slot = json::array();
    for (const auto& v : slot)
      if (same_value(v, value)) return;
    slot.push_back(std::move(value));
  }

  void node_map(const json& element, const std::string& graph, const std::string* name, json* list, int depth) {
    if (depth > 4 * io::max_json_depth) syntax("nested too deep");
    if (element.is_array()) {
      for (const auto& item : element) node_map(item, graph, nullptr, list, depth + 1);
      return;
    }
    if (!element.is_object()) {
      if (list) list->push_back(element);
      return;
    }
    if (is_value_object(element)) {
      if (list) list->push_back(element);
      return;
    }
    if (list && is_list_object(element)) {
      json inner = json::array();
      node_map(element["@list"], graph, name, &inner, depth + 1);
      list->push_back(json::object({{"@list", std::move(inner)}}));
      return;
    }
    std::string id;
    if (name) id = *name;
    else if (const auto it = element.find("@id"); it != element.end() && it->is_string() && !is_blank(str(*it))) id = str(*it);
    else id = blank(element.contains("@id") && element["@id"].is_string() ? &str(element["@id"]) : nullptr);
    if (list) list->push_back(json::object({{"@id", id}}));
    // std::map nodes do not move: the reference holds while other nodes are added.
    json& subject = graphs_[graph][id];
    if (subject.is_null()) subject = json::object({{"@id", id}});
    for (const auto& [property_in, value] : element.items()) {
      if (property_in == "@id") continue;
      if (property_in == "@reverse") {
        const json referenced = json::object({{"@id", id}});
        for (const auto& [rp, items] : value.items()) {
          for (const auto& item : items) {
            std::string item_name = item.contains("@id") && item["@id"].is_string() ? str(item["@id"]) : std::string();
            if (item_name.empty() || is_blank(item_name)) item_name = blank(item_name.empty() ? nullptr : &item_name);
            node_map(item, graph, &item_name, nullptr, depth + 1);
            add_unique(graphs_[graph][item_name], rp, referenced);
          }
        }
        continue;
      }
      if (property_in == "@graph") {
        if (!graphs_.contains(id)) graphs_[id] = json::object();
        node_map(value, id, nullptr, nullptr, depth + 1);
        continue;
      }
      if (property_in == "@included") {
        node_map(value, graph, nullptr, nullptr, depth + 1);
        continue;
      }
      if (property_in != "@type" && is_keyword(property_in)) {
        json& s = subject;
        if (property_in == "@index" && s.contains("@index") && s["@index"] != value) syntax("conflicting @index values");
        s[property_in] = value;
        continue;
      }
      std::string property = property_in;
      if (is_blank(property)) property = blank(&property_in);
      if (value.empty()) {
        json& s = subject;
        if (!s.contains(property)) s[property] = json::array();
        continue;
      }
      for (const auto& o_in : value) {
        if (property == "@type") {
          std::string t = str(o_in);
          if (is_blank(t)) t = blank(&str(o_in));
          add_unique(subject, property, json::object({{"@id", t}}));
          continue;
        }
        if (o_in.is_object() && !is_value_object(o_in) && !is_list_object(o_in) && !o_in.contains("@set")) {
          // A node object or a node reference.
          std::string oid;
          if (const auto it = o_in.find("@id"); it != o_in.end() && it->is_string()) {
            oid = is_blank(str(*it)) ? blank(&str(*it)) : str(*it);
          } else {
            oid = blank(nullptr);
          }
          add_unique(subject, property, json::object({{"@id", oid}}));
          node_map(o_in, graph, &oid, nullptr, depth + 1);
        } else if (is_value_object(o_in)) {
          add_unique(subject, property, o_in);
        } else if (is_list_object(o_in)) {
          json inner = json::array();
          node_map(o_in["@list"], graph, &id, &inner, depth + 1);
          json& s = subject;
          json& slot = s[property];
          if (slot.is_null()) slot = json::array();
          slot.push_back(json::object({{"@list", std::move(inner)}}));  // lists are never equal
        } else {
          syntax(fmt::format("unexpected expanded value {}", o_in.dump()));
        }
      }
    }
  }

  term to_object(const json& item, const term& graph, std::vector<quad>& out) {
    if (is_value_object(item)) {
      term t{.kind = term_kind::literal};
      const json& value = item["@value"];
      const std::string datatype = item.contains("@type") ? str(item["@type"]) : std::string();
      if (datatype == "@json") {
        jcs(t.value, value);
        t.datatype = std::string(rdf_ns) + "JSON";
      } else if (value.is_boolean()) {
        t.value = value.get<bool>() ? "true" : "false";
        t.datatype = datatype.empty() ? std::string(xsd_ns) + "boolean" : datatype;
      } else if (value.is_number() || datatype == std::string(xsd_ns) + "double") {
        // jsonld.js's test for a double: a "." in the number's JavaScript text, or >= 1e21.
        const double v = value.is_number() ? js_value(value) : js_parse_float(value.is_string() ? str(value) : std::string());
        const bool is_double = value.is_number() && (es_number(v).find('.') != std::string::npos || std::abs(v) >= 1e21);
        if (is_double || datatype == std::string(xsd_ns) + "double") {
          t.value = xsd_double(v);
          t.datatype = datatype.empty() ? std::string(xsd_ns) + "double" : datatype;
        } else {
          t.value = v == 0 ? std::string("0") : fmt::format("{:.0f}", v);  // toFixed(0)
          t.datatype = datatype.empty() ? std::string(xsd_ns) + "integer" : datatype;
        }
      } else if (item.contains("@language")) {
        t.value = str(value);
        t.datatype = datatype.empty() ? std::string(rdf_lang_string) : datatype;
        t.language = str(item["@language"]);
      } else {
        if (!value.is_string()) syntax("a @value that is not a string, number or boolean");
        t.value = str(value);
        t.datatype = datatype.empty() ? std::string(xsd_string) : datatype;
      }
      return t;
    }
    if (is_list_object(item)) return list_to_rdf(item["@list"], graph, out);
    const std::string& id = item.is_object() ? str(item.at("@id")) : str(item);
    if (!is_absolute_iri(id)) unsafe(fmt::format("relative IRI '{}' as a value", id));
    return make_term(id);
  }

  term list_to_rdf(const json& list, const term& graph, std::vector<quad>& out) {
    const term first{.kind = term_kind::iri, .value = std::string(rdf_ns) + "first"};
    const term rest{.kind = term_kind::iri, .value = std::string(rdf_ns) + "rest"};
    const term nil{.kind = term_kind::iri, .value = std::string(rdf_ns) + "nil"};
    if (list.empty()) return nil;
    const term head = make_term(blank(nullptr));
    term subject = head;
    for (std::size_t i = 0; i < list.size(); ++i) {
      term object = to_object(list[i], graph, out);
      const term next = i + 1 < list.size() ? make_term(blank(nullptr)) : nil;
      out.push_back({subject, first, std::move(object), graph});
      out.push_back({subject, rest, next, graph});
      subject = next;
    }
    return head;
  }

  std::map<std::string, json> graphs_;
  std::unordered_map<std::string, std::string> issued_;
  std::size_t counter_ = 0;
};

json parse_document(std::string_view text) {
  auto where = [&](std::size_t byte) {
    location at;
    at.line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < byte && i < text.size(); ++i)
      if (text[i] == '\n') ++at.line, line_start = i + 1;
    at.column = static_cast<int>(byte - line_start + 1);
    return at;
  };
  if (const auto deep = io::json_too_deep_at(text); deep != 0)
    throw parse_error(fmt::format("JSON-LD: nested deeper than {} levels", io::max_json_depth), where(deep - 1));
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    const std::size_t byte = e.byte > 0 ? e.byte - 1 : 0;
    std::string what = e.what();
    if (const auto colon = what.rfind(": "); colon != std::string::npos) what = what.substr(colon + 2);
    throw parse_error(fmt::format("JSON-LD: not JSON: {}", what), where(byte));
  } catch (const json::exception& e) {  // out_of_range: a number past a double's range
    throw parse_error(fmt::format("JSON-LD: {}", e.what()));
  }
}

}  // namespace

std::vector<quad> to_rdf(std::string_view jsonld_text) {
  const json document = parse_document(jsonld_text);
  try {
    expander e;
    json expanded = e.expand(initial_context(), nullptr, document, false, false, nullptr, 0);
    // A top-level object with only @graph is that graph's nodes.
    if (expanded.is_object() && expanded.size() == 1 && expanded.contains("@graph")) expanded = expanded["@graph"];
    if (expanded.is_null()) expanded = json::array();
    return rdf_builder().run(as_array(std::move(expanded)));
  } catch (const json::exception& e) {  // a JSON value of a type we did not check: our bug
    throw error(errc::internal, fmt::format("JSON-LD: unexpected JSON value ({})", e.what()));
  }
}

std::string canonical_nquads(std::string_view jsonld_text, const canonicalize_options& options) {
  return canonicalize(to_rdf(jsonld_text), options).nquads;
}

std::vector<std::string_view> shipped_contexts() {
  std::vector<std::string_view> urls;
  for (std::size_t i = 0; i < detail::embedded_context_count; ++i) urls.push_back(detail::embedded_contexts[i].url);
  return urls;
}

}  // namespace ld
DSKILL_END_NAMESPACE
