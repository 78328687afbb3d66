// dskill::detail: sums of table rows over quadrature nodes, with the nodes held in vector
// registers over all the rows (the EAP scorer and the EM E-step).
//
// Adding row by row into a node array loads and stores it for every row; holding 16 (double) or
// 32 (float) nodes in four vector registers over all the rows loads only the table and stores
// once, and does not suffer split stores when the caller's array is not 32-byte aligned
// (bench_estimate bm_eap_scorer_offset). Each node's terms are added in the same order as the
// plain loop, so results are the same to the bit. Callers compile these into their
// DSKILL_CPU_DISPATCH functions, so the vectors are AVX2 where the CPU has it.
#pragma once
#include <cstddef>
#include <cstring>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace detail {

#if defined(__GNUC__)
#define DSKILL_LAMBDA_INLINE __attribute__((always_inline))

/// sum[q] = init[q] + row_of(0)[q] + ... + row_of(n_rows - 1)[q] for q < q_count.
/// `row_of(r)` returns a `const Real*` to row r's q_count values.
template <class Real, class InitReal, class RowOf>
DSKILL_ALWAYS_INLINE void sum_rows(const InitReal* init, std::size_t n_rows, RowOf&& row_of, std::size_t q_count,
                                   Real* sum) noexcept {
  typedef Real vec __attribute__((vector_size(32)));
  constexpr std::size_t lanes = sizeof(vec) / sizeof(Real);
  // Loads and stores through memcpy (unaligned, no aliasing assumptions); vectors pass by
  // reference only, so no vector crosses a call boundary (the ABI would differ without AVX).
  const auto add = [](vec& a, const Real* p) DSKILL_LAMBDA_INLINE {
    vec v;
    std::memcpy(&v, p, sizeof v);
    a += v;
  };
  const auto start = [&](vec& a, std::size_t first) DSKILL_LAMBDA_INLINE {
    Real v[lanes];
    for (std::size_t k = 0; k < lanes; ++k) v[k] = static_cast<Real>(init[first + k]);
    std::memcpy(&a, v, sizeof a);
  };
  std::size_t first = 0;
  for (; first + 4 * lanes <= q_count; first += 4 * lanes) {
    vec a0, a1, a2, a3;
    start(a0, first);
    start(a1, first + lanes);
    start(a2, first + 2 * lanes);
    start(a3, first + 3 * lanes);
    for (std::size_t r = 0; r < n_rows; ++r) {
      const Real* row = row_of(r) + first;
      add(a0, row);
      add(a1, row + lanes);
      add(a2, row + 2 * lanes);
      add(a3, row + 3 * lanes);
    }
    std::memcpy(sum + first, &a0, sizeof a0);
    std::memcpy(sum + first + lanes, &a1, sizeof a1);
    std::memcpy(sum + first + 2 * lanes, &a2, sizeof a2);
    std::memcpy(sum + first + 3 * lanes, &a3, sizeof a3);
  }
  for (; first + lanes <= q_count; first += lanes) {
    vec a;
    start(a, first);
    for (std::size_t r = 0; r < n_rows; ++r) add(a, row_of(r) + first);
    std::memcpy(sum + first, &a, sizeof a);
  }
  for (; first < q_count; ++first) {
    Real a = static_cast<Real>(init[first]);
    for (std::size_t r = 0; r < n_rows; ++r) a += row_of(r)[first];
    sum[first] = a;
  }
}

/// row_of(r)[q] += values[q] for every row r < n_rows and q < q_count (rows in order).
/// `row_of(r)` returns a `Real*`; rows must not overlap `values`.
template <class Real, class RowOf>
DSKILL_ALWAYS_INLINE void add_to_rows(const Real* values, std::size_t n_rows, RowOf&& row_of,
                                      std::size_t q_count) noexcept {
  typedef Real vec __attribute__((vector_size(32)));
  constexpr std::size_t lanes = sizeof(vec) / sizeof(Real);
  const auto add = [](Real* p, const vec& a) DSKILL_LAMBDA_INLINE {
    vec v;
    std::memcpy(&v, p, sizeof v);
    v += a;
    std::memcpy(p, &v, sizeof v);
  };
  std::size_t first = 0;
  for (; first + 4 * lanes <= q_count; first += 4 * lanes) {
    vec a0, a1, a2, a3;
    std::memcpy(&a0, values + first, sizeof a0);
    std::memcpy(&a1, values + first + lanes, sizeof a1);
    std::memcpy(&a2, values + first + 2 * lanes, sizeof a2);
    std::memcpy(&a3, values + first + 3 * lanes, sizeof a3);
    for (std::size_t r = 0; r < n_rows; ++r) {
      Real* row = row_of(r) + first;
      add(row, a0);
      add(row + lanes, a1);
      add(row + 2 * lanes, a2);
      add(row + 3 * lanes, a3);
    }
  }
  for (; first + lanes <= q_count; first += lanes) {
    vec a;
    std::memcpy(&a, values + first, sizeof a);
    for (std::size_t r = 0; r < n_rows; ++r) add(row_of(r) + first, a);
  }
  for (; first < q_count; ++first) {
    const Real a = values[first];
    for (std::size_t r = 0; r < n_rows; ++r) row_of(r)[first] += a;
  }
}
#else
template <class Real, class InitReal, class RowOf>
inline void sum_rows(const InitReal* init, std::size_t n_rows, RowOf&& row_of, std::size_t q_count, Real* sum) noexcept {
  for (std::size_t q = 0; q < q_count; ++q) sum[q] = static_cast<Real>(init[q]);
  for (std::size_t r = 0; r < n_rows; ++r) {
    const Real* row = row_of(r);
    for (std::size_t q = 0; q < q_count; ++q) sum[q] += row[q];
  }
}
template <class Real, class RowOf>
inline void add_to_rows(const Real* values, std::size_t n_rows, RowOf&& row_of, std::size_t q_count) noexcept {
  for (std::size_t r = 0; r < n_rows; ++r) {
    Real* row = row_of(r);
    for (std::size_t q = 0; q < q_count; ++q) row[q] += values[q];
  }
}
#endif

}  // namespace detail
DSKILL_END_NAMESPACE
