// SHA-256 / SHA-384 through OpenSSL EVP. The digest implementations are fetched once (OpenSSL 3
// would otherwise look them up on every EVP_DigestInit_ex), the context lives with the hasher.
#include <openssl/evp.h>

#include "detail.hpp"
#include "dskill/error.hpp"

DSKILL_BEGIN_NAMESPACE
namespace ld::detail {

namespace {
const EVP_MD* fetch(hash_algorithm algorithm) {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
  static const EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static const EVP_MD* sha384 = EVP_MD_fetch(nullptr, "SHA384", nullptr);
#else
  static const EVP_MD* sha256 = EVP_sha256();
  static const EVP_MD* sha384 = EVP_sha384();
#endif
  const EVP_MD* md = algorithm == hash_algorithm::sha384 ? sha384 : sha256;
  if (md == nullptr) throw error(errc::internal, "OpenSSL has no SHA-256/SHA-384");
  return md;
}
}  // namespace

hasher::hasher(hash_algorithm algorithm) : ctx_(EVP_MD_CTX_new()), md_(fetch(algorithm)) {
  if (ctx_ == nullptr) throw error(errc::internal, "EVP_MD_CTX_new failed");
}

hasher::~hasher() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void hasher::begin() {
  if (EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), static_cast<const EVP_MD*>(md_), nullptr) != 1)
    throw error(errc::internal, "EVP_DigestInit_ex failed");
}

void hasher::update(std::string_view data) {
  if (!data.empty()) EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size());
}

void hasher::finish_hex(std::string& out) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), digest, &size);
  static constexpr char hex[] = "0123456789abcdef";
  out.resize(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 15];
  }
}

}  // namespace ld::detail
DSKILL_END_NAMESPACE
