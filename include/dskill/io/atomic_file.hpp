// dskill::io: write a file so that readers see either the old content or the complete new
// content, never a half-written file, and never replace something that is not a regular file.
//
// Banks, reports, score summaries and credentials are all written this way: into a temporary
// file in the target's folder (so the final rename stays on one file system), every write and
// the close checked, the data flushed to disk (fsync of the file, then of the folder, so the
// rename survives a crash), then renamed over the target.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

/// How write_file_atomically and atomic_file behave.
struct write_options {
  bool create_parents = false;  ///< create missing parent folders first (as `mkdir -p`)
  bool sync = true;             ///< fsync the file and its folder (off: faster, not crash-safe)
};

/// A file being written that takes the place of `path` only on commit().
///
/// Opening checks the target: if `path` exists and is not a regular file (a symlink, a
/// device such as /dev/null, a FIFO, a socket, a folder) it throws io_error naming the path and
/// touches nothing. Destroying an uncommitted atomic_file removes the temporary file and leaves
/// the target as it was. Not thread-safe; one writer per object.
class atomic_file {
 public:
  explicit atomic_file(std::string path, const write_options& options = {});
  atomic_file(const atomic_file&) = delete;
  atomic_file& operator=(const atomic_file&) = delete;
  ~atomic_file();

  /// Appends `bytes` (buffered). Throws io_error naming the path when the write fails.
  void write(std::string_view bytes);
  /// Flushes, syncs, closes and renames into place. Throws io_error naming the path on any
  /// failure (the target is then unchanged). Call at most once.
  void commit();
  /// The target path.
  const std::string& path() const noexcept { return path_; }

 private:
  void flush();
  void discard() noexcept;
  std::string path_, tmp_;
  std::string buffer_;
  write_options options_;
  int fd_ = -1;
};

/// Removes the temporary files that atomic_file writers killed mid-write (SIGKILL, power loss)
/// left in `folder`: names of the form ".<target>.tmp.<pid>.<n>" whose process is gone. A run
/// that resumes into a folder calls it, so a kill leaves no stray file behind. Returns how many
/// it removed; a missing folder is not an error.
std::size_t remove_stale_temporaries(const std::string& folder);

/// Writes `bytes` to `path` atomically (see atomic_file).
void write_file_atomically(const std::string& path, std::string_view bytes, const write_options& options = {});
/// Writes to `path` atomically what `writer` writes into the atomic_file it is given; commits
/// when `writer` returns, discards (target unchanged) when it throws.
void write_file_atomically(const std::string& path, const std::function<void(atomic_file&)>& writer,
                           const write_options& options = {});

}  // namespace io
DSKILL_END_NAMESPACE
