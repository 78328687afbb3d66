#include "progress.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include <fmt/format.h>

DSKILL_BEGIN_NAMESPACE
namespace score::detail {

bool progress_clock::due() const { return seconds_since(last_) >= 0.5; }

void progress_clock::report(std::uint64_t rows_done, std::uint64_t rows_rejected, std::uint64_t bytes_consumed, bool final) {
  const auto now = clock::now();
  // A resumed run first re-reads the rows it skips: rate and time left count from the first
  // row scored (and the bytes read by then), so the skipping neither shows as 0 rows/s nor
  // makes the rest look slower.
  if (!working_ && rows_done > rows_before_) {
    working_ = true;
    work_start_ = last_;
    work_bytes_ = last_bytes_;
  }
  last_bytes_ = bytes_consumed;
  const double el = working_ ? std::chrono::duration<double>(now - work_start_).count() : 0.0;
  const double rate = el > 0 ? static_cast<double>(rows_done - rows_before_) / el : 0.0;
  const double frac = file_size_ ? static_cast<double>(bytes_consumed) / static_cast<double>(file_size_) : 0.0;
  const double base = file_size_ ? static_cast<double>(work_bytes_) / static_cast<double>(file_size_) : 0.0;
  std::string eta = "--:--";
  if (working_ && frac - base > 0.001 && frac < 1.0) {
    const long left = std::lround(el * (1.0 - frac) / (frac - base));  // rounded: truncating read low
    eta = fmt::format("{}:{:02}:{:02}", left / 3600, (left / 60) % 60, left % 60);
  }
  fmt::print(stderr, "\rdskill score: {} rows ({} rejected)  {:.0f} rows/s  {:.0f}%  time left {}   {}", rows_done,
             rows_rejected, rate, frac * 100.0, final ? "0:00:00" : eta, final ? "\n" : "");
  std::fflush(stderr);
  last_ = now;
}

}  // namespace score::detail
DSKILL_END_NAMESPACE
