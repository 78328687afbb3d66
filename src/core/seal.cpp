#include "dskill/core/seal.hpp"

#include <sodium.h>

#include <cctype>
#include <cstring>

#include "dskill/error.hpp"
#include "sodium_init.hpp"

DSKILL_BEGIN_NAMESPACE
namespace core {

namespace {

constexpr unsigned char magic[8] = {'D', 'S', 'K', 'S', 'E', 'A', 'L', '1'};
constexpr std::size_t id_bytes = 8;
constexpr std::size_t nonce_bytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t header_bytes = sizeof magic + id_bytes + nonce_bytes;
constexpr std::size_t tag_bytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32);

std::array<unsigned char, id_bytes> key_id(const secret_key& key) {
  static constexpr std::string_view domain = "dskill sealed-state key id";
  std::array<unsigned char, id_bytes> id{};
  crypto_generichash(id.data(), id.size(), reinterpret_cast<const unsigned char*>(domain.data()), domain.size(),
                     key.bytes.data(), key.bytes.size());
  return id;
}

// Associated data: the header (magic, key id, nonce) and the purpose.
std::vector<unsigned char> associated(const unsigned char* header, std::string_view purpose) {
  std::vector<unsigned char> ad(header_bytes + purpose.size());
  std::memcpy(ad.data(), header, header_bytes);
  if (!purpose.empty()) std::memcpy(ad.data() + header_bytes, purpose.data(), purpose.size());
  return ad;
}

}  // namespace

secret_key secret_key::generate() {
  detail::ensure_sodium();
  secret_key k;
  randombytes_buf(k.bytes.data(), k.bytes.size());
  return k;
}

secret_key secret_key::from_hex(std::string_view hex) {
  detail::ensure_sodium();
  while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.front()))) hex.remove_prefix(1);
  while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.back()))) hex.remove_suffix(1);
  secret_key k;
  std::size_t len = 0;
  if (hex.size() != 64 || sodium_hex2bin(k.bytes.data(), k.bytes.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != k.bytes.size())
    throw invalid_argument("secret key: expected 32 bytes as 64 hexadecimal characters");
  return k;
}

bool is_sealed(std::span<const std::uint8_t> bytes) noexcept {
  return bytes.size() >= sizeof magic && std::memcmp(bytes.data(), magic, sizeof magic) == 0;
}

std::vector<std::uint8_t> seal(std::span<const std::uint8_t> plain, const secret_key& key, std::string_view purpose) {
  detail::ensure_sodium();
  std::vector<std::uint8_t> out(header_bytes + plain.size() + tag_bytes);
  std::memcpy(out.data(), magic, sizeof magic);
  const auto id = key_id(key);
  std::memcpy(out.data() + sizeof magic, id.data(), id.size());
  randombytes_buf(out.data() + sizeof magic + id_bytes, nonce_bytes);
  const auto ad = associated(out.data(), purpose);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + header_bytes, &written, plain.data(), plain.size(), ad.data(),
                                             ad.size(), nullptr, out.data() + sizeof magic + id_bytes, key.bytes.data());
  out.resize(header_bytes + written);
  return out;
}

std::vector<std::uint8_t> open_sealed(std::span<const std::uint8_t> box, const secret_key& key, std::string_view purpose) {
  detail::ensure_sodium();
  if (!is_sealed(box))
    throw serialization_error("not a sealed box: state is accepted only as written sealed by this server (with its key)");
  if (box.size() < header_bytes + tag_bytes) throw serialization_error("sealed box is truncated");
  const auto id = key_id(key);
  if (std::memcmp(box.data() + sizeof magic, id.data(), id.size()) != 0)
    throw serialization_error("sealed with another key: this server's key does not open it");
  const auto ad = associated(box.data(), purpose);
  std::vector<std::uint8_t> plain(box.size() - header_bytes - tag_bytes);
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &written, nullptr, box.data() + header_bytes,
                                                 box.size() - header_bytes, ad.data(), ad.size(),
                                                 box.data() + sizeof magic + id_bytes, key.bytes.data()) != 0)
    throw serialization_error("sealed box was changed (or sealed for another purpose): refused");
  plain.resize(written);
  return plain;
}

}  // namespace core
DSKILL_END_NAMESPACE
