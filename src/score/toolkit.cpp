#include "toolkit.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <sodium.h>

#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score::detail {

std::string sha256_hex(std::string_view bytes) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  std::string out = "sha256:";
  for (unsigned char c : h) fmt::format_to(std::back_inserter(out), "{:02x}", c);
  return out;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void write_atomically(const std::string& path, std::string_view text, bool sync) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw io_error(fmt::format("cannot write: {}", std::strerror(errno)), location{.file = tmp});
  std::size_t done = 0;
  while (done < text.size()) {
    const auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      ::close(fd);
      throw io_error(fmt::format("cannot write: {}", std::strerror(errno)), location{.file = tmp});
    }
    done += static_cast<std::size_t>(n);
  }
  if (sync) ::fsync(fd);
  ::close(fd);
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    throw io_error(fmt::format("cannot rename into place: {}", std::strerror(errno)), location{.file = path});
}

}  // namespace score::detail
DSKILL_END_NAMESPACE
