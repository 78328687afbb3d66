#include "batch_score.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "dskill/error.hpp"

namespace dskill::bindings {
namespace {

constexpr std::size_t block_rows = 2048;

/// Runs body(begin, end) over blocks of rows on `threads` threads. The first exception wins and
/// is rethrown on the calling thread.
template <class Body>
void parallel_blocks(std::size_t rows, unsigned threads, Body&& body) {
  const std::size_t blocks = (rows + block_rows - 1) / block_rows;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(blocks, 1)));
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto worker = [&] {
    try {
      for (;;) {
        const std::size_t b = next.fetch_add(1, std::memory_order_relaxed);
        if (b >= blocks) return;
        body(b * block_rows, std::min(rows, (b + 1) * block_rows));
      }
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next.store(blocks, std::memory_order_relaxed);
    }
  };
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

void score_matrix(const bank::item_bank& bank, const matrix_view& m, const score_outputs& out,
                  const estimate::options& opts, unsigned threads) {
  if (m.persons > 0 && m.columns > 0 && m.cells == nullptr) throw invalid_argument("responses is NULL");
  if (m.persons > 0 && (out.theta == nullptr || out.se == nullptr))
    throw invalid_argument("theta and se outputs are required");
  if (m.persons > 1 && m.row_stride < m.columns)
    throw invalid_argument("row stride " + std::to_string(m.row_stride) + " is smaller than the " +
                           std::to_string(m.columns) + " columns");
  estimate::validate(opts);
  // Column -> item and the number of categories per column.
  std::vector<std::uint32_t> item(m.columns);
  std::vector<std::int8_t> top(m.columns);
  for (std::size_t j = 0; j < m.columns; ++j) {
    const std::size_t i = m.column_item ? m.column_item[j] : j;
    if (i >= bank.size())
      throw invalid_argument("column " + std::to_string(j + 1) + " maps to item index " + std::to_string(i) +
                             ", outside the bank (" + std::to_string(bank.size()) + " items)");
    item[j] = static_cast<std::uint32_t>(i);
    top[j] = static_cast<std::int8_t>(std::min(127, bank.params(i).categories() - 1));
  }
  if (m.persons == 0) return;
  const std::size_t stride = m.persons > 1 ? m.row_stride : std::max(m.row_stride, m.columns);

  // Check every cell first, so a bad cell fails the call before anything is written.
  struct bad_cell {
    std::size_t row, column;
    int value;
  };
  std::atomic<std::size_t> first_bad{m.persons};
  std::vector<std::optional<bad_cell>> bad((m.persons + block_rows - 1) / block_rows);
  parallel_blocks(m.persons, threads, [&](std::size_t begin, std::size_t end) {
    if (begin > first_bad.load(std::memory_order_relaxed)) return;
    for (std::size_t p = begin; p < end; ++p) {
      const std::int8_t* row = m.cells + p * stride;
      bool ok = true;
      for (std::size_t j = 0; j < m.columns; ++j) ok &= (row[j] >= -1) & (row[j] <= top[j]);
      if (ok) continue;
      for (std::size_t j = 0; j < m.columns; ++j)
        if (row[j] < -1 || row[j] > top[j]) {
          bad[begin / block_rows] = bad_cell{p, j, row[j]};
          break;
        }
      std::size_t cur = first_bad.load();
      while (p < cur && !first_bad.compare_exchange_weak(cur, p)) {
      }
      return;
    }
  });
  if (first_bad.load() < m.persons) {
    const auto& b = *bad[first_bad.load() / block_rows];
    throw invalid_argument("row " + std::to_string(b.row + 1) + ", column " + std::to_string(b.column + 1) +
                               ": category " + std::to_string(b.value) + " is outside 0.." +
                               std::to_string(top[b.column]) + " (-1 = not administered)",
                           location{.row = b.row + 1, .item_id = bank.id(item[b.column])});
  }

  std::optional<estimate::eap_scorer> eap;
  if (opts.estimator == estimate::method::eap) eap.emplace(bank, opts);
  parallel_blocks(m.persons, threads, [&](std::size_t begin, std::size_t end) {
    std::vector<estimate::response> pattern;
    pattern.reserve(m.columns);
    std::vector<double> scratch(eap ? eap->nodes() : 0);
    for (std::size_t p = begin; p < end; ++p) {
      const std::int8_t* row = m.cells + p * stride;
      pattern.clear();
      for (std::size_t j = 0; j < m.columns; ++j)
        if (row[j] >= 0) pattern.push_back({item[j], row[j]});
      const estimate::result r = eap ? (*eap)(pattern, scratch) : estimate::estimate_theta(bank, pattern, opts);
      out.theta[p] = r.theta;
      out.se[p] = r.se;
      if (out.status) out.status[p] = static_cast<std::int32_t>(r.state);
    }
  });
}

}  // namespace dskill::bindings
