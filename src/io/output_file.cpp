#include "dskill/io/output_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <unistd.h>

#include <fmt/format.h>

#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

namespace fs = std::filesystem;
namespace {
constexpr std::size_t buffer_size = std::size_t(1) << 20;
}

output_file::output_file() = default;

output_file::~output_file() {
  if (f_ && owned_) std::fclose(f_);
}

void output_file::fail(std::string_view what) const {
  throw io_error(fmt::format("{}: {}", what, std::strerror(errno)), location{.file = path_});
}

void output_file::open_stdout() {
  f_ = stdout;
  owned_ = false;
}

void output_file::open(const std::string& path, std::optional<std::uint64_t> resume_size) {
  path_ = path;
  if (resume_size) {
    f_ = std::fopen(path.c_str(), "r+b");
    if (!f_) fail("cannot reopen to resume");
    owned_ = true;
    if (::ftruncate(fileno(f_), static_cast<off_t>(*resume_size)) != 0 || std::fseek(f_, 0, SEEK_END) != 0)
      fail("cannot truncate to resume");
    bytes_ = *resume_size;
  } else {
    f_ = std::fopen(path.c_str(), "wb");
    if (!f_) fail("cannot create");
    owned_ = true;
    bytes_ = 0;  // (an object may be reopened on another file)
  }
  buffer_ = std::make_unique<char[]>(buffer_size);
  std::setvbuf(f_, buffer_.get(), _IOFBF, buffer_size);
}

void output_file::write(std::string_view bytes) {
  if (bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), f_) != bytes.size()) fail("write failed");
  bytes_ += bytes.size();
}

void output_file::sync() {
  if (std::fflush(f_) != 0) fail("write failed");
  if (owned_) ::fdatasync(fileno(f_));
}

void output_file::close() {
  if (!f_) return;
  if (std::fflush(f_) != 0) fail("write failed");
  std::FILE* f = f_;
  f_ = nullptr;
  if (owned_ && std::fclose(f) != 0) fail("close failed");
}

void create_directories(const std::string& path, std::string_view what) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) throw io_error(fmt::format("cannot create {}: {}", what, ec.message()), location{.file = path});
}

std::string folder_of(const std::string& path) {
  const auto parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

void check_writable_location(const std::string& path, std::string_view what) {
  if (path.empty() || path == "-") return;
  const std::string folder = folder_of(path);
  create_directories(folder, fmt::format("the folder for {}", what));
  if (::access(folder.c_str(), W_OK | X_OK) != 0)
    throw io_error(fmt::format("cannot write {} in {}: {}", what, folder, std::strerror(errno)), location{.file = path});
}

bool path_exists(const std::string& path) noexcept {
  std::error_code ec;
  return fs::exists(path, ec);
}

void remove_file(const std::string& path) noexcept {
  std::error_code ec;
  fs::remove(path, ec);
}

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  auto p = fs::absolute(path, ec);
  return ec ? path : p.string();
}

std::optional<std::uint64_t> file_size(const std::string& path) noexcept {
  std::error_code ec;
  const auto n = fs::file_size(path, ec);
  if (ec) return std::nullopt;
  return n;
}

}  // namespace io
DSKILL_END_NAMESPACE
