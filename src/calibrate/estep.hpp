// Internal: unique response patterns and the parallel E-step over them.
#pragma once
#include <cstdint>
#include <vector>

#include "dskill/calibrate/calibrate.hpp"

DSKILL_BEGIN_NAMESPACE
namespace calibrate::detail {

/// Unique (group, pattern) pairs in first-seen order. For pattern p the answered items are
/// offsets[start[p] .. start[p+1]), each the offset of (item, category) row in the tables.
struct pattern_set {
  std::vector<double> freq;
  std::vector<std::uint8_t> group;
  std::vector<std::uint32_t> start;
  std::vector<std::uint32_t> offsets;
};
/// Items flagged in `log_odds_items` (dichotomous, answered by every person) enter a pattern only
/// when the response is 1, through their category-1 row, which the caller then fills with the log
/// odds log P1 - log P0 (the sum of log P0 over these items goes into the prior). This halves the
/// E-step work on complete dichotomous data; the caller rebuilds their category-0 counts.
pattern_set compress(const problem& data, const std::vector<std::size_t>& table_offset, std::size_t nodes,
                     const std::vector<bool>& log_odds_items);

/// E-step over a pattern set. Patterns are cut into a fixed number of blocks (independent of the
/// thread count), each accumulated sequentially, and the blocks are summed in order: the result
/// is bitwise the same for any number of threads. No allocation per pattern.
class estep_engine {
 public:
  void configure(const pattern_set* patterns, std::size_t table_size, std::size_t nodes, int groups, int threads);
  /// table: log P(k | node) per (item, category) row of `nodes` doubles; log_prior per group.
  /// Writes expected counts (same layout as table) and posterior node counts per group; returns
  /// the marginal log-likelihood.
  double run(const double* table, const std::vector<std::vector<double>>& log_prior, std::vector<double>& counts,
             std::vector<double>& node_counts);

 private:
  void run_block(std::size_t b, const double* table, const std::vector<std::vector<double>>& log_prior);
  const pattern_set* ps_ = nullptr;
  std::size_t table_size_ = 0, nodes_ = 0, blocks_ = 1;
  int groups_ = 1;
  unsigned threads_ = 1;
  std::vector<std::vector<double>> block_counts_, block_nodes_, scratch_;
  std::vector<double> block_ll_;
};

}  // namespace calibrate::detail
DSKILL_END_NAMESPACE
