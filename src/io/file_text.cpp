#include "dskill/io/file_text.hpp"

#include <sys/stat.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

std::string read_file_text(const std::string& path) {
  // gzopen reads plain files as they are, so one path serves both.
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) throw io_error("cannot open file", location{.file = path});
  gzbuffer(file, 1 << 17);
  std::string text;
  char block[1 << 16];
  while (true) {
    const int n = gzread(file, block, sizeof block);
    if (n < 0) {
      int code = 0;
      const std::string why = gzerror(file, &code);
      gzclose(file);
      throw io_error(fmt::format("cannot read file: {}", why), location{.file = path});
    }
    if (n == 0) break;
    text.append(block, static_cast<std::size_t>(n));
  }
  int code = 0;
  const char* why = gzerror(file, &code);
  const std::string problem = code != Z_OK && code != Z_STREAM_END ? why : "";
  gzclose(file);
  if (!problem.empty()) throw io_error(fmt::format("cannot read file: {}", problem), location{.file = path});
  return text;
}

bool file_exists(const std::string& path) noexcept {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

bool file_missing(const std::string& path) noexcept {
  struct stat st {};
  return ::lstat(path.c_str(), &st) != 0 && (errno == ENOENT || errno == ENOTDIR);
}

void write_file_text(const std::string& path, std::string_view bytes) {
  text_file f(path);
  f.write(bytes);
  f.close();
}

text_file::text_file(std::string path, bool append) : path_(std::move(path)) {
  file_ = std::fopen(path_.c_str(), append ? "ab" : "wb");
  if (!file_) throw io_error(fmt::format("cannot write: {}", std::strerror(errno)), location{.file = path_});
}

text_file::~text_file() {
  if (file_) std::fclose(file_);
}

void text_file::write(std::string_view bytes) {
  if (!file_) throw io_error("write after close", location{.file = path_});
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    throw io_error(fmt::format("cannot write: {}", std::strerror(errno)), location{.file = path_});
}

void text_file::flush() {
  if (file_ && std::fflush(file_) != 0)
    throw io_error(fmt::format("cannot write: {}", std::strerror(errno)), location{.file = path_});
}

void text_file::close() {
  if (!file_) return;
  const bool flushed = std::fflush(file_) == 0;
  const int err = errno;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!flushed || !closed)
    throw io_error(fmt::format("cannot write: {}", std::strerror(flushed ? errno : err)), location{.file = path_});
}

}  // namespace io
DSKILL_END_NAMESPACE
