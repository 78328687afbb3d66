#include "dskill/core/hash.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <memory>

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

std::array<unsigned char, 32> sha256(std::string_view bytes) {
  // The implementation is fetched once (OpenSSL 3 would look it up on every init) and each
  // thread keeps its context.
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  struct ctx_free {
    void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
  };
  thread_local const std::unique_ptr<EVP_MD_CTX, ctx_free> ctx(EVP_MD_CTX_new());
  std::array<unsigned char, 32> out{};
  unsigned int n = 0;
  if (md == nullptr || !ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1 || EVP_DigestFinal_ex(ctx.get(), out.data(), &n) != 1 ||
      n != out.size())
    throw error(errc::internal, "OpenSSL SHA-256 failed");
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  const auto digest = sha256(bytes);
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
