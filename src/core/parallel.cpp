#include "dskill/core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>

DSKILL_BEGIN_NAMESPACE
namespace core {

void parallel_for(std::size_t n, std::size_t chunk, unsigned threads,
                  const std::function<void(std::size_t, std::size_t)>& body) {
  if (n == 0) return;
  chunk = std::max<std::size_t>(chunk, 1);
  const std::size_t chunks = (n - 1) / chunk + 1;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  // More slots than TBB may run (the hardware, or a global_control limit) gain nothing and
  // make TBB print a warning on standard error.
  const auto allowed = tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(allowed, 1)));
  if (threads == 1 || chunks == 1) {
    for (std::size_t k = 0; k < chunks; ++k) body(k * chunk, std::min(n, (k + 1) * chunk));
    return;
  }
  // Our own first-exception capture (rather than TBB's cancellation) so that the exception
  // type reaches the caller unchanged whatever TBB's exception settings are.
  std::atomic<bool> failed{false};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const int slots = static_cast<int>(std::min<std::size_t>(threads, chunks));
  tbb::task_arena arena(slots);
  arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, chunks, 1),
        [&](const tbb::blocked_range<std::size_t>& r) {
          for (std::size_t k = r.begin(); k != r.end(); ++k) {
            if (failed.load(std::memory_order_relaxed)) return;
            try {
              body(k * chunk, std::min(n, (k + 1) * chunk));
            } catch (...) {
              std::lock_guard lock(failure_mutex);
              if (!failure) failure = std::current_exception();
              failed.store(true, std::memory_order_relaxed);
            }
          }
        },
        tbb::simple_partitioner());
  });
  if (failure) std::rethrow_exception(failure);
}

}  // namespace core
DSKILL_END_NAMESPACE
