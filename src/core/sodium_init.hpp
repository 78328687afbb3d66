// Internal to dskill::core: libsodium is initialised once per process before any use
// (sodium_init is idempotent and thread-safe; the static inside runs it once).
#pragma once
#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace core::detail {

/// Throws error(errc::internal) if libsodium cannot start.
void ensure_sodium();

}  // namespace core::detail
DSKILL_END_NAMESPACE
