// dskill::core: sealed state. What travels through a client (session snapshots) or sits on a
// disk others can read must not be readable or changeable by them: an unkeyed checksum is
// recomputed by whoever edits the bytes (a client turned six wrong answers into right ones and
// restore() took it). A sealed box is authenticated encryption under a secret only the server
// holds:
//
//   "DSKSEAL1" | key id (8 bytes) | nonce (24) | XChaCha20-Poly1305 ciphertext and tag
//
// (libsodium's crypto_aead_xchacha20poly1305_ietf, random nonces). The header and a purpose
// string ("dskill session snapshot") are bound as associated data, so a box made for one use
// does not open as another. The key id (BLAKE2b of the key) only lets a refusal say "sealed with
// another key" rather than "changed"; it reveals nothing of the key.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "dskill/config.hpp"

DSKILL_BEGIN_NAMESPACE
namespace core {

/// A 32-byte secret for sealed state. Keep it on the server (a file readable by the service only).
struct secret_key {
  std::array<unsigned char, 32> bytes{};
  /// A fresh random key (libsodium's CSPRNG).
  static secret_key generate();
  /// From 64 hex characters (surrounding whitespace ignored). Throws invalid_argument.
  static secret_key from_hex(std::string_view hex);
};

/// True when `bytes` starts like a sealed box (its contents are not checked).
bool is_sealed(std::span<const std::uint8_t> bytes) noexcept;

/// `plain` sealed under `key` for `purpose`.
std::vector<std::uint8_t> seal(std::span<const std::uint8_t> plain, const secret_key& key, std::string_view purpose);

/// The plain bytes of a box sealed under `key` for `purpose`. Throws serialization_error when
/// the bytes are not a sealed box, were sealed with another key or for another purpose, or were
/// changed in any way.
std::vector<std::uint8_t> open_sealed(std::span<const std::uint8_t> box, const secret_key& key, std::string_view purpose);

}  // namespace core
DSKILL_END_NAMESPACE
