// dskill::irt: item parameters as a table in structure-of-arrays form, the input of the
// estimators. A table is a non-owning view (spans over arrays kept elsewhere: an item bank's,
// or an item_store's); it is cheap to copy and never outlives its arrays. The estimators read
// it, not bank::item_bank, so irt and estimate need no compiled library (header-only mode).
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "dskill/irt/model.hpp"

DSKILL_BEGIN_NAMESPACE
namespace irt {

/// One item of a table, read in place: the same members as item_params, with spans for the
/// intercepts and scores, so the kernels take either.
template <class Real>
struct basic_item_ref {
  model kind = model::two_pl;
  Real slope = 1;
  Real lower = 0;
  Real upper = 1;
  std::span<const Real> intercepts;
  std::span<const Real> scores;  ///< nominal only: s_1..s_{K-1}

  int categories() const noexcept {
    return is_dichotomous(kind) ? 2 : static_cast<int>(intercepts.size()) + 1;
  }
  Real category_score(int k) const noexcept {
    if (k == 0) return Real(0);
    return kind == model::nominal ? scores[static_cast<std::size_t>(k - 1)] : static_cast<Real>(k);
  }
};

/// A dichotomous item's four numbers side by side: what the estimators read per answered item
/// (one cache line for four items, where the arrays below take five loads from five places).
template <class Real>
struct dichotomous_params {
  Real slope, intercept, lower, upper;
};

/// Parameters of n items: kinds, slopes, lower and upper asymptotes per item, and the
/// intercepts of item i at intercepts[offsets[i] .. offsets[i+1]) (scores, for nominal items,
/// at the same positions of scores; empty when no item is nominal).
template <class Real>
struct basic_item_table {
  std::span<const model> kinds;
  std::span<const Real> slopes;
  std::span<const Real> lowers;
  std::span<const Real> uppers;
  std::span<const std::uint32_t> offsets;  ///< size() + 1 entries
  std::span<const Real> intercepts;
  std::span<const Real> scores;
  /// Per item (any kind): slope, first intercept, lower, upper; empty in a table built by hand,
  /// when readers fall back to the arrays above.
  std::span<const dichotomous_params<Real>> packed;

  std::size_t size() const noexcept { return kinds.size(); }
  bool empty() const noexcept { return kinds.empty(); }
  /// Number of categories of item i.
  int categories(std::size_t i) const noexcept {
    return is_dichotomous(kinds[i]) ? 2 : static_cast<int>(offsets[i + 1] - offsets[i]) + 1;
  }
  /// The first (for dichotomous items the only) intercept of item i.
  Real intercept(std::size_t i) const noexcept { return intercepts[offsets[i]]; }
  basic_item_ref<Real> operator[](std::size_t i) const noexcept {
    const std::size_t first = offsets[i], count = offsets[i + 1] - first;
    return {kinds[i], slopes[i], lowers[i], uppers[i], intercepts.subspan(first, count),
            scores.empty() ? std::span<const Real>{} : scores.subspan(first, count)};
  }
};

/// Owns the arrays of a table built from item_params (converted to Real).
template <class Real>
class basic_item_store {
 public:
  basic_item_store() { offsets_.push_back(0); }
  explicit basic_item_store(std::span<const item_params> items) : basic_item_store() {
    for (const auto& item : items) push_back(item);
  }
  void push_back(const item_params& item) {
    kinds_.push_back(item.kind);
    slopes_.push_back(static_cast<Real>(item.slope));
    lowers_.push_back(static_cast<Real>(item.lower));
    uppers_.push_back(static_cast<Real>(item.upper));
    const bool nominal = item.kind == model::nominal;
    if (nominal && scores_.size() < intercepts_.size()) scores_.resize(intercepts_.size(), Real(0));
    for (std::size_t k = 0; k < item.intercepts.size(); ++k) {
      intercepts_.push_back(static_cast<Real>(item.intercepts[k]));
      if (nominal || !scores_.empty())
        scores_.push_back(nominal && k < item.scores.size() ? static_cast<Real>(item.scores[k]) : Real(0));
    }
    offsets_.push_back(static_cast<std::uint32_t>(intercepts_.size()));
    packed_.push_back({static_cast<Real>(item.slope), item.intercepts.empty() ? Real(0) : static_cast<Real>(item.intercepts[0]),
                       static_cast<Real>(item.lower), static_cast<Real>(item.upper)});
  }
  std::size_t size() const noexcept { return kinds_.size(); }
  basic_item_table<Real> view() const noexcept {
    return {kinds_, slopes_, lowers_, uppers_, offsets_, intercepts_, scores_, packed_};
  }
  operator basic_item_table<Real>() const noexcept { return view(); }

 private:
  std::vector<model> kinds_;
  std::vector<Real> slopes_, lowers_, uppers_, intercepts_, scores_;
  std::vector<std::uint32_t> offsets_;
  std::vector<dichotomous_params<Real>> packed_;
};

using item_ref = basic_item_ref<double>;
using item_table = basic_item_table<double>;
using item_store = basic_item_store<double>;

}  // namespace irt
DSKILL_END_NAMESPACE
