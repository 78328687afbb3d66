#include "dskill/core/hash.hpp"

#include <sodium.h>

#include "dskill/error.hpp"
#include "sodium_init.hpp"

DSKILL_BEGIN_NAMESPACE
namespace core {

namespace detail {
void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw error(errc::internal, "libsodium failed to initialise");
}
}  // namespace detail

std::string sha256_hex(std::string_view bytes) {
  detail::ensure_sodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  static constexpr char digits[] = "0123456789abcdef";
  std::string out = "sha256:";
  out.reserve(out.size() + 2 * sizeof digest);
  for (unsigned char c : digest) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

}  // namespace core
DSKILL_END_NAMESPACE
