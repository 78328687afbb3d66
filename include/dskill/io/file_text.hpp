// dskill::io: whole-file reads and plain writes. With atomic_file.hpp and the streaming readers
// this is all the file access the library and the command line have: no other layer opens a
// file, so error messages, gzip support and write checks are the same everywhere.
#pragma once
#include <cstdio>
#include <string>
#include <string_view>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

/// The whole content of `path`; gzip files (any name) are decompressed transparently. Throws
/// io_error naming the file when it cannot be opened or read, or a gzip stream is corrupt or cut.
/// For inputs that must not be held in memory whole, use the streaming response readers.
std::string read_file_text(const std::string& path);

/// True if `path` names something that exists (never throws; false when it cannot be checked).
bool file_exists(const std::string& path) noexcept;
/// True only if nothing at all is at `path` (not even a dangling symlink): false when the path
/// exists or cannot be checked (a folder without permission). Never throws.
bool file_missing(const std::string& path) noexcept;

/// Writes `bytes` to `path` in place: created or truncated, through symlinks, and into devices
/// or FIFOs such as /dev/stdout. Every write and the close are checked; throws io_error naming
/// the path. For results a reader must never see half-written, use write_file_atomically.
void write_file_text(const std::string& path, std::string_view bytes);

/// A file written in place piece by piece (an iteration log as it happens), with the same checks
/// as write_file_text: write() and close() throw io_error naming the path. Closed, unchecked, by
/// the destructor if close() was not called.
class text_file {
 public:
  /// Opens `path` for writing (created or truncated), or appending when `append`.
  explicit text_file(std::string path, bool append = false);
  text_file(const text_file&) = delete;
  text_file& operator=(const text_file&) = delete;
  ~text_file();
  void write(std::string_view bytes);
  /// Flushes what is buffered to the file (an observer sees every line so far).
  void flush();
  void close();
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
};

}  // namespace io
DSKILL_END_NAMESPACE
