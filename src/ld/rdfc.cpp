// RDF Dataset Canonicalization, RDFC-1.0 (W3C Recommendation, 2024), section 4.
//
// Blank nodes are numbered once; every quad is pre-serialised (its IRIs and literals escaped
// once), so the many N-Quads lines the hashes need are concatenations of ready pieces. Where
// the specification leaves an order open (the permutations of Hash N-Degree Quads) we follow
// rdf-canonize, the processor behind jsonld.js, so that the issued identifiers map agrees too.
#include <algorithm>
#include <charconv>
#include <limits>
#include <span>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "detail.hpp"
#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace ld {
namespace {

// A quad with its IRIs and literals already in canonical N-Quads form; bn[k] is the blank node
// at subject (0), object (1) or graph (2), or -1.
struct prepared_quad {
  std::string_view subject, predicate, object, graph;  // in the canonicalizer's arena
  std::string_view predicate_iri;  // unescaped, for Hash Related Blank Node
  int bn[3] = {-1, -1, -1};
};

struct blank_node {
  std::string_view label;
  detail::scratch_vector<int> quads;  // indices into the prepared quads, each once
  std::string first_hash;   // Hash First Degree Quads
};

// Identifier issuer (4.5): issued[b] is the number given to blank node b, or -1; order lists
// the blank nodes in the order they were issued.
struct issuer {
  std::vector<int> issued;
  std::vector<int> order;
  explicit issuer(std::size_t n = 0) : issued(n, -1) {}
  bool has(int b) const { return issued[static_cast<std::size_t>(b)] >= 0; }
  int issue(int b) {
    int& id = issued[static_cast<std::size_t>(b)];
    if (id < 0) {
      id = static_cast<int>(order.size());
      order.push_back(b);
    }
    return id;
  }
};

void append_number(std::string& out, int n) {
  char buf[16];
  const auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
  out.append(buf, end);
}

// Steinhaus-Johnson-Trotter over 0..k-1, starting from the identity (rdf-canonize's Permuter,
// which sorts the blank node identifiers first: callers pass them sorted).
class permuter {
 public:
  explicit permuter(std::size_t k) : current_(k), left_(k, true) {
    for (std::size_t i = 0; i < k; ++i) current_[i] = static_cast<int>(i);
  }
  // The permutation to use now; false when all have been given.
  bool next(std::vector<int>& out) {
    if (done_) return false;
    out = current_;
    int k = -1;
    std::size_t pos = 0;
    const std::size_t n = current_.size();
    for (std::size_t i = 0; i < n; ++i) {
      const int e = current_[i];
      const bool mobile = left_[static_cast<std::size_t>(e)] ? (i > 0 && e > current_[i - 1])
                                                              : (i + 1 < n && e > current_[i + 1]);
      if (mobile && e > k) {
        k = e;
        pos = i;
      }
    }
    if (k < 0) {
      done_ = true;
    } else {
      const std::size_t swap = left_[static_cast<std::size_t>(k)] ? pos - 1 : pos + 1;
      std::swap(current_[pos], current_[swap]);
      for (const int e : current_)
        if (e > k) left_[static_cast<std::size_t>(e)] = !left_[static_cast<std::size_t>(e)];
    }
    return true;
  }

 private:
  std::vector<int> current_;
  std::vector<bool> left_;
  bool done_ = false;
};

template <class K, class V>
using scratch_unordered_map = std::unordered_map<K, V, std::hash<K>, std::equal_to<>, detail::scratch_allocator<std::pair<const K, V>>>;

class canonicalizer {
 public:
  canonicalizer(std::span<const detail::quad_view> dataset, const canonicalize_options& options)
      : options_(options), hasher_(options.hash) {
    prepare(dataset);
  }

  canonical_dataset run() {
    const std::size_t n = nodes_.size();
    canonical_ = issuer(n);
    // 4.4.3 steps 3-4: first-degree hashes, grouped by hash in code point order.
    std::map<std::string_view, std::vector<int>> by_hash;
    for (std::size_t b = 0; b < n; ++b) {
      first_degree(static_cast<int>(b));
      by_hash[nodes_[b].first_hash].push_back(static_cast<int>(b));
    }
    // Step 5: a unique hash gets its canonical identifier at once.
    std::size_t shared = 0;
    for (const auto& [hash, list] : by_hash) {
      if (list.size() == 1) canonical_.issue(list.front());
      else shared += list.size();
    }
    set_limit(shared);
    // Step 6: the shared hashes, through Hash N-Degree Quads.
    for (const auto& [hash, list] : by_hash) {
      if (list.size() == 1) continue;
      std::vector<std::pair<std::string, issuer>> paths;
      for (const int b : list) {
        if (canonical_.has(b)) continue;
        issuer temporary(n);
        temporary.issue(b);
        paths.push_back(ndegree(b, std::move(temporary)));
      }
      std::stable_sort(paths.begin(), paths.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
      for (const auto& [path_hash, result] : paths)
        for (const int b : result.order) canonical_.issue(b);
    }
    // Step 7: relabel, serialise, sort.
    start_lines();
    for (const prepared_quad& q : quads_) {
      line(text_, q, [&](std::string& out, int b) {
        out += "_:c14n";
        append_number(out, canonical_.issued[static_cast<std::size_t>(b)]);
      });
      end_line();
    }
    canonical_dataset result;
    result.nquads.reserve(text_.size());
    for (const std::string_view l : sorted_lines()) result.nquads += l;
    result.issued.reserve(n);
    for (const int b : canonical_.order)
      result.issued.emplace_back(std::string(nodes_[static_cast<std::size_t>(b)].label),
                                 "c14n" + std::to_string(canonical_.issued[static_cast<std::size_t>(b)]));
    return result;
  }

 private:
  void prepare(std::span<const detail::quad_view> dataset) {
    scratch_unordered_map<std::string_view, int> index;
    std::unordered_set<std::string_view, std::hash<std::string_view>, std::equal_to<>, detail::scratch_allocator<std::string_view>>
        seen;  // the dataset is a set: duplicates go (keys in arena_)
    std::string key;
    quads_.reserve(dataset.size());
    seen.reserve(dataset.size());
    for (const detail::quad_view& q : dataset) {
      if (q.subject.kind != term_kind::iri && q.subject.kind != term_kind::blank)
        throw invalid_argument("RDFC-1.0: a subject is an IRI or a blank node");
      if (q.predicate.kind != term_kind::iri) throw invalid_argument("RDFC-1.0: a predicate is an IRI");
      if (q.object.kind == term_kind::none) throw invalid_argument("RDFC-1.0: a quad has an object");
      if (q.graph.kind == term_kind::literal) throw invalid_argument("RDFC-1.0: a graph name is an IRI or a blank node");
      prepared_quad p;
      const detail::term_view* parts[3] = {&q.subject, &q.object, &q.graph};
      std::string_view* texts[3] = {&p.subject, &p.object, &p.graph};
      for (int k = 0; k < 3; ++k) {
        const detail::term_view& t = *parts[k];
        if (t.kind == term_kind::blank) {
          if (t.value.empty()) throw invalid_argument("RDFC-1.0: a blank node has a label");
          auto [it, fresh] = index.try_emplace(t.value, static_cast<int>(nodes_.size()));
          if (fresh) nodes_.push_back({.label = t.value});
          p.bn[k] = it->second;
        } else {
          *texts[k] = serialise(t);
        }
      }
      p.predicate = serialise(q.predicate);
      p.predicate_iri = q.predicate.value;
      key.clear();
      line(key, p, [&](std::string& out, int b) {
        out += "_:";
        out += nodes_[static_cast<std::size_t>(b)].label;
      });
      if (seen.contains(key)) continue;
      seen.insert(arena_.save(key));
      const int qi = static_cast<int>(quads_.size());
      for (int k = 0; k < 3; ++k) {
        const int b = p.bn[k];
        if (b < 0) continue;
        auto& list = nodes_[static_cast<std::size_t>(b)].quads;
        if (list.empty() || list.back() != qi) list.push_back(qi);  // a quad once per node
      }
      quads_.push_back(std::move(p));
    }
  }

  // A non-blank term in canonical N-Quads form. The views of one IRI repeat (a subject in each
  // of its quads, a predicate everywhere): those are escaped once.
  std::string_view serialise(const detail::term_view& t) {
    const bool iri = t.kind == term_kind::iri;
    if (iri)
      if (const auto it = serialised_.find(t.value.data()); it != serialised_.end() && it->second.first == t.value.size())
        return it->second.second;
    scratch_.clear();
    detail::append_term(scratch_, t);
    const std::string_view text = arena_.save(scratch_);
    if (iri) serialised_[t.value.data()] = {t.value.size(), text};
    return text;
  }

  // Lines written one after the other into text_ (start_lines, then end_line after each), then
  // sorted as views (text_ no longer moves).
  void start_lines() {
    text_.clear();
    line_ends_.clear();
  }
  void end_line() { line_ends_.push_back(text_.size()); }
  std::span<const std::string_view> sorted_lines() {
    views_.clear();
    std::size_t from = 0;
    for (const std::size_t end : line_ends_) views_.push_back(std::string_view(text_).substr(from, end - from)), from = end;
    std::sort(views_.begin(), views_.end());
    return views_;
  }

  void set_limit(std::size_t shared) {
    if (options_.max_ndegree_calls != 0) {
      remaining_ = limit_ = options_.max_ndegree_calls;
      return;
    }
    std::size_t limit = 1;
    for (unsigned i = 0; i < options_.max_work_factor; ++i) {
      if (shared != 0 && limit > std::numeric_limits<std::size_t>::max() / shared) {
        limit = std::numeric_limits<std::size_t>::max();
        break;
      }
      limit *= shared;
    }
    remaining_ = limit_ = limit;
  }

  template <class Label>
  static void line(std::string& out, const prepared_quad& p, Label&& label) {
    if (p.bn[0] >= 0) label(out, p.bn[0]);
    else out += p.subject;
    out += ' ';
    out += p.predicate;
    out += ' ';
    if (p.bn[1] >= 0) label(out, p.bn[1]);
    else out += p.object;
    if (p.bn[2] >= 0) {
      out += ' ';
      label(out, p.bn[2]);
    } else if (!p.graph.empty()) {
      out += ' ';
      out += p.graph;
    }
    out += " .\n";
  }

  // 4.6 Hash First Degree Quads: the node's quads with itself as _:a and other blank nodes as
  // _:z, sorted. (The canonical identifiers already issued are not used here, as the spec and
  // every implementation agree.)
  void first_degree(int b) {
    blank_node& node = nodes_[static_cast<std::size_t>(b)];
    start_lines();
    for (const int qi : node.quads) {
      line(text_, quads_[static_cast<std::size_t>(qi)], [b](std::string& out, int other) { out += other == b ? "_:a" : "_:z"; });
      end_line();
    }
    hasher_.begin();
    for (const std::string_view l : sorted_lines()) hasher_.update(l);
    hasher_.finish_hex(node.first_hash);
  }

  // 4.7 Hash Related Blank Node.
  std::string related_hash(int related, const prepared_quad& q, const issuer& path_issuer, char position) {
    buffer_.clear();
    buffer_ += position;
    if (position != 'g') {
      buffer_ += '<';
      buffer_ += q.predicate_iri;
      buffer_ += '>';
    }
    if (canonical_.has(related)) {
      buffer_ += "_:c14n";
      append_number(buffer_, canonical_.issued[static_cast<std::size_t>(related)]);
    } else if (path_issuer.has(related)) {
      buffer_ += "_:b";
      append_number(buffer_, path_issuer.issued[static_cast<std::size_t>(related)]);
    } else {
      buffer_ += nodes_[static_cast<std::size_t>(related)].first_hash;
    }
    std::string out;
    hasher_.begin();
    hasher_.update(buffer_);
    hasher_.finish_hex(out);
    return out;
  }

  // 4.8 Hash N-Degree Quads: the hash and the issuer that chose it.
  std::pair<std::string, issuer> ndegree(int id, issuer path_issuer) {
    if (remaining_ == 0)
      throw error(errc::not_supported,
                  fmt::format("RDFC-1.0: more than {} calls of Hash N-Degree Quads (a poison graph?); "
                              "canonicalize_options::max_ndegree_calls / max_work_factor set the bound",
                              limit_));
    --remaining_;
    // Steps 1-3: related blank nodes grouped by their related hash, in code point order.
    std::map<std::string, std::vector<int>> related;
    static constexpr char positions[3] = {'s', 'o', 'g'};
    for (const int qi : nodes_[static_cast<std::size_t>(id)].quads) {
      const prepared_quad& q = quads_[static_cast<std::size_t>(qi)];
      for (int k = 0; k < 3; ++k) {
        const int b = q.bn[k];
        if (b < 0 || b == id) continue;
        related[related_hash(b, q, path_issuer, positions[k])].push_back(b);
      }
    }
    std::string data;  // step 4: data to hash
    std::vector<int> order, permutation;
    for (auto& [hash, list] : related) {
      data += hash;  // 5.1
      // The permuter runs over the list sorted by input label, as rdf-canonize does.
      std::sort(list.begin(), list.end(), [&](int x, int y) {
        return nodes_[static_cast<std::size_t>(x)].label < nodes_[static_cast<std::size_t>(y)].label;
      });
      std::string chosen_path;
      issuer chosen_issuer;
      bool chosen = false;
      permuter perms(list.size());
      while (perms.next(order)) {
        // Permutations whose nodes are all issued already make no call, so the call bound
        // alone would let k! of them run: they have a bound of their own.
        if (++permutations_ > max_permutations)
          throw error(errc::not_supported,
                      fmt::format("RDFC-1.0: more than {} permutations in Hash N-Degree Quads (a poison graph?)",
                                  max_permutations));
        issuer copy = path_issuer;
        std::string path;
        std::vector<int> recursion;
        bool skip = false;
        for (const int r : order) {
          const int b = list[static_cast<std::size_t>(r)];
          if (canonical_.has(b)) {
            path += "_:c14n";
            append_number(path, canonical_.issued[static_cast<std::size_t>(b)]);
          } else {
            if (!copy.has(b)) recursion.push_back(b);
            path += "_:b";
            append_number(path, copy.issue(b));
          }
          // 5.4.4.3: a path already greater than the chosen one stays greater (it is not a
          // prefix of it), so the length test of the spec is implied.
          if (chosen && path > chosen_path) {
            skip = true;
            break;
          }
        }
        if (skip) continue;
        for (const int b : recursion) {
          auto result = ndegree(b, copy);
          copy = std::move(result.second);
          path += "_:b";
          append_number(path, copy.issue(b));
          path += '<';
          path += result.first;
          path += '>';
          if (chosen && path > chosen_path) {
            skip = true;
            break;
          }
        }
        if (skip) continue;
        if (!chosen || path < chosen_path) {
          chosen_path = std::move(path);
          chosen_issuer = std::move(copy);
          chosen = true;
        }
      }
      data += chosen_path;  // 5.5
      path_issuer = std::move(chosen_issuer);  // 5.6
    }
    std::string hash;
    hasher_.begin();
    hasher_.update(data);
    hasher_.finish_hex(hash);
    return {std::move(hash), std::move(path_issuer)};
  }

  const canonicalize_options& options_;
  detail::hasher hasher_;
  detail::scratch_vector<prepared_quad> quads_;
  detail::scratch_vector<blank_node> nodes_;
  issuer canonical_;
  detail::string_arena arena_;  // the quads' pieces, the keys of `seen`
  scratch_unordered_map<const char*, std::pair<std::size_t, std::string_view>> serialised_;  // IRI text -> its N-Quads form
  std::string scratch_;
  std::string text_;  // lines (first_degree, the result), ends in line_ends_
  std::vector<std::size_t> line_ends_;
  std::vector<std::string_view> views_;
  std::string buffer_;              // reused by related_hash
  std::size_t limit_ = 0, remaining_ = 0;
  std::size_t permutations_ = 0;
  static constexpr std::size_t max_permutations = 1'000'000;  // about a second of work
};

}  // namespace

canonical_dataset detail::canonicalize(std::span<const quad_view> dataset, const canonicalize_options& options) {
  return canonicalizer(dataset, options).run();
}

canonical_dataset canonicalize(std::span<const quad> dataset, const canonicalize_options& options) {
  const detail::scratch_scope scratch;
  detail::scratch_vector<detail::quad_view> views;
  views.reserve(dataset.size());
  for (const quad& q : dataset)
    views.push_back({detail::view(q.subject), detail::view(q.predicate), detail::view(q.object), detail::view(q.graph)});
  return detail::canonicalize(views, options);
}

}  // namespace ld
DSKILL_END_NAMESPACE
