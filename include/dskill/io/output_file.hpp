// dskill::io: output streams that long runs append to and resume, and the file-system queries
// they need (the batch scorer's scores, rejects and credential bundle go through these).
#pragma once
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

/// A buffered output stream: a file created fresh, a file cut back to a known size to resume
/// appending (a checkpoint recorded the size), or standard output. Every write, flush and
/// close is checked and a failure throws io_error naming the path. Not thread-safe.
class output_file {
 public:
  output_file();
  ~output_file();
  output_file(const output_file&) = delete;
  output_file& operator=(const output_file&) = delete;

  /// Writes to standard output (never closed here; sync() only flushes it).
  void open_stdout();
  /// A new file (replacing what is there), or with `resume_size` the existing file truncated
  /// to that many bytes, written on from there.
  void open(const std::string& path, std::optional<std::uint64_t> resume_size = std::nullopt);
  void write(std::string_view bytes);
  /// Flushes and, for a file, syncs the data to disk (before a checkpoint records its size).
  void sync();
  /// Flushes and closes; idempotent. The destructor closes without checking.
  void close();
  /// Bytes in the file: the resume size plus what was written since.
  std::uint64_t bytes() const noexcept { return bytes_; }
  bool is_open() const noexcept { return f_ != nullptr; }

 private:
  [[noreturn]] void fail(std::string_view what) const;
  std::FILE* f_ = nullptr;
  bool owned_ = false;
  std::string path_;
  std::unique_ptr<char[]> buffer_;
  std::uint64_t bytes_ = 0;
};

/// Creates `path` and its missing parents (as `mkdir -p`); throws io_error "cannot create
/// <what>: <reason>" naming the path.
void create_directories(const std::string& path, std::string_view what);
/// Makes sure a file can be created at `path` before a long job starts: creates its missing
/// parent folders and checks that the folder is writable. Throws io_error "cannot write <what>
/// in <folder>: <reason>" naming the path. "-" (standard output) and "" pass.
void check_writable_location(const std::string& path, std::string_view what);
/// The folder part of `path` ("." for a bare file name).
std::string folder_of(const std::string& path);
/// True when something exists at `path`.
bool path_exists(const std::string& path) noexcept;
/// Removes the file at `path` if there is one; errors are ignored (best-effort clean-up).
void remove_file(const std::string& path) noexcept;
/// `path` made absolute against the working directory (not resolved); `path` itself on error.
std::string absolute_path(const std::string& path);
/// The size of the file at `path`, or empty when it cannot be read.
std::optional<std::uint64_t> file_size(const std::string& path) noexcept;

}  // namespace io
DSKILL_END_NAMESPACE
