// dskill::core: content hashes. Bank fingerprints, spec hashes, snapshot and score-file
// provenance all name content the same way, so one function writes that name.
#pragma once
#include <string>
#include <string_view>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace core {

/// "sha256:" followed by the 64 lowercase hex digits of the SHA-256 of `bytes`.
/// Thread-safe; libsodium stays a private dependency of the compiled library.
std::string sha256_hex(std::string_view bytes);

}  // namespace core
DSKILL_END_NAMESPACE
