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
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "contexts.hpp"
#include "detail.hpp"
#include "dskill/error.hpp"
#include "dskill/io/json_limits.hpp"
#include "dskill/io/json_text.hpp"

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
      if (lang->is_string()) {
        // Unchecked, the tag would be written into N-Quads as is, and the line would not parse.
        if (!is_bcp47(lang->get_ref<const std::string&>()))
          unsafe(fmt::format("@language '{}' of term '{}' is not BCP 47", lang->get<std::string>(), term));
        def.language = lower(lang->get<std::string>());
      }
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

// ---- the document and its expanded form --------------------------------------------------------
//
// Expansion and the node map used to run on nlohmann::json, and their cost was its allocations
// (a std::map node and a std::string per key and per string). They now run on xvalue: strings
// are views (into the input, a context's term definitions or the arena below), objects are
// vectors sorted by key (the order std::map gave, which the algorithms iterate in), numbers are
// the double JavaScript holds. Contexts stay nlohmann::json: they are processed once and cached.

using detail::string_arena;

struct xmember;

struct xvalue {
  enum class kind : unsigned char { null, boolean, number, string, array, object };
  kind type = kind::null;
  bool boolean = false;
  double number = 0;
  std::string_view text;
  detail::scratch_vector<xvalue> items;     // an array's
  detail::scratch_vector<xmember> members;  // an object's: sorted by key (byte order), keys unique

  // (Defined after xmember: clang needs it complete wherever an xvalue is made or destroyed.)
  static xvalue make_bool(bool b);
  static xvalue make_number(double d);
  static xvalue make_string(std::string_view s);
  static xvalue make_array();
  static xvalue make_object();

  bool is_null() const { return type == kind::null; }
  bool is_boolean() const { return type == kind::boolean; }
  bool is_number() const { return type == kind::number; }
  bool is_string() const { return type == kind::string; }
  bool is_array() const { return type == kind::array; }
  bool is_object() const { return type == kind::object; }
  // nlohmann's size(): members or items, 0 for null, 1 for a scalar.
  std::size_t size() const;
  bool empty() const { return size() == 0; }
  const xvalue* find(std::string_view key) const;
  xvalue* find(std::string_view key) { return const_cast<xvalue*>(std::as_const(*this).find(key)); }
  bool contains(std::string_view key) const { return find(key) != nullptr; }
  // The member `key` (inserted as null if absent; a null value becomes an object first).
  xvalue& operator[](std::string_view key);
  void push_back(xvalue v);
  // The elements nlohmann's iteration gives: an array's items, nothing for null, else itself.
  std::span<const xvalue> elements() const {
    if (is_array()) return items;
    if (is_null()) return {};
    return {this, 1};
  }
  std::span<xvalue> elements() {
    if (is_array()) return items;
    if (is_null()) return {};
    return {this, 1};
  }
  friend bool operator==(const xvalue& a, const xvalue& b);
};

struct xmember {
  std::string_view key;
  xvalue value;
  friend bool operator==(const xmember&, const xmember&) = default;
};

xvalue xvalue::make_bool(bool b) { xvalue v; v.type = kind::boolean, v.boolean = b; return v; }
xvalue xvalue::make_number(double d) { xvalue v; v.type = kind::number, v.number = d; return v; }
xvalue xvalue::make_string(std::string_view s) { xvalue v; v.type = kind::string, v.text = s; return v; }
xvalue xvalue::make_array() { xvalue v; v.type = kind::array; return v; }
xvalue xvalue::make_object() { xvalue v; v.type = kind::object; return v; }

void xvalue::push_back(xvalue v) {
  if (is_null()) type = kind::array;
  items.push_back(std::move(v));
}

std::size_t xvalue::size() const {
  switch (type) {
    case kind::null: return 0;
    case kind::array: return items.size();
    case kind::object: return members.size();
    default: return 1;
  }
}

const xvalue* xvalue::find(std::string_view key) const {
  if (!is_object()) return nullptr;
  const auto it = std::lower_bound(members.begin(), members.end(), key, [](const xmember& m, std::string_view k) { return m.key < k; });
  return it != members.end() && it->key == key ? &it->value : nullptr;
}

xvalue& xvalue::operator[](std::string_view key) {
  if (is_null()) type = kind::object;
  const auto it = std::lower_bound(members.begin(), members.end(), key, [](const xmember& m, std::string_view k) { return m.key < k; });
  if (it != members.end() && it->key == key) return it->value;
  return members.insert(it, xmember{key, {}})->value;
}

bool operator==(const xvalue& a, const xvalue& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case xvalue::kind::null: return true;
    case xvalue::kind::boolean: return a.boolean == b.boolean;
    case xvalue::kind::number: return a.number == b.number;
    case xvalue::kind::string: return a.text == b.text;
    case xvalue::kind::array: return a.items == b.items;
    case xvalue::kind::object: return a.members == b.members;
  }
  return false;
}

const std::string_view& str(const xvalue& v) {
  if (!v.is_string()) throw error(errc::internal, "JSON-LD: unexpected JSON value (not a string)");
  return v.text;
}

const xvalue& at(const xvalue& v, std::string_view key) {
  const xvalue* x = v.find(key);
  if (!x) throw error(errc::internal, fmt::format("JSON-LD: unexpected JSON value (no {})", key));
  return *x;
}

// An xvalue as nlohmann::json: for a context inside the document (context processing stays on
// nlohmann::json) and for error messages.
json to_json(const xvalue& v) {
  switch (v.type) {
    case xvalue::kind::null: return nullptr;
    case xvalue::kind::boolean: return v.boolean;
    case xvalue::kind::number:
      if (v.number == std::trunc(v.number) && std::abs(v.number) < 9.2e18) return static_cast<std::int64_t>(v.number);
      return v.number;
    case xvalue::kind::string: return std::string(v.text);
    case xvalue::kind::array: {
      json a = json::array();
      for (const auto& item : v.items) a.push_back(to_json(item));
      return a;
    }
    case xvalue::kind::object: {
      json o = json::object();
      for (const auto& [k, item] : v.members) o[std::string(k)] = to_json(item);
      return o;
    }
  }
  return nullptr;
}

std::string dump(const xvalue& v) { return to_json(v).dump(); }

// Line and column (1-based) of a byte of the text.
location where(std::string_view text, std::size_t byte) {
  location at;
  at.line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i)
    if (text[i] == '\n') ++at.line, line_start = i + 1;
  at.column = static_cast<int>(byte - line_start + 1);
  return at;
}

// RFC 8259 JSON into xvalue, accepting and refusing what nlohmann::json::parse does (a UTF-8
// BOM is skipped; strings must be valid UTF-8; "\u" escapes in pairs for characters past
// U+FFFF; the last of duplicate keys wins; a number past a double's range is refused), with
// the nesting bound of io::max_json_depth checked as it goes (the recursion is that deep).
class json_reader {
 public:
  json_reader(std::string_view text, string_arena& arena) : text_(text), arena_(arena) {}

  xvalue document() {
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
    skip_ws();
    xvalue v = value(0);
    skip_ws();
    if (pos_ < text_.size()) fail("unexpected content after the JSON value");
    return v;
  }

 private:
  [[noreturn]] void fail(std::string_view what) const {
    throw parse_error(fmt::format("JSON-LD: not JSON: {}", what), where(text_, pos_));
  }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  static bool digit(char c) { return c >= '0' && c <= '9'; }
  void skip_ws() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
      ++pos_;
    }
  }

  xvalue value(int depth) {
    switch (peek()) {
      case '{': return object(depth + 1);
      case '[': return array(depth + 1);
      case '"': return xvalue::make_string(string());
      case 't': literal("true"); return xvalue::make_bool(true);
      case 'f': literal("false"); return xvalue::make_bool(false);
      case 'n': literal("null"); return {};
      default:
        if (peek() == '-' || digit(peek())) return xvalue::make_number(number());
        fail(pos_ < text_.size() ? "unexpected character" : "unexpected end of input");
    }
  }

  void literal(std::string_view word) {
    for (const char c : word) {
      if (peek() != c) fail("invalid literal");
      ++pos_;
    }
  }

  void nest(int depth) const {
    if (depth > io::max_json_depth)
      throw parse_error(fmt::format("JSON-LD: nested deeper than {} levels", io::max_json_depth), where(text_, pos_));
  }

  xvalue array(int depth) {
    nest(depth);
    ++pos_;
    xvalue a = xvalue::make_array();
    skip_ws();
    if (peek() == ']') return ++pos_, a;
    while (true) {
      skip_ws();
      a.items.push_back(value(depth));
      skip_ws();
      if (peek() == ',') ++pos_;
      else if (peek() == ']') return ++pos_, a;
      else fail("expected ',' or ']'");
    }
  }

  xvalue object(int depth) {
    nest(depth);
    ++pos_;
    xvalue o = xvalue::make_object();
    skip_ws();
    if (peek() == '}') return ++pos_, o;
    while (true) {
      skip_ws();
      if (peek() != '"') fail("expected a string (an object key)");
      const std::string_view key = string();
      skip_ws();
      if (peek() != ':') fail("expected ':'");
      ++pos_;
      skip_ws();
      o.members.push_back({key, value(depth)});
      skip_ws();
      if (peek() == ',') ++pos_;
      else if (peek() == '}') break;
      else fail("expected ',' or '}'");
    }
    ++pos_;
    auto& m = o.members;
    const auto key_less = [](const xmember& a, const xmember& b) { return a.key < b.key; };
    if (!std::is_sorted(m.begin(), m.end(), key_less)) std::stable_sort(m.begin(), m.end(), key_less);
    // Duplicate keys: the last one wins, as in nlohmann::json.
    for (std::size_t i = 1; i < m.size(); ++i) {
      if (m[i].key != m[i - 1].key) continue;
      std::size_t out = 0;
      for (std::size_t j = 0; j < m.size(); ++j) {
        if (j + 1 < m.size() && m[j + 1].key == m[j].key) continue;
        if (out != j) m[out] = std::move(m[j]);
        ++out;
      }
      m.resize(out);
      break;
    }
    return o;
  }

  // One UTF-8 sequence at pos_ (its first byte >= 0x80), well-formed by RFC 3629.
  void utf8_sequence() {
    const auto b = [&](std::size_t k) { return pos_ + k < text_.size() ? static_cast<unsigned char>(text_[pos_ + k]) : 0u; };
    const unsigned c = b(0);
    unsigned lo = 0x80, hi = 0xBF;
    std::size_t n = 0;
    if (c >= 0xC2 && c <= 0xDF) n = 1;
    else if (c >= 0xE0 && c <= 0xEF) n = 2, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4) n = 3, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else fail("invalid string: ill-formed UTF-8 byte");
    if (b(1) < lo || b(1) > hi) ++pos_, fail("invalid string: ill-formed UTF-8 byte");
    for (std::size_t k = 2; k <= n; ++k)
      if (b(k) < 0x80 || b(k) > 0xBF) pos_ += k, fail("invalid string: ill-formed UTF-8 byte");
    pos_ += n + 1;
  }

  unsigned hex4() {
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = peek();
      unsigned d;
      if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
      else fail("invalid string: '\\u' must be followed by 4 hex digits");
      v = v << 4 | d;
      ++pos_;
    }
    return v;
  }

  // After a backslash: the escape, appended to out as UTF-8.
  void escape(std::string& out) {
    ++pos_;
    const char c = peek();
    ++pos_;
    switch (c) {
      case '"': out += '"'; return;
      case '\\': out += '\\'; return;
      case '/': out += '/'; return;
      case 'b': out += '\b'; return;
      case 'f': out += '\f'; return;
      case 'n': out += '\n'; return;
      case 'r': out += '\r'; return;
      case 't': out += '\t'; return;
      case 'u': break;
      default: --pos_, fail("invalid string: forbidden character after backslash");
    }
    unsigned cp = hex4();
    if (cp >= 0xDC00 && cp <= 0xDFFF) fail("invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (peek() != '\\' || pos_ + 1 >= text_.size() || text_[pos_ + 1] != 'u')
        fail("invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF");
      pos_ += 2;
      const unsigned low = hex4();
      if (low < 0xDC00 || low > 0xDFFF) fail("invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | cp >> 6);
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | cp >> 12);
      out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | cp >> 18);
      out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
      out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // A string at pos_ (its opening quote): a view into the text when it has no escape, else
  // its unescaped copy in the arena.
  std::string_view string() {
    ++pos_;
    const std::size_t start = pos_;
    bool escaped = false;
    while (true) {
      if (pos_ >= text_.size()) fail("invalid string: missing closing quote");
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') break;
      if (c == '\\') {
        escaped = true;
        break;
      }
      if (c < 0x20) fail("invalid string: control character must be escaped");
      if (c < 0x80) ++pos_;
      else utf8_sequence();
    }
    if (!escaped) return text_.substr(start, pos_++ - start);
    scratch_.assign(text_.substr(start, pos_ - start));
    while (true) {
      if (pos_ >= text_.size()) fail("invalid string: missing closing quote");
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') break;
      if (c == '\\') {
        escape(scratch_);
        continue;
      }
      if (c < 0x20) fail("invalid string: control character must be escaped");
      const std::size_t from = pos_;
      if (c < 0x80) ++pos_;
      else utf8_sequence();
      scratch_.append(text_.substr(from, pos_ - from));
    }
    ++pos_;
    return arena_.save(scratch_);
  }

  // A number, as the double JavaScript would hold (nlohmann read integers as integers, then we
  // converted them to double; only "-0" differs, an integer 0 there: so it is +0 here too).
  double number() {
    const std::size_t start = pos_;
    bool integer = true;
    if (peek() == '-') ++pos_;
    if (peek() == '0') ++pos_;
    else if (digit(peek())) while (digit(peek())) ++pos_;
    else fail("invalid number");
    if (peek() == '.') {
      integer = false;
      ++pos_;
      if (!digit(peek())) fail("invalid number: expected a digit after '.'");
      while (digit(peek())) ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      integer = false;
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!digit(peek())) fail("invalid number: expected a digit in the exponent");
      while (digit(peek())) ++pos_;
    }
    const std::string_view text = text_.substr(start, pos_ - start);
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc::result_out_of_range) {
      // Past a double's range: an overflow is refused (nlohmann: out_of_range 406), an
      // underflow reads as zero (strtod).
      if (decimal_magnitude(text) > 0)
        throw parse_error(fmt::format("JSON-LD: number overflow parsing '{}'", text), where(text_, start));
      v = text[0] == '-' ? -0.0 : 0.0;
    } else if (ec != std::errc() || end != text.data() + text.size()) {
      fail("invalid number");
    }
    if (integer && v == 0) v = 0;
    return v;
  }

  // Roughly log10 of a number's magnitude (the position of its first significant digit), to
  // tell an overflow from an underflow.
  static long decimal_magnitude(std::string_view s) {
    std::size_t i = s[0] == '-' ? 1 : 0;
    long m = 0;
    bool seen = false, point = false;
    for (; i < s.size() && s[i] != 'e' && s[i] != 'E'; ++i) {
      if (s[i] == '.') {
        point = true;
        continue;
      }
      if (!seen && s[i] != '0') seen = true, m = point ? m : m + 1;
      else if (seen && !point) ++m;
      else if (!seen && point) --m;
    }
    if (!seen) return -1;  // zero
    long e = 0;
    if (i < s.size()) {
      ++i;
      const bool negative = i < s.size() && s[i] == '-';
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      for (; i < s.size(); ++i) e = std::min(e * 10 + (s[i] - '0'), 1'000'000L);
      if (negative) e = -e;
    }
    return m + e;
  }

  std::string_view text_;
  string_arena& arena_;
  std::size_t pos_ = 0;
  std::string scratch_;
};

// ---- JCS (RFC 8785), for @json literals --------------------------------------------------------

void jcs(std::string& out, const xvalue& v) {
  switch (v.type) {
    case xvalue::kind::null: out += "null"; break;
    case xvalue::kind::boolean: out += v.boolean ? "true" : "false"; break;
    case xvalue::kind::number: out += es_number(v.number); break;
    case xvalue::kind::string: io::append_json_string(out, v.text); break;
    case xvalue::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.items) {
        if (!first) out += ',';
        first = false;
        jcs(out, item);
      }
      out += ']';
      break;
    }
    case xvalue::kind::object: {
      std::vector<const xmember*> members;
      for (const auto& m : v.members) members.push_back(&m);
      std::sort(members.begin(), members.end(), [](const xmember* a, const xmember* b) { return utf16_less(a->key, b->key); });
      out += '{';
      bool first = true;
      for (const xmember* m : members) {
        if (!first) out += ',';
        first = false;
        io::append_json_string(out, m->key);
        out += ':';
        jcs(out, m->value);
      }
      out += '}';
      break;
    }
  }
}

// ---- expansion ---------------------------------------------------------------------------------

using property_ref = const std::string_view*;  // the unexpanded key being expanded, or null

xvalue as_array(xvalue v) {
  if (v.is_array()) return v;
  xvalue a = xvalue::make_array();
  a.items.push_back(std::move(v));
  return a;
}

// addValue with propertyIsArray: the property is an array; arrays are appended item by item.
void add_value(xvalue& object, std::string_view property, xvalue value) {
  xvalue& slot = object[property];
  if (slot.is_null()) slot = xvalue::make_array();
  if (value.is_array()) {
    for (auto& item : value.items) slot.items.push_back(std::move(item));
  } else {
    slot.items.push_back(std::move(value));
  }
}

xvalue object_of(std::string_view key, xvalue value) {
  xvalue o = xvalue::make_object();
  o.members.push_back({key, std::move(value)});
  return o;
}

bool is_value_object(const xvalue& v) { return v.is_object() && v.contains("@value"); }
bool is_list_object(const xvalue& v) { return v.is_object() && v.contains("@list"); }
bool is_graph_object(const xvalue& v) {
  if (!v.is_object() || !v.contains("@graph")) return false;
  for (const auto& [k, x] : v.members)
    if (k != "@graph" && k != "@id" && k != "@index") return false;
  return true;
}

class expander {
 public:
  explicit expander(string_arena& arena) : arena_(arena) {}

  // Expansion (5.1.2), after jsonld.js's api.expand.
  xvalue expand(context_ptr active, property_ref property, const xvalue& element, bool inside_list, bool inside_index,
                context_ptr type_scoped, int depth) {
    if (depth > 2 * io::max_json_depth + 8) syntax("nested too deep");
    if (element.is_null()) return {};
    const term_def* pdef = property ? active->find(*property) : nullptr;
    if (!element.is_array() && !element.is_object()) {
      if (!inside_list && (property == nullptr || iri(*active, *property, true, false) == "@graph"))
        unsafe(fmt::format("free-floating value {}", dump(element)));
      return expand_value(*active, property, element);
    }
    if (element.is_array()) {
      xvalue out = xvalue::make_array();
      const bool list = inside_list || (pdef && (pdef->containers & c_list));
      for (const auto& item : element.items) {
        xvalue e = expand(active, property, item, false, inside_index, type_scoped, depth + 1);
        if (list && e.is_array()) e = object_of("@list", std::move(e));
        if (e.is_null()) continue;
        if (e.is_array()) for (auto& x : e.items) out.items.push_back(std::move(x));
        else out.items.push_back(std::move(e));
      }
      return out;
    }
    // An object.
    const std::optional<std::string_view> expanded_property =
        property ? iri(*active, *property, true, false) : std::optional<std::string_view>();
    const json* property_scoped = pdef ? pdef->context : nullptr;
    const bool property_scoped_shipped = pdef && active->shared;
    if (!type_scoped && active->previous) type_scoped = active;
    bool must_revert = !inside_index;
    if (must_revert && type_scoped && element.size() <= 2 && !element.contains("@context")) {
      for (const auto& [key, v] : element.members) {
        const auto e = iri(*type_scoped, key, true, false);
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
    if (property_scoped) active = apply(active, *property_scoped, true, true, property_scoped_shipped && active->shared);
    if (const xvalue* local = element.find("@context")) {
      local_contexts_.push_back(to_json(*local));
      active = apply(active, local_contexts_.back(), false, true, false);
    }
    type_scoped = active;
    property_ref type_key = nullptr;
    for (const auto& [key, v] : element.members) {
      if (iri(*active, key, true, false) != "@type") continue;
      if (!type_key) type_key = &key;
      std::vector<const xvalue*> types;
      if (v.is_array()) for (const auto& t : v.items) types.push_back(&t);
      else types.push_back(&v);
      std::sort(types.begin(), types.end(), [](const xvalue* a, const xvalue* b) {
        return a->is_string() && b->is_string() ? a->text < b->text : a->is_string() < b->is_string();
      });
      for (const xvalue* t : types) {
        if (!t->is_string()) continue;
        const term_def* tdef = type_scoped->find(t->text);
        if (tdef && tdef->context) active = apply(active, *tdef->context, false, false, type_scoped->shared);
      }
    }
    xvalue result = xvalue::make_object();
    expand_object(active, property, expanded_property, element, result, type_key, type_scoped, depth);

    std::size_t count = result.size();
    if (const xvalue* value = result.find("@value")) {
      const xvalue* type = result.find("@type");
      if (type && result.contains("@language")) syntax("a value object cannot have both @type and @language");
      std::size_t valid = count - 1;
      if (type) --valid;
      if (result.contains("@index")) --valid;
      if (result.contains("@language")) --valid;
      if (valid != 0) syntax(fmt::format("invalid value object {}", dump(result)));
      const bool json_type = type && type->is_string() && type->text == "@json";
      if (json_type) {
        // any @value
      } else if (value->is_null()) {
        unsafe("a null @value");
      } else if (result.contains("@language") && !value->is_string()) {
        syntax("only strings may have a language");
      } else if (type) {
        if (!type->is_string() || !is_absolute_iri(type->text) || is_blank(type->text))
          syntax(fmt::format("the @type of a value object must be an absolute IRI, not {}", dump(*type)));
      }
      if (!json_type && (value->is_object() || value->is_array())) syntax("@value cannot be an object or an array");
    } else if (xvalue* t = result.find("@type"); t && !t->is_array()) {
      *t = as_array(std::move(*t));
    } else if (result.contains("@set") || result.contains("@list")) {
      if (count > 1 && !(count == 2 && result.contains("@index"))) syntax("@set and @list may only have @index beside them");
      if (xvalue* set = result.find("@set")) {
        xvalue inner = std::move(*set);
        result = std::move(inner);
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
  // IRI expansion against a finished context, as views (see expand_iri).
  std::optional<std::string_view> iri(const context& active, std::string_view v, bool vocab, bool document_relative) {
    if (is_keyword(v)) return v;
    if (looks_like_keyword(v)) return std::nullopt;
    if (vocab) {
      if (const auto* def = active.find(v)) return def->id ? std::optional<std::string_view>(*def->id) : std::nullopt;
    }
    const auto colon = v.find(':');
    if (colon != std::string_view::npos && colon > 0) {
      const std::string_view prefix = v.substr(0, colon), suffix = v.substr(colon + 1);
      if (prefix == "_" || suffix.starts_with("//")) return v;
      if (const auto* def = active.find(prefix); def && def->prefix)
        return arena_.concat(def->id ? std::string_view(*def->id) : std::string_view("null"), suffix);
      if (is_absolute_iri(v)) return v;
    }
    if (vocab && active.vocab) return arena_.concat(*active.vocab, v);
    if (document_relative && active.base == context::base_kind::iri) return arena_.save(resolve_iri(active.base_iri, v));
    return v;
  }

  // process_context, keeping the result alive for the whole call: expanded IRIs are views
  // into the term definitions of every context met.
  context_ptr apply(const context_ptr& active, const json& local, bool override_protected, bool propagate, bool local_is_shipped) {
    context_ptr result = process_context(active, local, override_protected, propagate, local_is_shipped, 0);
    if (result != active) contexts_.push_back(result);
    return result;
  }

  // _dropUnsafeObject: what would be dropped at the top or in a graph.
  static void check_not_dropped(const xvalue& value, std::size_t count) {
    if (count == 0) unsafe("an empty object");
    if (value.contains("@value")) unsafe("a value object at the top or in a graph");
    if (value.contains("@list")) unsafe("a list at the top or in a graph");
    if (count == 1 && value.contains("@id")) unsafe(fmt::format("an object with only @id ({})", dump(at(value, "@id"))));
  }

  void expand_object(const context_ptr& active, property_ref property, const std::optional<std::string_view>& expanded_property,
                     const xvalue& element, xvalue& parent, property_ref type_key, const context_ptr& type_scoped, int depth) {
    bool json_type = false;
    if (type_key) {
      const xvalue& tv = at(element, *type_key);
      const xvalue& first = tv.is_array() ? (tv.items.empty() ? tv : tv.items[0]) : tv;
      if (first.is_string()) json_type = iri(*active, first.text, true, false) == "@json";
    }
    const xvalue* unexpanded_value = nullptr;
    for (const auto& [key, value] : element.members) {
      if (key == "@context") continue;
      const auto ep = iri(*active, key, true, false);
      if (!ep || !(is_absolute_iri(*ep) || is_keyword(*ep)))
        unsafe(fmt::format("property '{}' is not defined by the context (it expands to {})", key,
                           ep ? "'" + std::string(*ep) + "'" : std::string("null")));
      const std::string_view expanded = *ep;
      if (is_keyword(expanded)) {
        if (expanded_property == "@reverse") syntax("a keyword cannot be a @reverse property");
        if (parent.contains(expanded) && expanded != "@included" && expanded != "@type")
          syntax(fmt::format("colliding keywords ({})", expanded));
      }
      if (expanded == "@id") {
        if (!value.is_string()) syntax(fmt::format("@id must be a string, not {}", dump(value)));
        const auto id = iri(*active, value.text, false, true);
        if (!id) unsafe(fmt::format("@id '{}' has the form of a keyword", value.text));
        if (!is_absolute_iri(*id)) unsafe(fmt::format("relative @id '{}'", *id));
        parent["@id"] = xvalue::make_string(*id);
        continue;
      }
      if (expanded == "@type") {
        if (!value.is_string() && !(value.is_array() && std::all_of(value.items.begin(), value.items.end(), [](const xvalue& t) { return t.is_string(); })))
          syntax(fmt::format("@type must be a string or an array of strings, not {}", dump(value)));
        xvalue types = xvalue::make_array();
        for (const auto& t : value.elements()) {
          const auto e = iri(*type_scoped, t.text, true, true);
          if (!e) unsafe(fmt::format("@type '{}' has the form of a keyword", t.text));
          if (*e != "@json" && !is_absolute_iri(*e)) unsafe(fmt::format("@type '{}' is not defined (relative '{}')", t.text, *e));
          types.items.push_back(xvalue::make_string(*e));
        }
        // jsonld.js's addValue: one type stays a string (a node's becomes an array later).
        if (types.items.empty()) continue;
        if (xvalue* existing = parent.find("@type")) {
          xvalue merged = as_array(std::move(*existing));
          for (auto& t : types.items) merged.items.push_back(std::move(t));
          *existing = std::move(merged);
        } else {
          parent["@type"] = types.items.size() == 1 ? std::move(types.items[0]) : std::move(types);
        }
        continue;
      }
      if (expanded == "@included") {
        xvalue included = as_array(expand(active, property, value, false, false, nullptr, depth + 1));
        for (const auto& v : included.items)
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
        if (!is_bcp47(value.text)) unsafe(fmt::format("@language '{}' is not BCP 47", value.text));
        parent["@language"] = xvalue::make_string(lower_view(value.text));
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
        static constexpr std::string_view reverse_property = "@reverse";
        xvalue ev = expand(active, &reverse_property, value, false, false, nullptr, depth + 1);
        if (!ev.is_object()) continue;
        if (const xvalue* r = ev.find("@reverse"))
          for (const auto& [p, items] : r->members) add_value(parent, p, items);
        for (auto& [p, items] : ev.members) {
          if (p == "@reverse") continue;
          xvalue& map = parent["@reverse"];
          if (map.is_null()) map = xvalue::make_object();
          xvalue& slot = map[p];
          if (slot.is_null()) slot = xvalue::make_array();
          for (auto& item : items.elements()) {
            if (is_value_object(item) || is_list_object(item)) syntax("a @reverse value cannot be a value or a list");
            slot.items.push_back(item);
          }
        }
        continue;
      }
      if (expanded == "@nest") unsupported("@nest is not supported");
      if (is_keyword(expanded) && expanded != "@list" && expanded != "@set" && expanded != "@graph")
        unsupported(fmt::format("{} is not supported here", expanded));

      const term_def* kdef = active->find(key);
      context_ptr term_ctx = active;
      if (kdef && kdef->context) term_ctx = apply(active, *kdef->context, true, true, active->shared);
      const unsigned containers = kdef ? kdef->containers : 0;
      xvalue ev;
      if ((containers & c_language) && value.is_object()) {
        ev = xvalue::make_array();
        for (const auto& [lang, v] : value.members) {
          const auto ek = iri(*term_ctx, lang, true, false);
          for (const auto& item : v.elements()) {
            if (item.is_null()) continue;
            if (!item.is_string()) syntax("language map values must be strings");
            xvalue o = object_of("@value", item);
            if (ek != "@none") {
              if (!is_bcp47(lang)) unsafe(fmt::format("@language '{}' is not BCP 47", lang));
              o["@language"] = xvalue::make_string(lower_view(lang));
            }
            ev.items.push_back(std::move(o));
          }
        }
      } else if ((containers & (c_index | c_id | c_type)) && value.is_object()) {
        ev = expand_index_map(term_ctx, key, value, containers, kdef, depth);
      } else if (expanded == "@list" || expanded == "@set") {
        property_ref next = property;
        if (expanded == "@list" && expanded_property == "@graph") next = nullptr;
        ev = expand(term_ctx, next, value, expanded == "@list", false, nullptr, depth + 1);
      } else if (kdef && kdef->type == "@json") {
        ev = xvalue::make_object();
        ev.members.push_back({"@type", xvalue::make_string("@json")});
        ev.members.push_back({"@value", value});
      } else {
        ev = expand(term_ctx, &key, value, false, false, nullptr, depth + 1);
      }
      if (ev.is_null()) continue;
      if (expanded == "@list") {
        parent["@list"] = as_array(std::move(ev));
        continue;
      }
      if (!is_list_object(ev) && (containers & c_list)) ev = object_of("@list", as_array(std::move(ev)));
      if ((containers & c_graph) && !(containers & (c_id | c_index))) {
        xvalue graphs = xvalue::make_array();
        for (auto& v : as_array(std::move(ev)).items) {
          check_not_dropped(v, v.is_object() ? v.size() : 1);
          graphs.items.push_back(object_of("@graph", as_array(std::move(v))));
        }
        if (graphs.items.empty()) continue;
        ev = std::move(graphs);
      }
      const term_def* tdef = term_ctx->find(key);
      if (tdef && tdef->reverse) {
        xvalue& map = parent["@reverse"];
        if (map.is_null()) map = xvalue::make_object();
        for (auto& item : as_array(std::move(ev)).items) {
          if (is_value_object(item) || is_list_object(item)) syntax("a @reverse value cannot be a value or a list");
          add_value(map, expanded, std::move(item));
        }
        continue;
      }
      add_value(parent, expanded, std::move(ev));
    }
    if (parent.contains("@value") && !json_type && unexpanded_value &&
        (unexpanded_value->is_object() || unexpanded_value->is_array()))
      syntax("@value cannot be an object or an array");
  }

  xvalue expand_index_map(const context_ptr& term_ctx, const std::string_view& key, const xvalue& value, unsigned containers,
                          const term_def* kdef, int depth) {
    const bool as_graph = containers & c_graph;
    const std::string_view index_key =
        (containers & c_type) ? "@type" : (containers & c_id) ? "@id" : (kdef->index ? std::string_view(*kdef->index) : "@index");
    const bool type_index = index_key == "@type";
    context_ptr ctx = type_index && term_ctx->previous ? term_ctx->previous : term_ctx;
    std::optional<std::string_view> property_index;
    if ((containers & c_index) && index_key != "@index") property_index = iri(*term_ctx, index_key, true, false);
    xvalue out = xvalue::make_array();
    for (const auto& [k, v] : value.members) {
      context_ptr item_ctx = ctx;
      if (type_index) {
        if (const term_def* d = ctx->find(k); d && d->context) item_ctx = ctx = apply(ctx, *d->context, false, false, ctx->shared);
      }
      xvalue items = expand(item_ctx, &key, as_array(v), false, true, nullptr, depth + 1);
      std::optional<std::string_view> expanded_key;
      xvalue expanded_key_value;
      if (property_index) {
        if (k != "@none") expanded_key_value = expand_value(*item_ctx, &index_key, xvalue::make_string(k));
      } else {
        expanded_key = iri(*item_ctx, k, true, false);
      }
      std::string_view index = k;
      if (index_key == "@id") {
        const auto e = iri(*item_ctx, k, false, true);
        index = e ? *e : k;
      } else if (type_index && expanded_key) {
        index = *expanded_key;
      }
      for (auto& entry : items.elements()) {
        if (as_graph && !is_graph_object(entry)) entry = object_of("@graph", as_array(std::move(entry)));
        if (type_index) {
          if (expanded_key != "@none") {
            xvalue types = xvalue::make_array();
            types.items.push_back(xvalue::make_string(index));
            if (const xvalue* t = entry.find("@type")) for (const auto& x : t->elements()) types.items.push_back(x);
            entry["@type"] = std::move(types);
          }
        } else if (is_value_object(entry) && index_key != "@language" && index_key != "@type" && index_key != "@index") {
          syntax(fmt::format("cannot add {} to a value object", index_key));
        } else if (property_index) {
          if (k != "@none") {
            xvalue& slot = entry[*property_index];
            xvalue values = xvalue::make_array();
            values.items.push_back(expanded_key_value);
            if (slot.is_array()) for (const auto& x : slot.items) values.items.push_back(x);
            slot = std::move(values);
          }
        } else if (expanded_key != "@none" && !entry.contains(index_key)) {
          entry[index_key] = xvalue::make_string(index);
        }
        out.items.push_back(std::move(entry));
      }
    }
    return out;
  }

  // Value Expansion (5.3.2), after jsonld.js's _expandValue.
  xvalue expand_value(const context& active, property_ref property, const xvalue& value) {
    const auto ep = property ? iri(active, *property, true, false) : std::optional<std::string_view>();
    if (ep == "@id" || ep == "@type") {
      if (!value.is_string()) return value;
      return xvalue::make_string(iri(active, value.text, ep != "@id", true).value_or(""));
    }
    const term_def* def = property ? active.find(*property) : nullptr;
    const std::optional<std::string>* type = def ? &def->type : nullptr;
    const bool typed = type && type->has_value();
    if (((typed && **type == "@id") || ep == "@graph") && value.is_string()) {
      const auto id = iri(active, value.text, false, true);
      if (!id) unsafe(fmt::format("@id '{}' has the form of a keyword", value.text));
      return object_of("@id", xvalue::make_string(*id));
    }
    if (typed && **type == "@vocab" && value.is_string()) {
      const auto id = iri(active, value.text, true, true);
      if (!id) unsafe(fmt::format("'{}' has the form of a keyword", value.text));
      return object_of("@id", xvalue::make_string(*id));
    }
    if (ep && is_keyword(*ep)) return value;
    xvalue out = xvalue::make_object();
    if (typed && **type != "@id" && **type != "@vocab" && **type != "@none") {
      out["@type"] = xvalue::make_string(**type);
    } else if (value.is_string()) {
      const std::optional<std::string>& language = def && def->has_language ? def->language : active.language;
      if (language) out["@language"] = xvalue::make_string(*language);
    }
    out["@value"] = value;
    return out;
  }

  std::string_view lower_view(std::string_view s) {
    for (const char c : s)
      if (c >= 'A' && c <= 'Z') return arena_.save(lower(std::string(s)));
    return s;
  }

  string_arena& arena_;
  std::vector<context_ptr> contexts_;
  std::deque<json> local_contexts_;  // the document's own contexts (term definitions point in)
};

// ---- node map generation (7.2.2) and toRdf (8.1) -----------------------------------------------

constexpr std::string_view rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr std::string_view rdf_first = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
constexpr std::string_view rdf_rest = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
constexpr std::string_view rdf_nil = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
constexpr std::string_view rdf_json = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";
constexpr std::string_view xsd_boolean = "http://www.w3.org/2001/XMLSchema#boolean";
constexpr std::string_view xsd_integer = "http://www.w3.org/2001/XMLSchema#integer";
constexpr std::string_view xsd_double_iri = "http://www.w3.org/2001/XMLSchema#double";

using detail::quad_view;
using detail::term_view;

class rdf_builder {
 public:
  explicit rdf_builder(string_arena& arena) : arena_(arena) {}

  using quad_list = std::vector<quad_view, detail::scratch_allocator<quad_view>>;

  // Consumes `expanded`: its values move into the node map.
  void run(xvalue& expanded, quad_list& out) {
    graphs_["@default"];
    node_map(expanded, "@default", nullptr, nullptr, 0);
    for (auto& [graph_name, nodes] : graphs_) {
      term_view graph;
      if (graph_name != "@default") {
        if (!is_absolute_iri(graph_name)) unsafe(fmt::format("relative graph name '{}'", graph_name));
        graph = make_term(graph_name);
      }
      for (auto& [id, node] : nodes) {
        if (!is_absolute_iri(id)) unsafe(fmt::format("relative subject '{}'", id));
        const term_view subject = make_term(id);
        for (auto& [property, items] : node.members) {
          std::string_view predicate_iri;
          if (property == "@type") predicate_iri = rdf_type;
          else if (is_keyword(property)) continue;
          else predicate_iri = property;
          if (!is_absolute_iri(predicate_iri)) unsafe(fmt::format("relative property '{}'", predicate_iri));
          if (is_blank(predicate_iri)) unsafe(fmt::format("blank node property '{}'", predicate_iri));
          const term_view predicate{.kind = term_kind::iri, .value = predicate_iri};
          for (auto& item : items.elements()) {
            const term_view object = to_object(item, graph, out);
            out.push_back({subject, predicate, object, graph});
          }
        }
      }
    }
  }

 private:
  static term_view make_term(std::string_view id) {
    if (is_blank(id)) return {.kind = term_kind::blank, .value = id.substr(2)};
    return {.kind = term_kind::iri, .value = id};
  }

  std::string_view fresh_blank() {
    char buf[24] = {'_', ':', 'b'};
    const auto end = std::to_chars(buf + 3, buf + sizeof buf, counter_++).ptr;
    return arena_.save(std::string_view(buf, static_cast<std::size_t>(end - buf)));
  }
  std::string_view blank(const std::string_view* old) {
    if (old) {
      auto [it, fresh] = issued_.try_emplace(*old);
      if (fresh) it->second = fresh_blank();
      return it->second;
    }
    return fresh_blank();
  }

  // Values and node references are compared as jsonld.js's compareValues does.
  static bool same_value(const xvalue& a, const xvalue& b) {
    if (is_value_object(a) && is_value_object(b)) {
      auto member = [](const xvalue& v, std::string_view k) {
        const xvalue* x = v.find(k);
        return x ? *x : xvalue();
      };
      return at(a, "@value") == at(b, "@value") && member(a, "@type") == member(b, "@type") &&
             member(a, "@language") == member(b, "@language") && member(a, "@index") == member(b, "@index");
    }
    if (a.is_object() && b.is_object() && a.contains("@id") && b.contains("@id") && !is_value_object(a) && !is_value_object(b))
      return at(a, "@id") == at(b, "@id");
    return false;
  }
  static void add_unique(xvalue& subject, std::string_view property, xvalue value) {
    xvalue& slot = subject[property];
    if (slot.is_null()) slot = xvalue::make_array();
    for (const auto& v : slot.items)
      if (same_value(v, value)) return;
    slot.items.push_back(std::move(value));
  }
  static xvalue reference(std::string_view id) { return object_of("@id", xvalue::make_string(id)); }

  void node_map(xvalue& element, std::string_view graph, const std::string_view* name, xvalue* list, int depth) {
    if (depth > 4 * io::max_json_depth) syntax("nested too deep");
    if (element.is_array()) {
      for (auto& item : element.items) node_map(item, graph, nullptr, list, depth + 1);
      return;
    }
    if (!element.is_object() || is_value_object(element)) {
      if (list) list->push_back(std::move(element));
      return;
    }
    if (list && is_list_object(element)) {
      xvalue inner = xvalue::make_array();
      node_map(*element.find("@list"), graph, name, &inner, depth + 1);
      list->push_back(object_of("@list", std::move(inner)));
      return;
    }
    std::string_view id;
    const xvalue* element_id = element.find("@id");
    if (name) id = *name;
    else if (element_id && element_id->is_string() && !is_blank(element_id->text)) id = element_id->text;
    else id = blank(element_id && element_id->is_string() ? &element_id->text : nullptr);
    if (list) list->push_back(reference(id));
    // std::map nodes do not move: the reference holds while other nodes are added.
    xvalue& subject = graphs_[graph][id];
    if (subject.is_null()) subject = reference(id);
    for (auto& [property_in, value] : element.members) {
      if (property_in == "@id") continue;
      if (property_in == "@reverse") {
        const xvalue referenced = reference(id);
        for (auto& [rp, items] : value.members) {
          for (auto& item : items.elements()) {
            const xvalue* item_id = item.find("@id");
            std::string_view item_name = item_id && item_id->is_string() ? item_id->text : std::string_view();
            if (item_name.empty() || is_blank(item_name)) item_name = blank(item_name.empty() ? nullptr : &item_name);
            node_map(item, graph, &item_name, nullptr, depth + 1);
            add_unique(graphs_[graph][item_name], rp, referenced);
          }
        }
        continue;
      }
      if (property_in == "@graph") {
        graphs_[id];
        node_map(value, id, nullptr, nullptr, depth + 1);
        continue;
      }
      if (property_in == "@included") {
        node_map(value, graph, nullptr, nullptr, depth + 1);
        continue;
      }
      if (property_in != "@type" && is_keyword(property_in)) {
        if (property_in == "@index")
          if (const xvalue* old = subject.find("@index"); old && !(*old == value)) syntax("conflicting @index values");
        subject[property_in] = std::move(value);
        continue;
      }
      std::string_view property = property_in;
      if (is_blank(property)) property = blank(&property_in);
      if (value.empty()) {
        if (!subject.contains(property)) subject[property] = xvalue::make_array();
        continue;
      }
      for (auto& o_in : value.elements()) {
        if (property == "@type") {
          std::string_view t = str(o_in);
          if (is_blank(t)) t = blank(&o_in.text);
          add_unique(subject, property, reference(t));
          continue;
        }
        if (o_in.is_object() && !is_value_object(o_in) && !is_list_object(o_in) && !o_in.contains("@set")) {
          // A node object or a node reference.
          std::string_view oid;
          if (const xvalue* o_id = o_in.find("@id"); o_id && o_id->is_string()) oid = is_blank(o_id->text) ? blank(&o_id->text) : o_id->text;
          else oid = blank(nullptr);
          add_unique(subject, property, reference(oid));
          node_map(o_in, graph, &oid, nullptr, depth + 1);
        } else if (is_value_object(o_in)) {
          add_unique(subject, property, std::move(o_in));
        } else if (is_list_object(o_in)) {
          xvalue inner = xvalue::make_array();
          node_map(*o_in.find("@list"), graph, &id, &inner, depth + 1);
          xvalue& slot = subject[property];
          if (slot.is_null()) slot = xvalue::make_array();
          slot.items.push_back(object_of("@list", std::move(inner)));  // lists are never equal
        } else {
          syntax(fmt::format("unexpected expanded value {}", dump(o_in)));
        }
      }
    }
  }

  term_view to_object(const xvalue& item, const term_view& graph, quad_list& out) {
    if (is_value_object(item)) {
      term_view t{.kind = term_kind::literal};
      const xvalue& value = at(item, "@value");
      const xvalue* type = item.find("@type");
      const std::string_view datatype = type ? str(*type) : std::string_view();
      if (datatype == "@json") {
        std::string text;
        jcs(text, value);
        t.value = arena_.save(text);
        t.datatype = rdf_json;
      } else if (value.is_boolean()) {
        t.value = value.boolean ? "true" : "false";
        t.datatype = datatype.empty() ? xsd_boolean : datatype;
      } else if (value.is_number() || datatype == xsd_double_iri) {
        // jsonld.js's test for a double: a "." in the number's JavaScript text, or >= 1e21.
        const double v = value.is_number() ? value.number : js_parse_float(value.is_string() ? value.text : std::string_view());
        const bool is_double = value.is_number() && (es_number(v).find('.') != std::string::npos || std::abs(v) >= 1e21);
        if (is_double || datatype == xsd_double_iri) {
          t.value = arena_.save(xsd_double(v));
          t.datatype = datatype.empty() ? xsd_double_iri : datatype;
        } else {
          t.value = v == 0 ? std::string_view("0") : arena_.save(fmt::format("{:.0f}", v));  // toFixed(0)
          t.datatype = datatype.empty() ? xsd_integer : datatype;
        }
      } else if (const xvalue* language = item.find("@language")) {
        t.value = str(value);
        t.datatype = datatype.empty() ? rdf_lang_string : datatype;
        t.language = str(*language);
      } else {
        if (!value.is_string()) syntax("a @value that is not a string, number or boolean");
        t.value = value.text;
        t.datatype = datatype.empty() ? xsd_string : datatype;
      }
      return t;
    }
    if (is_list_object(item)) return list_to_rdf(at(item, "@list"), graph, out);
    const std::string_view id = item.is_object() ? str(at(item, "@id")) : str(item);
    if (!is_absolute_iri(id)) unsafe(fmt::format("relative IRI '{}' as a value", id));
    return make_term(id);
  }

  term_view list_to_rdf(const xvalue& list, const term_view& graph, quad_list& out) {
    const term_view first{.kind = term_kind::iri, .value = rdf_first};
    const term_view rest{.kind = term_kind::iri, .value = rdf_rest};
    const term_view nil{.kind = term_kind::iri, .value = rdf_nil};
    const auto items = list.elements();
    if (items.empty()) return nil;
    const term_view head = make_term(blank(nullptr));
    term_view subject = head;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const term_view object = to_object(items[i], graph, out);
      const term_view next = i + 1 < items.size() ? make_term(blank(nullptr)) : nil;
      out.push_back({subject, first, object, graph});
      out.push_back({subject, rest, next, graph});
      subject = next;
    }
    return head;
  }

  string_arena& arena_;
  template <class V>
  using scratch_map = std::map<std::string_view, V, std::less<>, detail::scratch_allocator<std::pair<const std::string_view, V>>>;
  scratch_map<scratch_map<xvalue>> graphs_;
  std::unordered_map<std::string_view, std::string_view, std::hash<std::string_view>, std::equal_to<>,
                     detail::scratch_allocator<std::pair<const std::string_view, std::string_view>>>
      issued_;
  std::size_t counter_ = 0;
};

// One document to RDF: the quads are views into what this object owns (the arena, the
// contexts the expansion kept) and into the text.
class document_rdf {
 public:
  explicit document_rdf(std::string_view text) {
    const xvalue document = json_reader(text, arena_).document();
    xvalue expanded = expander_.expand(initial_context(), nullptr, document, false, false, nullptr, 0);
    // A top-level object with only @graph is that graph's nodes.
    if (expanded.is_object() && expanded.size() == 1 && expanded.contains("@graph")) {
      xvalue graph = std::move(*expanded.find("@graph"));
      expanded = std::move(graph);
    }
    if (expanded.is_null()) expanded = xvalue::make_array();
    xvalue nodes = as_array(std::move(expanded));
    rdf_builder(arena_).run(nodes, quads_);
  }
  std::span<const quad_view> quads() const { return quads_; }

 private:
  string_arena arena_;
  expander expander_{arena_};
  std::vector<quad_view, detail::scratch_allocator<quad_view>> quads_;
};

term to_term(const term_view& t) {
  return {.kind = t.kind, .value = std::string(t.value), .datatype = std::string(t.datatype), .language = std::string(t.language)};
}

}  // namespace

std::vector<quad> to_rdf(std::string_view jsonld_text) {
  try {
    const detail::scratch_scope scratch;
    const document_rdf rdf(jsonld_text);
    std::vector<quad> out;
    out.reserve(rdf.quads().size());
    for (const auto& q : rdf.quads()) out.push_back({to_term(q.subject), to_term(q.predicate), to_term(q.object), to_term(q.graph)});
    return out;
  } catch (const json::exception& e) {  // a JSON value of a type we did not check: our bug
    throw error(errc::internal, fmt::format("JSON-LD: unexpected JSON value ({})", e.what()));
  }
}

std::string canonical_nquads(std::string_view jsonld_text, const canonicalize_options& options) {
  try {
    const detail::scratch_scope scratch;
    const document_rdf rdf(jsonld_text);
    return detail::canonicalize(rdf.quads(), options).nquads;
  } catch (const json::exception& e) {
    throw error(errc::internal, fmt::format("JSON-LD: unexpected JSON value ({})", e.what()));
  }
}

std::vector<std::string_view> shipped_contexts() {
  std::vector<std::string_view> urls;
  for (std::size_t i = 0; i < detail::embedded_context_count; ++i) urls.push_back(detail::embedded_contexts[i].url);
  return urls;
}

}  // namespace ld
DSKILL_END_NAMESPACE
