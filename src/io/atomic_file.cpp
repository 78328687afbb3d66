#include "dskill/io/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "dskill/error.hpp"
#include "dskill/io/output_file.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

namespace {

constexpr std::size_t buffer_size = 1 << 16;

[[noreturn]] void fail(std::string_view what, const std::string& path, int err) {
  throw io_error(fmt::format("{}: {}", what, std::strerror(err)), location{.file = path});
}

const char* kind_of(mode_t m) {
  if (S_ISLNK(m)) return "a symbolic link";
  if (S_ISDIR(m)) return "a folder";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISSOCK(m)) return "a socket";
  return "not a regular file";
}

}  // namespace

atomic_file::atomic_file(std::string path, const write_options& options) : path_(std::move(path)), options_(options) {
  if (path_.empty()) throw io_error("cannot write: empty file name");
  struct stat st {};
  if (::lstat(path_.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode))
      throw io_error(fmt::format("refusing to replace {}: only regular files are written", kind_of(st.st_mode)),
                     location{.file = path_});
  } else if (errno != ENOENT) {
    fail("cannot write", path_, errno);
  }
  const std::string folder = folder_of(path_);
  if (options_.create_parents && folder != ".") {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) throw io_error(fmt::format("cannot create folder '{}': {}", folder, ec.message()), location{.file = path_});
  }
  // A unique hidden name next to the target: concurrent writers of different targets in one
  // folder (credentials) never share a temporary file. O_EXCL refuses to follow anything.
  static std::atomic<unsigned long> counter{0};
  const std::string base = std::filesystem::path(path_).filename().string();
  for (int attempt = 0;; ++attempt) {
    tmp_ = (std::filesystem::path(folder) / fmt::format(".{}.tmp.{}.{}", base, ::getpid(), counter.fetch_add(1))).string();
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ >= 0) break;
    if (errno != EEXIST || attempt > 100) fail("cannot write", path_, errno);
  }
  buffer_.reserve(buffer_size);
}

std::size_t remove_stale_temporaries(const std::string& folder) {
  std::error_code ec;
  std::filesystem::directory_iterator it(folder, ec), end;
  if (ec) return 0;
  std::size_t removed = 0;
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    const std::string name = it->path().filename().string();
    // ".<target>.tmp.<pid>.<n>", as the constructor above names them: the pid runs from after
    // the last ".tmp." to the next dot.
    const auto tmp = name.rfind(".tmp.");
    if (name.empty() || name[0] != '.' || tmp == std::string::npos || tmp == 0) continue;
    const char* first = name.data() + tmp + 5;
    const char* last = name.data() + name.size();
    pid_t pid = 0;
    const auto [end_of_pid, ec_pid] = std::from_chars(first, last, pid);
    if (ec_pid != std::errc{} || end_of_pid == first || end_of_pid == last || *end_of_pid != '.' || pid <= 0) continue;
    // A live writer (this process, or another run writing into the folder) keeps its file.
    if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno == EPERM) continue;
    if (::unlink(it->path().c_str()) == 0) ++removed;
  }
  return removed;
}

atomic_file::~atomic_file() { discard(); }

void atomic_file::discard() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!tmp_.empty()) {
    ::unlink(tmp_.c_str());
    tmp_.clear();
  }
}

void atomic_file::flush() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const auto n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      discard();
      fail("cannot write", path_, err);
    }
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

void atomic_file::write(std::string_view bytes) {
  if (fd_ < 0) throw io_error("write after commit or failure", location{.file = path_});
  if (buffer_.size() + bytes.size() > buffer_size) {
    flush();
    if (bytes.size() >= buffer_size) {
      buffer_.assign(bytes);  // one large write: no point in splitting it
      flush();
      return;
    }
  }
  buffer_.append(bytes);
}

void atomic_file::commit() {
  if (fd_ < 0) throw io_error("commit after commit or failure", location{.file = path_});
  flush();
  if (options_.sync && ::fsync(fd_) != 0) {
    const int err = errno;
    discard();
    fail("cannot write", path_, err);
  }
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {  // NFS and quota errors can surface only here
    const int err = errno;
    discard();
    fail("cannot write", path_, err);
  }
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    discard();
    fail("cannot rename into place", path_, err);
  }
  tmp_.clear();
  if (options_.sync) {
    // Makes the rename itself durable. Best effort: some file systems cannot fsync a folder,
    // and the content is already safe on disk.
    const int dir = ::open(folder_of(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
  }
}

void write_file_atomically(const std::string& path, std::string_view bytes, const write_options& options) {
  atomic_file f(path, options);
  f.write(bytes);
  f.commit();
}

void write_file_atomically(const std::string& path, const std::function<void(atomic_file&)>& writer,
                           const write_options& options) {
  atomic_file f(path, options);
  writer(f);
  f.commit();
}

}  // namespace io
DSKILL_END_NAMESPACE
