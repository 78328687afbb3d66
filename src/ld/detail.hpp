// Internals of dskill::ld shared by its translation units (not installed).
#pragma once
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "dskill/ld/ld.hpp"

DSKILL_BEGIN_NAMESPACE
namespace ld::detail {

/// A term / quad whose strings live elsewhere (the JSON-LD text, a context, an arena): what
/// to_rdf builds and canonicalize reads, so that canonical_nquads copies no string in between.
struct term_view {
  term_kind kind = term_kind::none;
  std::string_view value, datatype, language;
};
struct quad_view {
  term_view subject, predicate, object, graph;
};
inline term_view view(const term& t) { return {t.kind, t.value, t.datatype, t.language}; }

/// RDFC-1.0 of views (canonicalize() converts its quads to these).
canonical_dataset canonicalize(std::span<const quad_view> dataset, const canonicalize_options& options);

/// Appends an IRI as canonical N-Quads writes it inside <...>: the characters U+0000-U+0020
/// and <>"{}|^`\ as \uXXXX (upper-case hex), everything else as is.
void append_iri(std::string& out, std::string_view iri);
/// Appends the lexical form of a literal as canonical N-Quads writes it inside "...": ECHAR for
/// \b \t \n \f \r " \, \uXXXX for the other C0 controls and DEL.
void append_literal_text(std::string& out, std::string_view text);
/// Appends a whole non-blank term (<iri> or "literal"@lang / "literal"^^<dt>).
void append_term(std::string& out, const term_view& t);

/// Hex digest of data with the given hash (OpenSSL EVP; the context is reused per thread).
class hasher {
 public:
  explicit hasher(hash_algorithm algorithm);
  ~hasher();
  hasher(const hasher&) = delete;
  hasher& operator=(const hasher&) = delete;
  void begin();
  void update(std::string_view data);
  /// Ends the digest and writes it as lower-case hex into out (replacing its contents).
  void finish_hex(std::string& out);

 private:
  void* ctx_;
  const void* md_;
};

}  // namespace ld::detail
DSKILL_END_NAMESPACE
