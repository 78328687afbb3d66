// N-Quads: a hand-written parser (RDF 1.1 N-Quads grammar) and the canonical serialisation of
// RDFC-1.0 (the same escaping as the RDF 1.2 canonical N-Quads form and rdf-canonize).
#include <array>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "detail.hpp"
#include "dskill/error.hpp"
#include "dskill/io/utf8.hpp"

DSKILL_BEGIN_NAMESPACE
namespace ld {
namespace detail {

namespace {
constexpr char hex_upper[] = "0123456789ABCDEF";

void append_uchar4(std::string& out, unsigned char c) {
  out += "\\u00";
  out += hex_upper[c >> 4];
  out += hex_upper[c & 15];
}
}  // namespace

// Which bytes need an escape: 1 in an IRI, 2 in a literal (a table: these run on every byte).
constexpr auto escape_table = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c <= 0x20; ++c) t[static_cast<std::size_t>(c)] |= 1;
  for (const char c : std::string_view("<>\"{}|^`\\")) t[static_cast<unsigned char>(c)] |= 1;
  for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] |= 2;
  t['"'] |= 2, t['\\'] |= 2, t[0x7f] |= 2;
  return t;
}();

void append_iri(std::string& out, std::string_view iri) {
  std::size_t plain = 0;  // copy runs that need no escape in one go
  for (std::size_t i = 0; i < iri.size(); ++i) {
    const auto c = static_cast<unsigned char>(iri[i]);
    if (!(escape_table[c] & 1)) continue;
    out.append(iri.data() + plain, i - plain);
    append_uchar4(out, c);
    plain = i + 1;
  }
  out.append(iri.data() + plain, iri.size() - plain);
}

void append_literal_text(std::string& out, std::string_view text) {
  std::size_t plain = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!(escape_table[c] & 2)) continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default: append_uchar4(out, c);
    }
  }
  out.append(text.data() + plain, text.size() - plain);
}

void append_term(std::string& out, const term_view& t) {
  switch (t.kind) {
    case term_kind::iri:
      out += '<';
      append_iri(out, t.value);
      out += '>';
      break;
    case term_kind::blank:
      out += "_:";
      out += t.value;
      break;
    case term_kind::literal:
      out += '"';
      append_literal_text(out, t.value);
      out += '"';
      if (!t.language.empty()) {
        out += '@';
        out += t.language;
      } else if (!t.datatype.empty() && t.datatype != xsd_string) {
        out += "^^<";
        append_iri(out, t.datatype);
        out += '>';
      }
      break;
    case term_kind::none: break;
  }
}

}  // namespace detail

namespace {

// One pass over the text, line by line; each production reads at pos_ and advances it.
class nquads_parser {
 public:
  explicit nquads_parser(std::string_view text) : text_(text) {}

  std::vector<quad> parse() {
    if (const auto bad = io::find_invalid_utf8(text_); bad != std::string_view::npos) {
      pos_ = bad;
      fail("invalid UTF-8");
    }
    std::vector<quad> out;
    while (true) {
      skip_ws();
      if (at_end()) break;
      if (peek() == '#' || peek() == '\n' || peek() == '\r') {
        end_of_line();
        continue;
      }
      quad q;
      q.subject = subject();
      skip_ws();
      q.predicate.kind = term_kind::iri;
      if (peek() != '<') fail("expected the predicate IRI");
      q.predicate.value = iri();
      skip_ws();
      q.object = object();
      skip_ws();
      if (peek() == '<' || peek() == '_') {
        q.graph = subject();
        skip_ws();
      }
      if (peek() != '.') fail("expected '.' at the end of the quad");
      ++pos_;
      skip_ws();
      end_of_line();
      out.push_back(std::move(q));
    }
    return out;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }

  [[noreturn]] void fail(std::string_view what) const {
    // Line and column (in bytes, 1-based) of pos_.
    int line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < pos_ && i < text_.size(); ++i) {
      if (text_[i] == '\n' || (text_[i] == '\r' && (i + 1 >= text_.size() || text_[i + 1] != '\n'))) {
        ++line;
        line_start = i + 1;
      }
    }
    throw parse_error(fmt::format("N-Quads: {}", what),
                      location{.line = line, .column = static_cast<int>(pos_ - line_start + 1)});
  }

  void skip_ws() {
    while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }

  // A comment runs to the end of the line; then one line end (or the end of the text).
  void end_of_line() {
    if (peek() == '#') {
      while (!at_end() && text_[pos_] != '\n' && text_[pos_] != '\r') ++pos_;
    }
    if (at_end()) return;
    if (text_[pos_] == '\r') {
      ++pos_;
      if (peek() == '\n') ++pos_;
    } else if (text_[pos_] == '\n') {
      ++pos_;
    } else {
      fail("expected the end of the line");
    }
  }

  term subject() {
    term t;
    if (peek() == '<') {
      t.kind = term_kind::iri;
      t.value = iri();
    } else if (peek() == '_') {
      t.kind = term_kind::blank;
      t.value = blank_label();
    } else {
      fail("expected an IRI or a blank node");
    }
    return t;
  }

  term object() {
    if (peek() == '"') return literal();
    if (peek() != '<' && peek() != '_') fail("expected an IRI, a blank node or a literal");
    return subject();
  }

  // \uXXXX or \UXXXXXXXX at pos_ (after the backslash and letter), appended as UTF-8.
  void uchar(std::string& out, int digits) {
    std::uint32_t cp = 0;
    for (int i = 0; i < digits; ++i) {
      const char c = peek();
      int v;
      if (c >= '0' && c <= '9') v = c - '0';
      else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
      else fail("bad hex digit in a \\u escape");
      cp = cp * 16 + static_cast<std::uint32_t>(v);
      ++pos_;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) fail("\\u escape of a surrogate or of no code point");
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // IRIREF: '<' ([^#x00-#x20<>"{}|^`\] | UCHAR)* '>'; must be absolute (a scheme and ':').
  std::string iri() {
    ++pos_;  // '<'
    std::string out;
    while (true) {
      if (at_end()) fail("unterminated IRI");
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '>') break;
      if (c == '\\') {
        ++pos_;
        if (peek() == 'u') {
          ++pos_;
          uchar(out, 4);
        } else if (peek() == 'U') {
          ++pos_;
          uchar(out, 8);
        } else {
          fail("only \\u and \\U escapes are allowed in an IRI");
        }
        continue;
      }
      if (c <= 0x20 || c == '<' || c == '"' || c == '{' || c == '}' || c == '|' || c == '^' || c == '`')
        fail("character not allowed in an IRI");
      out += static_cast<char>(c);
      ++pos_;
    }
    ++pos_;  // '>'
    const auto colon = out.find(':');
    bool scheme = colon != std::string::npos && colon > 0 &&
                  ((out[0] >= 'a' && out[0] <= 'z') || (out[0] >= 'A' && out[0] <= 'Z'));
    for (std::size_t i = 1; scheme && i < colon; ++i) {
      const char c = out[i];
      // '+' to '.' also takes ',': the scheme rule of jsonld.js, whose IRIs must parse back.
      scheme = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c >= '+' && c <= '.');
    }
    if (!scheme) fail("relative IRI (N-Quads IRIs are absolute)");
    return out;
  }

  // BLANK_NODE_LABEL: '_:' (PN_CHARS_U | [0-9]) ((PN_CHARS | '.')* PN_CHARS)?. Non-ASCII
  // characters are accepted as PN_CHARS (the text is valid UTF-8).
  std::string blank_label() {
    ++pos_;
    if (peek() != ':') fail("expected ':' after '_' of a blank node");
    ++pos_;
    const std::size_t start = pos_;
    auto name_char = [](unsigned char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
             c >= 0x80;
    };
    if (at_end() || !name_char(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '-') fail("bad blank node label");
    while (!at_end() && (name_char(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.')) ++pos_;
    while (text_[pos_ - 1] == '.') --pos_;  // a label does not end with '.'
    return std::string(text_.substr(start, pos_ - start));
  }

  term literal() {
    term t;
    t.kind = term_kind::literal;
    ++pos_;  // '"'
    while (true) {
      if (at_end()) fail("unterminated literal");
      const char c = text_[pos_];
      if (c == '"') break;
      if (c == '\n' || c == '\r') fail("line end inside a literal");
      if (c == '\\') {
        ++pos_;
        const char e = peek();
        ++pos_;
        switch (e) {
          case 't': t.value += '\t'; break;
          case 'b': t.value += '\b'; break;
          case 'n': t.value += '\n'; break;
          case 'r': t.value += '\r'; break;
          case 'f': t.value += '\f'; break;
          case '"': t.value += '"'; break;
          case '\'': t.value += '\''; break;
          case '\\': t.value += '\\'; break;
          case 'u': uchar(t.value, 4); break;
          case 'U': uchar(t.value, 8); break;
          default: --pos_; fail("bad escape in a literal");
        }
        continue;
      }
      t.value += c;
      ++pos_;
    }
    ++pos_;  // '"'
    if (peek() == '@') {
      ++pos_;
      const std::size_t start = pos_;
      auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
      while (!at_end() && alpha(text_[pos_])) ++pos_;
      if (pos_ == start) fail("empty language tag");
      while (peek() == '-') {
        ++pos_;
        const std::size_t sub = pos_;
        while (!at_end() && (alpha(text_[pos_]) || (text_[pos_] >= '0' && text_[pos_] <= '9'))) ++pos_;
        if (pos_ == sub) fail("empty language subtag");
      }
      t.language = std::string(text_.substr(start, pos_ - start));
      t.datatype = std::string(rdf_lang_string);
    } else if (peek() == '^') {
      ++pos_;
      if (peek() != '^') fail("expected '^^' before a datatype");
      ++pos_;
      if (peek() != '<') fail("expected the datatype IRI");
      t.datatype = iri();
      if (t.datatype == rdf_lang_string) fail("rdf:langString needs a language tag");
    } else {
      t.datatype = std::string(xsd_string);
    }
    return t;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::vector<quad> parse_nquads(std::string_view text) { return nquads_parser(text).parse(); }

std::string to_nquads(std::span<const quad> quads) {
  std::string out;
  for (const quad& q : quads) {
    if (q.subject.kind != term_kind::iri && q.subject.kind != term_kind::blank)
      throw invalid_argument("N-Quads: a subject is an IRI or a blank node");
    if (q.predicate.kind != term_kind::iri) throw invalid_argument("N-Quads: a predicate is an IRI");
    if (q.object.kind == term_kind::none) throw invalid_argument("N-Quads: a quad has an object");
    if (q.graph.kind == term_kind::literal) throw invalid_argument("N-Quads: a graph name is an IRI or a blank node");
    detail::append_term(out, detail::view(q.subject));
    out += ' ';
    detail::append_term(out, detail::view(q.predicate));
    out += ' ';
    detail::append_term(out, detail::view(q.object));
    if (q.graph.kind != term_kind::none) {
      out += ' ';
      detail::append_term(out, detail::view(q.graph));
    }
    out += " .\n";
  }
  return out;
}

}  // namespace ld
DSKILL_END_NAMESPACE
