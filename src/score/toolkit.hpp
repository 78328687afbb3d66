// Internal to dskill::score: stand-ins for the shared core/io toolkit until it is on main
// (core::sha256_hex, core::utc_timestamp, io::write_file_atomically). Temporary.
#pragma once
#include <string>
#include <string_view>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score::detail {

std::string sha256_hex(std::string_view bytes);
std::string utc_now();
/// `sync` false: no fsync (files a crash may lose, such as one credential of millions).
void write_atomically(const std::string& path, std::string_view text, bool sync = true);

}  // namespace score::detail
DSKILL_END_NAMESPACE
