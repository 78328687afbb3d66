#include "dskill/io/file_text.hpp"

#include <zlib.h>

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

}  // namespace io
DSKILL_END_NAMESPACE
