#include "dskill/io/gzip.hpp"

#include <array>

#include <fmt/format.h>
#include <zlib.h>

#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace io {

void append_gzip(std::string& out, std::string_view data, int level) {
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw error(errc::internal, "zlib: deflateInit2 failed");
  const std::size_t start = out.size();
  out.resize(start + deflateBound(&z, static_cast<uLong>(data.size())) + 32);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data() + start);
  z.avail_out = static_cast<uInt>(out.size() - start);
  const int rc = deflate(&z, Z_FINISH);
  const std::size_t n = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw error(errc::internal, "zlib: deflate failed");
  out.resize(start + n);
}

std::string gunzip(std::string_view gz, std::size_t max_bytes) {
  std::string out;
  std::array<char, 16384> buf{};
  while (!gz.empty()) {  // one member after another
    z_stream z{};
    if (inflateInit2(&z, 15 + 16) != Z_OK) throw error(errc::internal, "zlib: inflateInit2 failed");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
    z.avail_in = static_cast<uInt>(gz.size());
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
      z.next_out = reinterpret_cast<Bytef*>(buf.data());
      z.avail_out = buf.size();
      rc = inflate(&z, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END) {
        inflateEnd(&z);
        throw parse_error("not a gzip stream, or a damaged one");
      }
      out.append(buf.data(), buf.size() - z.avail_out);
      if (out.size() > max_bytes) {
        inflateEnd(&z);
        throw parse_error(fmt::format("gzip stream expands to more than {} bytes", max_bytes));
      }
      if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
        inflateEnd(&z);
        throw parse_error("the gzip stream is cut short");
      }
    }
    gz.remove_prefix(gz.size() - z.avail_in);
    inflateEnd(&z);
  }
  return out;
}

}  // namespace io
DSKILL_END_NAMESPACE
