#include "dskill/core/time.hpp"

#include <ctime>

DSKILL_BEGIN_NAMESPACE
namespace core {

std::string utc_timestamp(std::chrono::system_clock::time_point at, utc_format format) {
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  std::tm tm{};
  gmtime_r(&t, &tm);  // the reentrant form: std::gmtime shares one buffer between threads
  char buf[32];
  const std::size_t n = std::strftime(buf, sizeof buf, format == utc_format::date ? "%Y-%m-%d" : "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, n);
}

std::string utc_timestamp(utc_format format) { return utc_timestamp(std::chrono::system_clock::now(), format); }

}  // namespace core
DSKILL_END_NAMESPACE
