// dskill::ld: linked data for Verifiable Credentials signed with `eddsa-rdfc-2022`.
//
//  - N-Quads: parse_nquads / to_nquads (canonical N-Quads lines: RDFC-1.0 escaping).
//  - RDF Dataset Canonicalization RDFC-1.0 (W3C Recommendation): canonicalize.
//  - JSON-LD 1.1 "Deserialize JSON-LD to RDF" (expansion, node map, toRdf) over contexts that
//    ship inside the library only: to_rdf, canonical_nquads. dskill does no network: a context
//    it does not ship is refused with an error that names its URL.
//
// Errors: parse_error for input that is not well-formed (N-Quads, JSON, JSON-LD), with the
// line and column where known; error(errc::not_supported) for a remote context, a JSON-LD
// feature outside our subset, or a dataset past the canonicalisation work limit.
// Every function is thread-safe (the processed contexts are shared, immutable and built once).
#pragma once
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace ld {

/// What a term of a quad is. `none` is the graph term of a quad in the default graph.
enum class term_kind : unsigned char { none, iri, blank, literal };

/// An RDF term. Blank nodes carry their label without "_:". A literal always has a datatype
/// (xsd:string when plain, rdf:langString when it has a language); an empty datatype is read as
/// xsd:string.
struct term {
  term_kind kind = term_kind::none;
  std::string value;
  std::string datatype;
  std::string language;
  friend bool operator==(const term&, const term&) = default;
};

/// One RDF quad; graph.kind == term_kind::none for the default graph.
struct quad {
  term subject, predicate, object, graph;
  friend bool operator==(const quad&, const quad&) = default;
};

inline constexpr std::string_view xsd_string = "http://www.w3.org/2001/XMLSchema#string";
inline constexpr std::string_view rdf_lang_string = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

/// Parses N-Quads (RDF 1.1; comments and blank lines allowed; \r\n, \n or \r line ends).
/// Duplicate quads are kept (canonicalize removes them). Throws parse_error with line:column.
std::vector<quad> parse_nquads(std::string_view text);

/// The quads as canonical N-Quads lines, in the given order, each ending with "\n".
/// Throws invalid_argument for a quad no N-Quads line can hold (a literal subject, ...).
std::string to_nquads(std::span<const quad> quads);

enum class hash_algorithm { sha256, sha384 };

struct canonicalize_options {
  hash_algorithm hash = hash_algorithm::sha256;
  /// Bound on the calls of Hash N-Degree Quads (the part of RDFC-1.0 that is exponential on
  /// "poison" graphs). 0 (the default) means (number of blank nodes whose first-degree hash is
  /// shared)^max_work_factor, the rule of the jsonld.js / rdf-canonize processors.
  std::size_t max_ndegree_calls = 0;
  /// Exponent of the default bound above; 1 like rdf-canonize, so that dskill refuses what
  /// jsonld.js refuses (a credential's blank nodes all have unique hashes and make no call).
  /// The hardest positive cases of the W3C suite need 3. Whatever the bound, at most 10^6
  /// permutations are tried in all.
  unsigned max_work_factor = 1;
};

/// A canonical dataset: its canonical N-Quads (sorted, duplicates removed) and the issued
/// identifiers map (input blank node label -> "c14nN"), in the order they were issued.
struct canonical_dataset {
  std::string nquads;
  std::vector<std::pair<std::string, std::string>> issued;
};

/// RDFC-1.0. Throws error(errc::not_supported) when the N-degree bound is exceeded, and
/// invalid_argument for a quad that is not RDF (a blank or literal predicate, ...).
canonical_dataset canonicalize(std::span<const quad> dataset, const canonicalize_options& options = {});

/// JSON-LD 1.1 to RDF (expansion, node map generation, Deserialize JSON-LD to RDF; generalized
/// RDF off, rdfDirection unset) of one JSON-LD document. Contexts: inline, or the URLs of the
/// contexts that ship with dskill (shipped_contexts()); blank node labels are "b0", "b1", ...
std::vector<quad> to_rdf(std::string_view jsonld_text);

/// canonicalize(to_rdf(jsonld_text)).nquads, what eddsa-rdfc-2022 hashes.
std::string canonical_nquads(std::string_view jsonld_text, const canonicalize_options& options = {});

/// The context URLs that ship with dskill (VC 2.0, Open Badges 3.0.3, Bitstring Status List).
std::vector<std::string_view> shipped_contexts();

}  // namespace ld
DSKILL_END_NAMESPACE
