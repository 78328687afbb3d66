// dskill::core: the one place that turns a clock reading into text. Calibrated banks record
// the day they were made and score files the moment they were written, both in UTC so that a
// file means the same thing in every time zone.
#pragma once
#include <chrono>
#include <string>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace core {

/// What a timestamp shows.
enum class utc_format {
  date,       ///< "2026-12-01" (ISO 8601 calendar date)
  date_time,  ///< "2026-12-01T21:30:00Z" (ISO 8601 / RFC 3339, whole seconds, UTC)
};

/// `at` written in UTC as `format` (sub-second parts are dropped, not rounded).
std::string utc_timestamp(std::chrono::system_clock::time_point at, utc_format format = utc_format::date_time);
/// The current time written in UTC as `format`.
std::string utc_timestamp(utc_format format = utc_format::date_time);

}  // namespace core
DSKILL_END_NAMESPACE
