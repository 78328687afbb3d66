// Internals of dskill::ld shared by its translation units (not installed).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dskill/ld/ld.hpp"

DSKILL_BEGIN_NAMESPACE
namespace ld::detail {

/// Per-thread bump memory for the temporaries of one public call (the JSON trees of to_rdf, the
/// strings and tables of canonicalize): malloc and free were a third of canonical_nquads.
/// Freeing is a no-op; the memory is reused once the thread's outermost scratch_scope ends, so
/// every object allocated with scratch_allocator must die before the scope that covers it.
class scratch_scope {
 public:
  scratch_scope();
  ~scratch_scope();
  scratch_scope(const scratch_scope&) = delete;
  scratch_scope& operator=(const scratch_scope&) = delete;
};

/// Memory from the thread's scratch (throws error(errc::internal) outside a scratch_scope).
void* scratch_allocate(std::size_t bytes, std::size_t align);

template <class T>
struct scratch_allocator {
  using value_type = T;
  scratch_allocator() = default;
  template <class U>
  scratch_allocator(const scratch_allocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(scratch_allocate(n * sizeof(T), alignof(T))); }
  void deallocate(T*, std::size_t) noexcept {}
  template <class U>
  bool operator==(const scratch_allocator<U>&) const noexcept { return true; }
};

template <class T>
using scratch_vector = std::vector<T, scratch_allocator<T>>;

/// Storage in scratch memory for strings that views point into (JSON-LD: unescaped JSON
/// strings, IRIs that expansion builds, blank node labels, literal forms; RDFC: N-Quads pieces).
class string_arena {
 public:
  std::string_view save(std::string_view s) { return concat(s, {}); }
  std::string_view concat(std::string_view a, std::string_view b) {
    const std::size_t n = a.size() + b.size();
    if (n == 0) return {};
    if (n > left_) {
      left_ = std::max(n, block_size);
      next_ = static_cast<char*>(scratch_allocate(left_, 1));
    }
    char* p = next_;
    if (!a.empty()) std::memcpy(p, a.data(), a.size());
    if (!b.empty()) std::memcpy(p + a.size(), b.data(), b.size());
    next_ += n;
    left_ -= n;
    return {p, n};
  }

 private:
  static constexpr std::size_t block_size = 4096;
  char* next_ = nullptr;
  std::size_t left_ = 0;
};

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
