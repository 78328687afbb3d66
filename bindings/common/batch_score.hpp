// Shared by the C API and the Python module: scoring an in-memory persons x items matrix of
// int8 categories (-1 = not administered), in parallel, into caller-owned arrays.
//
// This is the one place the bindings hold logic of their own. It is a thin loop over the
// library's estimators (estimate::eap_scorer for EAP, estimate::estimate_theta otherwise); the
// file-based pipeline of dskill::score does the same per record for files.
#pragma once
#include <cstddef>
#include <cstdint>

#include "dskill/bank/item_bank.hpp"
#include "dskill/estimate/estimate.hpp"

namespace dskill::bindings {

struct matrix_view {
  const std::int8_t* cells = nullptr;  ///< row p starts at cells + p * row_stride
  std::size_t persons = 0;
  std::size_t columns = 0;
  std::size_t row_stride = 0;          ///< in elements, >= columns
  const std::uint32_t* column_item = nullptr;  ///< column j is bank item column_item[j]; nullptr = j
};

struct score_outputs {
  double* theta = nullptr;
  double* se = nullptr;
  std::int32_t* status = nullptr;  ///< optional (estimate::status values)
};

/// Checks the shapes, the column mapping and every cell (a category outside an item's range,
/// or a negative value other than -1, throws invalid_argument naming the row and the item) and
/// only then scores. `threads` 0 = hardware concurrency. Results do not depend on `threads`.
/// Throws invalid_argument for bad options (estimate::validate).
void score_matrix(const bank::item_bank& bank, const matrix_view& m, const score_outputs& out,
                  const estimate::options& opts, unsigned threads);

}  // namespace dskill::bindings
