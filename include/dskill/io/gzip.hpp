// dskill::io: gzip in memory (RFC 1952, zlib). Members concatenate: a file made of members
// appended one after another is one valid gzip file (gzip, zcat, Python, Node and
// read_file_text read it whole), so a writer can compress chunks in parallel and append them
// in order, and a resumed run can cut the file at a member boundary.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

/// Appends `data` to `out` as one gzip member, compressed at `level` (1 fastest .. 9 smallest).
void append_gzip(std::string& out, std::string_view data, int level = 1);

/// The decompressed bytes of a gzip stream (every member). Throws parse_error when it is not
/// gzip, is cut short, or would expand past `max_bytes`.
std::string gunzip(std::string_view gz, std::size_t max_bytes);

}  // namespace io
DSKILL_END_NAMESPACE
