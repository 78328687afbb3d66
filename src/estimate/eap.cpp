// EAP: posterior mean and SD on a quadrature grid, in log space with max-rescaling, so a long
// or extreme pattern never underflows. eap_scorer precomputes log P(k | node) for the bank.
#include <algorithm>
#include <cmath>
#include <limits>

#include "dskill/detail/fast_math.hpp"
#include "dskill/estimate/estimate.hpp"
#include "dskill/irt/kernels.hpp"
#include "internal.hpp"

DSKILL_BEGIN_NAMESPACE
namespace estimate {

namespace {

// log P floors here in the table: a category that impossible carries no information beyond
// "never", and a finite floor keeps every node's sum finite (no -inf - -inf = NaN).
constexpr double min_log_p = -1e6;
// exp_vectorizable's domain; below it the weight is < 1e-307 of the mode's and adds nothing.
constexpr double min_exponent = -708.0;

/// Posterior mean and SD from log posterior values at the nodes (unnormalised). The sums are
/// centred on the node with the largest value (the grid mode), which keeps the variance free of
/// cancellation. When `weights_out` is given, the normalised weights are written there.
DSKILL_ALWAYS_INLINE result summarize(const double* nodes, const double* log_post, std::size_t n,
                                      double* weights_out = nullptr) noexcept {
  std::size_t mode = 0;
  for (std::size_t q = 1; q < n; ++q)
    if (log_post[q] > log_post[mode]) mode = q;
  const double top = log_post[mode], centre = nodes[mode];
  double s0 = 0.0, s1 = 0.0, s2 = 0.0;
  for (std::size_t q = 0; q < n; ++q) {
    double z = log_post[q] - top;
    z = z < min_exponent ? min_exponent : z;
    const double w = dskill::detail::exp_vectorizable(z);
    const double dx = nodes[q] - centre;
    s0 += w;
    s1 += w * dx;
    s2 += w * dx * dx;
    if (weights_out) weights_out[q] = w;
  }
  // s0 >= 1 (the mode's own weight), so these divisions are safe.
  const double shift = s1 / s0;
  result out;
  out.theta = centre + shift;
  out.se = std::sqrt(std::max(0.0, s2 / s0 - shift * shift));
  if (weights_out)
    for (std::size_t q = 0; q < n; ++q) weights_out[q] /= s0;
  return out;
}

}  // namespace

namespace detail {

result eap_estimate(const bank::item_bank& bank, std::span<const response> responses, const options& opts) {
  const quadrature quad = make_quadrature(opts.grid, opts.prior_, opts.rule);
  std::vector<double> log_post = quad.log_weights;
  int answered = 0;
  for (const auto& r : responses) {
    if (!usable(bank, r)) continue;
    ++answered;
    const auto& item = bank.params(r.item);
    double lp[irt::max_categories];
    for (std::size_t q = 0; q < quad.size(); ++q) {
      irt::log_probabilities(item, quad.nodes[q], lp);
      log_post[q] += std::max(lp[r.category], min_log_p);
    }
  }
  result out = summarize(quad.nodes.data(), log_post.data(), quad.size());
  if (answered == 0) out.state = status::no_responses;
  return out;
}

}  // namespace detail

eap_scorer::eap_scorer(const bank::item_bank& bank, const options& opts)
    : quad_(make_quadrature(opts.grid, opts.prior_, opts.rule)) {
  const std::size_t q_count = quad_.size();
  offset_.resize(bank.size() + 1);
  offset_[0] = 0;
  for (std::size_t i = 0; i < bank.size(); ++i)
    offset_[i + 1] = offset_[i] + static_cast<std::size_t>(bank.params(i).categories()) * q_count;
  table_.resize(offset_.back());
  double lp[irt::max_categories];
  for (std::size_t i = 0; i < bank.size(); ++i) {
    const auto& item = bank.params(i);
    const auto k_count = static_cast<std::size_t>(item.categories());
    double* base = table_.data() + offset_[i];
    for (std::size_t q = 0; q < q_count; ++q) {
      irt::log_probabilities(item, quad_.nodes[q], lp);
      for (std::size_t k = 0; k < k_count; ++k) base[k * q_count + q] = std::max(lp[k], min_log_p);
    }
  }
}

namespace {
/// The table row of log P(category | node) for a response, or nullptr when the response cannot
/// be scored (unknown item, category out of range).
inline const double* row_of(const std::vector<double>& table, const std::vector<std::size_t>& offset,
                            std::size_t q_count, const response& r) noexcept {
  if (r.item + 1 >= offset.size() || r.category < 0) return nullptr;
  const std::size_t start = offset[r.item] + static_cast<std::size_t>(r.category) * q_count;
  if (start + q_count > offset[r.item + 1]) return nullptr;
  return table.data() + start;
}

// The sweep: one add per answered item and node over contiguous rows; the compiler vectorises it.
DSKILL_ALWAYS_INLINE void accumulate(double* DSKILL_RESTRICT sum, const double* DSKILL_RESTRICT row,
                                     std::size_t n) noexcept {
  for (std::size_t q = 0; q < n; ++q) sum[q] += row[q];
}
}  // namespace

// The scoring sweep, compiled for AVX2+FMA as well as the baseline and chosen by the CPU at load
// time (as the bank's information sweep): the row additions and the exp loop vectorise.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
static result scoring_sweep(const std::vector<double>& table, const std::vector<std::size_t>& offset,
                            const quadrature& quad, std::span<const response> responses, double* sum) noexcept {
  const std::size_t q_count = quad.size();
  std::copy(quad.log_weights.begin(), quad.log_weights.end(), sum);
  int answered = 0;
  for (const auto& r : responses) {
    const double* row = row_of(table, offset, q_count, r);
    if (!row) continue;
    accumulate(sum, row, q_count);
    ++answered;
  }
  result out = summarize(quad.nodes.data(), sum, q_count);
  if (answered == 0) out.state = status::no_responses;
  return out;
}

result eap_scorer::operator()(std::span<const response> responses, std::span<double> scratch) const noexcept {
  const std::size_t q_count = quad_.size();
  if (scratch.size() >= q_count) return scoring_sweep(table_, offset_, quad_, responses, scratch.data());
  int answered = 0;
  // Too little scratch: a node-by-node pass with a small stack buffer, chunk by chunk. Two
  // sweeps (find the mode, then the moments) keep it allocation-free.
  constexpr std::size_t chunk = 64;
  double buffer[chunk];
  const auto node_sums = [&](std::size_t first, std::size_t count) {
    for (std::size_t q = 0; q < count; ++q) buffer[q] = quad_.log_weights[first + q];
    answered = 0;
    for (const auto& r : responses) {
      const double* row = row_of(table_, offset_, q_count, r);
      if (!row) continue;
      accumulate(buffer, row + first, count);
      ++answered;
    }
  };
  double top = -std::numeric_limits<double>::infinity();
  double centre = quad_.nodes[0];
  for (std::size_t first = 0; first < q_count; first += chunk) {
    const std::size_t count = std::min(chunk, q_count - first);
    node_sums(first, count);
    for (std::size_t q = 0; q < count; ++q)
      if (buffer[q] > top) {
        top = buffer[q];
        centre = quad_.nodes[first + q];
      }
  }
  double s0 = 0.0, s1 = 0.0, s2 = 0.0;
  for (std::size_t first = 0; first < q_count; first += chunk) {
    const std::size_t count = std::min(chunk, q_count - first);
    node_sums(first, count);
    for (std::size_t q = 0; q < count; ++q) {
      const double w = dskill::detail::exp_vectorizable(std::max(buffer[q] - top, min_exponent));
      const double dx = quad_.nodes[first + q] - centre;
      s0 += w;
      s1 += w * dx;
      s2 += w * dx * dx;
    }
  }
  const double shift = s1 / s0;
  result out;
  out.theta = centre + shift;
  out.se = std::sqrt(std::max(0.0, s2 / s0 - shift * shift));
  if (answered == 0) out.state = status::no_responses;
  return out;
}

result eap_scorer::operator()(std::span<const response> responses) const {
  std::vector<double> scratch(quad_.size());
  return (*this)(responses, scratch);
}

void eap_scorer::posterior(std::span<const response> responses, std::span<double> out) const noexcept {
  const std::size_t q_count = quad_.size();
  if (out.size() < q_count) return;
  double* sum = out.data();
  std::copy(quad_.log_weights.begin(), quad_.log_weights.end(), sum);
  for (const auto& r : responses)
    if (const double* row = row_of(table_, offset_, q_count, r)) accumulate(sum, row, q_count);
  // summarize reads log_post[q] before it writes weights_out[q], so in place is safe.
  (void)summarize(quad_.nodes.data(), sum, q_count, sum);
}

}  // namespace estimate
DSKILL_END_NAMESPACE
