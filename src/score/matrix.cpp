#include "dskill/score/matrix.hpp"

#include <algorithm>
#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "dskill/bank/latent.hpp"
#include "dskill/error.hpp"
#include "dskill/core/parallel.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score {

namespace {

constexpr std::size_t block_rows = 2048;

// The bank item of each column and its highest category.
struct column_map {
  std::vector<std::uint32_t> item;
  std::vector<std::int8_t> top;
};

column_map map_columns(const bank::item_bank& bank, const matrix_view& m) {
  if (!m.column_item && m.columns != bank.size())
    throw invalid_argument("responses have " + std::to_string(m.columns) + " columns but the bank has " +
                           std::to_string(bank.size()) + " items: without a column map column j is item j, so the " +
                           "widths must match (name the items of the columns to score a subset)");
  column_map c;
  c.item.resize(m.columns);
  c.top.resize(m.columns);
  for (std::size_t j = 0; j < m.columns; ++j) {
    const std::size_t i = m.column_item ? m.column_item[j] : j;
    if (i >= bank.size())
      throw invalid_argument("column " + std::to_string(j + 1) + " maps to item index " + std::to_string(i) +
                             ", outside the bank (" + std::to_string(bank.size()) + " items)");
    c.item[j] = static_cast<std::uint32_t>(i);
    c.top[j] = static_cast<std::int8_t>(std::min(127, bank.params(i).categories() - 1));
  }
  return c;
}

// Checks every cell, in parallel; throws for the first bad cell in row order.
void check_cells(const bank::item_bank& bank, const matrix_view& m, std::size_t stride, const column_map& c,
                 unsigned threads) {
  struct bad_cell {
    std::size_t row, column;
    int value;
  };
  std::atomic<std::size_t> first_bad{m.persons};
  std::vector<std::optional<bad_cell>> bad((m.persons + block_rows - 1) / block_rows);
  core::parallel_for(m.persons, block_rows, threads, [&](std::size_t begin, std::size_t end) {
    if (begin > first_bad.load(std::memory_order_relaxed)) return;
    for (std::size_t p = begin; p < end; ++p) {
      const std::int8_t* row = m.cells + p * stride;
      bool ok = true;
      for (std::size_t j = 0; j < m.columns; ++j) ok &= (row[j] >= -1) & (row[j] <= c.top[j]);
      if (ok) continue;
      for (std::size_t j = 0; j < m.columns; ++j)
        if (row[j] < -1 || row[j] > c.top[j]) {
          bad[begin / block_rows] = bad_cell{p, j, row[j]};
          break;
        }
      std::size_t cur = first_bad.load();
      while (p < cur && !first_bad.compare_exchange_weak(cur, p)) {
      }
      return;
    }
  });
  if (first_bad.load() == m.persons) return;
  const auto& b = *bad[first_bad.load() / block_rows];
  throw invalid_argument("row " + std::to_string(b.row + 1) + ", column " + std::to_string(b.column + 1) + ": category " +
                             std::to_string(b.value) + " is outside 0.." + std::to_string(c.top[b.column]) +
                             " (-1 = not administered)",
                         location{.row = b.row + 1, .item_id = bank.id(c.item[b.column])});
}

}  // namespace

void score_matrix(const scorer& s, const matrix_view& m, const matrix_outputs& out, unsigned threads) {
  const auto& bank = s.bank();
  if (m.persons > 0 && m.columns > 0 && m.cells == nullptr) throw invalid_argument("responses is NULL");
  if (m.persons > 0 && (out.theta == nullptr || out.se == nullptr))
    throw invalid_argument("theta and se outputs are required");
  if (m.persons > 1 && m.row_stride < m.columns)
    throw invalid_argument("row stride " + std::to_string(m.row_stride) + " is smaller than the " +
                           std::to_string(m.columns) + " columns");
  const column_map c = map_columns(bank, m);
  if (m.persons == 0) return;
  const std::size_t stride = m.persons > 1 ? m.row_stride : std::max(m.row_stride, m.columns);
  check_cells(bank, m, stride, c, threads);
  // Every row goes through scorer::score, as every record of a response file does.
  core::parallel_for(m.persons, block_rows, threads, [&](std::size_t begin, std::size_t end) {
    std::vector<estimate::response> pattern;
    pattern.reserve(m.columns);
    scorer::workspace ws;
    person_result r;
    for (std::size_t p = begin; p < end; ++p) {
      const std::int8_t* row = m.cells + p * stride;
      pattern.clear();
      for (std::size_t j = 0; j < m.columns; ++j)
        if (row[j] >= 0) pattern.push_back({c.item[j], row[j]});
      s.score(pattern, r, ws);
      out.theta[p] = r.overall.theta;
      out.se[p] = r.overall.se;
      if (out.status) out.status[p] = static_cast<std::int32_t>(r.overall.state);
    }
  });
}

estimate::options default_options(const bank::item_bank& bank) {
  estimate::options o;
  if (const auto latent = bank::latent_distribution(bank.info())) {
    o.prior_.mean = latent->mean;
    o.prior_.sd = latent->sd;
  }
  return o;
}

}  // namespace score
DSKILL_END_NAMESPACE
