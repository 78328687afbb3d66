// dskill::score: scoring an in-memory persons x items matrix of int8 categories (-1 = not
// administered), in parallel, into caller-owned arrays. The C API (dsk_score_batch) and
// Python (dskill.score) are thin faces over it; the file pipeline (batch.hpp) scores each
// parsed record through the same scorer::score.
#pragma once
#include <cstddef>
#include <cstdint>

#include "dskill/score/scorer.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score {

/// A view of the caller's matrix; nothing is copied.
struct matrix_view {
  const std::int8_t* cells = nullptr;  ///< row p starts at cells + p * row_stride
  std::size_t persons = 0;
  std::size_t columns = 0;
  std::size_t row_stride = 0;          ///< in elements, >= columns (ignored for one row)
  /// Column j is bank item column_item[j]; nullptr: column j is item j, and the matrix must
  /// then have exactly one column per bank item.
  const std::uint32_t* column_item = nullptr;
};

/// Where the results go: one entry per person, caller-owned.
struct matrix_outputs {
  double* theta = nullptr;
  double* se = nullptr;
  std::int32_t* status = nullptr;  ///< optional (estimate::status values)
};

/// Scores every row with `s` (its bank and estimator options; a level scheme is ignored).
/// Checks the shapes, the column mapping and every cell first (a category outside an item's
/// range, or a negative value other than -1, throws invalid_argument naming the row and the
/// item), so that a bad cell fails the call before anything is written. Without a column map
/// the matrix must be exactly as wide as the bank (a narrower one would silently be scored as
/// the bank's first items): invalid_argument names both widths. `threads` 0 = every hardware
/// thread; results do not depend on it.
void score_matrix(const scorer& s, const matrix_view& m, const matrix_outputs& out, unsigned threads = 0);

/// The estimator options a bank is scored with by default: estimate::options{} with the prior
/// of the bank's calibrated latent distribution (bank::latent_distribution) when it records
/// one, N(0, 1) otherwise.
estimate::options default_options(const bank::item_bank& bank);

}  // namespace score
DSKILL_END_NAMESPACE
