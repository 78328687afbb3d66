// dskill::score: revocation and suspension with W3C Bitstring Status Lists (v1.0).
//
// A batch run with a public URL gives each credential, for each purpose, an entry
//   {"id": "<list id>#<index>", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
//    "statusListIndex": "<index>", "statusListCredential": "<list id>"}
// where the list id is "<public url>/status/<purpose>/<n>.json", n = row / list_bits and index = row %
// list_bits (row = the input row - 1: unique and the same on a resumed run). The run writes each
// list, all bits 0, as a signed BitstringStatusListCredential to
// <credentials dir>/public/status/<purpose>/<n>.json: publish DIR/public at the public URL.
// `dskill revoke` sets (or clears) bits and signs the list again.
//
// encodedList is "u" + base64url (no padding) of the GZIP-compressed bitstring; bit 0 is the
// most significant bit of the first byte. Lists have 131,072 bits (16 KB), the specification's
// minimum, for herd privacy.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dskill/score/credential.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score {

inline constexpr std::uint64_t status_list_bits = 131072;

/// Where one credential's status lives.
struct status_position {
  std::string list_id;   ///< the BitstringStatusListCredential's id (URL)
  std::uint64_t index = 0;
};
/// The list id and index of row position `row` (input row - 1) for `purpose`.
status_position status_position_of(std::string_view public_url, std::string_view purpose, std::uint64_t row);

/// A decoded status list.
struct status_list {
  std::string id;       ///< the list credential's id
  std::string purpose;  ///< "revocation" or "suspension"
  std::vector<std::uint8_t> bits;  ///< packed, bit 0 = MSB of bits[0]
  bool get(std::uint64_t index) const;
  void set(std::uint64_t index, bool value);
  std::uint64_t size() const noexcept { return bits.size() * 8; }
};

/// An empty list (all bits 0) of status_list_bits bits.
status_list make_status_list(std::string id, std::string purpose);

/// The list as a BitstringStatusListCredential, signed when `key` is given (issuer and
/// suite as for credentials).
std::string status_list_credential(const status_list& list, const credential_options& issuer, std::string_view valid_from);

/// Decodes a BitstringStatusListCredential (its proof is not checked here: verify_credential
/// does). Throws parse_error naming what is wrong.
status_list read_status_list(std::string_view json_text);

/// "u" + base64url(gzip(bits)), and back (throws parse_error).
std::string encode_status_bits(const std::vector<std::uint8_t>& bits);
std::vector<std::uint8_t> decode_status_bits(std::string_view encoded);

}  // namespace score
DSKILL_END_NAMESPACE
