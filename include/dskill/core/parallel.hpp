// dskill::core: one parallel loop for the library's batch work (EM E-steps, simulation,
// in-memory scoring). It runs on oneTBB's shared worker pool, a private dependency of the
// compiled library, so repeated calls (one per EM iteration) start no threads.
#pragma once
#include <cstddef>
#include <functional>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace core {

/// Calls `body(begin, end)` once for each chunk [begin, end) of [0, n): chunk k covers
/// [k * chunk, min(n, (k + 1) * chunk)). At most `threads` chunks run at once (0 = one per
/// hardware thread). With threads == 1, or a single chunk, every chunk runs on the calling
/// thread in order. Which thread runs a chunk is not fixed: to keep results independent of the
/// thread count, write per-index (or per-chunk) results and reduce them in index order.
/// If a body throws, chunks not yet started are skipped and the first exception is rethrown
/// here once running chunks have finished. Requires chunk >= 1 (0 is read as 1).
void parallel_for(std::size_t n, std::size_t chunk, unsigned threads,
                  const std::function<void(std::size_t begin, std::size_t end)>& body);

}  // namespace core
DSKILL_END_NAMESPACE
