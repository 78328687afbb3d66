// dskill::io: read a whole text file, plain or gzip-compressed, into memory.
#pragma once
#include <string>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

/// The whole content of `path`; gzip files (any name) are decompressed transparently. Throws
/// io_error naming the file when it cannot be opened or read, or a gzip stream is corrupt or cut.
/// For inputs that must not be held in memory whole, use the streaming response readers.
std::string read_file_text(const std::string& path);

}  // namespace io
DSKILL_END_NAMESPACE
