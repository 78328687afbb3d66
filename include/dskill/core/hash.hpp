// dskill::core: content hashes. Bank fingerprints, spec hashes, snapshot and score-file
// provenance all name content the same way, so one function writes that name.
#pragma once
#include <array>
#include <string>
#include <string_view>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace core {

/// The SHA-256 of `bytes` (OpenSSL, which uses the CPU's SHA instructions where it has them:
/// about 7x libsodium's portable code on what credentials hash). Thread-safe.
std::array<unsigned char, 32> sha256(std::string_view bytes);

/// "sha256:" followed by the 64 lowercase hex digits of the SHA-256 of `bytes`. Thread-safe.
std::string sha256_hex(std::string_view bytes);

}  // namespace core
DSKILL_END_NAMESPACE
