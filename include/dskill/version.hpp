// dskill: version of the library.
#pragma once
#include <string_view>

#include "dskill/config.hpp"

#define DSKILL_VERSION_MAJOR 0
#define DSKILL_VERSION_MINOR 1
#define DSKILL_VERSION_PATCH 0
#define DSKILL_VERSION_STRING "0.1.0"

DSKILL_BEGIN_NAMESPACE
/// The engine version, recorded in every score summary (and score row on request) and snapshot.
constexpr std::string_view version() noexcept { return DSKILL_VERSION_STRING; }
DSKILL_END_NAMESPACE
