// dskill::score: Open Badges 3.0 certificates for certified persons.
//
// Each certificate is an `AchievementCredential` (the Open Badges 3.0 alias of
// OpenBadgeCredential) in the W3C Verifiable Credentials 2.0 data model:
//  - the person appears only as a salted SHA-256 `IdentityObject`
//    (identityHash = "sha256$" + hex(SHA-256(person_id + salt)), hashed: true, salt); the raw id
//    is never written. The salt is per person: the first 16 bytes of HMAC-SHA-256(run secret,
//    person id), in hex, so identities cannot be found by hashing every national id number,
//    and a resumed run writes the same salt.
//  - `result` carries the overall and per-area theta (resultType ScaledScore) and level
//    (PerformanceLevel, achievedLevel pointing at a RubricCriterionLevel); the achievement's
//    `resultDescription` describes each; `alignment` lists the framework's competences.
//  - With a key, a `DataIntegrityProof` with cryptosuite `eddsa-jcs-2022` (W3C vc-di-eddsa):
//    SHA-256 of the JCS (RFC 8785) canonical proof configuration, followed by SHA-256 of the JCS
//    canonical credential without proof, signed with Ed25519 (libsodium); proofValue is
//    multibase base58btc. JCS, not RDF Dataset Canonicalization: no JSON-LD processing is done.
//    The issuer and verification method are the key's `did:key`.
// Our JCS: object keys sorted by code unit, no whitespace, strings escaped as RFC 8785 says.
// Every number in our documents is an integer (scores are strings, as Open Badges types them),
// which keeps JCS's number rule (ECMAScript shortest form) out of the question.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dskill/score/levels.hpp"
#include "dskill/score/scorer.hpp"

DSKILL_BEGIN_NAMESPACE
namespace score {

/// An Ed25519 key pair from a 32-byte seed.
struct signing_key {
  std::array<unsigned char, 32> public_key{};
  std::array<unsigned char, 64> secret_key{};
  /// From 64 hex characters (surrounding whitespace ignored). Throws invalid_argument.
  static signing_key from_seed_hex(std::string_view hex);
  /// Reads a file holding the seed in hex. Throws io_error / invalid_argument.
  static signing_key from_file(const std::string& path);
  /// "did:key:z6Mk..." (multicodec ed25519-pub, base58btc).
  std::string did_key() const;
};

struct credential_options {
  std::string issuer_id;      ///< empty: the key's did:key, or "urn:dskill:issuer:<bank id>"
  std::string issuer_name = "dskill";
  std::string identity_type = "identifier";  ///< Open Badges IdentifierTypeEnum value
  std::optional<signing_key> key;
};

/// What one run's credentials share.
struct credential_context {
  credential_options options;
  std::shared_ptr<const level_scheme> levels;
  std::string bank_id;
  std::string bank_fingerprint;
  std::string issued_at;                          ///< validFrom, ISO 8601 UTC
  std::array<unsigned char, 32> salt_secret{};    ///< per-run secret for the per-person salts
  double theta_min = -6.0, theta_max = 6.0;       ///< valueMin/valueMax of the ScaledScores
  /// Canonical JSON of each rule's achievement (filled by prepare_credentials; built on the
  /// fly when empty). The achievement describes every area; results list the areas answered.
  std::vector<std::string> achievements;
};

/// Fills ctx.achievements once per run, so each credential only adds the person's part.
void prepare_credentials(credential_context& ctx);

/// "sha256$<hex>" of person_id + salt (Open Badges IdentityHash).
std::string identity_hash(std::string_view person_id, std::string_view salt);
/// The per-person salt (32 hex characters) derived from the run secret.
std::string person_salt(const std::array<unsigned char, 32>& secret, std::string_view person_id);

/// The credential of a certified person: JSON text (one line) and its id (a urn:uuid derived
/// from the run secret and the person id, so a rerun gives the same id).
struct credential {
  std::string id;
  std::string json;
};
/// Throws state_error if the person is not certified or no level scheme is set.
credential make_credential(const credential_context& ctx, std::string_view person_id, const person_result& result);

/// Checks an eddsa-jcs-2022 proof against a public key. Returns an empty string when it holds,
/// otherwise what is wrong.
std::string verify_credential(std::string_view json_text, const std::array<unsigned char, 32>& public_key);

/// RFC 8785 canonical form of a JSON text (our documents: integers only). Throws parse_error.
std::string canonical_json(std::string_view json_text);
/// Base58 (Bitcoin alphabet).
std::string base58btc(std::span<const unsigned char> bytes);

}  // namespace score
DSKILL_END_NAMESPACE
