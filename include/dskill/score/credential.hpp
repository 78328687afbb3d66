// dskill::score: Open Badges 3.0 certificates for certified persons, as W3C Verifiable
// Credentials 2.0 secured with W3C Data Integrity proofs, and their verification.
//
// Each certificate is an `AchievementCredential` valid against the official 1EdTech OB 3.0
// JSON Schema (checked in CI with ajv):
//  - the person appears only as an `IdentityObject` whose identityHash is
//    "sha256$" + hex(SHA-256(person_id + salt)); the salt is per person, 16 bytes of
//    HMAC-SHA-256(identity secret, person id), and is NOT written in the credential. Whoever
//    holds the identity secret (the platform) recomputes the salt of a claimed id and checks the
//    hash; a stranger holding the credential cannot test guessed ids, since the 128-bit salt is
//    unknown. See docs/scoring.md, "Identities", for what this protects and what it does not.
//  - `result` carries the overall and per-area proficiency levels (PerformanceLevel results whose
//    achievedLevel points at a RubricCriterionLevel of the achievement). The achievement is the
//    same for everyone certified by one rule: its text is built once per run.
//  - alignments point at the framework's competence areas and competences by the URL the
//    framework declares (`framework.url`, competences as URL#id); names and descriptions are in
//    the run's language.
//  - `validFrom`, optional `validUntil`, `credentialSchema` (the OB 3.0 JSON Schema) and, with a
//    status URL, `credentialStatus` entries of W3C Bitstring Status Lists (status_list.hpp).
//  - With a key, a `DataIntegrityProof` (W3C vc-di-eddsa): `eddsa-rdfc-2022` (RDF Dataset
//    Canonicalization of the JSON-LD, under the contexts shipped in the library: no network) or
//    `eddsa-jcs-2022` (RFC 8785 JSON canonicalisation). `proof` is an array, as the OB schema
//    requires. The issuer is a DID (did:key of the key, or a did:web given by the issuer); the
//    verification method is the DID + "#" + the key's multibase public key (key ids let an
//    issuer rotate keys: did_web_document lists the current and the retired ones).
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
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
  /// The public key as a Multikey: "z6Mk..." (multicodec ed25519-pub, multibase base58btc).
  std::string multikey() const;
  /// The public key of a Multikey string; nothing when it is not an Ed25519 Multikey.
  static std::optional<std::array<unsigned char, 32>> public_key_of(std::string_view multikey);
  /// "did:key:z6Mk...".
  std::string did_key() const;
};

/// The Data Integrity cryptosuites dskill signs with.
enum class proof_suite { eddsa_rdfc_2022, eddsa_jcs_2022 };
std::string_view to_string(proof_suite s) noexcept;
/// "eddsa-rdfc-2022" or "eddsa-jcs-2022".
std::optional<proof_suite> parse_proof_suite(std::string_view name) noexcept;

struct credential_options {
  std::string issuer_id;      ///< a DID (did:web:...); empty: the key's did:key, or "urn:dskill:issuer:<bank id>"
  std::string issuer_name = "dskill";
  std::string identity_type = "identifier";  ///< Open Badges IdentifierTypeEnum value
  std::optional<signing_key> key;
  proof_suite suite = proof_suite::eddsa_rdfc_2022;
  std::string language = "en";  ///< of the texts dskill writes ("en" or "vi"; names come from the framework)
  std::string valid_until;      ///< ISO 8601 UTC; empty: no expiry
  /// Where the run's DIR/public folder is published. Set, each credential gets Bitstring Status
  /// List entries (lists at <url>/status/..., status_list.hpp) and embeds the short form of its
  /// achievement, whose full form (levels, result descriptions, alignments) is published once at
  /// <url>/achievements/<rule>.json. Empty: the full achievement in every credential, no status.
  std::string public_url;
  /// The status entry's purpose: "revocation" (final) or "suspension" (reversible). One only:
  /// the OB 3.0 schema allows a single credentialStatus.
  std::string status_purpose = "revocation";
};

namespace detail {
struct credential_plan;  // what prepare_credentials computes once per run (src/score)
}

/// What one run's credentials share.
struct credential_context {
  credential_options options;
  std::shared_ptr<const level_scheme> levels;
  std::string bank_id;
  std::string bank_fingerprint;
  std::string issued_at;                          ///< validFrom, ISO 8601 UTC
  std::array<unsigned char, 32> salt_secret{};    ///< the identity secret: per-person salts, credential ids
  /// The run's shared parts: the issuer, the proof configuration and its hash, and per
  /// credential shape (rule, which results) the canonical JSON and the RDF with the person's
  /// values left open. Filled by prepare_credentials; make_credential builds one when empty.
  std::shared_ptr<const detail::credential_plan> plan;
};

/// The full achievement of a rule as a JSON-LD document, to publish at its id (with a public URL).
std::string published_achievement(const credential_context& ctx, std::size_t rule_index);

/// Computes ctx.plan once per run (call it after setting the options), so that each credential
/// costs only the person's part: its values in the shared canonical JSON and RDF, RDFC-1.0 of
/// that RDF (eddsa-rdfc-2022) and one signature.
void prepare_credentials(credential_context& ctx);

/// "sha256$<hex>" of person_id + salt (Open Badges IdentityHash).
std::string identity_hash(std::string_view person_id, std::string_view salt);
/// The per-person salt (32 hex characters) derived from the identity secret.
std::string person_salt(const std::array<unsigned char, 32>& secret, std::string_view person_id);
/// The keyed pseudonym of a person for stored results: "hmac-sha256:" + hex of
/// HMAC-SHA-256(identity secret, person id), truncated to 16 bytes. Stable per secret; not
/// reversible by trying ids without the secret.
std::string person_pseudonym(const std::array<unsigned char, 32>& secret, std::string_view person_id);

/// The identity secret of a run given no --salt-secret but a signing key: derived from the key
/// (BLAKE2b keyed with the seed, for this one use), so it is never stored and a resumed run
/// finds it again. Rotating the key changes it: give an explicit secret to keep salts across keys.
std::array<unsigned char, 32> identity_secret_from_key(const signing_key& key);
/// A public name of an identity secret ("blake2b:<16 hex>"), for checkpoints and summaries.
std::string identity_key_id(const std::array<unsigned char, 32>& secret);

/// The credential of a certified person: JSON text (one line) and its id (a urn:uuid derived
/// from the identity secret and the person id, so a rerun gives the same id).
struct credential {
  std::string id;
  std::string json;
};
/// `status_index`: the person's position in the run's status lists (the input row - 1).
/// Throws state_error if the person is not certified or no level scheme is set.
credential make_credential(const credential_context& ctx, std::string_view person_id, const person_result& result,
                           std::uint64_t status_index = 0);

/// How to add a Data Integrity proof.
struct proof_options {
  proof_suite suite = proof_suite::eddsa_rdfc_2022;
  std::string created;              ///< ISO 8601 UTC
  std::string verification_method;  ///< empty: did:key of the key + "#" + multikey
};
/// `document` (a JSON-LD object, text) with a DataIntegrityProof by `key` appended to `proof`.
std::string add_proof(std::string_view document, const signing_key& key, const proof_options& o);

/// What verification may use besides the credential itself (no network is ever used).
struct verify_options {
  /// DID documents (JSON texts) of did:web issuers; did:key needs none.
  std::vector<std::string> did_documents;
  /// When set, the proof must be made with this public key.
  std::optional<std::array<unsigned char, 32>> public_key;
  /// When set, the issuer must be this DID.
  std::string issuer;
  /// Status list credentials (JSON texts) the credential's credentialStatus may point at.
  std::vector<std::string> status_lists;
  bool require_status = false;  ///< refuse when a status entry has no list among status_lists
  std::string now;              ///< ISO 8601 instant to check validity at; empty: the clock
};

struct verify_result {
  std::string error;                  ///< empty: valid
  std::vector<std::string> warnings;  ///< e.g. a status that could not be checked
  std::string issuer, verification_method, cryptosuite;
  bool valid() const noexcept { return error.empty(); }
};

/// Checks a verifiable credential: well-formed, every proof (eddsa-rdfc-2022 or
/// eddsa-jcs-2022) by a key of the issuer, validFrom <= now <= validUntil, and its status
/// entries against the status lists given. Never throws on bad input.
verify_result verify_credential(std::string_view json_text, const verify_options& o);
/// Shorthand: the proof made with `public_key`. Returns an empty string when valid, else the reason.
std::string verify_credential(std::string_view json_text, const std::array<unsigned char, 32>& public_key);

/// A did:web DID document for `did` ("did:web:example.org"): every key as a Multikey
/// verification method (id did#multikey) for assertionMethod. List retired keys after the
/// current one so that credentials they signed still verify; drop a key to disown them.
std::string did_web_document(std::string_view did, std::span<const std::array<unsigned char, 32>> public_keys);

/// RFC 8785 canonical form of a JSON text (our documents: integers only). Throws parse_error.
std::string canonical_json(std::string_view json_text);
/// Base58 (Bitcoin alphabet).
std::string base58btc(std::span<const unsigned char> bytes);

}  // namespace score
DSKILL_END_NAMESPACE
