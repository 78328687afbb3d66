// Internal to dskill::score: the progress line of a batch run on stderr
// ("dskill score: N rows (M rejected)  R rows/s  P%  time left H:MM:SS"), at most twice a
// second, with the time left estimated from the share of the input's bytes consumed.
#pragma once
#include <chrono>
#include <cstdint>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score::detail {

class progress_clock {
 public:
  using clock = std::chrono::steady_clock;
  /// `start` is the run's start; `rows_before` the rows a resumed run skipped (not counted in
  /// the rate); `file_size` the input's size in bytes (0: unknown).
  progress_clock(clock::time_point start, std::uint64_t rows_before, std::uint64_t file_size)
      : start_(start), last_(start), rows_before_(rows_before), file_size_(file_size) {}
  /// True when half a second has passed since the last report.
  bool due() const;
  /// Prints the line; `final` ends it (and shows no time left).
  void report(std::uint64_t rows_done, std::uint64_t rows_rejected, std::uint64_t bytes_consumed, bool final);

 private:
  clock::time_point start_, last_;
  std::uint64_t rows_before_, file_size_;
  bool working_ = false;           // a row past rows_before has been scored
  clock::time_point work_start_;   // when (the report before) that happened
  std::uint64_t work_bytes_ = 0, last_bytes_ = 0;
};

/// Seconds since `t`.
inline double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace score::detail
DSKILL_END_NAMESPACE
